//! `App`: all UI state, and `update`, the one place it changes. `update` is pure: it takes an
//! `Action` and returns the `Request`s the refresh worker should carry out.

mod cursor;
mod market;
mod mouse;
mod richlist;
mod slots;
mod tokens;

use std::collections::BTreeSet;
use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseEvent};
use ratatui::layout::Rect;

pub use cursor::Cursor;
pub use market::{ChartMode, MarketView, Pane};
pub use richlist::RichlistView;
pub use slots::{Failure, Slot, SlotState, Slots};
pub use tokens::{TokenRow, TokensView};

use crate::cache::Key;
use crate::config::Theme;
use crate::keymap::{Command, Keymap};
use crate::layout;
use crate::model::Timestamp;
use crate::refresh::worker::{Report, Request};

/// Everything `update` accepts: input, time, and the worker's reports.
#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Tick(Timestamp),
    Report(Report),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Screen {
    Tokens,
    Market(String),
    Richlist(String),
}

/// Settings the app starts with; the default has the shipped keys and nothing else.
#[derive(Clone, Debug)]
pub struct Options {
    pub keymap: Keymap,
    pub favorites: BTreeSet<String>,
    pub export_dir: PathBuf,
    pub offline: bool,
    pub theme: Theme,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            keymap: Keymap::shipped(),
            favorites: BTreeSet::new(),
            export_dir: PathBuf::new(),
            offline: false,
            theme: Theme::default(),
        }
    }
}

pub struct App {
    pub screen: Screen,
    /// Where `back` returns to.
    pub history: Vec<Screen>,
    pub slots: Slots,
    pub tokens: TokensView,
    pub market: MarketView,
    pub richlist: RichlistView,
    pub help: bool,
    pub size: Rect,
    pub now: Timestamp,
    /// A transient message for the status bar (export path, errors in words).
    pub message: Option<String>,
    pub cache_warning: Option<String>,
    pub opts: Options,
    pub quit: bool,
}

impl App {
    pub fn new(opts: Options, now: Timestamp, size: Rect) -> Self {
        let tokens = TokensView {
            favorites: opts.favorites.clone(),
            ..TokensView::default()
        };
        Self {
            screen: Screen::Tokens,
            history: Vec::new(),
            slots: Slots::default(),
            tokens,
            market: MarketView::default(),
            richlist: RichlistView::default(),
            help: false,
            size,
            now,
            message: None,
            cache_warning: None,
            opts,
            quit: false,
        }
    }

    /// The requests to send when the app starts: watch the first screen, warm the favorites.
    pub fn start(&self) -> Vec<Request> {
        let mut warm = vec![Key::Tokens, Key::Metrics];
        for s in &self.tokens.favorites {
            warm.extend([
                Key::Token(s.clone()),
                Key::Book(s.clone()),
                Key::Trades(s.clone()),
            ]);
            warm.push(Key::History(s.clone(), self.market.range));
        }
        vec![Request::Watch(self.watched()), Request::Prewarm(warm)]
    }

    /// The keys the current screen shows.
    pub fn watched(&self) -> Vec<Key> {
        match &self.screen {
            Screen::Tokens => vec![Key::Tokens, Key::Metrics],
            Screen::Market(s) => vec![
                Key::Token(s.clone()),
                Key::History(s.clone(), self.market.range),
                Key::Book(s.clone()),
                Key::Trades(s.clone()),
                Key::Metrics,
            ],
            Screen::Richlist(s) => vec![Key::Richlist(s.clone()), Key::Token(s.clone())],
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Request> {
        let mut requests = self.apply(action);
        if self.screen == Screen::Tokens {
            requests.extend(self.peek_sparklines());
        }
        requests
    }

    /// Asks for the cached history behind the sparklines of the rows on screen, once per token;
    /// a peek reads the cache and never the network.
    fn peek_sparklines(&mut self) -> Option<Request> {
        let rows = self
            .tokens
            .visible
            .iter()
            .skip(self.tokens.cursor.offset)
            .take(self.list_height());
        let wanted: Vec<String> = rows
            .map(|&i| self.tokens.rows[i].symbol.clone())
            .filter(|s| !self.tokens.peeked.contains(s))
            .collect();
        if wanted.is_empty() {
            return None;
        }
        self.tokens.peeked.extend(wanted.iter().cloned());
        Some(Request::Peek(
            wanted
                .into_iter()
                .map(|s| Key::History(s, crate::model::HistoryRange::Month))
                .collect(),
        ))
    }

    fn apply(&mut self, action: Action) -> Vec<Request> {
        match action {
            Action::Tick(now) => {
                self.now = now;
                Vec::new()
            }
            Action::Resize(w, h) => {
                self.size = Rect::new(0, 0, w, h);
                self.clamp_scrolls();
                Vec::new()
            }
            Action::Report(report) => {
                self.report(report);
                Vec::new()
            }
            Action::Key(key) => self.key(key),
            Action::Mouse(mouse) => self.mouse(mouse),
        }
    }

    fn report(&mut self, report: Report) {
        match report {
            Report::CacheWarning(w) => self.cache_warning = Some(w),
            Report::Exported(Ok(path)) => {
                self.message = Some(format!("exported to {}", path.display()));
            }
            Report::Exported(Err(e)) => self.message = Some(format!("export failed: {e}")),
            other => {
                let Some(key) = slots::key_of(&other).cloned() else {
                    return;
                };
                // Results for keys no longer shown are dropped; the list data is always kept.
                let sparkline = matches!(&key, Key::History(sym, crate::model::HistoryRange::Month) if self.tokens.peeked.contains(sym));
                if !self.watched().contains(&key)
                    && !matches!(key, Key::Tokens | Key::Metrics)
                    && !sparkline
                {
                    return;
                }
                self.slots.apply(other);
                self.derive(&key);
            }
        }
    }

    /// Recomputes what depends on newly arrived data.
    fn derive(&mut self, key: &Key) {
        match key {
            Key::Tokens | Key::Metrics => self.tokens.rebuild(&self.slots),
            Key::Richlist(s) if matches!(&self.screen, Screen::Richlist(x) if x == s) => {
                self.richlist.rebuild(&self.slots, s);
            }
            _ => {}
        }
    }

    fn go(&mut self, screen: Screen) -> Vec<Request> {
        if self.screen != screen {
            let previous = std::mem::replace(&mut self.screen, screen);
            self.history.push(previous);
        }
        self.after_screen_change()
    }

    fn back(&mut self) -> Vec<Request> {
        match self.history.pop() {
            Some(previous) => {
                self.screen = previous;
                self.after_screen_change()
            }
            None => Vec::new(),
        }
    }

    fn after_screen_change(&mut self) -> Vec<Request> {
        self.message = None;
        match self.screen.clone() {
            Screen::Richlist(s) => self.richlist.rebuild(&self.slots, &s),
            Screen::Market(s) if self.market.symbol != s => {
                self.market = MarketView::for_symbol(s, self.market.range);
            }
            _ => {}
        }
        vec![Request::Watch(self.watched())]
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Request> {
        if self.typing() {
            return self.type_key(key);
        }
        let Some(command) = self.opts.keymap.command(&key) else {
            return Vec::new();
        };
        if self.help {
            if matches!(command, Command::Help | Command::Back | Command::Quit) {
                self.help = false;
            }
            return Vec::new();
        }
        match command {
            Command::Quit => {
                self.quit = true;
                Vec::new()
            }
            Command::Help => {
                self.help = true;
                Vec::new()
            }
            Command::Back => self.back(),
            Command::Refresh => self.watched().into_iter().map(Request::Refresh).collect(),
            _ => match self.screen.clone() {
                Screen::Tokens => self.tokens_command(command),
                Screen::Market(s) => self.market_command(command, &s),
                Screen::Richlist(s) => self.richlist_command(command, &s),
            },
        }
    }

    /// Whether keys go into a text field (the filter or the account search).
    pub fn typing(&self) -> bool {
        match self.screen {
            Screen::Tokens => self.tokens.filtering,
            Screen::Richlist(_) => self.richlist.searching,
            Screen::Market(_) => false,
        }
    }

    fn type_key(&mut self, key: KeyEvent) -> Vec<Request> {
        let ctrl_c = key.code == KeyCode::Char('c')
            && key
                .modifiers
                .contains(ratatui::crossterm::event::KeyModifiers::CONTROL);
        if ctrl_c {
            self.quit = true;
            return Vec::new();
        }
        match self.screen {
            Screen::Tokens => self.tokens.type_key(key, &self.slots),
            Screen::Richlist(_) => self.richlist.type_key(key),
            Screen::Market(_) => {}
        }
        self.clamp_scrolls();
        Vec::new()
    }

    fn clamp_scrolls(&mut self) {
        self.tokens
            .cursor
            .clamp(self.tokens.visible.len(), self.list_height());
        self.richlist
            .cursor
            .clamp(self.richlist.order.len(), self.richlist_height());
    }

    /// Rows the tokens table shows.
    pub fn list_height(&self) -> usize {
        layout::rows_in(layout::tokens_table(self.size))
    }

    /// Rows the richlist table shows.
    pub fn richlist_height(&self) -> usize {
        layout::rows_in(layout::richlist_table(self.size))
    }
}

#[cfg(test)]
mod tests;
