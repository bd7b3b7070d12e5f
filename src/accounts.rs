//! An account's parts as the screen and the exports show them: the wallet valued in HIVE (a
//! token without a price is said to have none, never valued at zero), open orders, pool shares
//! with what they hold of each token and its worth, and operations; what it all is worth.

use std::collections::BTreeSet;

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

/// A token's price in HIVE: SWAP.HIVE is worth 1 HIVE, any other its last price if it has one.
fn price_in_hive(symbol: &str, last_price: impl Fn(&str) -> Option<Amount>) -> Option<Amount> {
    if symbol == HIVE {
        Some(Amount(Decimal::ONE))
    } else {
        last_price(symbol)
    }
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
            let price = price_in_hive(&b.symbol, &last_price);
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

/// What an account owns, in HIVE: its wallet, its pool positions, and how many tokens it holds
/// (in either) without a price, which are not counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Worth {
    pub wallet: Amount,
    /// `None` while a pool the account has shares of is not known (the pools are loading).
    pub pools: Option<Amount>,
    pub unpriced: usize,
}

impl Worth {
    /// Everything counted: the wallet and the pools known.
    pub fn total(&self) -> Amount {
        self.wallet + self.pools.unwrap_or(Amount::ZERO)
    }
}

/// The account's worth from its wallet and pool rows; a token held in both without a price is
/// one token not counted.
pub fn worth(wallet: &[WalletRow], shares: &[ShareRow]) -> Worth {
    let mut unpriced: BTreeSet<&str> = wallet
        .iter()
        .filter(|r| r.value.is_none() && !r.owned.is_zero())
        .map(|r| r.balance.symbol.as_str())
        .collect();
    for r in shares {
        let (base, quote) = r.pair.split_once(':').unwrap_or((&r.pair, ""));
        for (symbol, held, price) in [(base, r.base, r.prices.0), (quote, r.quote, r.prices.1)] {
            if held.is_some_and(|h| !h.is_zero()) && price.is_none() {
                unpriced.insert(symbol);
            }
        }
    }
    let known = shares.iter().all(|r| r.base.is_some());
    Worth {
        wallet: wallet.iter().filter_map(|r| r.value).sum(),
        pools: known.then(|| shares.iter().filter_map(|r| r.value).sum()),
        unpriced: unpriced.len(),
    }
}

/// One pool share with what it holds of each token and its worth, when the pool is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareRow {
    pub pair: String,
    pub shares: Amount,
    /// Percent of the pool.
    pub share: Option<Decimal>,
    /// The share of each reserve: `reserve × shares ÷ total shares`, at the token's precision.
    pub base: Option<Amount>,
    pub quote: Option<Amount>,
    pub precisions: (u32, u32),
    /// Each side's price in HIVE, where it has one.
    pub prices: (Option<Amount>, Option<Amount>),
    /// Each side held × its price, summed over the sides that have one; `None` when neither
    /// has (or the pool is not known).
    pub value: Option<Amount>,
}

/// The account's pool shares, each valued at its tokens' last prices.
pub fn shares(
    account: &Account,
    pools: &[Pool],
    last_price: impl Fn(&str) -> Option<Amount>,
    tokens: Option<&[Token]>,
) -> Vec<ShareRow> {
    account
        .pools
        .iter()
        .map(|s| {
            let pool = pools.iter().find(|p| p.pair == s.pair);
            let dp = pool.map_or((8, 8), |p| precisions(p, tokens));
            let base = pool.map(|p| holding(p.base_quantity, s.shares, p.total_shares, dp.0));
            let quote = pool.map(|p| holding(p.quote_quantity, s.shares, p.total_shares, dp.1));
            let prices = pool.map_or((None, None), |p| {
                (
                    price_in_hive(p.base(), &last_price),
                    price_in_hive(p.quote(), &last_price),
                )
            });
            let sides = [(base, prices.0), (quote, prices.1)];
            let values = sides
                .iter()
                .filter_map(|&(held, price)| Some(held? * price?));
            let value = values.reduce(|a, b| a + b);
            ShareRow {
                pair: s.pair.clone(),
                shares: s.shares,
                share: pool.and_then(|p| s.shares.percent_of(p.total_shares)),
                base,
                quote,
                precisions: dp,
                prices,
                value,
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
        let w = worth(&rows, &[]);
        assert_eq!(
            (w.wallet, w.pools, w.unpriced),
            (a("11.45679010"), Some(Amount::ZERO), 1)
        );
        assert_eq!(
            crate::table::order_by(&rows, true, |r| r.value),
            vec![1, 0, 2]
        );
    }

    #[test]
    fn pool_positions_are_worth_their_share_of_each_reserve_at_last_prices() {
        let pool = |pair: &str, base: &str, quote: &str| Pool {
            pair: pair.into(),
            base_quantity: a(base),
            quote_quantity: a(quote),
            base_price: Amount::ZERO,
            quote_price: Amount::ZERO,
            base_volume: Amount::ZERO,
            quote_volume: Amount::ZERO,
            total_shares: a("3"),
            precision: 8,
            creator: "c".into(),
        };
        let share = |pair: &str, shares: &str| crate::model::PoolShare {
            pair: pair.into(),
            shares: a(shares),
        };
        let only_pools = Account {
            name: "poolwhale".into(),
            pools: vec![share("SWAP.HIVE:KEEP", "2"), share("KEEP:NOMKT", "1")],
            ..Account::default()
        };
        let pools = [
            pool("SWAP.HIVE:KEEP", "30.00000000", "600.000"),
            pool("KEEP:NOMKT", "9.000", "7"),
        ];
        let prices = HashMap::from([("KEEP", a("0.05"))]);
        let price = |s: &str| prices.get(s).copied();
        let rows = shares(&only_pools, &pools, price, None);
        // 2/3 of 30 SWAP.HIVE at 1, and 2/3 of 600 KEEP at 0.05: 20 + 20.
        assert_eq!(rows[0].value, Some(a("40")));
        // 1/3 of 9 KEEP at 0.05; NOMKT has no price and is not counted.
        assert_eq!(rows[1].value, Some(a("0.15")));
        let w = worth(&[], &rows);
        assert_eq!(
            (w.wallet, w.pools, w.unpriced),
            (Amount::ZERO, Some(a("40.15")), 1)
        );
        assert_eq!(
            w.total(),
            a("40.15"),
            "an account of pools only is worth them"
        );

        let unknown = shares(&only_pools, &pools[..1], price, None);
        assert_eq!(
            worth(&[], &unknown).pools,
            None,
            "a pool not loaded yet is not a zero"
        );
    }
}
