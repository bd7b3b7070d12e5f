//! The `marketpools` contract's tables: `marketpools.pools` (one orientation per pair, numbers
//! `0` in a freshly created pool, unrounded share totals) and `marketpools.liquidityPositions`
//! (one busy pool needs several pages; shares add up exactly to the pool's `totalShares`).

use serde_json::{Value, json};

use crate::dataset::{Scale, TokenSpec, account_name, fixed, holder_name};
use crate::rng::Rng;

/// Decimals of the shares the fake writes (BigNumber's default for a division result).
const SHARE_DP: u32 = 20;
/// Positions of the busiest pool: more than two pages of 1000.
pub const BUSY_POSITIONS: usize = 3_000;
/// Large enough that every pool's position `_id`s form one increasing block.
const POSITION_ID_STRIDE: i64 = 100_000;

/// One pool's generation parameters.
#[derive(Clone, Debug)]
pub struct PoolSpec {
    pub index: usize,
    pub base: String,
    pub quote: String,
    pub base_precision: u32,
    pub quote_precision: u32,
    pub positions: usize,
    pub kind: PoolKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolKind {
    Active,
    /// Created, never funded: the node writes the number `0` in every amount field.
    Fresh,
    /// Funded once and drained since: zero strings and no positions.
    Drained,
}

impl PoolSpec {
    pub fn pair(&self) -> String {
        format!("{}:{}", self.base, self.quote)
    }
}

/// The pairs that exist, in creation (`_id`) order: the busy `SWAP.HIVE:BEE` first, then the
/// odd ones (a token missing from `tokens.tokens`, hostile text, fresh and drained pools),
/// then HIVE pairs of every token among cross pairs, up to `scale.pools`.
pub fn pool_specs(scale: &Scale, specs: &[TokenSpec]) -> Vec<PoolSpec> {
    let precision = |s: &str| specs.iter().find(|t| t.symbol == s).map(|t| t.precision);
    let hive = "SWAP.HIVE";
    let mut pairs: Vec<(String, String, PoolKind)> = vec![
        (hive.into(), "BEE".into(), PoolKind::Active),
        (hive.into(), "GHOST".into(), PoolKind::Active),
        (
            "=HYPER\u{1b}[31mLINK\u{7}".into(),
            hive.into(),
            PoolKind::Active,
        ),
        (hive.into(), "NEWTOK".into(), PoolKind::Fresh),
        ("BEE".into(), "NOMKT".into(), PoolKind::Drained),
    ];
    let others: Vec<&str> = specs
        .iter()
        .map(|t| t.symbol.as_str())
        .filter(|s| !matches!(*s, "SWAP.HIVE" | "BEE" | "NEWTOK"))
        .collect();
    // HIVE pairs of every token, with a cross pair after every third (so that a token sits
    // on either side of several pairs).
    let hive_pairs = others.iter().map(|s| (hive.to_owned(), (*s).to_owned()));
    // Neighbours first, then tokens further apart: each token on both sides of a few pairs,
    // never the same two tokens twice.
    let n = others.len();
    let mut cross = (1..=n.saturating_sub(1) / 2).flat_map(|step| {
        let others = &others;
        (0..n).map(move |a| (others[a].to_owned(), others[(a + step) % n].to_owned()))
    });
    for (n, pair) in hive_pairs.enumerate() {
        pairs.push((pair.0, pair.1, PoolKind::Active));
        if n % 3 == 2 {
            pairs.extend(cross.next().map(|(a, b)| (a, b, PoolKind::Active)));
        }
    }
    while pairs.len() < scale.pools {
        let Some((a, b)) = cross.next() else { break };
        pairs.push((a, b, PoolKind::Active));
    }
    pairs.truncate(scale.pools);
    pairs
        .into_iter()
        .enumerate()
        .map(|(index, (base, quote, kind))| {
            let mut rng = Rng::new(scale.seed, &format!("{base}:{quote}"), 70_000_000);
            let positions = match kind {
                _ if index == 0 => BUSY_POSITIONS,
                PoolKind::Fresh | PoolKind::Drained => 0,
                PoolKind::Active if rng.below(10) == 0 => 200 + rng.below(900) as usize,
                PoolKind::Active => 1 + rng.below(60) as usize,
            };
            PoolSpec {
                index,
                base_precision: precision(&base).unwrap_or(3),
                quote_precision: precision(&quote).unwrap_or(0),
                base,
                quote,
                positions,
                kind,
            }
        })
        .collect()
}

/// Shares of provider `i`, in units of 10^-20: a long tail with ragged last digits.
fn share_units(scale: &Scale, pool: &PoolSpec, i: usize) -> i128 {
    let mut rng = Rng::new(scale.seed, &pool.pair(), 80_000_000 + i as u64);
    let whole = 400_000.0 / ((i + 1) as f64).powf(1.2) * (0.5 + rng.unit());
    (whole * 1e8) as i128 * 10_i128.pow(SHARE_DP - 8) + i128::from(rng.below(1_000_000_000_000))
}

/// `units` of 10^-20 as BigNumber's `toString` writes them: no trailing zeros.
fn unrounded(units: i128) -> String {
    let text = fixed(units, SHARE_DP);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

pub(crate) fn pool_row(scale: &Scale, pool: &PoolSpec) -> Value {
    let id = pool.index + 1;
    let precision = pool.base_precision.max(pool.quote_precision);
    let creator = account_name("pools", pool.index, scale.seed);
    match pool.kind {
        PoolKind::Fresh => {
            return json!({"_id": id, "tokenPair": pool.pair(), "baseQuantity": 0, "baseVolume": 0,
                "basePrice": 0, "quoteQuantity": 0, "quoteVolume": 0, "quotePrice": 0,
                "totalShares": 0, "precision": precision, "creator": creator});
        }
        PoolKind::Drained => {
            return json!({"_id": id, "tokenPair": pool.pair(),
                "baseQuantity": fixed(0, pool.base_precision), "baseVolume": fixed(1_000 * 10_i128.pow(pool.base_precision), pool.base_precision),
                "basePrice": fixed(0, precision), "quoteQuantity": fixed(0, pool.quote_precision),
                "quoteVolume": fixed(2_000 * 10_i128.pow(pool.quote_precision), pool.quote_precision), "quotePrice": fixed(0, precision),
                "totalShares": "0", "precision": precision, "creator": creator});
        }
        PoolKind::Active => {}
    }
    let mut rng = Rng::new(scale.seed, &pool.pair(), 90_000_000);
    let (bp, qp) = (pool.base_precision, pool.quote_precision);
    let base_whole = 100.0 + rng.unit() * 500_000.0;
    let quote_whole = base_whole * (0.001 + rng.unit() * 200.0);
    let base = ((base_whole * 10_f64.powi(bp as i32)) as i128).max(1);
    let quote = ((quote_whole * 10_f64.powi(qp as i32)) as i128).max(1);
    // base priced in quote = quote / base, and the inverse, each to the pool's precision.
    let base_price = quote * 10_i128.pow(bp + precision) / (base * 10_i128.pow(qp));
    let quote_price = base * 10_i128.pow(qp + precision) / (quote * 10_i128.pow(bp));
    let total: i128 = (0..pool.positions)
        .map(|i| share_units(scale, pool, i))
        .sum();
    json!({"_id": id, "tokenPair": pool.pair(),
        "baseQuantity": fixed(base, bp), "baseVolume": fixed(base * 37, bp),
        "basePrice": fixed(base_price, precision),
        "quoteQuantity": fixed(quote, qp), "quoteVolume": fixed(quote * 41, qp),
        "quotePrice": fixed(quote_price, precision),
        "totalShares": unrounded(total), "precision": precision, "creator": creator})
}

pub(crate) fn position_rows(scale: &Scale, pool: &PoolSpec) -> Vec<Value> {
    let base_id = (pool.index as i64 + 1) * POSITION_ID_STRIDE;
    // Providers joined in no particular order of size: `_id` order is not shares order.
    let step = (1..)
        .map(|k| 104_729 * k + 1)
        .find(|s| gcd(*s, pool.positions.max(1)) == 1)
        .unwrap_or(1);
    (0..pool.positions)
        .map(|i| {
            let rank = (i * step + 7) % pool.positions;
            json!({"_id": base_id + i as i64,
                "account": holder_name(&pool.quote, rank, scale.seed),
                "tokenPair": pool.pair(),
                "shares": unrounded(share_units(scale, pool, rank)),
                "timeFactor": (scale.now - rank as i64 * 3_600) * 1_000})
        })
        .collect()
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_unrounded_and_sum_to_the_total() {
        assert_eq!(unrounded(1_500_000_000_000_000_000_000), "15");
        assert_eq!(unrounded(1_234_500_000_000_000_000), "0.012345");
    }
}
