//! The richlist view: every holder in a sort order of the user's choice, the rank by total kept
//! beside each, an account search that jumps, and the CSV export of exactly what is shown.

use std::sync::Arc;

use ratatui::crossterm::event::KeyEvent;

use super::changes::ChangesView;
use super::screen::{Ctx, Outcome, View};
use super::search::Search;
use super::{Screen, Slots};
use crate::cache::{Key, Payload};
use crate::export::{ScreenExport, Shown};
use crate::holders::{self, Column, Summary};
use crate::keymap::Command;
use crate::layout;
use crate::refresh::worker::Request;
use crate::table::{self, Table};

impl table::Column for Column {
    const COLUMNS: &'static [Self] = &Self::ALL;
    fn title(self) -> &'static str {
        match self {
            Self::Rank => "#",
            Self::Account => "Account",
            Self::Balance => "Balance",
            Self::Stake => "Stake",
            Self::PendingUnstake => "Unstaking",
            Self::DelegationsIn => "Deleg. in",
            Self::DelegationsOut => "Deleg. out",
            Self::PendingUndelegations => "Undelegating",
            Self::Total => "Total",
            Self::PctSupply => "% supply",
            Self::PctCirculating => "% circ.",
        }
    }
    fn numeric(self) -> bool {
        self != Self::Account
    }
    fn descends_by_default(self) -> bool {
        Column::descends_by_default(self)
    }
}

#[derive(Clone, Debug)]
pub struct RichlistView {
    pub symbol: String,
    /// The data the order was computed for; the export writes this same generation.
    pub payload: Option<Arc<Payload>>,
    pub generation: Option<u64>,
    /// Holder indices in the order shown.
    pub table: Table<Column>,
    pub ranks: Vec<u32>,
    pub summary: Option<Summary>,
    pub search: Search,
    /// The changes since a baseline, when shown instead of the holders (`d`).
    pub changes: Option<ChangesView>,
}

impl Default for RichlistView {
    fn default() -> Self {
        Self {
            symbol: String::new(),
            payload: None,
            generation: None,
            table: Table::new(Column::Total),
            ranks: Vec::new(),
            summary: None,
            search: Search::default(),
            changes: None,
        }
    }
}

impl RichlistView {
    /// Recomputes ranks and order when a new generation of `symbol`'s richlist arrives.
    pub fn rebuild(&mut self, slots: &Slots, symbol: &str) {
        if self.symbol != symbol {
            *self = Self {
                symbol: symbol.to_owned(),
                ..Self::default()
            };
        }
        let Some(slot) = slots.get(&Key::Richlist(symbol.to_owned())) else {
            return;
        };
        let Some(entry) = &slot.entry else { return };
        if self.generation == Some(entry.meta.generation) {
            return;
        }
        let Payload::Richlist(r) = &*entry.payload else {
            return;
        };
        let by_total = holders::by_total(r);
        self.ranks = holders::ranks(&by_total);
        self.summary = Some(holders::summary(r, &by_total));
        let (sort, descending) = (self.table.sort, self.table.descending);
        let order = if sort == Column::Total && descending {
            by_total
        } else {
            holders::sort_order(r, sort, descending, Some(&self.ranks))
        };
        let keep = self.table.selected();
        self.table.set_order(order, keep);
        self.payload = Some(entry.payload.clone());
        self.generation = Some(entry.meta.generation);
    }

    /// The columns shown at `width`: amounts as wide as the supply, so no number is cut.
    pub fn columns(&self, width: u16) -> Vec<(Column, u16)> {
        let amount = self.richlist().map_or(20, |r| {
            crate::format::fixed(r.supply, r.precision).chars().count()
        });
        layout::richlist_columns(
            width,
            u16::try_from(amount).unwrap_or(u16::MAX),
            self.table.sort,
        )
    }

    pub fn richlist(&self) -> Option<&crate::model::Richlist> {
        match self.payload.as_deref() {
            Some(Payload::Richlist(r)) => Some(r),
            _ => None,
        }
    }

    pub fn sort_by(&mut self, column: Column) {
        self.table.choose_sort(column);
        self.resort();
    }

    /// Orders the rows by the table's sort state, the selected holder staying selected.
    fn resort(&mut self) {
        let (sort, descending) = (self.table.sort, self.table.descending);
        if let Some(r) = self.richlist() {
            let order = holders::sort_order(r, sort, descending, Some(&self.ranks));
            let keep = self.table.selected();
            self.table.set_order(order, keep);
        }
        self.find_matches();
    }

    /// The account shown at position `p` of the table.
    fn account_at(&self, p: usize) -> &str {
        match (self.richlist(), self.table.order.get(p)) {
            (Some(r), Some(&i)) => &r.holders[i as usize].account,
            _ => "",
        }
    }

    fn find_matches(&mut self) {
        let mut search = std::mem::take(&mut self.search);
        search.refind(self.table.len(), |p| self.account_at(p));
        self.search = search;
    }

    fn export(&self, ctx: &Ctx) -> Outcome {
        let Some(payload) = self.payload.clone() else {
            return Outcome::message("nothing to export yet: the richlist is still loading");
        };
        Outcome {
            requests: vec![Request::Export(Box::new(ScreenExport {
                shown: Shown::Richlist {
                    payload,
                    order: self.table.order.clone(),
                    ranks: self.ranks.clone(),
                },
                dir: ctx.export_dir.to_owned(),
                at: ctx.now,
            }))],
            message: Some("exporting…".into()),
            ..Outcome::default()
        }
    }

    fn height(ctx: &Ctx) -> usize {
        table::rows_in(layout::richlist_table(ctx.size))
    }
}

impl View for RichlistView {
    fn watched(&self) -> Vec<Key> {
        let mut keys = vec![
            Key::Richlist(self.symbol.clone()),
            Key::Token(self.symbol.clone()),
        ];
        keys.extend(self.changes.as_ref().map(|c| c.key(&self.symbol)));
        keys
    }

    fn status_keys(&self) -> (Key, Vec<(&'static str, Key)>) {
        (Key::Richlist(self.symbol.clone()), Vec::new())
    }

    fn title(&self) -> String {
        if let Some(c) = &self.changes {
            return format!("{} changes since {}", self.symbol, c.since().label());
        }
        match self.search.words(self.table.cursor.selected) {
            Some(find) => format!("{} richlist │ {find}", self.symbol),
            None => format!("{} richlist", self.symbol),
        }
    }

    fn hints(&self) -> &'static [(Command, &'static str)] {
        if self.changes.is_some() {
            return &[
                (Command::NextRange, "baseline"),
                (Command::Flip, "sellers/buyers"),
                (Command::Changes, "holders"),
                (Command::Export, "export CSV"),
            ];
        }
        &[
            (Command::Filter, "find"),
            (Command::Export, "export CSV"),
            (Command::Open, "account"),
            (Command::Changes, "changes"),
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
        if command == Command::Changes {
            self.changes = if self.changes.take().is_some() {
                None
            } else {
                let mut c = ChangesView::default();
                c.rebuild(ctx.slots, &self.symbol);
                Some(c)
            };
            return Outcome::default();
        }
        if let Some(c) = self.changes.as_mut() {
            if command == Command::Export {
                return c.export(&self.symbol, ctx);
            }
            return c.command(command, height).unwrap_or_default();
        }
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
                if let Some(c) = Table::<Column>::digit_column(d) {
                    self.sort_by(c);
                }
                Outcome::default()
            }
            Command::Export => self.export(ctx),
            Command::Open => Outcome {
                go: self
                    .table
                    .selected()
                    .and_then(|i| self.richlist()?.holders.get(i as usize))
                    .map(|h| Screen::Account(h.account.to_string())),
                ..Outcome::default()
            },
            _ => Outcome::default(),
        };
        self.table.clamp(height);
        outcome
    }

    fn click(&mut self, at: (u16, u16), ctx: &Ctx) {
        let area = layout::richlist_table(ctx.size);
        let before = (self.table.sort, self.table.descending);
        self.table.click(area, at, &self.columns(area.width));
        if (self.table.sort, self.table.descending) != before {
            self.resort();
        }
        self.table.clamp(Self::height(ctx));
    }

    fn open(&mut self, screen: &Screen, ctx: &Ctx) {
        if let Screen::Richlist(symbol) = screen {
            self.rebuild(ctx.slots, symbol);
            self.table.clamp(Self::height(ctx));
        }
    }

    fn loaded(&mut self, key: &Key, ctx: &Ctx) {
        if let Some(c) = self.changes.as_mut()
            && matches!(key, Key::Baseline(..) | Key::Richlist(_))
        {
            c.rebuild(ctx.slots, &self.symbol);
        }
        if *key == Key::Richlist(self.symbol.clone()) {
            let symbol = self.symbol.clone();
            self.rebuild(ctx.slots, &symbol);
            self.table.clamp(Self::height(ctx));
        }
    }

    fn resized(&mut self, ctx: &Ctx) {
        self.table.clamp(Self::height(ctx));
    }
}
