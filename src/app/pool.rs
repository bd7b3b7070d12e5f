//! One pool: its summary and every provider (account, shares, share of the pool, what the
//! shares hold of each token), sortable, with an account search and the CSV export of exactly
//! what is shown.

use std::sync::Arc;

use ratatui::crossterm::event::KeyEvent;

use super::pools::{SHARES_DP, last_prices};
use super::screen::{Ctx, Outcome, View};
use super::search::Search;
use super::{Screen, Slots};
use crate::cache::{Key, Payload};
use crate::export::{ScreenExport, Shown};
use crate::format::{fixed, share};
use crate::keymap::Command;
use crate::layout;
use crate::model::{Amount, PoolDetail};
use crate::pools::{self, Provider, ProviderColumn};
use crate::refresh::worker::Request;
use crate::sanitize::for_terminal;
use crate::table::{self, Table};

impl table::Column for ProviderColumn {
    const COLUMNS: &'static [Self] = &Self::ALL;
    fn title(self) -> &'static str {
        match self {
            Self::Rank => "#",
            Self::Account => "Account",
            Self::Shares => "Shares",
            Self::Share => "% of pool",
            Self::Base => "Base amount",
            Self::Quote => "Quote amount",
        }
    }
    fn numeric(self) -> bool {
        self != Self::Account
    }
    fn descends_by_default(self) -> bool {
        ProviderColumn::descends_by_default(self)
    }
}

#[derive(Clone, Debug)]
pub struct PoolView {
    pub pair: String,
    /// The data the rows were computed from; the export writes these same rows.
    pub payload: Option<Arc<Payload>>,
    pub generation: Option<u64>,
    pub rows: Arc<Vec<Provider>>,
    /// Decimals of the base and quote tokens.
    pub precisions: (u32, u32),
    /// The pool's worth in HIVE, when it can be told.
    pub value: Option<Amount>,
    pub table: Table<ProviderColumn>,
    pub search: Search,
    /// The widest text of each column (`ProviderColumn::ALL` order).
    pub widths: Vec<u16>,
}

impl Default for PoolView {
    fn default() -> Self {
        Self {
            pair: String::new(),
            payload: None,
            generation: None,
            rows: Arc::new(Vec::new()),
            precisions: (8, 8),
            value: None,
            table: Table::new(ProviderColumn::Shares),
            search: Search::default(),
            widths: Vec::new(),
        }
    }
}

impl PoolView {
    pub fn detail(&self) -> Option<&PoolDetail> {
        match self.payload.as_deref() {
            Some(Payload::Pool(d)) => Some(d),
            _ => None,
        }
    }

    /// The text of `column` for provider `i`, as the table draws it.
    pub fn text(&self, column: ProviderColumn, i: usize) -> String {
        let p = &self.rows[i];
        match column {
            ProviderColumn::Rank => p.rank.to_string(),
            ProviderColumn::Account => for_terminal(&p.account).into_owned(),
            ProviderColumn::Shares => fixed(p.shares, SHARES_DP),
            ProviderColumn::Share => share(p.share.map(|s| s.round_dp(2))),
            ProviderColumn::Base => fixed(p.base, self.precisions.0),
            ProviderColumn::Quote => fixed(p.quote, self.precisions.1),
        }
    }

    /// Takes in a new generation of the pool, or the token list (precisions) or prices (worth).
    pub fn rebuild(&mut self, slots: &Slots, pair: &str) {
        if self.pair != pair {
            *self = Self {
                pair: pair.to_owned(),
                ..Self::default()
            };
        }
        let Some(entry) = slots
            .get(&Key::Pool(pair.to_owned()))
            .and_then(|s| s.entry.as_ref())
        else {
            return;
        };
        let Payload::Pool(detail) = &*entry.payload else {
            return;
        };
        let tokens = match slots.payload(&Key::Tokens) {
            Some(Payload::Tokens(t)) => Some(t.as_slice()),
            _ => None,
        };
        let prices = last_prices(slots);
        self.value = detail.pool.value_in_hive(|s| prices.get(s).copied());
        let precisions = pools::precisions(&detail.pool, tokens);
        if self.generation == Some(entry.meta.generation) && self.precisions == precisions {
            return;
        }
        self.precisions = precisions;
        self.rows = Arc::new(pools::providers(detail, precisions));
        self.widths = table::widths(self.rows.len(), |c, i| self.text(c, i));
        self.payload = Some(entry.payload.clone());
        self.generation = Some(entry.meta.generation);
        self.resort();
    }

    fn resort(&mut self) {
        let keep = self.table.selected();
        let order = pools::order(&self.rows, self.table.sort, self.table.descending);
        self.table.set_order(order, keep);
        let mut search = std::mem::take(&mut self.search);
        search.refind(self.table.len(), |p| self.account_at(p));
        self.search = search;
    }

    fn account_at(&self, p: usize) -> &str {
        self.table
            .order
            .get(p)
            .map_or("", |&i| &self.rows[i as usize].account)
    }

    pub fn columns(&self, width: u16) -> Vec<(ProviderColumn, u16)> {
        layout::provider_columns(width, &self.widths, self.table.sort)
    }

    fn export(&self, ctx: &Ctx) -> Outcome {
        if self.payload.is_none() {
            return Outcome::message("nothing to export yet: the pool is still loading");
        }
        Outcome {
            requests: vec![Request::Export(Box::new(ScreenExport {
                shown: Shown::Providers {
                    pair: self.pair.clone(),
                    rows: self.rows.clone(),
                    order: self.table.order.clone(),
                    precisions: self.precisions,
                },
                dir: ctx.export_dir.to_owned(),
                at: ctx.now,
            }))],
            message: Some("exporting…".into()),
            ..Outcome::default()
        }
    }

    fn height(ctx: &Ctx) -> usize {
        table::rows_in(layout::pool_table(ctx.size))
    }
}

impl View for PoolView {
    fn watched(&self) -> Vec<Key> {
        vec![Key::Pool(self.pair.clone()), Key::Tokens, Key::Metrics]
    }

    fn status_keys(&self) -> (Key, Vec<(&'static str, Key)>) {
        (Key::Pool(self.pair.clone()), Vec::new())
    }

    fn title(&self) -> String {
        let pair = for_terminal(&self.pair);
        match self.search.words(self.table.cursor.selected) {
            Some(find) => format!("{pair} providers │ {find}"),
            None => format!("{pair} providers"),
        }
    }

    fn hints(&self) -> &'static [(Command, &'static str)] {
        &[
            (Command::Filter, "find"),
            (Command::Export, "export CSV"),
            (Command::Open, "account"),
        ]
    }

    fn typing(&self) -> bool {
        self.search.typing
    }

    fn type_key(&mut self, key: KeyEvent, ctx: &Ctx) {
        let mut search = std::mem::take(&mut self.search);
        if let Some(p) = search.edit(key, self.table.len(), |p| self.account_at(p)) {
            self.table.cursor.selected = p;
        }
        self.search = search;
        self.table.clamp(Self::height(ctx));
    }

    fn command(&mut self, command: Command, ctx: &Ctx) -> Outcome {
        let height = Self::height(ctx);
        if self.table.navigate(command, height) {
            return Outcome::default();
        }
        if self
            .search
            .command(command, &mut self.table.cursor.selected)
        {
            return Outcome::default();
        }
        let outcome = match command {
            Command::Digit(d) => {
                if let Some(c) = Table::<ProviderColumn>::digit_column(d) {
                    self.table.choose_sort(c);
                    self.resort();
                }
                Outcome::default()
            }
            Command::Export => self.export(ctx),
            Command::Open => Outcome {
                go: self
                    .table
                    .selected()
                    .map(|i| Screen::Account(self.rows[i as usize].account.clone())),
                ..Outcome::default()
            },
            _ => Outcome::default(),
        };
        self.table.clamp(height);
        outcome
    }

    fn click(&mut self, at: (u16, u16), ctx: &Ctx) {
        let area = layout::pool_table(ctx.size);
        let before = (self.table.sort, self.table.descending);
        self.table.click(area, at, &self.columns(area.width));
        if (self.table.sort, self.table.descending) != before {
            self.resort();
        }
        self.table.clamp(Self::height(ctx));
    }

    fn open(&mut self, screen: &Screen, ctx: &Ctx) {
        if let Screen::Pool(pair) = screen {
            self.rebuild(ctx.slots, pair);
            self.table.clamp(Self::height(ctx));
        }
    }

    fn loaded(&mut self, key: &Key, ctx: &Ctx) {
        if matches!(key, Key::Pool(p) if *p == self.pair)
            || matches!(key, Key::Tokens | Key::Metrics)
        {
            let pair = self.pair.clone();
            self.rebuild(ctx.slots, &pair);
            self.table.clamp(Self::height(ctx));
        }
    }

    fn resized(&mut self, ctx: &Ctx) {
        self.table.clamp(Self::height(ctx));
    }
}
