//! `render(&App)`: pure drawing of the current screen, its title line and its status line.

mod account;
mod changes;
mod chart;
mod help;
mod market;
mod pool;
mod pools;
mod richlist;
mod status;
mod table;
pub mod theme;
mod tokens;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::{App, Overlay, Screen};
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
    // The one place a screen is picked for drawing; everything else asks `app.view()`.
    match &app.screen {
        Screen::Tokens => tokens::render(frame, app, &theme, body),
        Screen::Market(symbol) => market::render(frame, app, &theme, symbol),
        Screen::Richlist(symbol) if app.richlist.changes.is_some() => {
            changes::render(frame, app, &theme, body, symbol);
        }
        Screen::Richlist(symbol) => richlist::render(frame, app, &theme, body, symbol),
        Screen::Pools(_) => pools::render(frame, app, &theme),
        Screen::Pool(pair) => pool::render(frame, app, &theme, pair),
        Screen::Account(name) => account::render(frame, app, &theme, name),
    }
    frame.render_widget(status::line(app, &theme), status);
    match app.overlay {
        Some(Overlay::Help) => help::render(frame, app, &theme),
        Some(Overlay::Messages) => help::render_messages(frame, app, &theme),
        None => {}
    }
}

/// The screen's main keys (as bound now), as many as fit beside `used` columns, then help and
/// quit, which always show.
fn hints(app: &App, width: u16, used: usize) -> String {
    let always = if app.messages.is_empty() {
        "? help  q quit "
    } else {
        "m messages  ? help  q quit "
    };
    let mut room = usize::from(width).saturating_sub(used + always.len() + 1);
    let mut text = String::new();
    for (command, what) in app.view().hints() {
        let Some(key) = app.opts.keymap.keys_for(*command).into_iter().next() else {
            continue;
        };
        let hint = format!("{key} {what}  ");
        let len = hint.chars().count();
        if len > room {
            break;
        }
        room -= len;
        text.push_str(&hint);
    }
    text + always
}

fn title_line(app: &App, theme: &Theme, width: u16) -> Paragraph<'static> {
    let left = format!(
        " market-tui │ {}",
        app.prompt_title().unwrap_or_else(|| app.view().title())
    );
    let right = hints(app, width, left.chars().count());
    let pad = usize::from(width).saturating_sub(left.chars().count() + right.chars().count());
    Paragraph::new(Line::from(vec![
        Span::raw(left),
        Span::raw(" ".repeat(pad)),
        Span::raw(right),
    ]))
    .style(theme.title)
}

/// Whole parts of a summary line only: from the first that does not fit `width`, the rest
/// are left out.
fn fitting(parts: Vec<Span<'static>>, width: u16) -> Line<'static> {
    let mut room = usize::from(width);
    Line::from(
        parts
            .into_iter()
            .take_while(|p| {
                let len = unicode_width::UnicodeWidthStr::width(p.content.as_ref());
                let fits = len <= room;
                room = room.saturating_sub(len);
                fits
            })
            .collect::<Vec<_>>(),
    )
}

/// The time-dependent text on screen (ages, countdowns): a tick redraws only if it changed.
pub fn clock_text(app: &App) -> String {
    let theme = Theme::new(&app.opts.theme);
    let line = status::line(app, &theme);
    format!("{line:?}")
}

/// A message in the middle of an empty area (loading, failed, nothing matches).
/// A message in the middle of an empty area, wrapped onto as many lines as it needs (a long
/// reason is never cut off at the edge).
fn centered(frame: &mut Frame, area: Rect, text: String, style: Style) {
    // Words wrap before the edge: one line more than the bare width needs is always enough.
    let width = unicode_width::UnicodeWidthStr::width(text.as_str());
    let needed = width.div_ceil(usize::from(area.width.max(1)))
        + usize::from(width > usize::from(area.width));
    let paragraph = Paragraph::new(text)
        .style(style)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true });
    let lines = u16::try_from(needed).unwrap_or(u16::MAX);
    let height = lines.clamp(1, area.height.max(1)).min(area.height);
    let block = Rect {
        y: area.y + (area.height - height) / 2,
        height,
        ..area
    };
    frame.render_widget(paragraph, block);
}

#[cfg(test)]
mod tests;
