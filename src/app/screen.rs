//! One trait per screen: what it watches, what its status line leads with, its title and hint
//! keys, whether it is typing, and how it handles commands, clicks and arriving data. `App`
//! dispatches to the current screen's `View` in one place; drawing is the UI's side of it.

use std::collections::BTreeSet;
use std::path::Path;

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::{Screen, Slots};
use crate::cache::Key;
use crate::keymap::Command;
use crate::model::Timestamp;
use crate::refresh::worker::Request;

/// What a screen may read of the rest of the app while it handles something.
pub struct Ctx<'a> {
    pub slots: &'a Slots,
    pub size: Rect,
    pub now: Timestamp,
    pub export_dir: &'a Path,
    /// Pinned tokens and pools (and whatever else a screen pins), one set for the whole app.
    pub favorites: &'a BTreeSet<String>,
}

/// What handling a command asks of the app besides the screen's own state.
#[derive(Debug, Default)]
pub struct Outcome {
    pub requests: Vec<Request>,
    /// Open another screen.
    pub go: Option<Screen>,
    /// A transient message for the status line.
    pub message: Option<String>,
}

impl Outcome {
    pub fn requests(requests: Vec<Request>) -> Self {
        Self {
            requests,
            ..Self::default()
        }
    }

    pub fn message(text: &str) -> Self {
        Self {
            message: Some(text.to_owned()),
            ..Self::default()
        }
    }
}

pub trait View {
    /// The keys this screen shows; the worker revalidates exactly these.
    fn watched(&self) -> Vec<Key>;
    /// The key the status line leads with, and others it names when they are not fresh.
    fn status_keys(&self) -> (Key, Vec<(&'static str, Key)>);
    fn title(&self) -> String;
    /// The screen's main keys, for the hint line.
    fn hints(&self) -> &'static [(Command, &'static str)];
    /// Whether keys go into a text field.
    fn typing(&self) -> bool {
        false
    }
    fn type_key(&mut self, _key: KeyEvent, _ctx: &Ctx) {}
    /// The name the favorite key pins here (the selected token or pool). The app toggles it
    /// and saves the set, then hands the screen `Command::Favorite` to move the pinned rows.
    fn favorite(&self) -> Option<String> {
        None
    }
    fn command(&mut self, command: Command, ctx: &Ctx) -> Outcome;
    /// A left click at (column, row) of the terminal.
    fn click(&mut self, _at: (u16, u16), _ctx: &Ctx) {}
    /// The screen becomes the current one, for `screen` (which names its token).
    fn open(&mut self, _screen: &Screen, _ctx: &Ctx) {}
    /// New data for `key` is in `ctx.slots`.
    fn loaded(&mut self, _key: &Key, _ctx: &Ctx) {}
    /// The terminal changed size: scroll positions are clamped again.
    fn resized(&mut self, _ctx: &Ctx) {}
    /// Back (Esc) first undoes what the screen has applied (a filter); true when it did.
    fn escape(&mut self, _ctx: &Ctx) -> bool {
        false
    }
}
