//! The tokens view: every token joined with its market figures, filtered, sorted, favorites on
//! top.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use ratatui::crossterm::event::KeyEvent;

use super::filter::Filter;
use super::screen::{Ctx, Outcome, View};
use super::{Screen, Slots};
use crate::cache::{Key, Payload};
use crate::keymap::Command;
use crate::layout;
use crate::model::{Amount, Metrics, TokenColumn};
use crate::sanitize::for_terminal;
use crate::table::{self, Table};

impl table::Column for TokenColumn {
    const COLUMNS: &'static [Self] = &Self::ALL;
    fn title(self) -> &'static str {
        TokenColumn::title(self)
    }
    fn numeric(self) -> bool {
        !matches!(self, Self::Symbol | Self::Name)
    }
    fn descends_by_default(self) -> bool {
        self.numeric()
    }
}

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
    pub table: Table<TokenColumn>,
    pub filter: Filter,
    /// Tokens whose history was asked for, for the sparklines: what arrives for them is kept.
    pub sparklines_asked: std::collections::HashSet<String>,
    /// The rows on screen whose sparklines were asked for last, sorted.
    pub sparklines_shown: Vec<String>,
    /// The user has moved, sorted or filtered: new data keeps their row selected. Until then
    /// the first row is, whichever of tokens and metrics arrives first.
    pub touched: bool,
}

impl Default for TokensView {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            table: Table::new(TokenColumn::Volume),
            filter: Filter::default(),
            sparklines_asked: std::collections::HashSet::new(),
            sparklines_shown: Vec::new(),
            touched: false,
        }
    }
}

impl TokensView {
    /// Joins tokens with metrics after either arrives.
    pub fn rebuild(&mut self, slots: &Slots, favorites: &BTreeSet<String>) {
        let Some(Payload::Tokens(tokens)) = slots.payload(&Key::Tokens) else {
            return;
        };
        let metrics: HashMap<&str, &Metrics> = match slots.payload(&Key::Metrics) {
            Some(Payload::Metrics(m)) => m.iter().map(|m| (m.symbol.as_str(), m)).collect(),
            _ => HashMap::new(),
        };
        let selected = self
            .selected_symbol()
            .filter(|_| self.touched)
            .map(str::to_owned);
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
        self.refilter(selected.as_deref(), favorites);
    }

    /// Applies filter, favorites and sort; keeps the selected token selected if still shown.
    pub fn refilter(&mut self, keep: Option<&str>, favs: &BTreeSet<String>) {
        let needle = self.filter.needle();
        let mut visible: Vec<u32> = (0..u32::try_from(self.rows.len()).unwrap_or(u32::MAX))
            .filter(|&i| {
                let r = &self.rows[i as usize];
                needle.is_empty()
                    || r.symbol.to_lowercase().contains(&needle)
                    || r.name.to_lowercase().contains(&needle)
            })
            .collect();
        let rows = &self.rows;
        let (sort, desc) = (self.table.sort, self.table.descending);
        visible.sort_by(|&a, &b| {
            let (x, y) = (&rows[a as usize], &rows[b as usize]);
            let fav = favs.contains(&y.symbol).cmp(&favs.contains(&x.symbol));
            fav.then_with(|| compare(x, y, sort, desc))
                .then_with(|| x.symbol.cmp(&y.symbol))
        });
        let keep = keep.and_then(|s| self.rows.iter().position(|r| r.symbol == s));
        self.table
            .set_order(visible, keep.and_then(|k| u32::try_from(k).ok()));
    }

    pub fn selected_symbol(&self) -> Option<&str> {
        self.table
            .selected()
            .map(|i| self.rows[i as usize].symbol.as_str())
    }

    /// Rows of `rows` in display order.
    pub fn visible(&self) -> impl Iterator<Item = &TokenRow> {
        self.table.order.iter().map(|&i| &self.rows[i as usize])
    }

    /// Shows what the filter matches, from the top.
    fn filtered(&mut self, favorites: &BTreeSet<String>) {
        self.table.cursor = table::Cursor::default();
        self.refilter(None, favorites);
    }

    pub fn sort_by(&mut self, column: TokenColumn, favorites: &BTreeSet<String>) {
        self.table.choose_sort(column);
        self.keep_selected(favorites);
    }

    /// Orders the rows again (after a sort or a favorite), the selected token staying selected.
    fn keep_selected(&mut self, favorites: &BTreeSet<String>) {
        let keep = self.selected_symbol().map(str::to_owned);
        self.refilter(keep.as_deref(), favorites);
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

impl View for TokensView {
    fn watched(&self) -> Vec<Key> {
        vec![Key::Tokens, Key::Metrics]
    }

    fn status_keys(&self) -> (Key, Vec<(&'static str, Key)>) {
        (Key::Tokens, vec![("metrics", Key::Metrics)])
    }

    fn title(&self) -> String {
        let count = self.table.len();
        let shown = if count == 0 && !self.rows.is_empty() {
            "no token matches".to_owned()
        } else {
            format!("Tokens ({count})")
        };
        self.filter.title(shown)
    }

    fn hints(&self) -> &'static [(Command, &'static str)] {
        &[
            (Command::Open, "market"),
            (Command::Richlist, "richlist"),
            (Command::Pools, "pools"),
            (Command::Filter, "filter"),
            (Command::Favorite, "favorite"),
        ]
    }

    fn typing(&self) -> bool {
        self.filter.typing
    }

    fn favorite(&self) -> Option<String> {
        self.selected_symbol().map(str::to_owned)
    }

    fn type_key(&mut self, key: KeyEvent, ctx: &Ctx) {
        self.touched = true;
        if self.filter.edit(key) {
            self.filtered(ctx.favorites);
        }
        self.table.clamp(Self::height(ctx));
    }

    fn command(&mut self, command: Command, ctx: &Ctx) -> Outcome {
        let height = Self::height(ctx);
        self.touched = true;
        if self.table.navigate(command, height) {
            return Outcome::default();
        }
        let open = |screen: fn(String) -> Screen| Outcome {
            go: self.selected_symbol().map(|s| screen(s.to_owned())),
            ..Outcome::default()
        };
        let outcome = match command {
            Command::Open => open(Screen::Market),
            Command::Richlist => open(Screen::Richlist),
            Command::Pools => Outcome {
                go: Some(Screen::Pools(None)),
                ..Outcome::default()
            },
            Command::Filter => {
                self.filter.typing = true;
                Outcome::default()
            }
            Command::Favorite => {
                self.keep_selected(ctx.favorites);
                Outcome::default()
            }
            Command::Digit(d) => {
                if let Some(c) = Table::<TokenColumn>::digit_column(d) {
                    self.sort_by(c, ctx.favorites);
                }
                Outcome::default()
            }
            _ => Outcome::default(),
        };
        self.table.clamp(height);
        outcome
    }

    fn click(&mut self, at: (u16, u16), ctx: &Ctx) {
        self.touched = true;
        let area = layout::tokens_table(ctx.size);
        if at.1 == area.y {
            // The favorite mark and the sparkline head columns that do not sort.
            let cells = layout::token_columns(area.width);
            if let Some(layout::TokenCell::Data(c)) = table::column_at(&cells, at.0) {
                self.sort_by(c, ctx.favorites);
            }
        } else {
            self.table.click(area, at, &[]);
        }
        self.table.clamp(Self::height(ctx));
    }

    fn loaded(&mut self, key: &Key, ctx: &Ctx) {
        if matches!(key, Key::Tokens | Key::Metrics) {
            self.rebuild(ctx.slots, ctx.favorites);
            self.table.clamp(Self::height(ctx));
        }
    }

    fn resized(&mut self, ctx: &Ctx) {
        self.table.clamp(Self::height(ctx));
    }

    fn escape(&mut self, ctx: &Ctx) -> bool {
        if !self.filter.clear() {
            return false;
        }
        self.filtered(ctx.favorites);
        self.table.clamp(Self::height(ctx));
        true
    }
}

impl TokensView {
    fn height(ctx: &Ctx) -> usize {
        table::rows_in(layout::tokens_table(ctx.size))
    }
}
