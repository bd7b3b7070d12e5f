//! The history API's `GET /accountHistory`: an account's operations newest first, at most 500
//! a request, paged by `offset`, filtered by `symbol`, `ops` and a time range given with both
//! bounds; a missing or short `account` is the API's 400.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::dataset::{Dataset, SHARED_ACCOUNTS, account_name, fixed};
use crate::history::MAX_ROWS;
use crate::rng::Rng;

const OPS: &[&str] = &[
    "tokens_transfer",
    "market_buy",
    "market_sell",
    "tokens_stake",
    "tokens_unstakeStart",
    "market_placeOrder",
];

/// How many operations `account` has: the biggest shared account more than two pages.
fn count(data: &Dataset, account: &str) -> usize {
    if account == account_name("shared", 0, data.scale.seed) {
        return 1_300;
    }
    let shared =
        (1..SHARED_ACCOUNTS).any(|r| account == account_name("shared", r, data.scale.seed));
    let mut rng = Rng::new(data.scale.seed, account, 60_000_000);
    if shared {
        150 + rng.below(250) as usize
    } else {
        3 + rng.below(60) as usize
    }
}

/// The `i`-th newest operation of `account`.
fn row(data: &Dataset, account: &str, i: usize) -> Value {
    let mut rng = Rng::new(data.scale.seed, account, 61_000_000 + i as u64);
    let spec = &data.specs[rng.below(data.specs.len() as u64) as usize];
    let p = spec.precision;
    let ts = data.scale.now - 60 - (i as i64) * 5_400 - rng.below(3_000) as i64;
    let op = OPS[rng.below(OPS.len() as u64) as usize];
    let qty = fixed(
        1 + i128::from(rng.below(10_000_000)) * 10_i128.pow(p) / 1_000,
        p,
    );
    let other = account_name(&spec.symbol, 20 + rng.below(400) as usize, data.scale.seed);
    let mut v = json!({
        "_id": format!("{:024x}", (u128::from(rng.next()) << 20) ^ i as u128),
        "blockNumber": 52_000_000 - i as u64 * 1_800,
        "transactionId": format!("{:040x}", u128::from(rng.next()) << 8),
        "timestamp": ts, "operation": op, "account": account, "symbol": spec.symbol,
    });
    match op {
        "tokens_transfer" => {
            let (from, to) = if rng.below(2) == 0 {
                (account, other.as_str())
            } else {
                (other.as_str(), account)
            };
            v["from"] = json!(from);
            v["to"] = json!(to);
            v["quantity"] = json!(qty);
            v["memo"] = json!(if i % 17 == 3 {
                "=HYPERLINK(\"x\") \u{1b}[31mred"
            } else {
                ""
            });
        }
        "market_buy" | "market_sell" => {
            v["quantityTokens"] = json!(qty);
            v["quantityHive"] = json!(fixed(i128::from(rng.below(100_000_000_000)), 8));
        }
        "market_placeOrder" => {
            v["orderType"] = json!(if rng.below(2) == 0 { "buy" } else { "sell" });
            v["price"] = json!(fixed(i128::from(1 + rng.below(500_000_000)), 8));
            v["quantityLocked"] = json!(qty);
        }
        _ => v["quantity"] = json!(qty),
    }
    v
}

pub fn account_history(data: &Dataset, params: &HashMap<String, String>) -> (u16, Value) {
    let bad = (400, json!({"errors": ["an error occured"]}));
    let Some(accounts) = params.get("account").filter(|a| a.len() >= 3) else {
        return bad;
    };
    let list = |name: &str| -> Option<Vec<String>> {
        params
            .get(name)
            .map(|v| v.split(',').map(str::to_owned).collect())
    };
    let (symbol, ops) = (params.get("symbol"), list("ops"));
    let bound = |name: &str| params.get(name).and_then(|v| v.parse::<i64>().ok());
    let range = match (bound("timestampStart"), bound("timestampEnd")) {
        (Some(s), Some(e)) if 0 < s && s <= e => Some((s, e)),
        _ => None,
    };
    let limit = match params.get("limit").and_then(|l| l.parse::<i64>().ok()) {
        None => MAX_ROWS,
        Some(l) if l <= 0 => 1,
        Some(l) => (l as usize).min(MAX_ROWS),
    };
    let offset = params
        .get("offset")
        .and_then(|o| o.parse::<usize>().ok())
        .unwrap_or(0);
    let mut rows: Vec<Value> = accounts
        .split(',')
        .filter(|a| data.has_account(a))
        .flat_map(|a| (0..count(data, a)).map(move |i| row(data, a, i)))
        .filter(|r| {
            let ts = r["timestamp"].as_i64().unwrap_or(0);
            symbol.is_none_or(|s| r["symbol"] == s.as_str())
                && ops
                    .as_ref()
                    .is_none_or(|o| o.iter().any(|op| r["operation"] == op.as_str()))
                && range.is_none_or(|(s, e)| s <= ts && ts <= e)
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r["timestamp"].as_i64().unwrap_or(0)));
    (
        200,
        Value::Array(rows.into_iter().skip(offset).take(limit).collect()),
    )
}
