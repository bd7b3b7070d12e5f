//! The richlist's changes since a baseline (`d`): who accumulated, sold, arrived and left since
//! the previous snapshot, 24 hours, 7 or 30 days ago, or the oldest kept (`[` `]`), biggest
//! accumulators first (`x` flips to the biggest sellers).

use super::Slots;
use super::screen::{Ctx, Outcome};
use crate::cache::{Key, Payload};
use crate::changes::{self, Change, ChangeColumn, Movement};
use crate::export::{ScreenExport, Shown};
use crate::format::grouped;
use crate::keymap::Command;
use crate::model::{Amount, Since, Timestamp};
use crate::refresh::worker::Request;
use crate::sanitize::for_terminal;
use crate::table::{self, Table};

/// A change with its sign, in the token's precision as `changes::compare` gives it, as the
/// export writes it: `+1,234.50000000`, `-12.00000000`, `0.00000000`.
fn signed(a: Amount) -> String {
    let text = grouped(&a.to_string());
    if a > Amount::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

impl table::Column for ChangeColumn {
    const COLUMNS: &'static [Self] = &Self::ALL;
    fn title(self) -> &'static str {
        match self {
            Self::Account => "Account",
            Self::Total => "Δ Total",
            Self::Balance => "Δ Balance",
            Self::Stake => "Δ Stake",
            Self::RankThen => "Rank then",
            Self::RankNow => "Rank now",
            Self::Mark => "",
        }
    }
    fn numeric(self) -> bool {
        !matches!(self, Self::Account | Self::Mark)
    }
    fn descends_by_default(self) -> bool {
        matches!(self, Self::Total | Self::Balance | Self::Stake)
    }
}

#[derive(Clone, Debug)]
pub struct ChangesView {
    /// Which of `Since::CHOICES` the baseline is.
    pub choice: usize,
    pub rows: Vec<Change>,
    pub movement: Movement,
    pub table: Table<ChangeColumn>,
    /// When the baseline snapshot and the newest one were taken; how many are kept; what was
    /// skipped. `None` until the baseline is worked out.
    pub then: Option<Timestamp>,
    pub newest: Option<Timestamp>,
    pub kept: Option<usize>,
    pub skipped: Vec<String>,
    /// Each column's width (`ChangeColumn::ALL` order), measured when the rows change.
    pub widths: Vec<u16>,
}

impl Default for ChangesView {
    fn default() -> Self {
        Self {
            choice: 0,
            rows: Vec::new(),
            movement: Movement::default(),
            table: Table::new(ChangeColumn::Total),
            then: None,
            newest: None,
            kept: None,
            skipped: Vec::new(),
            widths: Vec::new(),
        }
    }
}

impl ChangesView {
    pub fn since(&self) -> Since {
        Since::CHOICES[self.choice]
    }

    pub fn key(&self, symbol: &str) -> Key {
        Key::Baseline(symbol.to_owned(), self.since())
    }

    /// Compares the baseline with the richlist shown, once both are here.
    pub fn rebuild(&mut self, slots: &Slots, symbol: &str) {
        let Some(Payload::Baseline(b)) = slots.payload(&self.key(symbol)) else {
            return;
        };
        self.kept = Some(b.kept);
        self.newest = b.newest;
        self.skipped.clone_from(&b.skipped);
        self.then = b.then.as_ref().map(|(t, _)| *t);
        let Some(Payload::Richlist(now)) = slots.payload(&Key::Richlist(symbol.to_owned())) else {
            return;
        };
        (self.rows, self.movement) = match &b.then {
            Some((_, then)) => changes::compare(then, now),
            None => (Vec::new(), Movement::default()),
        };
        self.resort();
    }

    fn resort(&mut self) {
        let order = changes::order(&self.rows, self.table.sort, self.table.descending);
        self.table.set_order(order, None);
        self.widths = table::widths(self.rows.len(), |c, i| self.text(c, i));
    }

    /// The text of `column` for change `i`, as the table draws it.
    pub fn text(&self, column: ChangeColumn, i: usize) -> String {
        let row = &self.rows[i];
        let rank = |r: Option<u32>| r.map_or_else(|| "–".to_owned(), |r| r.to_string());
        match column {
            ChangeColumn::Account => for_terminal(&row.account).into_owned(),
            ChangeColumn::Total => signed(row.total),
            ChangeColumn::Balance => signed(row.balance),
            ChangeColumn::Stake => signed(row.stake),
            ChangeColumn::RankThen => rank(row.rank_then),
            ChangeColumn::RankNow => rank(row.rank_now),
            ChangeColumn::Mark => row.mark().to_owned(),
        }
    }

    /// The keys of the changes table; `None` when the command is not one of them.
    pub fn command(&mut self, command: Command, height: usize) -> Option<Outcome> {
        if self.table.navigate(command, height) {
            return Some(Outcome::default());
        }
        match command {
            Command::NextRange | Command::PrevRange => {
                let n = Since::CHOICES.len();
                self.choice = if command == Command::NextRange {
                    (self.choice + 1).min(n - 1)
                } else {
                    self.choice.saturating_sub(1)
                };
                self.rows.clear();
                self.then = None;
                self.table.set_order(Vec::new(), None);
            }
            Command::Flip => {
                self.table.descending = !self.table.descending;
                self.resort();
            }
            Command::Digit(d) => {
                if let Some(c) = Table::<ChangeColumn>::digit_column(d) {
                    self.table.choose_sort(c);
                    self.resort();
                }
            }
            _ => return None,
        }
        self.table.clamp(height);
        Some(Outcome::default())
    }

    pub fn export(&self, symbol: &str, ctx: &Ctx) -> Outcome {
        if self.then.is_none() {
            return Outcome::message("nothing to export: no baseline snapshot yet");
        }
        Outcome {
            requests: vec![Request::Export(Box::new(ScreenExport {
                shown: Shown::Changes {
                    symbol: symbol.to_owned(),
                    rows: self.rows.clone(),
                    order: self.table.order.clone(),
                },
                dir: ctx.export_dir.to_owned(),
                at: ctx.now,
            }))],
            message: Some("exporting…".into()),
            ..Outcome::default()
        }
    }
}
