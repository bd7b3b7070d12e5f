//! Each exportable view as a `Table` of exact strings: amounts in the token's precision, no
//! thousands separators, percentages with fixed decimals, text without control characters
//! (the CSV writer neutralizes formulas, JSON keeps the text).

mod account;

use std::collections::HashMap;

pub use account::{activity, orders, shares, wallet};

use super::Table;
use crate::holders::push_percent;
use crate::model::{Amount, Candle, Metrics, OrderBook, Pool, Richlist, Side, Token, Trade};
use crate::pools::Provider;
use crate::sanitize::for_terminal;

/// Decimals of every percentage column.
pub const PCT_DP: u32 = 6;

pub(crate) fn utc(ts: i64) -> String {
    jiff::Timestamp::from_second(ts).map_or_else(
        |_| ts.to_string(),
        |t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
    )
}

/// Holders in `order` (positions into `r.holders`), with their `ranks`. Fields are written into
/// the reused row: this is the one export that reaches hundreds of thousands of rows.
pub fn richlist<'a>(r: &'a Richlist, order: &'a [u32], ranks: &'a [u32]) -> Table<'a> {
    use std::fmt::Write as _;
    let p = r.precision;
    let mut positions = order.iter();
    let next_row = Box::new(move |row: &mut Vec<String>| {
        let Some(&i) = positions.next() else {
            return false;
        };
        let h = &r.holders[i as usize];
        let total = h.total();
        row.resize_with(11, String::new);
        row.iter_mut().for_each(String::clear);
        if let Some(rank) = ranks.get(i as usize) {
            let _ = write!(row[0], "{rank}");
        }
        row[1].push_str(&for_terminal(&h.account));
        let l = h.locked();
        let amounts = [
            h.balance,
            h.stake,
            l.pending_unstake,
            l.delegations_in,
            l.delegations_out,
            l.pending_undelegations,
            total,
        ];
        for (field, amount) in row[2..9].iter_mut().zip(amounts) {
            amount.push_fixed(p, field);
        }
        push_percent(total, r.supply, PCT_DP, &mut row[9]);
        push_percent(total, r.circulating_supply, PCT_DP, &mut row[10]);
        true
    });
    let header = crate::holders::Column::ALL
        .iter()
        .map(|c| c.name())
        .collect();
    Table { header, next_row }
}

/// Every token with its market figures; tokens without a market leave those fields empty.
pub fn tokens<'a>(tokens: &'a [Token], metrics: &'a [Metrics]) -> Table<'a> {
    let by_symbol: HashMap<&str, &Metrics> =
        metrics.iter().map(|m| (m.symbol.as_str(), m)).collect();
    let rows = tokens.iter().map(move |t| {
        let m = by_symbol.get(t.symbol.as_str());
        let field = |f: fn(&Metrics) -> String| m.map(|m| f(m)).unwrap_or_default();
        let cap = m
            .map(|m| (t.circulating_supply * m.last_price).to_fixed(8))
            .unwrap_or_default();
        vec![
            for_terminal(&t.symbol).into_owned(),
            for_terminal(&t.name).into_owned(),
            field(|m| m.last_price.to_fixed(8)),
            field(|m| m.price_change_pct.to_fixed(2)),
            field(|m| m.volume_24h.to_fixed(8)),
            cap,
            field(|m| m.highest_bid.to_fixed(8)),
            field(|m| m.lowest_ask.to_fixed(8)),
            t.supply.to_fixed(t.precision),
            t.circulating_supply.to_fixed(t.precision),
            t.precision.to_string(),
        ]
    });
    let header = vec![
        "symbol",
        "name",
        "last_price",
        "change_24h_pct",
        "volume_24h",
        "market_cap",
        "highest_bid",
        "lowest_ask",
        "supply",
        "circulating_supply",
        "precision",
    ];
    Table::from_rows(header, rows)
}

/// Token quantities are written exactly as the node stored them (in the token's precision).
pub fn history(candles: &[Candle]) -> Table<'_> {
    let rows = candles.iter().map(|c| {
        vec![
            utc(c.day)[..10].to_owned(),
            c.open.to_fixed(8),
            c.high.to_fixed(8),
            c.low.to_fixed(8),
            c.close.to_fixed(8),
            c.volume_hive.to_fixed(8),
            c.volume_token.to_string(),
        ]
    });
    Table::from_rows(
        vec![
            "date",
            "open",
            "high",
            "low",
            "close",
            "volume_hive",
            "volume_token",
        ],
        rows,
    )
}

pub fn book(book: &OrderBook) -> Table<'_> {
    let rows = book
        .bids
        .iter()
        .map(|o| ("bid", o))
        .chain(book.asks.iter().map(|o| ("ask", o)))
        .map(|(side, o)| {
            vec![
                side.to_owned(),
                o.price.to_fixed(8),
                o.quantity.to_string(),
                (o.price * o.quantity).to_fixed(8),
                for_terminal(&o.account).into_owned(),
                utc(o.timestamp),
            ]
        });
    Table::from_rows(
        vec![
            "side",
            "price",
            "quantity",
            "total_hive",
            "account",
            "placed",
        ],
        rows,
    )
}

/// Newest first, as the market view lists them.
pub fn trades(trades: &[Trade]) -> Table<'_> {
    let rows = trades.iter().rev().map(|t| {
        vec![
            utc(t.timestamp),
            if t.side == Side::Buy { "buy" } else { "sell" }.to_owned(),
            t.price.to_fixed(8),
            t.quantity.to_string(),
            t.volume.to_fixed(8),
            for_terminal(&t.buyer).into_owned(),
            for_terminal(&t.seller).into_owned(),
        ]
    });
    Table::from_rows(
        vec![
            "time",
            "side",
            "price",
            "quantity",
            "volume_hive",
            "buyer",
            "seller",
        ],
        rows,
    )
}

/// Pools with every figure exactly as the node stored it; `value` is each pool's worth in
/// HIVE where it can be told, else empty.
pub fn pools<'a>(
    pools: impl Iterator<Item = &'a Pool> + 'a,
    value: impl Fn(&Pool) -> Option<Amount> + 'a,
) -> Table<'a> {
    let rows = pools.map(move |p| {
        vec![
            for_terminal(&p.pair).into_owned(),
            for_terminal(p.base()).into_owned(),
            for_terminal(p.quote()).into_owned(),
            p.base_quantity.to_string(),
            p.quote_quantity.to_string(),
            p.base_price.to_string(),
            p.quote_price.to_string(),
            p.total_shares.to_string(),
            p.base_volume.to_string(),
            p.quote_volume.to_string(),
            value(p).map(|v| v.to_fixed(8)).unwrap_or_default(),
            for_terminal(&p.creator).into_owned(),
        ]
    });
    let header = vec![
        "pair",
        "base",
        "quote",
        "base_quantity",
        "quote_quantity",
        "base_price",
        "quote_price",
        "total_shares",
        "base_volume",
        "quote_volume",
        "value_hive",
        "creator",
    ];
    Table::from_rows(header, rows)
}

/// A pool's providers in `order`: shares unrounded as the node keeps them, each token's amount
/// rounded down to its precision, the share of the pool with fixed decimals.
pub fn providers<'a>(rows: &'a [Provider], order: &'a [u32], (bp, qp): (u32, u32)) -> Table<'a> {
    let rows = order.iter().map(move |&i| {
        let p = &rows[i as usize];
        vec![
            p.rank.to_string(),
            for_terminal(&p.account).into_owned(),
            p.shares.to_string(),
            p.share
                .map(|s| Amount(s).to_fixed(PCT_DP))
                .unwrap_or_default(),
            p.base.to_fixed(bp),
            p.quote.to_fixed(qp),
        ]
    });
    let header = vec![
        "rank",
        "account",
        "shares",
        "pct_of_pool",
        "base_amount",
        "quote_amount",
    ];
    Table::from_rows(header, rows)
}

/// Holders whose holdings changed between two snapshots, in `order`: every change exact and
/// signed, ranks then and now (empty for a new or gone holder), and the mark.
pub fn changes<'a>(rows: &'a [crate::changes::Change], order: &'a [u32]) -> Table<'a> {
    let rank = |r: Option<u32>| r.map(|r| r.to_string()).unwrap_or_default();
    let rows = order.iter().map(move |&i| {
        let c = &rows[i as usize];
        vec![
            for_terminal(&c.account).into_owned(),
            c.total.to_string(),
            c.balance.to_string(),
            c.stake.to_string(),
            rank(c.rank_then),
            rank(c.rank_now),
            c.mark().to_owned(),
        ]
    });
    let header = vec![
        "account",
        "change_total",
        "change_balance",
        "change_stake",
        "rank_then",
        "rank_now",
        "mark",
    ];
    Table::from_rows(header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Amount, Holder, Locked};

    #[test]
    fn richlist_rows_are_exact_and_clean() {
        let r = Richlist {
            symbol: "T".into(),
            precision: 8,
            supply: Amount::parse("3").unwrap(),
            circulating_supply: Amount::parse("3").unwrap(),
            holders: vec![Holder::new(
                "=evil",
                Amount::parse("1.5").unwrap(),
                Amount::parse("0.000").unwrap(),
                Locked::default(),
            )],
            burned: Amount::ZERO,
        };
        let mut t = richlist(&r, &[0], &[1]);
        assert_eq!(t.header.len(), 11);
        let mut row = Vec::new();
        assert!((t.next_row)(&mut row));
        assert_eq!(row[1], "=evil", "clean text; the CSV writer adds the guard");
        assert_eq!(row[2], "1.50000000");
        assert_eq!(row[9], "50.000000");
    }
}
