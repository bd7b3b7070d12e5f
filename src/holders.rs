//! Richlist rows for display and export: columns, shares of supply, ranks and sort orders,
//! all computed with exact decimals.

use std::cmp::Ordering;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::{Amount, Holder, Richlist};

/// A sortable richlist column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Rank,
    Account,
    Balance,
    Stake,
    PendingUnstake,
    DelegationsIn,
    DelegationsOut,
    PendingUndelegations,
    Total,
    PctSupply,
    PctCirculating,
}

impl Column {
    pub const ALL: [Self; 11] = [
        Self::Rank,
        Self::Account,
        Self::Balance,
        Self::Stake,
        Self::PendingUnstake,
        Self::DelegationsIn,
        Self::DelegationsOut,
        Self::PendingUndelegations,
        Self::Total,
        Self::PctSupply,
        Self::PctCirculating,
    ];

    /// The CSV header name, also accepted by `--sort`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Rank => "rank",
            Self::Account => "account",
            Self::Balance => "balance",
            Self::Stake => "stake",
            Self::PendingUnstake => "pending_unstake",
            Self::DelegationsIn => "delegations_in",
            Self::DelegationsOut => "delegations_out",
            Self::PendingUndelegations => "pending_undelegations",
            Self::Total => "total",
            Self::PctSupply => "pct_supply",
            Self::PctCirculating => "pct_circulating",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.name() == name.to_ascii_lowercase().replace('-', "_"))
    }

    /// Sorting a text or rank column ascends by default; amounts descend.
    pub fn descends_by_default(self) -> bool {
        !matches!(self, Self::Rank | Self::Account)
    }

    /// The amount this column shows or sorts by (the total for the columns that are not one).
    pub fn amount(self, h: &Holder) -> Amount {
        match self {
            Self::Balance => h.balance,
            Self::Stake => h.stake,
            Self::PendingUnstake => h.locked().pending_unstake,
            Self::DelegationsIn => h.locked().delegations_in,
            Self::DelegationsOut => h.locked().delegations_out,
            Self::PendingUndelegations => h.locked().pending_undelegations,
            // Shares of supply order exactly as totals do.
            Self::Total | Self::PctSupply | Self::PctCirculating | Self::Rank | Self::Account => {
                h.total()
            }
        }
    }
}

/// Holder positions ordered by total descending, ties by account: rank 1 first.
pub fn by_total(r: &Richlist) -> Vec<u32> {
    sort_order(r, Column::Total, true, None)
}

/// Each holder's rank (1-based) by total, indexed like `r.holders`.
pub fn ranks(by_total: &[u32]) -> Vec<u32> {
    let mut ranks = vec![0; by_total.len()];
    for (pos, &i) in by_total.iter().enumerate() {
        ranks[i as usize] = u32::try_from(pos + 1).unwrap_or(u32::MAX);
    }
    ranks
}

/// Holder positions sorted by `column`; ties always by account ascending, so orders are stable.
pub fn sort_order(
    r: &Richlist,
    column: Column,
    descending: bool,
    ranks: Option<&[u32]>,
) -> Vec<u32> {
    let h = &r.holders;
    let mut order: Vec<u32> = (0..u32::try_from(h.len()).unwrap_or(u32::MAX)).collect();
    let by_account = |a: u32, b: u32| h[a as usize].account.cmp(&h[b as usize].account);
    let direct = |o: Ordering| if descending { o.reverse() } else { o };
    if column == Column::Account {
        order.sort_unstable_by(|&a, &b| direct(by_account(a, b)));
        return order;
    }
    // One integer key per holder, computed once: comparing exact decimal sums inside the sort
    // would cost a decimal addition per comparison.
    let keys: Vec<i128> = match (column, ranks) {
        (Column::Rank, Some(ranks)) => ranks.iter().map(|&r| i128::from(r)).collect(),
        (Column::Rank, None) => h.iter().map(|x| -x.total().sort_key()).collect(),
        (c, _) => h.iter().map(|x| c.amount(x).sort_key()).collect(),
    };
    order.sort_unstable_by(|&a, &b| {
        direct(keys[a as usize].cmp(&keys[b as usize])).then_with(|| by_account(a, b))
    });
    order
}

/// `part` as a percentage of `whole` with exactly `dp` decimals (half up), in integer
/// arithmetic: exact, and fast enough for every row of an export.
pub fn percent_fixed(part: Amount, whole: Amount, dp: u32) -> Option<String> {
    let mut out = String::new();
    push_percent(part, whole, dp, &mut out).then_some(out)
}

/// `percent_fixed`, appending to `out`; false (nothing written) when `whole` is zero.
pub fn push_percent(part: Amount, whole: Amount, dp: u32, out: &mut String) -> bool {
    let (p, w) = (part.sort_key(), whole.sort_key());
    let scale = 10_i128.pow(dp);
    match p.checked_mul(200 * scale) {
        Some(twice) if w > 0 => {
            crate::model::push_with_point((twice + w) / (2 * w), dp, out);
            true
        }
        _ => false,
    }
}

/// `part` as a percentage of `whole`, rounded to `dp` decimals; `None` when `whole` is zero.
pub fn percent(part: Amount, whole: Amount, dp: u32) -> Option<Decimal> {
    part.percent_of(whole).map(|p| p.round_dp(dp))
}

/// Summary figures for the richlist header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub holders: usize,
    pub burned: Amount,
    pub top10_pct: Option<Decimal>,
    pub top100_pct: Option<Decimal>,
}

pub fn summary(r: &Richlist, by_total: &[u32]) -> Summary {
    let top = |n: usize| -> Amount {
        by_total
            .iter()
            .take(n)
            .map(|&i| r.holders[i as usize].total())
            .sum()
    };
    Summary {
        holders: r.holders.len(),
        burned: r.burned,
        top10_pct: percent(top(10), r.supply, 2),
        top100_pct: percent(top(100), r.supply, 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Locked;

    fn holder(account: &str, balance: &str, stake: &str) -> Holder {
        Holder::new(
            account,
            Amount::parse(balance).unwrap(),
            Amount::parse(stake).unwrap(),
            Locked::default(),
        )
    }

    fn rich() -> Richlist {
        Richlist {
            symbol: "T".into(),
            precision: 3,
            supply: Amount::parse("1000").unwrap(),
            circulating_supply: Amount::parse("900").unwrap(),
            holders: vec![
                holder("carol", "1", "9"),
                holder("alice", "300", "0"),
                holder("bob", "5", "295"),
                holder("dave", "0.001", "0"),
            ],
            burned: Amount::parse("100").unwrap(),
        }
    }

    #[test]
    fn total_order_breaks_ties_by_account() {
        let r = rich();
        let order = by_total(&r);
        let names: Vec<&str> = order
            .iter()
            .map(|&i| r.holders[i as usize].account.as_str())
            .collect();
        assert_eq!(names, ["alice", "bob", "carol", "dave"]);
        assert_eq!(ranks(&order), vec![3, 1, 2, 4]);
    }

    #[test]
    fn any_column_both_ways() {
        let r = rich();
        let stake_desc = sort_order(&r, Column::Stake, true, None);
        assert_eq!(r.holders[stake_desc[0] as usize].account, "bob");
        let acct_asc = sort_order(&r, Column::Account, false, None);
        assert_eq!(r.holders[acct_asc[3] as usize].account, "dave");
        let rank_by = ranks(&by_total(&r));
        let rank_desc = sort_order(&r, Column::Rank, true, Some(&rank_by));
        assert_eq!(r.holders[rank_desc[0] as usize].account, "dave");
    }

    #[test]
    fn shares_and_summary_are_exact() {
        let r = rich();
        assert_eq!(
            percent(Amount::parse("1").unwrap(), Amount::parse("3").unwrap(), 6)
                .unwrap()
                .to_string(),
            "33.333333"
        );
        let s = summary(&r, &by_total(&r));
        assert_eq!(s.top10_pct.unwrap().to_string(), "61.00");
        assert_eq!(percent(Amount::ZERO, Amount::ZERO, 2), None);
        let third = percent_fixed(Amount::parse("1").unwrap(), Amount::parse("3").unwrap(), 6);
        assert_eq!(third.as_deref(), Some("33.333333"));
        let two_thirds = percent_fixed(Amount::parse("2").unwrap(), Amount::parse("3").unwrap(), 6);
        assert_eq!(two_thirds.as_deref(), Some("66.666667"), "half up");
        assert_eq!(
            percent_fixed(Amount::parse("3").unwrap(), Amount::parse("3").unwrap(), 2).as_deref(),
            Some("100.00")
        );
    }
}
