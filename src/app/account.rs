//! One account: its wallet valued in HIVE, open orders, pool shares and recent operations, one
//! table each (`Tab` switches), with the worth of all favorite accounts as a portfolio line.

mod columns;
mod rows;

use std::sync::Arc;

pub use columns::{OpColumn, OrderColumn, ShareColumn, WalletColumn};

use super::pools::last_prices;
use super::screen::{Ctx, Outcome, View};
use super::{Screen, Slots};
use crate::accounts::{self, Part, ShareRow, WalletRow, Worth};
use crate::cache::{Key, Payload};
use crate::export::{ScreenExport, Shown};
use crate::keymap::Command;
use crate::layout;
use crate::model::{ACTIVITY_PAGE, Account, Amount, OpenOrder, Operation, valid_account};
use crate::refresh::worker::Request;
use crate::table::{self, Table};

/// Runs `$body` with `$t` bound to the table of the part shown (their columns differ).
macro_rules! shown_table {
    ($view:expr, $t:ident => $body:expr) => {
        match $view.part {
            Part::Wallet => {
                let $t = &mut $view.wallet;
                $body
            }
            Part::Orders => {
                let $t = &mut $view.orders;
                $body
            }
            Part::Pools => {
                let $t = &mut $view.shares;
                $body
            }
            Part::Activity => {
                let $t = &mut $view.activity;
                $body
            }
        }
    };
}

/// How favorites name an account (tokens and pools are named by symbol and pair).
pub fn favorite_name(account: &str) -> String {
    format!("@{account}")
}

/// The accounts among `favorites`.
pub fn favorite_accounts(favorites: &std::collections::BTreeSet<String>) -> Vec<String> {
    favorites
        .iter()
        .filter_map(|f| f.strip_prefix('@'))
        .filter(|a| valid_account(a))
        .map(str::to_owned)
        .collect()
}

#[derive(Clone, Debug)]
pub struct AccountView {
    pub name: String,
    pub part: Part,
    pub payload: Option<Arc<Payload>>,
    pub wallet_rows: Vec<WalletRow>,
    pub share_rows: Vec<ShareRow>,
    /// Operations of the pages read so far, newest first.
    pub ops: Vec<Operation>,
    /// Pages of operations asked for: more are asked for at the end of the list.
    pub pages: u32,
    pub wallet: Table<WalletColumn>,
    pub orders: Table<OrderColumn>,
    pub shares: Table<ShareColumn>,
    pub activity: Table<OpColumn>,
    /// What the wallet and the pool positions are worth, and how many held tokens have no price.
    pub worth: Option<Worth>,
    /// Favorite accounts; their summed worth and how many of them are not read yet.
    pub portfolio: Vec<String>,
    pub portfolio_worth: (Amount, usize),
    /// Each table's column widths (`Part::ALL` order), measured when its rows change.
    pub widths: [Vec<u16>; 4],
}

impl AccountView {
    fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            part: Part::Wallet,
            payload: None,
            wallet_rows: Vec::new(),
            share_rows: Vec::new(),
            ops: Vec::new(),
            pages: 1,
            wallet: Table::new(WalletColumn::Value),
            orders: Table::new(OrderColumn::Value),
            shares: Table::new(ShareColumn::Value),
            activity: Table::new(OpColumn::Time),
            worth: None,
            portfolio: Vec::new(),
            portfolio_worth: (Amount::ZERO, 0),
            widths: Default::default(),
        }
    }

    pub fn account(&self) -> Option<&Account> {
        match self.payload.as_deref() {
            Some(Payload::Account(a)) => Some(a),
            _ => None,
        }
    }

    pub fn orders(&self) -> &[OpenOrder] {
        self.account().map_or(&[], |a| &a.orders)
    }

    /// Takes in whatever arrived: the account, prices, tokens, pools, pages of operations, or a
    /// favorite account's data for the portfolio.
    pub fn rebuild(&mut self, slots: &Slots) {
        let prices = last_prices(slots);
        let price = |s: &str| prices.get(s).copied();
        let tokens = match slots.payload(&Key::Tokens) {
            Some(Payload::Tokens(t)) => Some(t.as_slice()),
            _ => None,
        };
        let pools = match slots.payload(&Key::Pools) {
            Some(Payload::Pools(p)) => p.as_slice(),
            _ => &[],
        };
        let parts_of = |a: &Account| {
            let wallet = accounts::wallet(a, price, tokens);
            let shares = accounts::shares(a, pools, price, tokens);
            (accounts::worth(&wallet, &shares), wallet, shares)
        };
        let (mut total, mut missing) = (Amount::ZERO, 0);
        for name in &self.portfolio {
            match slots.payload(&Key::Account(name.clone())) {
                Some(Payload::Account(a)) => total = total + parts_of(a).0.total(),
                _ => missing += 1,
            }
        }
        self.portfolio_worth = (total, missing);
        if let Some(entry) = slots
            .get(&Key::Account(self.name.clone()))
            .and_then(|s| s.entry.as_ref())
            && let Payload::Account(a) = &*entry.payload
        {
            let (worth, wallet, shares) = parts_of(a);
            self.worth = Some(worth);
            self.wallet_rows = wallet;
            self.share_rows = shares;
            self.payload = Some(entry.payload.clone());
        }
        self.ops = (0..self.pages)
            .map_while(
                |p| match slots.payload(&Key::Activity(self.name.clone(), p)) {
                    Some(Payload::Activity(ops)) => Some(ops.clone()),
                    _ => None,
                },
            )
            .flatten()
            .collect();
        self.resort_all();
    }

    /// Orders every table again, each keeping its selected row, and measures its columns.
    fn resort_all(&mut self) {
        let (w, o, s, a) = (
            self.wallet_order(),
            self.orders_order(),
            self.shares_order(),
            self.ops_order(),
        );
        let k = self.wallet.selected();
        self.wallet.set_order(w, k);
        let k = self.orders.selected();
        self.orders.set_order(o, k);
        let k = self.shares.selected();
        self.shares.set_order(s, k);
        let k = self.activity.selected();
        self.activity.set_order(a, k);
        self.widths = [
            table::widths(self.wallet_rows.len(), |c, i| self.wallet_text(c, i)),
            table::widths(self.orders().len(), |c, i| self.order_text(c, i)),
            table::widths(self.share_rows.len(), |c, i| self.share_text(c, i)),
            table::widths(self.ops.len(), |c, i| self.op_text(c, i)),
        ];
    }

    /// Another page of operations is asked for when the cursor reaches the end of a full one.
    fn more_activity(&mut self) {
        let full = self.ops.len() >= (self.pages * ACTIVITY_PAGE) as usize;
        if self.part == Part::Activity
            && full
            && self.activity.cursor.selected + 1 >= self.activity.len()
        {
            self.pages += 1;
        }
    }

    /// What `Enter` opens from the selected row: a token's market, a pool.
    fn open_selected(&self) -> Option<Screen> {
        let at = |t: Option<u32>| t.map(|i| i as usize);
        match self.part {
            Part::Wallet => at(self.wallet.selected())
                .map(|i| Screen::Market(self.wallet_rows[i].balance.symbol.clone())),
            Part::Orders => {
                at(self.orders.selected()).map(|i| Screen::Market(self.orders()[i].symbol.clone()))
            }
            Part::Pools => {
                at(self.shares.selected()).map(|i| Screen::Pool(self.share_rows[i].pair.clone()))
            }
            Part::Activity => at(self.activity.selected())
                .map(|i| &self.ops[i].symbol)
                .filter(|s| crate::model::valid_symbol(s))
                .map(|s| Screen::Market(s.clone())),
        }
    }

    fn export(&self, ctx: &Ctx) -> Outcome {
        let Some(payload) = self.payload.clone() else {
            return Outcome::message("nothing to export yet: the account is still loading");
        };
        let order = match self.part {
            Part::Wallet => self.wallet.order.clone(),
            Part::Orders => self.orders.order.clone(),
            Part::Pools => self.shares.order.clone(),
            Part::Activity => self.activity.order.clone(),
        };
        Outcome {
            requests: vec![Request::Export(Box::new(ScreenExport {
                shown: Shown::Account {
                    part: self.part,
                    payload,
                    wallet: self.wallet_rows.clone(),
                    shares: self.share_rows.clone(),
                    ops: self.ops.clone(),
                    order,
                },
                dir: ctx.export_dir.to_owned(),
                at: ctx.now,
            }))],
            message: Some("exporting…".into()),
            ..Outcome::default()
        }
    }

    fn height(ctx: &Ctx) -> usize {
        table::rows_in(layout::account_table(ctx.size))
    }

    fn clamp(&mut self, ctx: &Ctx) {
        let height = Self::height(ctx);
        shown_table!(self, t => t.clamp(height));
    }
}

impl Default for AccountView {
    fn default() -> Self {
        Self::new("")
    }
}

impl View for AccountView {
    fn watched(&self) -> Vec<Key> {
        let mut keys = vec![
            Key::Account(self.name.clone()),
            Key::Tokens,
            Key::Metrics,
            Key::Pools,
        ];
        if self.part == Part::Activity {
            keys.extend((0..self.pages).map(|p| Key::Activity(self.name.clone(), p)));
        }
        keys.extend(
            self.portfolio
                .iter()
                .filter(|a| **a != self.name)
                .map(|a| Key::Account(a.clone())),
        );
        keys
    }

    fn status_keys(&self) -> (Key, Vec<(&'static str, Key)>) {
        match self.part {
            Part::Activity => (Key::Activity(self.name.clone(), 0), Vec::new()),
            _ => (Key::Account(self.name.clone()), Vec::new()),
        }
    }

    fn title(&self) -> String {
        format!("@{} {}", self.name, self.part.name())
    }

    fn hints(&self) -> &'static [(Command, &'static str)] {
        &[
            (Command::NextPane, "part"),
            (Command::Open, "open"),
            (Command::Favorite, "favorite"),
            (Command::Export, "export CSV"),
        ]
    }

    fn favorite(&self) -> Option<String> {
        Some(favorite_name(&self.name))
    }

    fn command(&mut self, command: Command, ctx: &Ctx) -> Outcome {
        let height = Self::height(ctx);
        let moved = shown_table!(self, t => t.navigate(command, height));
        if moved {
            self.more_activity();
            return Outcome::default();
        }
        let outcome = match command {
            Command::NextPane | Command::PrevPane => {
                self.part = if command == Command::NextPane {
                    self.part.next()
                } else {
                    self.part.prev()
                };
                Outcome::default()
            }
            Command::Open => Outcome {
                go: self.open_selected(),
                ..Outcome::default()
            },
            Command::Favorite => {
                self.portfolio = accounts_of(ctx);
                self.rebuild(ctx.slots);
                Outcome::default()
            }
            Command::Digit(d) => {
                shown_table!(self, t => {
                    if let Some(c) = digit(t, d) {
                        t.choose_sort(c);
                    }
                });
                self.resort_all();
                Outcome::default()
            }
            Command::Export => self.export(ctx),
            _ => Outcome::default(),
        };
        self.clamp(ctx);
        outcome
    }

    fn click(&mut self, at: (u16, u16), ctx: &Ctx) {
        let area = layout::account_table(ctx.size);
        let width = area.width;
        let widths = self.widths[self.part as usize].clone();
        shown_table!(self, t => {
            let cols = layout::columns_of(t, &widths, width);
            t.click(area, at, &cols);
        });
        self.resort_all();
        self.clamp(ctx);
    }

    fn open(&mut self, screen: &Screen, ctx: &Ctx) {
        if let Screen::Account(name) = screen {
            if self.name != *name {
                *self = Self::new(name);
            }
            self.portfolio = accounts_of(ctx);
            self.rebuild(ctx.slots);
            self.clamp(ctx);
        }
    }

    fn loaded(&mut self, _key: &Key, ctx: &Ctx) {
        self.rebuild(ctx.slots);
        self.clamp(ctx);
    }

    fn resized(&mut self, ctx: &Ctx) {
        self.clamp(ctx);
    }
}

fn accounts_of(ctx: &Ctx) -> Vec<String> {
    favorite_accounts(ctx.favorites)
}

fn digit<C: table::Column>(_: &Table<C>, d: u8) -> Option<C> {
    Table::<C>::digit_column(d)
}
