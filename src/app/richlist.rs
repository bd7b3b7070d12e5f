//! The richlist view: every holder in a sort order of the user's choice, the rank by total kept
//! beside each, an account search that jumps, and the CSV export of exactly what is shown.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::{App, Cursor, Slots};
use crate::cache::{Key, Payload};
use crate::export::RichlistExport;
use crate::holders::{self, Column, Summary};
use crate::keymap::Command;
use crate::refresh::worker::Request;

#[derive(Clone, Debug)]
pub struct RichlistView {
    pub symbol: String,
    /// The data the order was computed for; the export writes this same generation.
    pub payload: Option<Arc<Payload>>,
    pub generation: Option<u64>,
    pub order: Vec<u32>,
    pub ranks: Vec<u32>,
    pub summary: Option<Summary>,
    pub sort: Column,
    pub descending: bool,
    pub search: String,
    pub searching: bool,
    pub cursor: Cursor,
}

impl Default for RichlistView {
    fn default() -> Self {
        Self {
            symbol: String::new(),
            payload: None,
            generation: None,
            order: Vec::new(),
            ranks: Vec::new(),
            summary: None,
            sort: Column::Total,
            descending: true,
            search: String::new(),
            searching: false,
            cursor: Cursor::default(),
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
        self.order = if self.sort == Column::Total && self.descending {
            by_total
        } else {
            holders::sort_order(r, self.sort, self.descending, Some(&self.ranks))
        };
        self.payload = Some(entry.payload.clone());
        self.generation = Some(entry.meta.generation);
    }

    /// The columns shown at `width`: amounts as wide as the supply, so no number is cut.
    pub fn columns(&self, width: u16) -> Vec<(Column, u16)> {
        let amount = self.richlist().map_or(20, |r| {
            crate::format::fixed(r.supply, r.precision).chars().count()
        });
        crate::layout::richlist_columns(width, u16::try_from(amount).unwrap_or(u16::MAX), self.sort)
    }

    pub fn richlist(&self) -> Option<&crate::model::Richlist> {
        match self.payload.as_deref() {
            Some(Payload::Richlist(r)) => Some(r),
            _ => None,
        }
    }

    pub fn sort_by(&mut self, column: Column) {
        if self.sort == column {
            self.descending = !self.descending;
        } else {
            self.sort = column;
            self.descending = column.descends_by_default();
        }
        if let Some(r) = self.richlist() {
            let selected = self.order.get(self.cursor.selected).copied();
            let order = holders::sort_order(r, self.sort, self.descending, Some(&self.ranks));
            self.order = order;
            if let Some(pos) = selected.and_then(|s| self.order.iter().position(|&i| i == s)) {
                self.cursor.selected = pos;
            }
        }
    }

    pub fn type_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Enter | KeyCode::Esc => self.searching = false,
            KeyCode::Backspace => {
                self.search.pop();
            }
            KeyCode::Char(c) if !c.is_control() => self.search.push(c),
            _ => {}
        }
        self.jump_to_search();
    }

    /// Moves the cursor to the first shown account starting with the search text (or containing it).
    fn jump_to_search(&mut self) {
        let needle = self.search.to_lowercase();
        let Some(r) = self.richlist() else { return };
        if needle.is_empty() {
            return;
        }
        let name = |i: &u32| r.holders[*i as usize].account.to_lowercase();
        let found = self
            .order
            .iter()
            .position(|i| name(i).starts_with(&needle))
            .or_else(|| self.order.iter().position(|i| name(i).contains(&needle)));
        if let Some(pos) = found {
            self.cursor.selected = pos;
        }
    }
}

impl App {
    pub(super) fn richlist_command(&mut self, command: Command, _symbol: &str) -> Vec<Request> {
        let height = self.richlist_height();
        let len = self.richlist.order.len();
        if self.richlist.cursor.navigate(command, len, height) {
            return Vec::new();
        }
        match command {
            Command::Filter => {
                self.richlist.searching = true;
                self.richlist.search.clear();
                Vec::new()
            }
            Command::Digit(d) => {
                let column = Column::ALL[if d == 0 { 9 } else { usize::from(d - 1) }];
                self.richlist.sort_by(column);
                self.richlist.cursor.clamp(len, height);
                Vec::new()
            }
            Command::Export => self.export_richlist(),
            _ => Vec::new(),
        }
    }

    fn export_richlist(&mut self) -> Vec<Request> {
        let rl = &self.richlist;
        let Some(payload) = rl.payload.clone() else {
            self.message = Some("nothing to export yet: the richlist is still loading".into());
            return Vec::new();
        };
        self.message = Some("exporting…".into());
        vec![Request::Export(Box::new(RichlistExport {
            payload,
            order: rl.order.clone(),
            ranks: rl.ranks.clone(),
            dir: self.opts.export_dir.clone(),
            at: self.now,
        }))]
    }
}
