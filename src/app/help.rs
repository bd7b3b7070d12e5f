//! What the `?` overlay lists: the current screen's own keys first, then every command with the
//! keys bound to it now, the digits and the mouse. The overlay scrolls; its position is kept in
//! range here.

use super::App;
use crate::keymap::{Command, Keymap};
use crate::layout;
use crate::table::Scroll;

const DESCRIBED: &[(Command, &str)] = &[
    (Command::Up, "move up"),
    (Command::Down, "move down"),
    (Command::PageUp, "page up"),
    (Command::PageDown, "page down"),
    (Command::Top, "first row"),
    (Command::Bottom, "last row"),
    (Command::Open, "open token market (richlist from market)"),
    (Command::Richlist, "open richlist"),
    (Command::Back, "back; clears an applied filter first"),
    (Command::NextPane, "next pane (market view)"),
    (Command::PrevPane, "previous pane"),
    (Command::Left, "chart cursor: earlier day"),
    (Command::Right, "chart cursor: later day"),
    (Command::PrevRange, "shorter chart range"),
    (Command::NextRange, "longer chart range"),
    (Command::ChartMode, "candles / line"),
    (Command::Filter, "filter tokens / find account"),
    (Command::NextMatch, "next account found"),
    (Command::PrevMatch, "previous account found"),
    (Command::Favorite, "toggle favorite"),
    (Command::Export, "export richlist to CSV"),
    (Command::Refresh, "refresh now"),
    (Command::Help, "this help"),
    (Command::Quit, "quit"),
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
    lines.extend([
        ("1-9 0".to_owned(), "sort by column (again: reverse)"),
        ("1-5".to_owned(), "chart range 7d 30d 90d 1y all"),
        ("mouse".to_owned(), "wheel scrolls, click selects or sorts"),
    ]);
    lines
}

impl App {
    /// Keys while the overlay is open: movement scrolls it, help, back and quit close it.
    pub(super) fn help_command(&mut self, command: Command) {
        if matches!(command, Command::Help | Command::Back | Command::Quit) {
            self.help = false;
            self.help_scroll = Scroll::default();
            return;
        }
        let len = help_lines(self).len();
        let page = usize::from(layout::help_area(self.size, len).height.saturating_sub(2));
        self.help_scroll.apply(command, len, page);
    }
}
