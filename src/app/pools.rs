//! The pools view: every liquidity pool (or one token's), with reserves, prices both ways,
//! shares, volumes and worth in HIVE; filtered, sorted, favorites on top.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use ratatui::crossterm::event::KeyEvent;

use super::filter::Filter;
use super::screen::{Ctx, Outcome, View};
use super::{Screen, Slots};
use crate::cache::{Key, Payload};
use crate::format::{exact, fixed};
use crate::keymap::Command;
use crate::layout;
use crate::model::{Amount, Pool};
use crate::pools::{self, PoolColumn, compare};
use crate::sanitize::for_terminal;
use crate::table::{self, Table};

impl table::Column for PoolColumn {
    const COLUMNS: &'static [Self] = &Self::ALL;
    fn title(self) -> &'static str {
        PoolColumn::title(self)
    }
    fn numeric(self) -> bool {
        self != Self::Pair
    }
    fn descends_by_default(self) -> bool {
        self.numeric()
    }
}

/// Decimals of a pool's worth in HIVE on screen, as the tokens view shows market caps.
pub const VALUE_DP: u32 = 2;
/// Decimals of share counts on screen (the node keeps them unrounded; exports write them all).
pub const SHARES_DP: u32 = 8;

#[derive(Clone, Debug)]
pub struct PoolsView {
    /// Whose pools are shown; every pool when `None`.
    pub token: Option<String>,
    pub payload: Option<Arc<Payload>>,
    /// Each pool's worth in HIVE, by position in the payload.
    pub values: Vec<Option<Amount>>,
    /// Positions into the payload's pools: the token's, filtered, favorites first, sorted.
    pub table: Table<PoolColumn>,
    pub filter: Filter,
    /// The widest text of each column (`PoolColumn::ALL` order), so no number is cut.
    pub widths: Vec<u16>,
}

impl Default for PoolsView {
    fn default() -> Self {
        Self {
            token: None,
            payload: None,
            values: Vec::new(),
            table: Table::new(PoolColumn::Value),
            filter: Filter::default(),
            widths: Vec::new(),
        }
    }
}

/// Each token's last price in HIVE, where it has one.
pub(super) fn last_prices(slots: &Slots) -> HashMap<&str, Amount> {
    match slots.payload(&Key::Metrics) {
        Some(Payload::Metrics(m)) => pools::last_prices(m),
        _ => HashMap::new(),
    }
}

impl PoolsView {
    pub fn pools(&self) -> &[Pool] {
        match self.payload.as_deref() {
            Some(Payload::Pools(p)) => p,
            _ => &[],
        }
    }

    /// The text of `column` for the pool at `i`, as the table draws it.
    pub fn text(&self, column: PoolColumn, i: usize, favorites: &BTreeSet<String>) -> String {
        let pool = &self.pools()[i];
        match column {
            PoolColumn::Pair => {
                let mark = if favorites.contains(&pool.pair) {
                    "★ "
                } else {
                    "  "
                };
                format!("{mark}{}", for_terminal(&pool.pair))
            }
            PoolColumn::Shares => fixed(pool.total_shares, SHARES_DP),
            PoolColumn::Value => {
                self.values[i].map_or_else(|| "–".to_owned(), |v| fixed(v, VALUE_DP))
            }
            c => c.amount(pool, None).map(exact).unwrap_or_default(),
        }
    }

    /// Takes in new pools or prices: worth in HIVE, column widths, then the order.
    pub fn rebuild(&mut self, slots: &Slots, favorites: &BTreeSet<String>) {
        let Some(entry) = slots.get(&Key::Pools).and_then(|s| s.entry.as_ref()) else {
            return;
        };
        let prices = last_prices(slots);
        let keep = self.selected_pair().map(str::to_owned);
        self.payload = Some(entry.payload.clone());
        self.values = self
            .pools()
            .iter()
            .map(|p| p.value_in_hive(|s| prices.get(s).copied()))
            .collect();
        self.widths = table::widths(self.pools().len(), |c, i| self.text(c, i, favorites));
        self.refilter(keep.as_deref(), favorites);
    }

    /// Applies the token, the filter, favorites and the sort; keeps `keep` selected.
    pub fn refilter(&mut self, keep: Option<&str>, favorites: &BTreeSet<String>) {
        let needle = self.filter.needle();
        let pools = self.pools();
        let mut order: Vec<u32> = (0..u32::try_from(pools.len()).unwrap_or(u32::MAX))
            .filter(|&i| {
                let p = &pools[i as usize];
                self.token.as_deref().is_none_or(|t| p.has(t))
                    && (needle.is_empty() || for_terminal(&p.pair).to_lowercase().contains(&needle))
            })
            .collect();
        let (sort, desc) = (self.table.sort, self.table.descending);
        order.sort_by(|&a, &b| {
            let (x, y) = (&pools[a as usize], &pools[b as usize]);
            let fav = favorites
                .contains(&y.pair)
                .cmp(&favorites.contains(&x.pair));
            fav.then_with(|| {
                compare(
                    (x, self.values[a as usize]),
                    (y, self.values[b as usize]),
                    sort,
                    desc,
                )
            })
        });
        let keep = keep.and_then(|k| pools.iter().position(|p| p.pair == k));
        self.table
            .set_order(order, keep.and_then(|k| u32::try_from(k).ok()));
    }

    pub fn selected_pair(&self) -> Option<&str> {
        self.table
            .selected()
            .and_then(|i| self.pools().get(i as usize))
            .map(|p| p.pair.as_str())
    }

    /// The columns shown at `width`: the pair, the sorted column and the worth first.
    pub fn columns(&self, width: u16) -> Vec<(PoolColumn, u16)> {
        layout::pool_columns(width, &self.widths, self.table.sort)
    }

    /// Shows what the filter matches, from the top.
    fn filtered(&mut self, favorites: &BTreeSet<String>) {
        self.table.cursor = table::Cursor::default();
        self.refilter(None, favorites);
    }

    fn keep_selected(&mut self, favorites: &BTreeSet<String>) {
        let keep = self.selected_pair().map(str::to_owned);
        self.refilter(keep.as_deref(), favorites);
    }

    fn height(ctx: &Ctx) -> usize {
        table::rows_in(layout::pools_table(ctx.size))
    }
}

impl View for PoolsView {
    fn watched(&self) -> Vec<Key> {
        vec![Key::Pools, Key::Metrics]
    }

    fn status_keys(&self) -> (Key, Vec<(&'static str, Key)>) {
        (Key::Pools, vec![("metrics", Key::Metrics)])
    }

    fn title(&self) -> String {
        let whose = self
            .token
            .as_deref()
            .map_or_else(|| "Pools".to_owned(), |t| format!("{t} pools"));
        self.filter.title(format!("{whose} ({})", self.table.len()))
    }

    fn hints(&self) -> &'static [(Command, &'static str)] {
        &[
            (Command::Open, "providers"),
            (Command::Filter, "filter"),
            (Command::Favorite, "favorite"),
        ]
    }

    fn typing(&self) -> bool {
        self.filter.typing
    }

    fn type_key(&mut self, key: KeyEvent, ctx: &Ctx) {
        if self.filter.edit(key) {
            self.filtered(ctx.favorites);
        }
        self.table.clamp(Self::height(ctx));
    }

    fn favorite(&self) -> Option<String> {
        self.selected_pair().map(str::to_owned)
    }

    fn command(&mut self, command: Command, ctx: &Ctx) -> Outcome {
        let height = Self::height(ctx);
        if self.table.navigate(command, height) {
            return Outcome::default();
        }
        let outcome = match command {
            Command::Open => Outcome {
                go: self.selected_pair().map(|p| Screen::Pool(p.to_owned())),
                ..Outcome::default()
            },
            Command::Filter => {
                self.filter.typing = true;
                Outcome::default()
            }
            Command::Favorite => {
                // The mark is part of the pair's text: widths follow it.
                self.rebuild(ctx.slots, ctx.favorites);
                Outcome::default()
            }
            Command::Digit(d) => {
                if let Some(c) = Table::<PoolColumn>::digit_column(d) {
                    self.table.choose_sort(c);
                    self.keep_selected(ctx.favorites);
                }
                Outcome::default()
            }
            _ => Outcome::default(),
        };
        self.table.clamp(height);
        outcome
    }

    fn click(&mut self, at: (u16, u16), ctx: &Ctx) {
        let area = layout::pools_table(ctx.size);
        let before = (self.table.sort, self.table.descending);
        self.table.click(area, at, &self.columns(area.width));
        if (self.table.sort, self.table.descending) != before {
            self.keep_selected(ctx.favorites);
        }
        self.table.clamp(Self::height(ctx));
    }

    fn open(&mut self, screen: &Screen, ctx: &Ctx) {
        if let Screen::Pools(token) = screen {
            if self.token != *token {
                self.token.clone_from(token);
                self.table.cursor = table::Cursor::default();
                self.filter = Filter::default();
            }
            self.rebuild(ctx.slots, ctx.favorites);
            self.table.clamp(Self::height(ctx));
        }
    }

    fn loaded(&mut self, key: &Key, ctx: &Ctx) {
        if matches!(key, Key::Pools | Key::Metrics) {
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
