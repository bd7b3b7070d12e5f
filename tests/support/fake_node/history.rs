//! The history API's `GET /marketHistory`: newest first, at most 500 rows, and the range filter
//! applied only when both bounds parse as seconds with `0 < start <= end`.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::data::Dataset;

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
