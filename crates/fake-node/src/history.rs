//! The history API: daily market rows of each token (days without a trade are absent), and
//! `GET /marketHistory`: newest first, at most 500 rows, the range filter applied only when both
//! bounds parse as seconds with `0 < start <= end`.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::dataset::{DAY, Dataset, Scale, TokenSpec, fixed};
use crate::rng::Rng;

pub const MAX_ROWS: usize = 500;

/// The body and status the history server answers with.
pub fn market_history(data: &Dataset, params: &HashMap<String, String>) -> (u16, Value) {
    let bad = (400, json!({"errors": ["an error occured"]}));
    let Some(symbol) = params.get("symbol").filter(|s| (1..=10).contains(&s.len())) else {
        return bad;
    };
    let bound = |name: &str| params.get(name).and_then(|v| v.parse::<i64>().ok());
    let range = match (bound("timestampStart"), bound("timestampEnd")) {
        (Some(s), Some(e)) if 0 < s && s <= e => Some((s, e)),
        _ => None,
    };
    let rows = data.history(symbol);
    let picked: Vec<Value> = rows
        .iter()
        .rev()
        .filter(|r| {
            let ts = r.get("timestamp").and_then(Value::as_i64).unwrap_or(0);
            range.is_none_or(|(s, e)| s <= ts && ts <= e)
        })
        .take(MAX_ROWS)
        .cloned()
        .collect();
    (200, Value::Array(picked))
}

pub(crate) fn history_rows(scale: &Scale, spec: &TokenSpec) -> Vec<Value> {
    if !spec.has_market {
        return Vec::new();
    }
    let today = scale.now.div_euclid(DAY) * DAY;
    let days = if spec.index == 0 {
        scale.history_days
    } else {
        scale.history_days / (1 + spec.index % 4)
    };
    let mut rng = Rng::new(scale.seed, &spec.symbol, 50_000_000);
    // Walk backwards from today's last price, so the chart ends where the metrics are.
    let mut walk = vec![spec.price_units as f64];
    for _ in 1..days {
        let prev = *walk.last().unwrap_or(&1.0);
        walk.push((prev / (1.0 + (rng.unit() - 0.5) * 0.1)).max(1.0));
    }
    walk.reverse();
    let mut price = walk.first().copied().unwrap_or(1.0);
    let mut rows = Vec::new();
    for (k, d) in (0..days).rev().enumerate() {
        let open = price;
        let close = walk[k];
        price = close;
        // About one day in seven has no order-book trade: it is simply absent.
        if rng.below(7) == 0 {
            continue;
        }
        let high = open.max(close) * (1.0 + rng.unit() * 0.03);
        let low = (open.min(close) * (1.0 - rng.unit() * 0.03)).max(1.0);
        let vol_token = 1 + i128::from(rng.below(10_000_000)) * 10_i128.pow(spec.precision) / 100;
        let vol_hive = vol_token * close as i128 / 10_i128.pow(spec.precision);
        rows.push(json!({
            "_id": format!("{:024x}", (u128::from(rng.next()) << 32) ^ d as u128),
            "timestamp": today - d as i64 * DAY, "symbol": spec.symbol,
            "volumeHive": fixed(vol_hive, 8), "volumeToken": fixed(vol_token, spec.precision),
            "lowestPrice": fixed(low as i128, 8), "highestPrice": fixed(high as i128, 8),
            "openPrice": fixed(open as i128, 8), "closePrice": fixed(close as i128, 8),
        }));
    }
    rows
}
