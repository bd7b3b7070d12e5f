//! What changed between two richlists of a token: per holder the change in total, balance and
//! stake with the rank then and now (a holder absent on one side counts as zero, and is new or
//! gone), and how concentration moved.

use rust_decimal::Decimal;

use crate::holders::{by_total, ranks, summary};
use crate::model::{Amount, Holder, Richlist};
use crate::table::order_by;

/// One holder whose holdings changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub account: String,
    pub total: Amount,
    pub balance: Amount,
    pub stake: Amount,
    /// Rank by total then and now; `None`: not a holder then (new) or now (gone).
    pub rank_then: Option<u32>,
    pub rank_now: Option<u32>,
}

impl Change {
    pub fn mark(&self) -> &'static str {
        match (self.rank_then, self.rank_now) {
            (None, _) => "new",
            (_, None) => "left",
            _ => "",
        }
    }
}

/// How the whole list moved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Movement {
    pub top10: (Option<Decimal>, Option<Decimal>),
    pub top100: (Option<Decimal>, Option<Decimal>),
    pub arrived: usize,
    pub left: usize,
}

/// A column of the changes table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeColumn {
    Account,
    Total,
    Balance,
    Stake,
    RankThen,
    RankNow,
    Mark,
}

impl ChangeColumn {
    pub const ALL: [Self; 7] = [
        Self::Account,
        Self::Total,
        Self::Balance,
        Self::Stake,
        Self::RankThen,
        Self::RankNow,
        Self::Mark,
    ];
}

/// Holders who hold something, each with its rank by total.
fn ranked(r: &Richlist) -> std::collections::HashMap<&str, (&Holder, u32)> {
    let order = by_total(r);
    let rank = ranks(&order);
    r.holders
        .iter()
        .enumerate()
        .filter(|(_, h)| h.holds_anything())
        .map(|(i, h)| (h.account.as_str(), (h, rank[i])))
        .collect()
}

/// The changes from `then` to `now`, biggest accumulators first, and the movement.
pub fn compare(then: &Richlist, now: &Richlist) -> (Vec<Change>, Movement) {
    let (before, after) = (ranked(then), ranked(now));
    let mut accounts: Vec<&str> = before.keys().chain(after.keys()).copied().collect();
    accounts.sort_unstable();
    accounts.dedup();
    let zero = |h: Option<&(&Holder, u32)>| {
        h.map_or((Amount::ZERO, Amount::ZERO), |(h, _)| (h.balance, h.stake))
    };
    // Every change in the token's precision, whatever decimals the node wrote (`0` for a
    // holder absent on one side, `0.00000000` for one present): one format for a signed amount.
    let in_precision = |a: Amount| {
        let mut d = a.0;
        d.rescale(now.precision);
        Amount(d)
    };
    let changes: Vec<Change> = accounts
        .into_iter()
        .filter_map(|a| {
            let (b0, s0) = zero(before.get(a));
            let (b1, s1) = zero(after.get(a));
            let change = Change {
                account: a.to_owned(),
                total: in_precision((b1 + s1) - (b0 + s0)),
                balance: in_precision(b1 - b0),
                stake: in_precision(s1 - s0),
                rank_then: before.get(a).map(|(_, r)| *r),
                rank_now: after.get(a).map(|(_, r)| *r),
            };
            let moved =
                !(change.total.is_zero() && change.balance.is_zero() && change.stake.is_zero());
            (moved || change.mark() != "").then_some(change)
        })
        .collect();
    let (s0, s1) = (summary(then, &by_total(then)), summary(now, &by_total(now)));
    let movement = Movement {
        top10: (s0.top10_pct, s1.top10_pct),
        top100: (s0.top100_pct, s1.top100_pct),
        arrived: changes.iter().filter(|c| c.rank_then.is_none()).count(),
        left: changes.iter().filter(|c| c.rank_now.is_none()).count(),
    };
    let order = order_by(&changes, true, |c| Some(c.total));
    let sorted = order.iter().map(|&i| changes[i as usize].clone()).collect();
    (sorted, movement)
}

/// Positions of `rows` sorted by `column`.
pub fn order(rows: &[Change], column: ChangeColumn, descending: bool) -> Vec<u32> {
    match column {
        ChangeColumn::Account => order_by(rows, descending, |c| Some(c.account.clone())),
        ChangeColumn::Total => order_by(rows, descending, |c| Some(c.total)),
        ChangeColumn::Balance => order_by(rows, descending, |c| Some(c.balance)),
        ChangeColumn::Stake => order_by(rows, descending, |c| Some(c.stake)),
        ChangeColumn::RankThen => order_by(rows, descending, |c| c.rank_then),
        ChangeColumn::RankNow => order_by(rows, descending, |c| c.rank_now),
        ChangeColumn::Mark => order_by(rows, descending, |c| Some(c.mark())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{holder, richlist};

    #[test]
    fn holders_absent_on_one_side_count_as_zero_and_are_marked() {
        let then = richlist(3);
        let mut now = richlist(3);
        now.holders.remove(0);
        now.holders[0].balance = now.holders[0].balance + Amount::parse("10").unwrap();
        now.holders.push(holder("zed", "5", "1"));
        let (changes, movement) = compare(&then, &now);
        assert_eq!((movement.arrived, movement.left), (1, 1));
        assert_eq!(
            changes[0].account, "acct0001",
            "the biggest accumulator first"
        );
        let p = now.precision as usize;
        let zeros = format!("0.{}", "0".repeat(p));
        assert_eq!(changes[0].total.to_string(), format!("1{zeros}"));
        assert_eq!(
            changes[0].stake.to_string(),
            zeros,
            "an unchanged stake in the token's precision"
        );
        let zed = changes.iter().find(|c| c.account == "zed").unwrap();
        assert_eq!(
            (zed.mark(), zed.total.to_string()),
            ("new", format!("6.{}", "0".repeat(p)))
        );
        let gone = changes.iter().find(|c| c.account == "acct0000").unwrap();
        assert_eq!(gone.mark(), "left");
        assert!(gone.total < Amount::ZERO);
        assert_eq!(changes.len(), 3, "an unchanged holder is not a row");
    }
}
