//! The `tokens` contract's tables: `tokens.tokens` (facts, hostile metadata included) and
//! `tokens.balances` (a long-tailed richlist with irregular old rows and the `null` account).

use serde_json::{Value, json};

use crate::dataset::{Scale, TokenSpec, account_name, fixed, holder_name};
use crate::rng::Rng;

/// Large enough that every token's balance `_id`s form one increasing block.
const BALANCE_ID_STRIDE: i64 = 10_000_000;

/// Units held by holder `rank` (0 = biggest whale): a long-tailed distribution.
fn holding_units(scale: &Scale, spec: &TokenSpec, rank: usize) -> i128 {
    let mut rng = Rng::new(scale.seed, &spec.symbol, 1_000_000 + rank as u64);
    let whole = 5_000_000.0 / ((rank + 1) as f64).powf(1.15) * (0.5 + rng.unit());
    let units = whole * 10_f64.powi(spec.precision as i32);
    (units as i128).max(1)
}

fn burned_units(scale: &Scale, spec: &TokenSpec) -> i128 {
    if spec.index.is_multiple_of(2) && spec.holders > 0 {
        holding_units(scale, spec, 3) / 2
    } else {
        0
    }
}

fn supply_units(scale: &Scale, spec: &TokenSpec) -> i128 {
    (0..spec.holders)
        .map(|r| holding_units(scale, spec, r))
        .sum::<i128>()
        + burned_units(scale, spec)
}

fn metadata(symbol: &str) -> String {
    let long = "x".repeat(900);
    match symbol {
        "EVIL" => json!({"url": "https://evil.example/\u{1b}]8;;http://x\u{7}", "icon": "javascript:alert(1)",
            "desc": "=cmd|' /C calc'!A0 \u{1b}[31mRED\u{1b}[0m \u{1b}[2J cleared \r\n\t\u{7}bell\u{0}"})
        .to_string(),
        "WIDE" => json!({"url": "https://wide.example", "desc": "全角テキスト 🚀🚀 مرحبا بالعالم \u{202e}desrever"}).to_string(),
        "BADMETA" => "{\"url\": \"https://bad.example\", \"desc\": \"unterminated".to_owned(),
        "LONGDESC" => json!({"url": "https://long.example", "desc": long}).to_string(),
        _ => json!({"url": format!("https://{}.example", symbol.to_lowercase()), "icon": "",
            "desc": format!("The {symbol} token.")})
        .to_string(),
    }
}

pub(crate) fn token_row(scale: &Scale, spec: &TokenSpec) -> Value {
    let p = spec.precision;
    let supply = supply_units(scale, spec);
    let circulating = supply - burned_units(scale, spec);
    let max_supply = if spec.symbol == "BEE" {
        "9007199254740991.00000000".to_owned()
    } else {
        fixed(supply.max(1) * 10, p)
    };
    let staking = spec.index % 3 != 2;
    let mut row = json!({
        "_id": spec.index + 1,
        "issuer": if spec.index == 0 { "null".to_owned() } else { account_name("issuer", spec.index, scale.seed) },
        "symbol": spec.symbol,
        "name": token_name(&spec.symbol),
        "metadata": metadata(&spec.symbol),
        "precision": p,
        "maxSupply": max_supply,
        "supply": fixed(supply, p),
        "circulatingSupply": fixed(circulating, p),
        "stakingEnabled": staking,
        "unstakingCooldown": if staking { 1 + spec.index % 40 } else { 1 },
        "delegationEnabled": staking && spec.index.is_multiple_of(2),
        "undelegationCooldown": if staking { 7 } else { 0 },
    });
    if staking {
        row["numberTransactions"] = json!(4);
        row["totalStaked"] = json!(fixed(supply / 3, p));
    }
    row
}

fn token_name(symbol: &str) -> String {
    match symbol {
        "BEE" => "Hive Engine Token".to_owned(),
        "SWAP.HIVE" => "HIVE Pegged".to_owned(),
        "LEO" => "LeoFinance".to_owned(),
        _ => {
            let lower = symbol.replace('.', " ").to_lowercase();
            let mut c = lower.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
                + " Token"
        }
    }
}

pub(crate) fn balance_rows(scale: &Scale, spec: &TokenSpec) -> Vec<Value> {
    let h = spec.holders;
    let p = spec.precision;
    let base_id = (spec.index as i64 + 1) * BALANCE_ID_STRIDE;
    let mut rows = Vec::with_capacity(h + 1);
    // A permutation so that `_id` order is neither account nor amount order.
    let step = (1..)
        .map(|k| 7919 * k + 1)
        .find(|s| gcd(*s, h.max(1)) == 1)
        .unwrap_or(1);
    for i in 0..h {
        let rank = (i * step + 13) % h;
        let units = holding_units(scale, spec, rank);
        let mut rng = Rng::new(scale.seed, &spec.symbol, 5_000_000 + rank as u64);
        let precision_of_row = match spec.old_precision {
            Some(old) if i % 2 == 0 => old,
            _ => p,
        };
        let row_units = if precision_of_row < p {
            let f = 10_i128.pow(p - precision_of_row);
            (units / f) * f
        } else {
            units
        };
        let shown = |u: i128| fixed(u / 10_i128.pow(p - precision_of_row), precision_of_row);
        let id = base_id + i as i64;
        let account = holder_name(&spec.symbol, rank, scale.seed);
        let mut row = json!({"_id": id, "account": account, "symbol": spec.symbol});
        match rng.below(20) {
            // A brand-new row: nothing held yet.
            0 => {
                row["balance"] = json!("0");
                for f in [
                    "stake",
                    "pendingUnstake",
                    "delegationsIn",
                    "delegationsOut",
                    "pendingUndelegations",
                ] {
                    row[f] = json!("0");
                }
                rows.push(row);
                continue;
            }
            // An old row from before staking: no stake fields at all.
            1 | 2 => {
                row["balance"] = json!(shown(row_units));
                rows.push(row);
                continue;
            }
            _ => {}
        }
        let staked = if spec.index % 3 != 2 {
            row_units * i128::from(rng.below(90)) / 100
        } else {
            0
        };
        let delegated_out = if rng.below(5) == 0 { staked / 4 } else { 0 };
        let pending_unstake = if rng.below(8) == 0 { staked / 10 } else { 0 };
        let delegations_in = if rng.below(10) == 0 { row_units / 5 } else { 0 };
        row["balance"] = json!(shown(row_units - staked));
        row["stake"] = json!(shown(staked - delegated_out));
        row["pendingUnstake"] = json!(shown(pending_unstake));
        row["delegationsIn"] = json!(shown(delegations_in));
        row["delegationsOut"] = json!(shown(delegated_out));
        row["pendingUndelegations"] = json!(shown(0));
        rows.push(row);
    }
    let burned = burned_units(scale, spec);
    if burned > 0 {
        rows.push(
            json!({"_id": base_id + h as i64, "account": "null", "symbol": spec.symbol,
            "balance": fixed(burned, p), "stake": fixed(0, p), "pendingUnstake": "0",
            "delegationsIn": "0", "delegationsOut": "0", "pendingUndelegations": "0"}),
        );
    }
    rows
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}
