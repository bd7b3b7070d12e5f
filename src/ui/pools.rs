//! The pools list: one row per pool, numbers whole and right-aligned, favorites marked, a dash
//! where a pool's worth in HIVE cannot be told.

use ratatui::Frame;
use ratatui::widgets::Row;

use super::table::{aligned, draw_list, header, note_under_header};
use super::theme::Theme;
use super::{centered, status};
use crate::app::{App, SlotState};
use crate::cache::Key;
use crate::layout;
use crate::table::Column as _;

pub fn render(frame: &mut Frame, app: &App, theme: &Theme) {
    let view = &app.pools;
    let table = layout::pools_table(frame.area());
    if view.payload.is_none() {
        let text = match app.slots.state(&Key::Pools) {
            SlotState::Unknown => "Waiting for the liquidity pools…".to_owned(),
            s => status::body("Pools", &s, app.now, true).unwrap_or_default(),
        };
        centered(frame, table, text, theme.dim);
        return;
    }
    let columns = view.columns(table.width);
    let head = Row::new(columns.iter().map(|(c, _)| header(*c, &view.table))).style(theme.header);
    draw_list(
        frame,
        table,
        columns.iter().map(|(_, w)| *w),
        head,
        &view.table.order,
        view.table.cursor,
        theme,
        |i| {
            Row::new(
                columns
                    .iter()
                    .map(|(c, _)| aligned(view.text(*c, i as usize, &app.favorites), c.numeric())),
            )
        },
    );
    if view.table.is_empty() {
        let text = match (&view.token, view.filter.is_empty()) {
            (_, false) => "No pool matches the filter (Esc clears it).".to_owned(),
            (Some(t), true) => format!("{t} is in no liquidity pool."),
            (None, true) => "No liquidity pools.".to_owned(),
        };
        note_under_header(frame, table, text, theme);
    }
}
