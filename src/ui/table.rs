//! Any `Table` drawn the same way: headers titled by the column with the sort mark, numbers
//! right-aligned, and only the visible window of rows built, so 200000 rows draw as fast as 20.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row};

use super::theme::Theme;
use crate::table::{Column, Cursor, Table, rows_in};

/// Text in a cell, right-aligned for a number.
pub fn aligned(text: String, numeric: bool) -> Cell<'static> {
    if numeric {
        Cell::from(Line::from(text).alignment(Alignment::Right))
    } else {
        Cell::from(text)
    }
}

/// A column's header: its title, and ▼ or ▲ when the table is sorted by it.
pub fn header<C: Column>(column: C, table: &Table<C>) -> Cell<'static> {
    titled(column, column.title(), table)
}

/// A column's header with a title of the screen's choosing (a token's symbol, say).
pub fn titled<C: Column>(column: C, title: &str, table: &Table<C>) -> Cell<'static> {
    let mark = match (column == table.sort, table.descending) {
        (false, _) => "",
        (true, true) => "▼",
        (true, false) => "▲",
    };
    aligned(format!("{title}{mark}"), column.numeric())
}

/// A note in words where the rows of a table drawn in `area` would be (nothing matches, no
/// holders), under its header.
pub fn note_under_header(frame: &mut Frame, area: Rect, text: String, theme: &Theme) {
    let rows = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    super::centered(frame, rows, text, theme.dim);
}

/// Draws the rows of `items` from the cursor's offset that fit `area` under `header`.
#[allow(clippy::too_many_arguments)]
pub fn draw_list<'a, T: Copy>(
    frame: &mut Frame,
    area: Rect,
    widths: impl IntoIterator<Item = u16>,
    header: Row<'a>,
    items: &[T],
    cursor: Cursor,
    theme: &Theme,
    row: impl Fn(T) -> Row<'a>,
) {
    let rows = items
        .iter()
        .enumerate()
        .skip(cursor.offset)
        .take(rows_in(area))
        .map(|(pos, &item)| {
            let r = row(item);
            if pos == cursor.selected {
                r.style(theme.selected)
            } else {
                r
            }
        });
    let widths: Vec<Constraint> = widths.into_iter().map(Constraint::Length).collect();
    let table = ratatui::widgets::Table::new(rows, widths)
        .header(header)
        .column_spacing(1);
    frame.render_widget(table, area);
}
