//! The overlays over a screen: help (`?`: the current screen's own keys first, then every command
//! with the keys bound to it now, the digits and the mouse) and the messages (`m`: recent errors
//! and notes in full, with the log file's path). Both scroll; the position is kept in range here.

use super::App;
use crate::keymap::{Command, Keymap};
use crate::layout;
use crate::table::Scroll;

/// Every command with what it does: the help overlay's "Everywhere" and the man page's KEYS.
pub const DESCRIBED: &[(Command, &str)] = &[
    (Command::Up, "move up"),
    (Command::Down, "move down"),
    (Command::PageUp, "page up"),
    (Command::PageDown, "page down"),
    (Command::Top, "first row"),
    (Command::Bottom, "last row"),
    (Command::Open, "open market, pool or account of the row"),
    (Command::Seller, "open the seller of the selected trade"),
    (Command::Account, "open an account by name"),
    (Command::Richlist, "open richlist"),
    (
        Command::Pools,
        "liquidity pools (a token's, from its market)",
    ),
    (Command::Back, "back; clears an applied filter first"),
    (Command::NextPane, "next pane (market) / part (account)"),
    (Command::PrevPane, "previous pane"),
    (Command::Left, "chart cursor: earlier day"),
    (Command::Right, "chart cursor: later day"),
    (Command::PrevRange, "shorter chart range / newer baseline"),
    (Command::NextRange, "longer chart range / older baseline"),
    (Command::Changes, "richlist: changes since a baseline"),
    (Command::Flip, "changes: biggest sellers / buyers first"),
    (Command::ChartMode, "candles / line"),
    (Command::Filter, "filter tokens or pools / find account"),
    (Command::NextMatch, "next account found"),
    (Command::PrevMatch, "previous account found"),
    (Command::Favorite, "toggle favorite token, pool or account"),
    (Command::Export, "export the list shown to CSV"),
    (Command::Refresh, "refresh now"),
    (Command::Messages, "recent messages in full"),
    (Command::Help, "this help"),
    (Command::Quit, "quit"),
];

/// Keys that are not rebindable commands, after those in the overlay and the man page.
pub const FIXED: &[(&str, &str)] = &[
    ("1-9 0", "sort by column (again: reverse)"),
    ("1-5", "chart range 7d 30d 90d 1y all"),
    ("mouse", "wheel scrolls, click selects or sorts"),
];

/// One line of the overlay: the keys (or a heading when empty) and what they do.
pub type HelpLine = (String, &'static str);

fn keys(keymap: &Keymap, command: Command) -> String {
    keymap.keys_for(command).join(" ")
}

/// Every line of the overlay, this screen's keys first.
pub fn help_lines(app: &App) -> Vec<HelpLine> {
    let keymap = &app.opts.keymap;
    let mut lines: Vec<HelpLine> = vec![(String::new(), "This screen")];
    lines.extend(
        app.view()
            .hints()
            .iter()
            .map(|(c, what)| (keys(keymap, *c), *what)),
    );
    lines.push((String::new(), "Everywhere"));
    lines.extend(DESCRIBED.iter().map(|(c, what)| (keys(keymap, *c), *what)));
    lines.extend(FIXED.iter().map(|(keys, what)| ((*keys).to_owned(), *what)));
    lines
}

/// One row of the help overlay as drawn: a heading, or keys and what they do (the keys empty
/// on the rows a long description goes on to).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelpRow {
    Heading(&'static str),
    Keys(String, &'static str),
}

/// The help overlay's rows and its keys column's width. The overlay is as wide as its longest
/// line (a space, the keys, two spaces, the words, inside a border) up to the terminal's width;
/// where that is too narrow, a description goes on under itself, broken between words.
pub fn help_rows(app: &App) -> (Vec<HelpRow>, usize) {
    let lines = help_lines(app);
    let keys_width = keys_width(&lines);
    let inner = usize::from(help_width(app).saturating_sub(2));
    let room = inner.saturating_sub(keys_width + 3).max(12);
    let mut rows = Vec::new();
    for (keys, what) in lines {
        if keys.is_empty() {
            rows.push(HelpRow::Heading(what));
            continue;
        }
        for (i, part) in words_within(what, room).into_iter().enumerate() {
            let keys = if i == 0 { keys.clone() } else { String::new() };
            rows.push(HelpRow::Keys(keys, part));
        }
    }
    (rows, keys_width)
}

/// The width of the widest keys.
fn keys_width(lines: &[(String, &'static str)]) -> usize {
    lines
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
}

/// Columns the help overlay takes: its longest line and its title, at most the terminal's.
fn help_width(app: &App) -> u16 {
    let lines = help_lines(app);
    let keys_width = keys_width(&lines);
    let longest = lines
        .iter()
        .map(|(_, what)| keys_width + 3 + what.chars().count())
        .max()
        .unwrap_or(0);
    let wanted = u16::try_from(longest.max(HELP_TITLE) + 2).unwrap_or(u16::MAX);
    wanted.min(layout::frame(app.size).1.width)
}

/// The longest title the help overlay has: " Keys 100-130 of 130 (j/k scroll; ? or Esc closes) ".
const HELP_TITLE: usize = 52;

/// `text` in pieces of at most `room` columns, broken at spaces (a longer word alone).
fn words_within(text: &'static str, room: usize) -> Vec<&'static str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while rest.chars().count() > room {
        let cut = rest
            .char_indices()
            .take_while(|(i, _)| rest[..*i].chars().count() <= room)
            .filter(|(_, c)| *c == ' ')
            .map(|(i, _)| i)
            .last()
            .or_else(|| rest.find(' '));
        let Some(cut) = cut else { break };
        pieces.push(&rest[..cut]);
        rest = &rest[cut + 1..];
    }
    pieces.push(rest);
    pieces
}

/// Where the help overlay is drawn.
pub fn help_area(app: &App) -> ratatui::layout::Rect {
    layout::overlay_area(app.size, help_rows(app).0.len(), Some(help_width(app)))
}

/// What covers the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Messages,
}

/// Messages kept for the `m` list.
const KEPT: usize = 200;

impl App {
    /// Keeps `text` for the messages list, newest last.
    pub(super) fn remember(&mut self, text: String) {
        if self.messages.back().is_some_and(|(_, last)| *last == text) {
            return;
        }
        self.messages.push_back((self.now, text));
        while self.messages.len() > KEPT {
            self.messages.pop_front();
        }
    }

    /// Lines the open overlay holds.
    pub fn overlay_len(&self) -> usize {
        match self.overlay {
            Some(Overlay::Help) => help_rows(self).0.len(),
            Some(Overlay::Messages) => {
                // Long errors wrap: count the lines they take (one more where words break).
                let width = usize::from(layout::frame(self.size).1.width.saturating_sub(6)).max(1);
                let lines = |len: usize| len.div_ceil(width) + usize::from(len > width);
                self.messages
                    .iter()
                    .map(|(_, m)| lines(m.chars().count() + 9))
                    .sum::<usize>()
                    + 2
            }
            None => 0,
        }
    }

    /// Keys while an overlay is open: movement scrolls it; its own key, back and quit close it.
    pub(super) fn overlay_command(&mut self, command: Command) {
        let own = match self.overlay {
            Some(Overlay::Help) => Command::Help,
            _ => Command::Messages,
        };
        if command == own || matches!(command, Command::Back | Command::Quit) {
            self.overlay = None;
            self.overlay_scroll = Scroll::default();
            return;
        }
        let len = self.overlay_len();
        let area = match self.overlay {
            Some(Overlay::Help) => help_area(self),
            _ => layout::overlay_area(self.size, len, None),
        };
        let page = usize::from(area.height.saturating_sub(2));
        self.overlay_scroll.apply(command, len, page);
    }

    pub(super) fn open_overlay(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
        self.overlay_scroll = Scroll::default();
        if overlay == Overlay::Messages {
            // The newest messages first in view: open at the end of the list.
            let len = self.overlay_len();
            let page = usize::from(
                layout::overlay_area(self.size, len, None)
                    .height
                    .saturating_sub(2),
            );
            self.overlay_scroll.apply(Command::Bottom, len, page);
        }
    }
}
