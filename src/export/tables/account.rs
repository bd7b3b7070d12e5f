//! An account's four parts as tables: amounts exactly as the node stored them, worth in HIVE
//! as the exact product, text without control characters (the CSV writer neutralizes
//! formulas, JSON keeps the text).

use super::{Table, utc};
use crate::accounts::{ShareRow, WalletRow, counterparty, order_value, side_name};
use crate::model::{Amount, OpenOrder, Operation};
use crate::sanitize::for_terminal;

fn opt(a: Option<Amount>) -> String {
    a.map(|a| a.to_string()).unwrap_or_default()
}

pub fn wallet<'a>(rows: &'a [WalletRow], order: &'a [u32]) -> Table<'a> {
    let rows = order.iter().map(move |&i| {
        let r = &rows[i as usize];
        let h = &r.balance.holder;
        let l = h.locked();
        vec![
            for_terminal(&r.balance.symbol).into_owned(),
            h.balance.to_string(),
            h.stake.to_string(),
            l.pending_unstake.to_string(),
            l.delegations_in.to_string(),
            l.delegations_out.to_string(),
            l.pending_undelegations.to_string(),
            r.owned.to_string(),
            opt(r.price),
            opt(r.value),
        ]
    });
    let header = vec![
        "symbol",
        "balance",
        "stake",
        "pending_unstake",
        "delegations_in",
        "delegations_out",
        "pending_undelegations",
        "owned",
        "price_hive",
        "value_hive",
    ];
    Table::from_rows(header, rows)
}

pub fn orders<'a>(orders: &'a [OpenOrder], order: &'a [u32]) -> Table<'a> {
    let rows = order.iter().map(move |&i| {
        let o = &orders[i as usize];
        vec![
            for_terminal(&o.symbol).into_owned(),
            side_name(o.side).to_owned(),
            o.price.to_string(),
            o.quantity.to_string(),
            order_value(o).to_string(),
            utc(o.timestamp),
            utc(o.expiration),
        ]
    });
    let header = vec![
        "symbol",
        "side",
        "price",
        "quantity",
        "value_hive",
        "placed",
        "expires",
    ];
    Table::from_rows(header, rows)
}

pub fn shares<'a>(rows: &'a [ShareRow], order: &'a [u32]) -> Table<'a> {
    let rows = order.iter().map(move |&i| {
        let r = &rows[i as usize];
        vec![
            for_terminal(&r.pair).into_owned(),
            r.shares.to_string(),
            r.share
                .map(|s| Amount(s).to_fixed(super::PCT_DP))
                .unwrap_or_default(),
            r.base
                .map(|a| a.to_fixed(r.precisions.0))
                .unwrap_or_default(),
            r.quote
                .map(|a| a.to_fixed(r.precisions.1))
                .unwrap_or_default(),
            opt(r.value),
        ]
    });
    let header = vec![
        "pair",
        "shares",
        "pct_of_pool",
        "base_amount",
        "quote_amount",
        "value_hive",
    ];
    Table::from_rows(header, rows)
}

pub fn activity<'a>(ops: &'a [Operation], order: &'a [u32], account: &'a str) -> Table<'a> {
    let rows = order.iter().map(move |&i| {
        let o = &ops[i as usize];
        vec![
            utc(o.timestamp),
            for_terminal(&o.operation).into_owned(),
            for_terminal(&o.symbol).into_owned(),
            opt(o.quantity),
            opt(o.hive),
            for_terminal(counterparty(o, account)).into_owned(),
            for_terminal(&o.memo).into_owned(),
            for_terminal(&o.transaction).into_owned(),
        ]
    });
    let header = vec![
        "time",
        "operation",
        "symbol",
        "quantity",
        "hive",
        "counterparty",
        "memo",
        "transaction",
    ];
    Table::from_rows(header, rows)
}
