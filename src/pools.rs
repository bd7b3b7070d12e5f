//! Pools and their providers for display and export: the columns, each provider's holdings in
//! both tokens and share of the pool, ranks by shares and sort orders, all exact.

use std::cmp::Ordering;
use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::model::{Amount, HIVE, HIVE_PRECISION, Metrics, Pool, PoolDetail, Token, holding};

/// Each token's last price in HIVE, where it has one (a pool's worth is told from these).
pub fn last_prices(metrics: &[Metrics]) -> HashMap<&str, Amount> {
    metrics
        .iter()
        .filter(|m| !m.last_price.is_zero())
        .map(|m| (m.symbol.as_str(), m.last_price))
        .collect()
}

/// A column of the pools list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PoolColumn {
    Pair,
    Base,
    Quote,
    Price,
    Inverse,
    Shares,
    BaseVolume,
    QuoteVolume,
    Value,
}

impl PoolColumn {
    pub const ALL: [Self; 9] = [
        Self::Pair,
        Self::Base,
        Self::Quote,
        Self::Price,
        Self::Inverse,
        Self::Shares,
        Self::BaseVolume,
        Self::QuoteVolume,
        Self::Value,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Pair => "Pair",
            Self::Base => "Base reserve",
            Self::Quote => "Quote reserve",
            Self::Price => "Price",
            Self::Inverse => "Inverse",
            Self::Shares => "Total shares",
            Self::BaseVolume => "Base volume",
            Self::QuoteVolume => "Quote volume",
            Self::Value => "Value HIVE",
        }
    }

    /// The figure this column shows of `pool` (`value` is the pool's worth in HIVE).
    pub fn amount(self, pool: &Pool, value: Option<Amount>) -> Option<Amount> {
        match self {
            Self::Pair => None,
            Self::Base => Some(pool.base_quantity),
            Self::Quote => Some(pool.quote_quantity),
            Self::Price => pool.has_price().then_some(pool.base_price),
            Self::Inverse => pool.has_price().then_some(pool.quote_price),
            Self::Shares => Some(pool.total_shares),
            Self::BaseVolume => Some(pool.base_volume),
            Self::QuoteVolume => Some(pool.quote_volume),
            Self::Value => value,
        }
    }
}

/// Orders two pools by `column`; pools without the figure (no value in HIVE) sort last both
/// ways, ties by pair.
pub fn compare(
    (x, xv): (&Pool, Option<Amount>),
    (y, yv): (&Pool, Option<Amount>),
    column: PoolColumn,
    descending: bool,
) -> Ordering {
    let dir = |o: Ordering| if descending { o.reverse() } else { o };
    let by = match column {
        PoolColumn::Pair => dir(x.pair.cmp(&y.pair)),
        c => match (c.amount(x, xv), c.amount(y, yv)) {
            (Some(a), Some(b)) => dir(a.cmp(&b)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    };
    by.then_with(|| x.pair.cmp(&y.pair))
}

/// A column of a pool's providers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProviderColumn {
    Rank,
    Account,
    Shares,
    Share,
    Base,
    Quote,
}

impl ProviderColumn {
    pub const ALL: [Self; 6] = [
        Self::Rank,
        Self::Account,
        Self::Shares,
        Self::Share,
        Self::Base,
        Self::Quote,
    ];

    /// Text and ranks ascend at first press; amounts descend.
    pub fn descends_by_default(self) -> bool {
        !matches!(self, Self::Rank | Self::Account)
    }
}

/// One provider as shown: what their shares are worth in each token, rounded down to the
/// token's precision, and their share of the pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    pub account: String,
    pub shares: Amount,
    pub base: Amount,
    pub quote: Amount,
    /// Percent of the pool's shares; `None` for a pool without shares.
    pub share: Option<Decimal>,
    /// 1 for the most shares.
    pub rank: u32,
}

/// The decimals of the pool's two tokens: from the token list, else the reserve's own (the
/// node writes a reserve with its token's precision).
pub fn precisions(pool: &Pool, tokens: Option<&[Token]>) -> (u32, u32) {
    let of = |symbol: &str, reserve: Amount| {
        tokens
            .and_then(|t| t.iter().find(|t| t.symbol == symbol))
            .map_or_else(
                || {
                    if symbol == HIVE {
                        HIVE_PRECISION
                    } else {
                        reserve.0.scale().min(8)
                    }
                },
                |t| t.precision,
            )
    };
    (
        of(pool.base(), pool.base_quantity),
        of(pool.quote(), pool.quote_quantity),
    )
}

/// Every provider of `detail` with holdings and ranks, in the node's order.
pub fn providers(detail: &PoolDetail, (base_dp, quote_dp): (u32, u32)) -> Vec<Provider> {
    let pool = &detail.pool;
    let mut rows: Vec<Provider> = detail
        .positions
        .iter()
        .map(|p| Provider {
            account: p.account.clone(),
            shares: p.shares,
            base: holding(pool.base_quantity, p.shares, pool.total_shares, base_dp),
            quote: holding(pool.quote_quantity, p.shares, pool.total_shares, quote_dp),
            share: p.shares.percent_of(pool.total_shares),
            rank: 0,
        })
        .collect();
    let by_shares = order(&rows, ProviderColumn::Shares, true);
    for (pos, &i) in by_shares.iter().enumerate() {
        rows[i as usize].rank = u32::try_from(pos + 1).unwrap_or(u32::MAX);
    }
    rows
}

/// Provider positions sorted by `column`; ties by account, so orders are stable.
pub fn order(rows: &[Provider], column: ProviderColumn, descending: bool) -> Vec<u32> {
    let mut order: Vec<u32> = (0..u32::try_from(rows.len()).unwrap_or(u32::MAX)).collect();
    let dir = |o: Ordering| if descending { o.reverse() } else { o };
    order.sort_by(|&a, &b| {
        let (x, y) = (&rows[a as usize], &rows[b as usize]);
        let by = match column {
            ProviderColumn::Rank => x.rank.cmp(&y.rank),
            ProviderColumn::Account => x.account.cmp(&y.account),
            // A share of the pool orders exactly as the shares do.
            ProviderColumn::Shares | ProviderColumn::Share => x.shares.cmp(&y.shares),
            ProviderColumn::Base => x.base.cmp(&y.base),
            ProviderColumn::Quote => x.quote.cmp(&y.quote),
        };
        dir(by).then_with(|| x.account.cmp(&y.account))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Position;

    fn a(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    fn detail() -> PoolDetail {
        let position = |account: &str, shares: &str| Position {
            account: account.into(),
            shares: a(shares),
            time_factor: 0,
        };
        PoolDetail {
            pool: Pool {
                pair: "SWAP.HIVE:LEO".into(),
                base_quantity: a("10.00000000"),
                quote_quantity: a("180.000"),
                base_price: a("18"),
                quote_price: a("0.05555555"),
                base_volume: Amount::ZERO,
                quote_volume: Amount::ZERO,
                total_shares: a("3"),
                precision: 8,
                creator: "c".into(),
            },
            positions: vec![position("bob", "1"), position("alice", "2")],
        }
    }

    #[test]
    fn holdings_ranks_and_shares() {
        let d = detail();
        let rows = providers(&d, precisions(&d.pool, None));
        assert_eq!(rows[0].base.to_string(), "3.33333333");
        assert_eq!(rows[0].quote.to_string(), "60.000");
        assert_eq!((rows[0].rank, rows[1].rank), (2, 1));
        assert_eq!(rows[1].share.unwrap().round_dp(2).to_string(), "66.67");
        assert_eq!(order(&rows, ProviderColumn::Account, false), vec![1, 0]);
        assert_eq!(order(&rows, ProviderColumn::Base, true), vec![1, 0]);
    }
}
