//! The `?` overlay drawn: the app's help lines (this screen's keys first, then every command
//! with the keys bound to it now), scrolled to the app's position.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use crate::app::{App, help_lines};
use crate::layout;

/// The overlay's lines from the app, styled: headings bold, keys in the accent colour.
pub fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    help_lines(app)
        .into_iter()
        .map(|(keys, what)| {
            if keys.is_empty() {
                Line::from(Span::styled(format!(" {what}"), theme.header))
            } else {
                Line::from(vec![
                    Span::styled(format!("{keys:>16}  "), theme.accent),
                    Span::raw(what),
                ])
            }
        })
        .collect()
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme) {
    let text = lines(app, theme);
    let total = text.len();
    let area = layout::help_area(app.size, total);
    let shown = usize::from(area.height.saturating_sub(2));
    let title = if shown < total {
        format!(
            " Keys {}-{} of {total} (j/k scroll; ? or Esc closes) ",
            app.help_scroll.pos + 1,
            (app.help_scroll.pos + shown).min(total)
        )
    } else {
        " Keys (? or Esc closes) ".to_owned()
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text)
            .scroll((u16::try_from(app.help_scroll.pos).unwrap_or(u16::MAX), 0))
            .block(Block::bordered().title(title)),
        area,
    );
}
