//! `Amount`: an exact decimal token or HIVE quantity, parsed from the node's strings.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An exact amount. Never a float: balances and supplies reach 16 integer digits plus 8 decimals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(pub Decimal);

/// The text was not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("not a decimal amount: {0:?}")]
    NotDecimal(String),
    #[error("a quantity below zero: {0:?}")]
    BelowZero(String),
}

impl Amount {
    pub const ZERO: Self = Self(Decimal::ZERO);

    /// Parses a wire amount; the node writes new balances as `"0"` and some fields as `""`.
    pub fn parse(text: &str) -> Result<Self, AmountError> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(Self::ZERO);
        }
        Decimal::from_str(t)
            .map(Self)
            .map_err(|_| AmountError::NotDecimal(truncate(text)))
    }

    /// Parses a quantity, which is never below zero: a negative balance, stake, price or share
    /// count is a garbled answer, not data.
    pub fn parse_quantity(text: &str) -> Result<Self, AmountError> {
        let amount = Self::parse(text)?;
        if amount.0.is_sign_negative() && !amount.is_zero() {
            return Err(AmountError::BelowZero(truncate(text)));
        }
        Ok(amount)
    }

    /// Parses a percentage such as `"3.77%"` (the `%` suffix is optional).
    pub fn parse_percent(text: &str) -> Result<Self, AmountError> {
        Self::parse(text.trim().trim_end_matches('%'))
    }

    /// Rounded toward minus infinity at `dp` decimals: what a holder can actually withdraw.
    #[must_use]
    pub fn round_down(self, dp: u32) -> Self {
        Self(
            self.0
                .round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::ToNegativeInfinity),
        )
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// This amount as a share of `whole`, in percent; `None` when `whole` is zero.
    pub fn percent_of(self, whole: Self) -> Option<Decimal> {
        if whole.is_zero() {
            None
        } else {
            self.0
                .checked_mul(Decimal::ONE_HUNDRED)?
                .checked_div(whole.0)
        }
    }

    /// The exact value with exactly `precision` decimals, as the node's `toFixed` writes it.
    pub fn to_fixed(self, precision: u32) -> String {
        let mut out = String::new();
        self.push_fixed(precision, &mut out);
        out
    }

    /// `to_fixed`, appending to `out`. Integer formatting: several times faster than Decimal's
    /// Display, which matters when an export writes a million amounts.
    pub fn push_fixed(self, precision: u32, out: &mut String) {
        let d = if self.0.scale() > precision {
            self.0.round_dp(precision)
        } else {
            self.0
        };
        if let Some(units) = 10_i128
            .checked_pow(precision - d.scale())
            .and_then(|f| d.mantissa().checked_mul(f))
        {
            push_with_point(units, precision, out);
        } else {
            {
                let mut d = d;
                d.rescale(precision);
                out.push_str(&d.to_string());
            }
        }
    }

    /// An integer count of 10^-8 units that orders exactly as the amount does (token amounts
    /// have at most 8 decimals), for fast sorting.
    pub fn sort_key(self) -> i128 {
        let d = if self.0.scale() > 8 {
            self.0.round_dp(8)
        } else {
            self.0
        };
        d.mantissa().saturating_mul(10_i128.pow(8 - d.scale()))
    }

    /// A float for drawing charts only; never for arithmetic on amounts.
    pub fn to_f64_lossy(self) -> f64 {
        use rust_decimal::prelude::ToPrimitive;
        self.0.to_f64().unwrap_or(0.0)
    }
}

/// Writes `units` (a count of 10^-`precision`) in fixed notation by placing the decimal point
/// in its digits: no division beyond the digits themselves, so an export of a million amounts
/// stays fast.
pub fn with_point(units: i128, precision: u32) -> String {
    let mut out = String::new();
    push_with_point(units, precision, &mut out);
    out
}

/// `with_point`, appending to `out` (exports reuse one buffer per field).
pub fn push_with_point(units: i128, precision: u32, out: &mut String) {
    let mut buf = [0_u8; 40];
    let mut n = units.unsigned_abs();
    let mut len = 0;
    while n > 0 || len == 0 {
        buf[39 - len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
    }
    let p = precision as usize;
    while len <= p {
        buf[39 - len] = b'0';
        len += 1;
    }
    let digits = std::str::from_utf8(&buf[40 - len..]).unwrap_or("0");
    if units < 0 {
        out.push('-');
    }
    let (int, frac) = digits.split_at(digits.len() - p);
    out.push_str(int);
    if p > 0 {
        out.push('.');
        out.push_str(frac);
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(40).collect()
}

impl std::ops::Add for Amount {
    type Output = Self;
    fn add(self, rhs: Self) -> Self {
        Self(self.0.saturating_add(rhs.0))
    }
}

impl std::ops::Sub for Amount {
    type Output = Self;
    fn sub(self, rhs: Self) -> Self {
        Self(self.0.saturating_sub(rhs.0))
    }
}

impl std::ops::Mul for Amount {
    type Output = Self;
    fn mul(self, rhs: Self) -> Self {
        Self(self.0.saturating_mul(rhs.0))
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

// The cache stores mantissa and scale (varints in postcard: a zero is two bytes, a typical
// balance eight); JSON and other text formats get the exact decimal string.
impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(&self.0)
        } else {
            (self.0.mantissa(), u8::try_from(self.0.scale()).unwrap_or(0)).serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            Self::parse(&s).map_err(serde::de::Error::custom)
        } else {
            let (mantissa, scale) = <(i128, u8)>::deserialize(d)?;
            Decimal::try_from_i128_with_scale(mantissa, u32::from(scale))
                .map(Self)
                .map_err(serde::de::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quantity_below_zero_is_refused_and_minus_zero_is_zero() {
        assert_eq!(
            Amount::parse_quantity("-5.000"),
            Err(AmountError::BelowZero("-5.000".into()))
        );
        assert!(Amount::parse_quantity("-0.000").is_ok_and(Amount::is_zero));
        assert_eq!(Amount::parse("-5").map(|a| a.to_string()), Ok("-5".into()));
    }

    #[test]
    fn parses_the_wire_forms() {
        assert_eq!(Amount::parse("0").unwrap(), Amount::ZERO);
        assert_eq!(Amount::parse("").unwrap(), Amount::ZERO);
        assert_eq!(Amount::parse_percent("3.77%").unwrap().to_string(), "3.77");
        assert_eq!(
            Amount::parse_percent("-10.89%").unwrap().to_string(),
            "-10.89"
        );
        assert!(Amount::parse("12abc").is_err());
    }

    #[test]
    fn keeps_sixteen_integer_digits_exactly() {
        let max = Amount::parse("9007199254740991.00000000").unwrap();
        assert_eq!(max.to_fixed(8), "9007199254740991.00000000");
        let sum = max + Amount::parse("0.00000001").unwrap();
        assert_eq!(sum.to_fixed(8), "9007199254740991.00000001");
    }

    #[test]
    fn older_rows_with_fewer_decimals_compare_exactly() {
        assert_eq!(
            Amount::parse("1.500").unwrap(),
            Amount::parse("1.50000000").unwrap()
        );
        assert_eq!(Amount::parse("1.5").unwrap().to_fixed(8), "1.50000000");
    }

    #[test]
    fn fixed_notation_pads_rounds_and_keeps_signs() {
        let f = |s: &str, p| Amount::parse(s).unwrap().to_fixed(p);
        assert_eq!(f("1.5", 8), "1.50000000");
        assert_eq!(f("0.005", 3), "0.005");
        assert_eq!(f("2.0049", 2), "2.00");
        assert_eq!(f("-0.5", 2), "-0.50");
        assert_eq!(f("12", 0), "12");
        assert_eq!(f("0", 3), "0.000");
    }

    #[test]
    fn sort_keys_order_like_amounts() {
        let keys: Vec<i128> = [
            "0",
            "0.00000001",
            "1.5",
            "1.50000000",
            "2",
            "9007199254740991.00000000",
        ]
        .iter()
        .map(|s| Amount::parse(s).unwrap().sort_key())
        .collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(keys[2], keys[3]);
        assert_eq!(keys[5], 900_719_925_474_099_100_000_000);
    }

    #[test]
    fn round_trips_through_binary_and_text() {
        let a = Amount::parse("123456.78900000").unwrap();
        let bytes = postcard::to_allocvec(&a).unwrap();
        assert_eq!(postcard::from_bytes::<Amount>(&bytes).unwrap(), a);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "\"123456.78900000\"");
        assert_eq!(serde_json::from_str::<Amount>(&json).unwrap(), a);
    }
}
