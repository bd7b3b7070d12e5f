//! An account's parts as the screen and the exports show them: the wallet valued in HIVE (a
//! token without a price is said to have none, never valued at zero), open orders, pool shares
//! with what they hold of each token, and operations; each with its columns and sort orders.

use rust_decimal::Decimal;

use crate::model::{
    Account, Amount, Balance, HIVE, OpenOrder, Operation, Pool, Side, Token, holding,
};
use crate::pools::precisions;

/// The four parts of an account, in the order `Tab` walks them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Part {
    #[default]
    Wallet,
    Orders,
    Pools,
    Activity,
}

impl Part {
    pub const ALL: [Self; 4] = [Self::Wallet, Self::Orders, Self::Pools, Self::Activity];

    pub fn name(self) -> &'static str {
        match self {
            Self::Wallet => "wallet",
            Self::Orders => "orders",
            Self::Pools => "pools",
            Self::Activity => "activity",
        }
    }

    #[must_use]
    pub fn next(self) -> Self {
        Self::ALL[(self as usize + 1) % 4]
    }

    #[must_use]
    pub fn prev(self) -> Self {
        Self::ALL[(self as usize + 3) % 4]
    }
}

/// One token of the wallet with its price and worth in HIVE.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletRow {
    pub balance: Balance,
    pub owned: Amount,
    /// Last price in HIVE; `None`: the token has no market.
    pub price: Option<Amount>,
    /// `owned × price`, exact.
    pub value: Option<Amount>,
    /// The token's decimals, when the token list knows it.
    pub precision: Option<u32>,
}

/// The wallet's rows: every balance row, valued at its token's last price (SWAP.HIVE is worth
/// 1 HIVE).
pub fn wallet(
    account: &Account,
    last_price: impl Fn(&str) -> Option<Amount>,
    tokens: Option<&[Token]>,
) -> Vec<WalletRow> {
    account
        .balances
        .iter()
        .map(|b| {
            let price = if b.symbol == HIVE {
                Some(Amount(Decimal::ONE))
            } else {
                last_price(&b.symbol)
            };
            let owned = b.owned();
            WalletRow {
                balance: b.clone(),
                owned,
                price,
                value: price.map(|p| owned * p),
                precision: tokens
                    .and_then(|t| t.iter().find(|t| t.symbol == b.symbol))
                    .map(|t| t.precision),
            }
        })
        .collect()
}

/// The wallet's worth in HIVE, and how many tokens with a balance have no price.
pub fn worth(rows: &[WalletRow]) -> (Amount, usize) {
    let total = rows.iter().filter_map(|r| r.value).sum();
    let unpriced = rows
        .iter()
        .filter(|r| r.value.is_none() && !r.owned.is_zero())
        .count();
    (total, unpriced)
}

/// One pool share with what it holds of each token, when the pool is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareRow {
    pub pair: String,
    pub shares: Amount,
    /// Percent of the pool.
    pub share: Option<Decimal>,
    pub base: Option<Amount>,
    pub quote: Option<Amount>,
    pub precisions: (u32, u32),
}

pub fn shares(account: &Account, pools: &[Pool], tokens: Option<&[Token]>) -> Vec<ShareRow> {
    account
        .pools
        .iter()
        .map(|s| {
            let pool = pools.iter().find(|p| p.pair == s.pair);
            let dp = pool.map_or((8, 8), |p| precisions(p, tokens));
            ShareRow {
                pair: s.pair.clone(),
                shares: s.shares,
                share: pool.and_then(|p| s.shares.percent_of(p.total_shares)),
                base: pool.map(|p| holding(p.base_quantity, s.shares, p.total_shares, dp.0)),
                quote: pool.map(|p| holding(p.quote_quantity, s.shares, p.total_shares, dp.1)),
                precisions: dp,
            }
        })
        .collect()
}

/// An order's worth in HIVE: price × quantity, exact.
pub fn order_value(o: &OpenOrder) -> Amount {
    o.price * o.quantity
}

pub fn side_name(side: Side) -> &'static str {
    match side {
        Side::Buy => "buy",
        Side::Sell => "sell",
    }
}

/// The counterparty of an operation for `account`: who sent to it, or whom it sent to.
pub fn counterparty<'a>(op: &'a Operation, account: &str) -> &'a str {
    if op.from == account { &op.to } else { &op.from }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Holder, Locked};
    use std::collections::HashMap;

    fn a(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    fn balance(symbol: &str, balance: &str, stake: &str, out: &str) -> Balance {
        Balance {
            symbol: symbol.into(),
            holder: Holder::new(
                "alice",
                a(balance),
                a(stake),
                Locked {
                    delegations_in: a("5"),
                    delegations_out: a(out),
                    ..Locked::default()
                },
            ),
        }
    }

    #[test]
    fn a_wallet_is_valued_exactly_and_says_what_has_no_price() {
        let account = Account {
            name: "alice".into(),
            balances: vec![
                balance("BEE", "1.5", "2", "0.5"),
                balance("SWAP.HIVE", "10.12345678", "0", "0"),
                balance("NOMKT", "7", "0", "0"),
            ],
            ..Account::default()
        };
        let prices = HashMap::from([("BEE", a("0.33333333"))]);
        let rows = wallet(&account, |s| prices.get(s).copied(), None);
        assert_eq!(
            rows[0].owned,
            a("4"),
            "delegations in are not the account's"
        );
        assert_eq!(rows[0].value, Some(a("1.33333332")));
        assert_eq!(rows[1].value, Some(a("10.12345678")));
        assert_eq!(rows[2].value, None);
        assert_eq!(worth(&rows), (a("11.45679010"), 1));
        assert_eq!(
            crate::table::order_by(&rows, true, |r| r.value),
            vec![1, 0, 2]
        );
    }
}
