//! Liquidity pools: a pool's reserves and prices, its providers' shares, and what a share is
//! worth in each token, computed exactly.

use num_bigint::BigInt;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Amount;

/// A row of `marketpools.pools`. `pair` is the node's `"BASE:QUOTE"`, raw (the UI and the CSV
/// writer sanitize it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pool {
    pub pair: String,
    pub base_quantity: Amount,
    pub quote_quantity: Amount,
    /// The base token priced in the quote token (quote ÷ base).
    pub base_price: Amount,
    /// The quote token priced in the base token (base ÷ quote).
    pub quote_price: Amount,
    pub base_volume: Amount,
    pub quote_volume: Amount,
    pub total_shares: Amount,
    pub precision: u32,
    pub creator: String,
}

impl Pool {
    pub fn base(&self) -> &str {
        self.pair.split_once(':').map_or(&self.pair, |(b, _)| b)
    }

    pub fn quote(&self) -> &str {
        self.pair.split_once(':').map_or("", |(_, q)| q)
    }

    /// Whether the pool holds both tokens: an empty pool (no reserve on a side) has no price,
    /// whatever its price fields say (the node leaves them at 0).
    pub fn has_price(&self) -> bool {
        !self.base_quantity.is_zero() && !self.quote_quantity.is_zero()
    }

    /// Whether `symbol` is either side of the pair (whole symbols: `BEE` is not in `BEES:X`).
    pub fn has(&self, symbol: &str) -> bool {
        self.base() == symbol || self.quote() == symbol
    }

    /// Whether `pair` names this pool in either orientation.
    pub fn is(&self, pair: &str) -> bool {
        self.pair == pair
            || pair
                .split_once(':')
                .is_some_and(|(a, b)| self.base() == b && self.quote() == a)
    }

    /// The pool's worth in HIVE: twice its SWAP.HIVE side (an AMM holds equal value on both
    /// sides), else each side at its token's last price, else twice the one side that has a
    /// price; `None` when neither side can be valued.
    pub fn value_in_hive(&self, last_price: impl Fn(&str) -> Option<Amount>) -> Option<Amount> {
        let two = Amount(Decimal::TWO);
        if self.base() == HIVE {
            return Some(self.base_quantity * two);
        }
        if self.quote() == HIVE {
            return Some(self.quote_quantity * two);
        }
        let base = last_price(self.base()).map(|p| self.base_quantity * p);
        let quote = last_price(self.quote()).map(|p| self.quote_quantity * p);
        match (base, quote) {
            (Some(b), Some(q)) => Some(b + q),
            (Some(one), None) | (None, Some(one)) => Some(one * two),
            (None, None) => None,
        }
        .map(|v| v.round_down(HIVE_PRECISION))
    }
}

pub const HIVE: &str = "SWAP.HIVE";
pub const HIVE_PRECISION: u32 = 8;

/// A row of `marketpools.liquidityPositions`: `shares` unrounded, as the node keeps them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub account: String,
    pub shares: Amount,
    /// Milliseconds, as the node writes it.
    pub time_factor: i64,
}

/// One pool and every one of its positions, read together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolDetail {
    pub pool: Pool,
    pub positions: Vec<Position>,
}

/// `reserve × shares ÷ total`, rounded down to `precision` decimals, with every digit kept
/// on the way (a sole provider gets the whole reserve, not a digit less). Zero when the pool
/// has no shares.
pub fn holding(reserve: Amount, shares: Amount, total: Amount, precision: u32) -> Amount {
    if total.is_zero() {
        return Amount::ZERO;
    }
    let parts = |a: Amount| (BigInt::from(a.0.mantissa()), i64::from(a.0.scale()));
    let ((r, rs), (s, ss), (t, ts)) = (parts(reserve), parts(shares), parts(total));
    // r·10^-rs × s·10^-ss ÷ (t·10^-ts), in units of 10^-precision.
    let exponent = ts + i64::from(precision) - rs - ss;
    let ten = |e: i64| BigInt::from(10).pow(u32::try_from(e).unwrap_or(0));
    let (numerator, denominator) = if exponent >= 0 {
        (r * s * ten(exponent), t)
    } else {
        (r * s, t * ten(-exponent))
    };
    let units = floor_div(&numerator, &denominator);
    i128::try_from(units)
        .ok()
        .and_then(|u| Decimal::try_from_i128_with_scale(u, precision).ok())
        .map_or(Amount::ZERO, Amount)
}

/// Division rounding toward minus infinity (`BigInt`'s `/` truncates toward zero).
fn floor_div(n: &BigInt, d: &BigInt) -> BigInt {
    let (q, r) = (n / d, n % d);
    if r != BigInt::ZERO && ((r < BigInt::ZERO) != (*d < BigInt::ZERO)) {
        q - 1
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn a_sole_provider_holds_the_whole_reserve() {
        let total = a("42426.40687119285146405066");
        assert_eq!(holding(a("180000.00000000"), total, total, 8), a("180000"));
        assert_eq!(holding(a("3"), a("1"), a("3"), 0), a("1"));
    }

    #[test]
    fn holdings_round_down_at_the_tokens_precision() {
        // 10 × 1 ÷ 3 = 3.333…: 3.333 at precision 3, never 3.334.
        assert_eq!(holding(a("10.000"), a("1"), a("3"), 3).to_string(), "3.333");
        assert_eq!(holding(a("10"), a("2"), a("3"), 0).to_string(), "6");
        assert!(holding(a("10"), a("1"), a("0"), 8).is_zero());
    }

    #[test]
    fn pairs_match_in_either_orientation_and_whole_symbols() {
        let p = Pool {
            pair: "SWAP.HIVE:LEO".into(),
            base_quantity: a("10"),
            quote_quantity: a("180"),
            base_price: a("18"),
            quote_price: a("0.05555555"),
            base_volume: Amount::ZERO,
            quote_volume: Amount::ZERO,
            total_shares: a("1"),
            precision: 8,
            creator: "alice".into(),
        };
        assert!(p.is("LEO:SWAP.HIVE") && p.is("SWAP.HIVE:LEO") && !p.is("LEO:BEE"));
        assert!(p.has("LEO") && !p.has("LE"));
        assert_eq!(p.value_in_hive(|_| None), Some(a("20")));
    }
}
