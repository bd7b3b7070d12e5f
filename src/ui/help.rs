//! The `?` overlay: every command with the keys bound to it (from the live keymap).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use crate::app::App;
use crate::keymap::{Command, Keymap};

const DESCRIBED: &[(Command, &str)] = &[
    (Command::Up, "move up"),
    (Command::Down, "move down"),
    (Command::PageUp, "page up"),
    (Command::PageDown, "page down"),
    (Command::Top, "first row"),
    (Command::Bottom, "last row"),
    (Command::Open, "open token market (richlist from market)"),
    (Command::Richlist, "open richlist"),
    (Command::Back, "back"),
    (Command::NextPane, "next pane (market view)"),
    (Command::PrevPane, "previous pane"),
    (Command::Left, "chart cursor: earlier day"),
    (Command::Right, "chart cursor: later day"),
    (Command::PrevRange, "shorter chart range"),
    (Command::NextRange, "longer chart range"),
    (Command::ChartMode, "candles / line"),
    (Command::Filter, "filter tokens / find account"),
    (Command::Favorite, "toggle favorite"),
    (Command::Export, "export richlist to CSV"),
    (Command::Refresh, "refresh now"),
    (Command::Help, "this help"),
    (Command::Quit, "quit"),
];

pub fn lines(keymap: &Keymap, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = DESCRIBED
        .iter()
        .map(|(c, what)| {
            let keys = keymap.keys_for(*c).join(" ");
            Line::from(vec![
                Span::styled(format!("{keys:>16}  "), theme.accent),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::from(vec![
        Span::styled(format!("{:>16}  ", "1-9 0"), theme.accent),
        Span::raw("sort by column (again: reverse)"),
    ]));
    lines.push(Line::from(vec![
        Span::styled(format!("{:>16}  ", "1-5"), theme.accent),
        Span::raw("chart range 7d 30d 90d 1y all"),
    ]));
    lines.push(Line::from(vec![
        Span::styled(format!("{:>16}  ", "mouse"), theme.accent),
        Span::raw("wheel scrolls, click selects or sorts"),
    ]));
    lines
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, body: Rect) {
    let text = lines(&app.opts.keymap, theme);
    let height = u16::try_from(text.len() + 2)
        .unwrap_or(u16::MAX)
        .min(body.height);
    let [_, mid, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(body);
    let [_, area, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(60.min(body.width)),
        Constraint::Fill(1),
    ])
    .areas(mid);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text).block(Block::bordered().title(" Keys (? or Esc closes) ")),
        area,
    );
}
