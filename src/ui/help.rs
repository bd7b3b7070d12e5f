//! The `?` overlay drawn: the app's help lines (this screen's keys first, then every command
//! with the keys bound to it now), scrolled to the app's position.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::theme::Theme;
use crate::app::{App, HelpRow, help_area, help_rows};
use crate::format::utc_time;
use crate::layout;
use crate::sanitize::for_terminal;

/// The overlay's rows from the app, styled: headings bold, keys in the accent colour.
pub fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let (rows, keys_width) = help_rows(app);
    rows.into_iter()
        .map(|row| match row {
            HelpRow::Heading(what) => Line::from(Span::styled(format!(" {what}"), theme.header)),
            HelpRow::Keys(keys, what) => Line::from(vec![
                Span::styled(format!(" {keys:>keys_width$}  "), theme.accent),
                Span::raw(what),
            ]),
        })
        .collect()
}

/// The recent messages in full, oldest first, with the log file's path.
pub fn render_messages(frame: &mut Frame, app: &App, theme: &Theme) {
    let mut text: Vec<Line> = app
        .messages
        .iter()
        .map(|(at, m)| {
            Line::from(vec![
                Span::styled(format!("{} ", utc_time(*at)), theme.accent),
                Span::raw(for_terminal(m).into_owned()),
            ])
        })
        .collect();
    if text.is_empty() {
        text.push(Line::from(Span::styled(" Nothing to report.", theme.dim)));
    }
    let log = app.log_file.as_ref().map_or_else(
        || "no log file (the data dir is not writable)".to_owned(),
        |p| format!("the full log: {}", p.display()),
    );
    text.push(Line::from(Span::styled(log, theme.dim)));
    let area = layout::overlay_area(app.size, app.overlay_len(), None);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(app.overlay_scroll.pos).unwrap_or(u16::MAX), 0))
            .block(Block::bordered().title(" Messages (j/k scroll; m or Esc closes) ")),
        area,
    );
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme) {
    let text = lines(app, theme);
    let total = text.len();
    let area = help_area(app);
    let shown = usize::from(area.height.saturating_sub(2));
    let title = if shown < total {
        format!(
            " Keys {}-{} of {total} (j/k scroll; ? or Esc closes) ",
            app.overlay_scroll.pos + 1,
            (app.overlay_scroll.pos + shown).min(total)
        )
    } else {
        " Keys (? or Esc closes) ".to_owned()
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text)
            .scroll((u16::try_from(app.overlay_scroll.pos).unwrap_or(u16::MAX), 0))
            .block(Block::bordered().title(title)),
        area,
    );
}
