//! Balances that move between reads, for richlist history: each round (`POST /admin/move`)
//! applies one deterministic set of trades to every token's balance rows. About one holder in
//! fifty buys, one in fifty sells, one in a hundred moves tokens between balance and stake, one
//! in two hundred leaves (its row goes to zero, as rows on chain do) and a few accounts arrive.
//! A row written again carries the token's current precision, as the contract writes it.

use serde_json::{Value, json};

use crate::dataset::{TokenSpec, account_name, fixed};
use crate::rng::Rng;

/// `text` as an integer of its own decimals.
fn units(text: &str) -> (i128, u32) {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = format!("{whole}{frac}");
    (digits.parse().unwrap_or(0), frac.len() as u32)
}

fn field(row: &Value, name: &str) -> (i128, u32) {
    row.get(name).and_then(Value::as_str).map_or((0, 0), units)
}

/// The rows after round `round` of moves, from the rows before it.
pub fn moved(rows: &[Value], spec: &TokenSpec, seed: u64, round: u64) -> Vec<Value> {
    let next_id = rows
        .iter()
        .filter_map(|r| r["_id"].as_i64())
        .max()
        .unwrap_or(0)
        + 1;
    let mut out: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut rng = Rng::new(
                seed,
                &spec.symbol,
                200_000_000 + round * 10_000_000 + i as u64,
            );
            let mut row = row.clone();
            if row["account"] == "null" {
                return row;
            }
            // A row the contract writes again carries the token's current precision.
            let dp = spec.precision;
            let scaled = |(u, d): (i128, u32)| u * 10_i128.pow(dp.saturating_sub(d));
            let mut balance = scaled(field(&row, "balance"));
            let mut stake = scaled(field(&row, "stake"));
            match rng.below(200) {
                0..=3 => {
                    balance +=
                        1 + (balance + stake).max(10_i128.pow(dp)) / (2 + rng.below(8) as i128)
                }
                4..=7 => balance -= balance / (1 + rng.below(4) as i128),
                8 | 9 => {
                    let moved = balance / 3;
                    balance -= moved;
                    stake += moved;
                }
                10 => {
                    let moved = stake / 2;
                    stake -= moved;
                    balance += moved;
                }
                11 => {
                    balance = 0;
                    stake = 0;
                }
                _ => return row,
            }
            row["balance"] = json!(fixed(balance, dp));
            if row.get("stake").is_some() || stake != 0 {
                row["stake"] = json!(fixed(stake, dp));
            }
            row
        })
        .collect();
    let mut rng = Rng::new(seed, &spec.symbol, 190_000_000 + round);
    let arrivals = (rows.len() / 100).max(1);
    for (k, id) in (0..arrivals).zip(next_id..) {
        let name = account_name(&format!("{}-new{round}", spec.symbol), k, seed);
        let units = 1 + i128::from(rng.below(1_000_000)) * 10_i128.pow(spec.precision) / 100;
        out.push(json!({"_id": id, "account": name, "symbol": spec.symbol,
            "balance": fixed(units, spec.precision), "stake": fixed(0, spec.precision),
            "pendingUnstake": "0", "delegationsIn": "0", "delegationsOut": "0",
            "pendingUndelegations": "0"}));
    }
    out
}
