//! `render(&App)`: pure drawing of the current screen, its title line and its status line.

mod chart;
mod help;
mod market;
mod richlist;
mod status;
pub mod theme;
mod tokens;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::{App, Screen};
use crate::layout;
use theme::Theme;

pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = Theme::new(&app.opts.theme);
    if layout::too_small(area) {
        let text = format!(
            "The terminal is {}×{}; market-tui needs at least {}×{}. Enlarge it, or press q to quit.",
            area.width,
            area.height,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let (title, body, status) = layout::frame(area);
    frame.render_widget(title_line(app, &theme, title.width), title);
    match &app.screen {
        Screen::Tokens => tokens::render(frame, app, &theme, body),
        Screen::Market(symbol) => market::render(frame, app, &theme, body, symbol),
        Screen::Richlist(symbol) => richlist::render(frame, app, &theme, body, symbol),
    }
    frame.render_widget(status::line(app, &theme), status);
    if app.help {
        help::render(frame, app, &theme, body);
    }
}

fn title_line(app: &App, theme: &Theme, width: u16) -> Paragraph<'static> {
    let place = match &app.screen {
        Screen::Tokens if app.tokens.filtering => format!(
            "Tokens ({}) │ filter: {}▏",
            app.tokens.visible.len(),
            app.tokens.filter
        ),
        Screen::Tokens if !app.tokens.filter.is_empty() => format!(
            "Tokens ({}) │ filter: {}",
            app.tokens.visible.len(),
            app.tokens.filter
        ),
        Screen::Tokens => format!("Tokens ({})", app.tokens.visible.len()),
        Screen::Market(s) => format!("{s} market"),
        Screen::Richlist(s) => format!("{s} richlist"),
    };
    let left = format!(" market-tui │ {place}");
    let right = "? help  q quit ";
    let pad = usize::from(width).saturating_sub(left.chars().count() + right.len());
    Paragraph::new(Line::from(vec![
        Span::raw(left),
        Span::raw(" ".repeat(pad)),
        Span::raw(right),
    ]))
    .style(theme.title)
}

/// The time-dependent text on screen (ages, countdowns): a tick redraws only if it changed.
pub fn clock_text(app: &App) -> String {
    let theme = Theme::new(&app.opts.theme);
    let line = status::line(app, &theme);
    format!("{line:?}")
}

/// Draws the visible window of a long list: only the rows from the cursor's offset that fit
/// are built, so a list of 200000 draws as fast as one of 20.
#[allow(clippy::too_many_arguments)]
fn draw_list<'a, T: Copy>(
    frame: &mut Frame,
    area: Rect,
    widths: impl IntoIterator<Item = u16>,
    header: ratatui::widgets::Row<'a>,
    items: &[T],
    cursor: crate::app::Cursor,
    theme: &Theme,
    row: impl Fn(T) -> ratatui::widgets::Row<'a>,
) {
    use ratatui::layout::Constraint;
    let rows = items
        .iter()
        .enumerate()
        .skip(cursor.offset)
        .take(layout::rows_in(area))
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

/// A message in the middle of an empty area (loading, failed, nothing matches).
fn centered(frame: &mut Frame, area: Rect, text: String, style: Style) {
    let y = area.y + area.height / 2;
    let line = Rect {
        y,
        height: 1.min(area.height),
        ..area
    };
    frame.render_widget(
        Paragraph::new(text)
            .style(style)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        line,
    );
}

#[cfg(test)]
mod tests;
