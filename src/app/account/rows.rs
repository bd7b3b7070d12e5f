//! What each of an account's tables shows in a cell, and how each column orders its rows.

use super::AccountView;
use super::columns::{OpColumn, OrderColumn, ShareColumn, WalletColumn};
use crate::accounts::{counterparty, order_value, side_name};
use crate::format::{exact, fixed, share, utc_date, utc_time};
use crate::model::Amount;
use crate::sanitize::for_terminal;
use crate::table::order_by;

/// Decimals of HIVE values on screen (as the tokens view shows market caps).
const VALUE_DP: u32 = 2;
const PRICE_DP: u32 = 8;

/// An amount in the token's precision when known, else as stored.
fn amount(a: Amount, precision: Option<u32>) -> String {
    precision.map_or_else(|| exact(a), |p| fixed(a, p))
}

impl AccountView {
    pub fn wallet_text(&self, c: WalletColumn, i: usize) -> String {
        let r = &self.wallet_rows[i];
        let h = &r.balance.holder;
        let p = r.precision;
        match c {
            WalletColumn::Symbol => for_terminal(&r.balance.symbol).into_owned(),
            WalletColumn::Balance => amount(h.balance, p),
            WalletColumn::Stake => amount(h.stake, p),
            WalletColumn::Unstaking => amount(h.locked().pending_unstake, p),
            WalletColumn::DelegatedIn => amount(h.locked().delegations_in, p),
            WalletColumn::DelegatedOut => amount(h.locked().delegations_out, p),
            WalletColumn::Price => r
                .price
                .map_or_else(|| "no market".into(), |v| fixed(v, PRICE_DP)),
            WalletColumn::Value => r.value.map_or_else(|| "–".into(), |v| fixed(v, VALUE_DP)),
        }
    }

    pub fn order_text(&self, c: OrderColumn, i: usize) -> String {
        let o = &self.orders()[i];
        match c {
            OrderColumn::Symbol => for_terminal(&o.symbol).into_owned(),
            OrderColumn::Side => side_name(o.side).to_owned(),
            OrderColumn::Price => fixed(o.price, PRICE_DP),
            OrderColumn::Quantity => exact(o.quantity),
            OrderColumn::Value => fixed(order_value(o), VALUE_DP),
            OrderColumn::Expires => utc_date(o.expiration),
        }
    }

    pub fn share_text(&self, c: ShareColumn, i: usize) -> String {
        let r = &self.share_rows[i];
        let (base, quote) = r.pair.split_once(':').unwrap_or((&r.pair, ""));
        let held = |a: Option<Amount>, dp: u32, symbol: &str| {
            a.map_or_else(
                || "–".into(),
                |a| format!("{} {}", fixed(a, dp), for_terminal(symbol)),
            )
        };
        match c {
            ShareColumn::Pair => for_terminal(&r.pair).into_owned(),
            ShareColumn::Shares => fixed(r.shares, 8),
            ShareColumn::Share => share(r.share.map(|s| s.round_dp(2))),
            ShareColumn::Base => held(r.base, r.precisions.0, base),
            ShareColumn::Quote => held(r.quote, r.precisions.1, quote),
            ShareColumn::Value => r.value.map_or_else(|| "–".into(), |v| fixed(v, VALUE_DP)),
        }
    }

    pub fn op_text(&self, c: OpColumn, i: usize) -> String {
        let op = &self.ops[i];
        match c {
            OpColumn::Time => format!("{} {}", utc_date(op.timestamp), utc_time(op.timestamp)),
            OpColumn::Operation => for_terminal(&op.operation).into_owned(),
            OpColumn::Symbol => for_terminal(&op.symbol).into_owned(),
            OpColumn::Quantity => op.quantity.map(exact).unwrap_or_default(),
            OpColumn::Hive => op.hive.map(exact).unwrap_or_default(),
            OpColumn::Counterparty => for_terminal(counterparty(op, &self.name)).into_owned(),
            OpColumn::Memo => for_terminal(&op.memo).chars().take(40).collect(),
        }
    }

    pub(super) fn wallet_order(&self) -> Vec<u32> {
        let (rows, d) = (&self.wallet_rows, self.wallet.descending);
        match self.wallet.sort {
            WalletColumn::Symbol => order_by(rows, d, |r| Some(r.balance.symbol.clone())),
            WalletColumn::Balance => order_by(rows, d, |r| Some(r.balance.holder.balance)),
            WalletColumn::Stake => order_by(rows, d, |r| Some(r.balance.holder.stake)),
            WalletColumn::Unstaking => {
                order_by(rows, d, |r| Some(r.balance.holder.locked().pending_unstake))
            }
            WalletColumn::DelegatedIn => {
                order_by(rows, d, |r| Some(r.balance.holder.locked().delegations_in))
            }
            WalletColumn::DelegatedOut => {
                order_by(rows, d, |r| Some(r.balance.holder.locked().delegations_out))
            }
            WalletColumn::Price => order_by(rows, d, |r| r.price),
            WalletColumn::Value => order_by(rows, d, |r| r.value),
        }
    }

    pub(super) fn orders_order(&self) -> Vec<u32> {
        let (rows, d) = (self.orders(), self.orders.descending);
        match self.orders.sort {
            OrderColumn::Symbol => order_by(rows, d, |o| Some(o.symbol.clone())),
            OrderColumn::Side => order_by(rows, d, |o| Some(side_name(o.side))),
            OrderColumn::Price => order_by(rows, d, |o| Some(o.price)),
            OrderColumn::Quantity => order_by(rows, d, |o| Some(o.quantity)),
            OrderColumn::Value => order_by(rows, d, |o| Some(order_value(o))),
            OrderColumn::Expires => order_by(rows, d, |o| Some(o.expiration)),
        }
    }

    pub(super) fn shares_order(&self) -> Vec<u32> {
        let (rows, d) = (&self.share_rows, self.shares.descending);
        match self.shares.sort {
            ShareColumn::Pair => order_by(rows, d, |r| Some(r.pair.clone())),
            ShareColumn::Shares | ShareColumn::Share => order_by(rows, d, |r| Some(r.shares)),
            ShareColumn::Base => order_by(rows, d, |r| r.base),
            ShareColumn::Quote => order_by(rows, d, |r| r.quote),
            ShareColumn::Value => order_by(rows, d, |r| r.value),
        }
    }

    pub(super) fn ops_order(&self) -> Vec<u32> {
        let (rows, d) = (&self.ops, self.activity.descending);
        match self.activity.sort {
            OpColumn::Time => order_by(rows, d, |o| Some(o.timestamp)),
            OpColumn::Operation => order_by(rows, d, |o| Some(o.operation.clone())),
            OpColumn::Symbol => order_by(rows, d, |o| Some(o.symbol.clone())),
            OpColumn::Quantity => order_by(rows, d, |o| o.quantity),
            OpColumn::Hive => order_by(rows, d, |o| o.hive),
            OpColumn::Counterparty => {
                order_by(rows, d, |o| Some(counterparty(o, &self.name).to_owned()))
            }
            OpColumn::Memo => order_by(rows, d, |o| Some(o.memo.clone())),
        }
    }
}
