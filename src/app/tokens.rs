//! The tokens view: every token joined with its market figures, filtered, sorted, favorites on
//! top.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::{App, Cursor, Screen, Slots};
use crate::cache::{Key, Payload};
use crate::keymap::Command;
use crate::model::{Amount, Metrics, TokenColumn};
use crate::refresh::worker::Request;
use crate::sanitize::for_terminal;

/// One token as the table shows it; text already sanitized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRow {
    pub symbol: String,
    pub name: String,
    pub precision: u32,
    pub supply: Amount,
    pub metrics: Option<Metrics>,
    pub market_cap: Option<Amount>,
}

impl TokenRow {
    fn amount(&self, c: TokenColumn) -> Option<Amount> {
        let m = self.metrics.as_ref();
        match c {
            TokenColumn::Price => m.map(|m| m.last_price),
            TokenColumn::Change => m.map(|m| m.price_change_pct),
            TokenColumn::Volume => m.map(|m| m.volume_24h),
            TokenColumn::MarketCap => self.market_cap,
            TokenColumn::Bid => m.map(|m| m.highest_bid),
            TokenColumn::Ask => m.map(|m| m.lowest_ask),
            TokenColumn::Supply => Some(self.supply),
            TokenColumn::Symbol | TokenColumn::Name => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct TokensView {
    pub rows: Vec<TokenRow>,
    /// Positions into `rows`: filtered, favorites first, then sorted.
    pub visible: Vec<usize>,
    pub sort: TokenColumn,
    pub descending: bool,
    pub filter: String,
    pub filtering: bool,
    pub favorites: BTreeSet<String>,
    pub cursor: Cursor,
    /// Tokens whose cached history was already asked for, for the sparklines.
    pub peeked: std::collections::HashSet<String>,
}

impl Default for TokensView {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            visible: Vec::new(),
            sort: TokenColumn::Volume,
            descending: true,
            filter: String::new(),
            filtering: false,
            favorites: BTreeSet::new(),
            cursor: Cursor::default(),
            peeked: std::collections::HashSet::new(),
        }
    }
}

impl TokensView {
    /// Joins tokens with metrics after either arrives.
    pub fn rebuild(&mut self, slots: &Slots) {
        let Some(Payload::Tokens(tokens)) = slots.payload(&Key::Tokens) else {
            return;
        };
        let metrics: HashMap<&str, &Metrics> = match slots.payload(&Key::Metrics) {
            Some(Payload::Metrics(m)) => m.iter().map(|m| (m.symbol.as_str(), m)).collect(),
            _ => HashMap::new(),
        };
        let selected = self.selected_symbol().map(str::to_owned);
        self.rows = tokens
            .iter()
            .map(|t| {
                let m = metrics.get(t.symbol.as_str()).map(|m| (*m).clone());
                let market_cap = m.as_ref().map(|m| t.circulating_supply * m.last_price);
                TokenRow {
                    symbol: for_terminal(&t.symbol).into_owned(),
                    name: for_terminal(&t.name).into_owned(),
                    precision: t.precision,
                    supply: t.supply,
                    metrics: m,
                    market_cap,
                }
            })
            .collect();
        self.refilter(selected.as_deref());
    }

    /// Applies filter, favorites and sort; keeps the selected token selected if still shown.
    pub fn refilter(&mut self, keep: Option<&str>) {
        let needle = self.filter.to_lowercase();
        let mut visible: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                let r = &self.rows[i];
                needle.is_empty()
                    || r.symbol.to_lowercase().contains(&needle)
                    || r.name.to_lowercase().contains(&needle)
            })
            .collect();
        let (rows, favs, sort, desc) = (&self.rows, &self.favorites, self.sort, self.descending);
        visible.sort_by(|&a, &b| {
            let (x, y) = (&rows[a], &rows[b]);
            let fav = favs.contains(&y.symbol).cmp(&favs.contains(&x.symbol));
            fav.then_with(|| compare(x, y, sort, desc))
                .then_with(|| x.symbol.cmp(&y.symbol))
        });
        self.visible = visible;
        if let Some(pos) =
            keep.and_then(|s| self.visible.iter().position(|&i| self.rows[i].symbol == s))
        {
            self.cursor.selected = pos;
        }
    }

    pub fn selected_symbol(&self) -> Option<&str> {
        self.visible
            .get(self.cursor.selected)
            .map(|&i| self.rows[i].symbol.as_str())
    }

    pub fn type_key(&mut self, key: KeyEvent, _slots: &Slots) {
        match key.code {
            KeyCode::Enter => self.filtering = false,
            KeyCode::Esc => {
                self.filtering = false;
                self.filter.clear();
            }
            KeyCode::Backspace => {
                self.filter.pop();
            }
            KeyCode::Char(c) if !c.is_control() => self.filter.push(c),
            _ => return,
        }
        self.cursor = Cursor::default();
        self.refilter(None);
    }

    pub fn sort_by(&mut self, column: TokenColumn) {
        if self.sort == column {
            self.descending = !self.descending;
        } else {
            self.sort = column;
            self.descending = !matches!(column, TokenColumn::Symbol | TokenColumn::Name);
        }
        let keep = self.selected_symbol().map(str::to_owned);
        self.refilter(keep.as_deref());
    }
}

/// Missing market figures sort last in both directions.
fn compare(x: &TokenRow, y: &TokenRow, column: TokenColumn, descending: bool) -> Ordering {
    let dir = |o: Ordering| if descending { o.reverse() } else { o };
    match column {
        TokenColumn::Symbol => dir(x.symbol.cmp(&y.symbol)),
        TokenColumn::Name => dir(x.name.to_lowercase().cmp(&y.name.to_lowercase())),
        c => match (x.amount(c), y.amount(c)) {
            (Some(a), Some(b)) => dir(a.cmp(&b)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    }
}

impl App {
    pub(super) fn tokens_command(&mut self, command: Command) -> Vec<Request> {
        let height = self.list_height();
        let len = self.tokens.visible.len();
        if self.tokens.cursor.navigate(command, len, height) {
            return Vec::new();
        }
        match command {
            Command::Open => match self.tokens.selected_symbol() {
                Some(s) => self.go(Screen::Market(s.to_owned())),
                None => Vec::new(),
            },
            Command::Richlist => match self.tokens.selected_symbol() {
                Some(s) => self.go(Screen::Richlist(s.to_owned())),
                None => Vec::new(),
            },
            Command::Filter => {
                self.tokens.filtering = true;
                Vec::new()
            }
            Command::Favorite => self.toggle_favorite(),
            Command::Digit(d @ 1..=9) => {
                self.tokens.sort_by(TokenColumn::ALL[usize::from(d - 1)]);
                self.tokens.cursor.clamp(self.tokens.visible.len(), height);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn toggle_favorite(&mut self) -> Vec<Request> {
        let Some(symbol) = self.tokens.selected_symbol().map(str::to_owned) else {
            return Vec::new();
        };
        if !self.tokens.favorites.remove(&symbol) {
            self.tokens.favorites.insert(symbol.clone());
        }
        self.tokens.refilter(Some(&symbol));
        self.tokens
            .cursor
            .clamp(self.tokens.visible.len(), self.list_height());
        vec![Request::SaveFavorites(
            self.tokens.favorites.iter().cloned().collect(),
        )]
    }
}
