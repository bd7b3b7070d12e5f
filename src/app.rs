//! `App`: all UI state, and `update`, the one place it changes. `update` is pure: it takes an
//! `Action` and returns the `Request`s the refresh worker should carry out.

mod account;
mod changes;
mod filter;
mod help;
mod input;
mod market;
mod mouse;
mod pool;
pub mod pools;
mod prompt;
mod richlist;
mod screen;
mod search;
mod slots;
mod tokens;

use std::collections::BTreeSet;
use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseEvent};
use ratatui::layout::Rect;

pub use account::{AccountView, favorite_accounts, favorite_name};
pub use changes::ChangesView;
pub use help::{DESCRIBED, FIXED, HelpLine, HelpRow, Overlay, help_area, help_lines, help_rows};
pub use market::{ChartMode, MarketView, Pane};
pub use pool::PoolView;
pub use pools::PoolsView;
pub use richlist::RichlistView;
pub use screen::{Ctx, Outcome, View};
pub use search::Search;
pub use slots::{Failure, Slot, SlotState, Slots};
pub use tokens::{TokenRow, TokensView};

use crate::cache::Key;
use crate::config::Theme;
use crate::keymap::{Command, Keymap};
use crate::layout;
use crate::model::{Timestamp, valid_symbol};
use crate::refresh::worker::{Report, Request};

/// How long a message (an export's path, say) stays on the status line.
const MESSAGE_SECS: Timestamp = 10;

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
    /// Liquidity pools: every one, or one token's.
    Pools(Option<String>),
    /// One pool's providers, by its `BASE:QUOTE`.
    Pool(String),
    /// One account's wallet, orders, pool shares and operations.
    Account(String),
}

/// Settings the app starts with; the default has the shipped keys and nothing else.
#[derive(Clone, Debug)]
pub struct Options {
    pub keymap: Keymap,
    pub favorites: BTreeSet<String>,
    pub export_dir: PathBuf,
    pub offline: bool,
    pub theme: Theme,
    pub log_file: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            keymap: Keymap::shipped(),
            favorites: BTreeSet::new(),
            export_dir: PathBuf::new(),
            offline: false,
            theme: Theme::default(),
            log_file: None,
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
    pub pools: PoolsView,
    pub pool: PoolView,
    pub account: AccountView,
    /// The account name being typed (`a`), when the prompt is open.
    pub prompt: Option<tui_input::Input>,
    /// The help or messages overlay, when one is open, and its first line shown.
    pub overlay: Option<Overlay>,
    pub overlay_scroll: crate::table::Scroll,
    /// Recent errors and notes, oldest first, with when they came.
    pub messages: std::collections::VecDeque<(Timestamp, String)>,
    /// Where the log file is, for the messages list.
    pub log_file: Option<PathBuf>,
    pub size: Rect,
    pub now: Timestamp,
    /// A transient message for the status bar (export path, errors in words).
    pub message: Option<String>,
    /// When the message goes away by itself, so that it never hides a later error for long.
    pub message_until: Timestamp,
    pub cache_warning: Option<String>,
    /// Why the shared tier cannot be reached, while it cannot.
    pub shared_note: Option<String>,
    /// Pinned tokens and pools, saved across runs.
    pub favorites: BTreeSet<String>,
    pub opts: Options,
    pub quit: bool,
}

impl App {
    pub fn new(opts: Options, now: Timestamp, size: Rect) -> Self {
        let tokens = TokensView::default();
        Self {
            favorites: opts.favorites.clone(),
            screen: Screen::Tokens,
            history: Vec::new(),
            slots: {
                let mut slots = Slots::default();
                slots.set_now(now);
                slots
            },
            tokens,
            market: MarketView::default(),
            richlist: RichlistView::default(),
            pools: PoolsView::default(),
            pool: PoolView::default(),
            account: AccountView::default(),
            prompt: None,
            overlay: None,
            overlay_scroll: crate::table::Scroll::default(),
            messages: std::collections::VecDeque::new(),
            log_file: opts.log_file.clone(),
            size,
            now,
            message: None,
            message_until: now,
            cache_warning: None,
            shared_note: None,
            opts,
            quit: false,
        }
    }

    /// The requests to send when the app starts: watch the first screen, warm the favorites.
    pub fn start(&self) -> Vec<Request> {
        let mut warm = vec![Key::Tokens, Key::Metrics];
        for s in self.favorites.iter().filter(|s| valid_symbol(s)) {
            warm.extend([
                Key::Token(s.clone()),
                Key::Book(s.clone()),
                Key::Trades(s.clone()),
            ]);
            warm.push(Key::History(s.clone(), self.market.range));
        }
        let pairs: Vec<Key> = self
            .favorites
            .iter()
            .filter(|f| f.contains(':'))
            .map(|p| Key::Pool(p.clone()))
            .collect();
        if !pairs.is_empty() {
            warm.push(Key::Pools);
            warm.extend(pairs);
        }
        warm.extend(
            favorite_accounts(&self.favorites)
                .into_iter()
                .map(Key::Account),
        );
        vec![Request::Watch(self.watched()), Request::Prewarm(warm)]
    }

    /// The current screen's view.
    pub fn view(&self) -> &dyn View {
        match self.screen {
            Screen::Tokens => &self.tokens,
            Screen::Market(_) => &self.market,
            Screen::Richlist(_) => &self.richlist,
            Screen::Pools(_) => &self.pools,
            Screen::Pool(_) => &self.pool,
            Screen::Account(_) => &self.account,
        }
    }

    /// The current screen's view, and what it may read of the rest of the app.
    fn view_mut(&mut self) -> (&mut dyn View, Ctx<'_>) {
        let ctx = Ctx {
            slots: &self.slots,
            size: self.size,
            now: self.now,
            export_dir: &self.opts.export_dir,
            favorites: &self.favorites,
        };
        let view: &mut dyn View = match self.screen {
            Screen::Tokens => &mut self.tokens,
            Screen::Market(_) => &mut self.market,
            Screen::Richlist(_) => &mut self.richlist,
            Screen::Pools(_) => &mut self.pools,
            Screen::Pool(_) => &mut self.pool,
            Screen::Account(_) => &mut self.account,
        };
        (view, ctx)
    }

    /// The keys the current screen shows.
    pub fn watched(&self) -> Vec<Key> {
        self.view().watched()
    }

    pub fn update(&mut self, action: Action) -> Vec<Request> {
        // Only input changes what a screen shows (another range, another token): it alone is
        // checked for a new set of keys to watch.
        let input = matches!(action, Action::Key(_) | Action::Mouse(_));
        let watched = input.then(|| self.watched());
        let mut requests = self.apply(action);
        if watched.is_some_and(|w| w != self.watched())
            && !requests.iter().any(|r| matches!(r, Request::Watch(_)))
        {
            requests.push(Request::Watch(self.watched()));
        }
        requests.extend(self.ask_for_sparklines());
        requests
    }

    /// Asks for the history behind the sparklines of the rows on screen (none away from the
    /// tokens list) whenever those rows change: the worker tells what is cached at once and
    /// fetches the rest at low priority.
    fn ask_for_sparklines(&mut self) -> Option<Request> {
        let mut shown: Vec<String> = if self.screen == Screen::Tokens {
            self.tokens
                .visible()
                .skip(self.tokens.table.cursor.offset)
                .take(self.list_height())
                .map(|row| row.symbol.clone())
                .collect()
        } else {
            Vec::new()
        };
        shown.sort();
        if shown == self.tokens.sparklines_shown {
            return None;
        }
        self.tokens.sparklines_asked.extend(shown.iter().cloned());
        self.tokens.sparklines_shown.clone_from(&shown);
        Some(Request::Background(
            shown
                .into_iter()
                .map(|s| Key::History(s, crate::model::HistoryRange::Month))
                .collect(),
        ))
    }

    fn apply(&mut self, action: Action) -> Vec<Request> {
        match action {
            Action::Tick(now) => {
                self.now = now;
                self.slots.set_now(now);
                if now >= self.message_until {
                    self.message = None;
                }
                Vec::new()
            }
            Action::Resize(w, h) => {
                self.size = Rect::new(0, 0, w, h);
                let (view, ctx) = self.view_mut();
                view.resized(&ctx);
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
            Report::CacheWarning(w) => {
                self.remember(w.clone());
                self.cache_warning = Some(w);
            }
            Report::Shared(note) => {
                if let Some(n) = &note {
                    self.remember(n.clone());
                }
                self.shared_note = note;
            }
            Report::Exported(Ok(path)) => {
                self.say(format!("exported to {}", path.display()));
            }
            Report::Exported(Err(e)) => self.say(format!("export failed: {e}")),
            other => {
                let Some(key) = slots::key_of(&other).cloned() else {
                    return;
                };
                if let Report::Failed { error, .. } | Report::Struggling { error, .. } = &other {
                    self.remember(format!("{key}: {error}"));
                }
                // Results for keys no longer shown are dropped; the list data is always kept.
                let sparkline = matches!(&key, Key::History(sym, crate::model::HistoryRange::Month) if self.tokens.sparklines_asked.contains(sym));
                if !self.watched().contains(&key)
                    && !matches!(key, Key::Tokens | Key::Metrics)
                    && !sparkline
                {
                    return;
                }
                self.slots.apply(other);
                // The token list is kept up to date behind every screen.
                if self.screen != Screen::Tokens {
                    let ctx = Ctx {
                        slots: &self.slots,
                        size: self.size,
                        now: self.now,
                        export_dir: &self.opts.export_dir,
                        favorites: &self.favorites,
                    };
                    self.tokens.loaded(&key, &ctx);
                }
                let (view, ctx) = self.view_mut();
                view.loaded(&key, &ctx);
            }
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
        let screen = self.screen.clone();
        let (view, ctx) = self.view_mut();
        view.open(&screen, &ctx);
        vec![Request::Watch(self.watched())]
    }

    /// Hands a command to the current screen and carries out what it asks for.
    fn screen_command(&mut self, command: Command) -> Vec<Request> {
        let (view, ctx) = self.view_mut();
        let outcome = view.command(command, &ctx);
        self.outcome(outcome)
    }

    /// Pins or unpins what the screen's favorite key names, saves the set, and lets the
    /// screen move the pinned rows.
    fn toggle_favorite(&mut self) -> Vec<Request> {
        let Some(name) = self.view().favorite() else {
            return Vec::new();
        };
        if !self.favorites.remove(&name) {
            self.favorites.insert(name);
        }
        let mut requests = vec![Request::SaveFavorites(
            self.favorites.iter().cloned().collect(),
        )];
        requests.extend(self.screen_command(Command::Favorite));
        requests
    }

    /// A message for the status line, for `MESSAGE_SECS`.
    fn say(&mut self, text: String) {
        self.remember(text.clone());
        self.message = Some(text);
        self.message_until = self.now + MESSAGE_SECS;
    }

    fn outcome(&mut self, outcome: Outcome) -> Vec<Request> {
        if let Some(m) = outcome.message {
            self.say(m);
        }
        let mut requests = outcome.requests;
        if let Some(screen) = outcome.go {
            requests.extend(self.go(screen));
        }
        requests
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Request> {
        if self.prompt.is_some() {
            return self.prompt_key(key);
        }
        if self.typing() {
            return self.type_key(key);
        }
        let Some(command) = self.opts.keymap.command(&key) else {
            return Vec::new();
        };
        if self.overlay.is_some() {
            self.overlay_command(command);
            return Vec::new();
        }
        match command {
            Command::Quit => {
                self.quit = true;
                Vec::new()
            }
            Command::Help => {
                self.open_overlay(Overlay::Help);
                Vec::new()
            }
            Command::Messages => {
                self.open_overlay(Overlay::Messages);
                Vec::new()
            }
            Command::Back => {
                let (view, ctx) = self.view_mut();
                if view.escape(&ctx) {
                    return Vec::new();
                }
                self.back()
            }
            Command::Refresh => self.watched().into_iter().map(Request::Refresh).collect(),
            Command::Favorite => self.toggle_favorite(),
            Command::Account => {
                self.open_prompt();
                Vec::new()
            }
            _ => self.screen_command(command),
        }
    }

    /// Whether keys go into a text field (the filter or the account search).
    pub fn typing(&self) -> bool {
        self.prompt.is_some() || self.view().typing()
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
        let (view, ctx) = self.view_mut();
        view.type_key(key, &ctx);
        Vec::new()
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
