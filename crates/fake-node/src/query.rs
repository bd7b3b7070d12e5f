//! The subset of MongoDB query semantics a Hive-Engine node exposes through `find`, with BSON
//! type bracketing: strings compare as strings, numbers (and `$numberDecimal`) as numbers.

use std::cmp::Ordering;

use std::sync::Arc;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::dataset::Partition;

/// Indexes that exist per table (`createTable` calls in the node's contracts).
pub fn table_indexes(table: &str) -> &'static [&'static str] {
    match table {
        "tokens_tokens" | "market_metrics" | "market_tradesHistory" => &["symbol"],
        "tokens_balances" => &["account"],
        "marketpools_pools" => &["tokenPair"],
        "marketpools_liquidityPositions" => &["account", "tokenPair"],
        "market_buyBook" | "market_sellBook" => {
            &["symbol", "account", "priceDec", "expiration", "txId"]
        }
        _ => &[],
    }
}

#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Scalar<'a> {
    Num(f64),
    Str(&'a str),
    Bool(bool),
}

fn scalar(v: &Value) -> Option<Scalar<'_>> {
    match v {
        Value::Number(n) => n.as_f64().map(Scalar::Num),
        Value::String(s) => Some(Scalar::Str(s)),
        Value::Bool(b) => Some(Scalar::Bool(*b)),
        Value::Object(o) => o
            .get("$numberDecimal")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
            .map(Scalar::Num),
        _ => None,
    }
}

/// Compares two values of the same BSON type; `None` when the types differ.
fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (scalar(a)?, scalar(b)?) {
        (Scalar::Num(x), Scalar::Num(y)) => x.partial_cmp(&y),
        (Scalar::Str(x), Scalar::Str(y)) => Some(x.cmp(y)),
        (Scalar::Bool(x), Scalar::Bool(y)) => Some(x.cmp(&y)),
        _ => None,
    }
}

/// A total order for sorting: missing < numbers < strings < other, as BSON sorts.
pub fn compare_values(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let rank = |v: Option<&Value>| match v.and_then(scalar) {
        None => 0,
        Some(Scalar::Num(_)) => 1,
        Some(Scalar::Str(_)) => 2,
        Some(Scalar::Bool(_)) => 3,
    };
    match (a, b) {
        (Some(x), Some(y)) => compare(x, y).unwrap_or_else(|| rank(a).cmp(&rank(b))),
        _ => rank(a).cmp(&rank(b)),
    }
}

fn equals(field: Option<&Value>, want: &Value) -> bool {
    match (field, want) {
        (Some(Value::Null) | None, Value::Null) => true,
        (Some(f), w) => compare(f, w) == Some(Ordering::Equal) || f == w,
        (None, _) => false,
    }
}

fn regex_matches(field: Option<&Value>, pattern: &str, options: &str) -> bool {
    let Some(Value::String(s)) = field else {
        return false;
    };
    let pattern = if options.contains('i') {
        format!("(?i){pattern}")
    } else {
        pattern.to_owned()
    };
    regex::Regex::new(&pattern).is_ok_and(|re| re.is_match(s))
}

fn operator_matches(
    field: Option<&Value>,
    op: &str,
    arg: &Value,
    ops: &Map<String, Value>,
) -> bool {
    let cmp = |want: fn(Ordering) -> bool| field.and_then(|f| compare(f, arg)).is_some_and(want);
    match op {
        "$eq" => equals(field, arg),
        "$ne" => !equals(field, arg),
        "$gt" => cmp(|o| o == Ordering::Greater),
        "$gte" => cmp(|o| o != Ordering::Less),
        "$lt" => cmp(|o| o == Ordering::Less),
        "$lte" => cmp(|o| o != Ordering::Greater),
        "$in" => arg
            .as_array()
            .is_some_and(|a| a.iter().any(|w| equals(field, w))),
        "$nin" => arg
            .as_array()
            .is_some_and(|a| !a.iter().any(|w| equals(field, w))),
        "$exists" => field.is_some() == arg.as_bool().unwrap_or(true),
        "$regex" => arg.as_str().is_some_and(|p| {
            regex_matches(
                field,
                p,
                ops.get("$options").and_then(Value::as_str).unwrap_or(""),
            )
        }),
        "$options" => true,
        "$not" => arg
            .as_object()
            .is_some_and(|inner| !field_matches(field, &Value::Object(inner.clone()))),
        _ => false,
    }
}

fn field_matches(field: Option<&Value>, cond: &Value) -> bool {
    match cond {
        Value::Object(ops)
            if ops.keys().next().is_some_and(|k| k.starts_with('$'))
                && !ops.contains_key("$numberDecimal") =>
        {
            ops.iter()
                .all(|(op, arg)| operator_matches(field, op, arg, ops))
        }
        want => equals(field, want),
    }
}

/// Whether `doc` satisfies the query object.
pub fn matches(doc: &Value, query: &Map<String, Value>) -> bool {
    query.iter().all(|(key, cond)| match key.as_str() {
        "$or" => cond.as_array().is_some_and(|a| {
            a.iter()
                .any(|q| q.as_object().is_some_and(|q| matches(doc, q)))
        }),
        "$and" => cond.as_array().is_some_and(|a| {
            a.iter()
                .all(|q| q.as_object().is_some_and(|q| matches(doc, q)))
        }),
        "$nor" => cond.as_array().is_some_and(|a| {
            !a.iter()
                .any(|q| q.as_object().is_some_and(|q| matches(doc, q)))
        }),
        field => field_matches(doc.get(field), cond),
    })
}

/// A requested sort key, after checking that every requested index exists.
pub struct Sort {
    pub field: String,
    pub descending: bool,
}

/// The node ignores all requested indexes unless every one of them exists on the table.
pub fn effective_sort(table: &str, indexes: &[Value]) -> Vec<Sort> {
    let existing = table_indexes(table);
    let sorts: Vec<Sort> = indexes
        .iter()
        .filter_map(|i| {
            Some(Sort {
                field: i.get("index")?.as_str()?.to_owned(),
                descending: i
                    .get("descending")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            })
        })
        .collect();
    let all_exist = sorts.len() == indexes.len()
        && sorts
            .iter()
            .all(|s| s.field == "_id" || existing.contains(&s.field.as_str()));
    if all_exist { sorts } else { Vec::new() }
}

/// Rows a `find` matched, still in their partitions: written out without copying them first.
pub struct Found {
    parts: Vec<Arc<Partition>>,
    hits: Vec<(u32, u32)>,
}

impl Found {
    pub fn rows(&self) -> impl Iterator<Item = &Value> {
        self.hits
            .iter()
            .map(|&(p, i)| &self.parts[p as usize].rows[i as usize])
    }

    pub fn into_rows(self) -> Vec<Value> {
        self.rows().cloned().collect()
    }
}

impl Serialize for Found {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.rows())
    }
}

/// `find` as the node runs it: the rows matching `query` in `sort` order (`_id` without one),
/// after `offset` of them, at most `limit`.
pub fn find(
    parts: Vec<Arc<Partition>>,
    query: &Map<String, Value>,
    sort: &[Sort],
    offset: usize,
    limit: usize,
) -> Found {
    let hits = matching(&parts, query, sort, offset, limit);
    Found { parts, hits }
}

fn position(p: usize, i: usize) -> (u32, u32) {
    (
        u32::try_from(p).unwrap_or(u32::MAX),
        u32::try_from(i).unwrap_or(u32::MAX),
    )
}

fn matching(
    parts: &[Arc<Partition>],
    query: &Map<String, Value>,
    sort: &[Sort],
    offset: usize,
    limit: usize,
) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut skipped = 0;
    let mut push = |at: (u32, u32), row: &Value, query: &Map<String, Value>| -> bool {
        if !matches(row, query) {
            return true;
        }
        if skipped < offset {
            skipped += 1;
            return true;
        }
        out.push(at);
        out.len() < limit
    };
    match sort {
        [] => {
            for (p, part) in parts.iter().enumerate() {
                let start = seek_id(part, query);
                let all = part.rows[start..]
                    .iter()
                    .enumerate()
                    .all(|(i, row)| push(position(p, start + i), row, query));
                if !all {
                    break;
                }
            }
        }
        [single] if parts.len() == 1 => {
            let part = &parts[0];
            let order = part.order_by(&single.field, single.descending);
            let cond = query.get(&single.field);
            // Like an index scan (either way), seek to the range's first key and to past its
            // last instead of reading on to the end of the table.
            let (first, last) = if single.descending {
                (upper_bound(cond), lower_bound(cond))
            } else {
                (lower_bound(cond), upper_bound(cond))
            };
            let before = |i: u32, (bound, inclusive): (&Value, bool)| {
                let o = compare_values(part.rows[i as usize].get(&single.field), Some(bound));
                let o = if single.descending { o.reverse() } else { o };
                o == Ordering::Less || (o == Ordering::Equal && !inclusive)
            };
            let start = first.map_or(0, |b| order.partition_point(|&i| before(i, b)));
            let end = last.map_or(order.len(), |(bound, inclusive)| {
                start + order[start..].partition_point(|&i| before(i, (bound, !inclusive)))
            });
            // Rows inside the range meet its conditions; only the others are checked per row.
            let rest = match cond {
                Some(Value::Object(ops)) if ops.keys().all(|k| RANGE.contains(&k.as_str())) => {
                    let mut rest = query.clone();
                    rest.remove(&single.field);
                    rest
                }
                _ => query.clone(),
            };
            for &i in &order[start..end] {
                if !push((0, i), &part.rows[i as usize], &rest) {
                    break;
                }
            }
        }
        _ => {
            let mut rows: Vec<((u32, u32), &Value)> = parts
                .iter()
                .enumerate()
                .flat_map(|(p, part)| {
                    part.rows
                        .iter()
                        .enumerate()
                        .map(move |(i, r)| (position(p, i), r))
                })
                .filter(|(_, r)| matches(r, query))
                .collect();
            rows.sort_by(|(_, a), (_, b)| {
                for s in sort {
                    let o = compare_values(a.get(&s.field), b.get(&s.field));
                    let o = if s.descending { o.reverse() } else { o };
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                compare_values(a.get("_id"), b.get("_id"))
            });
            return rows
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(|(at, _)| at)
                .collect();
        }
    }
    out
}

/// First row position that can match an `_id: {$gt|$gte: n}` cursor (rows are in `_id` order).
fn seek_id(part: &Partition, query: &Map<String, Value>) -> usize {
    let Some((bound, _)) = lower_bound(query.get("_id")) else {
        return 0;
    };
    part.rows
        .partition_point(|r| compare_values(r.get("_id"), Some(bound)) == Ordering::Less)
}

/// The operators of a range on one field, which an index seek answers.
const RANGE: [&str; 4] = ["$gt", "$gte", "$lt", "$lte"];

fn upper_bound(cond: Option<&Value>) -> Option<(&Value, bool)> {
    let ops = cond?.as_object()?;
    ops.get("$lt")
        .map(|v| (v, false))
        .or_else(|| ops.get("$lte").map(|v| (v, true)))
}

fn lower_bound(cond: Option<&Value>) -> Option<(&Value, bool)> {
    let ops = cond?.as_object()?;
    ops.get("$gt")
        .map(|v| (v, false))
        .or_else(|| ops.get("$gte").map(|v| (v, true)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn numeric_strings_compare_lexicographically() {
        let doc = json!({"balance": "99"});
        assert!(matches(&doc, &q(json!({"balance": {"$gt": "100"}}))));
        assert!(!matches(&json!({"n": 5}), &q(json!({"n": {"$gt": "1"}}))));
    }

    #[test]
    fn missing_index_falls_back_to_id_order() {
        let idx = [json!({"index": "balance", "descending": true})];
        assert!(effective_sort("tokens_balances", &idx).is_empty());
        let idx = [json!({"index": "account", "descending": false})];
        assert_eq!(effective_sort("tokens_balances", &idx).len(), 1);
    }

    #[test]
    fn regex_is_anchored_as_written() {
        let doc = json!({"tokenPair": "SWAP.HIVE:LEO"});
        assert!(matches(
            &doc,
            &q(json!({"tokenPair": {"$regex": "^SWAP\\.HIVE:"}}))
        ));
        assert!(!matches(&doc, &q(json!({"tokenPair": {"$regex": "^LEO"}}))));
    }

    #[test]
    fn an_index_scan_either_way_honours_both_bounds_and_breaks_ties_by_id() {
        let rows = ["b", "a", "d", "c", "b"]
            .iter()
            .enumerate()
            .map(|(id, a)| json!({"_id": id, "account": a}))
            .collect();
        let parts = [std::sync::Arc::new(Partition::new(rows))];
        let scan = |descending, cond: Value| -> Vec<(String, u64)> {
            let sort = [Sort {
                field: "account".into(),
                descending,
            }];
            find(parts.to_vec(), &q(json!({ "account": cond })), &sort, 0, 10)
                .rows()
                .map(|r| {
                    (
                        r["account"].as_str().unwrap().to_owned(),
                        r["_id"].as_u64().unwrap(),
                    )
                })
                .collect()
        };
        let down = scan(true, json!({"$gt": "a", "$lte": "c"}));
        let names: Vec<_> = down.iter().map(|(a, id)| format!("{a}{id}")).collect();
        assert_eq!(names, ["c3", "b0", "b4"]);
        let up = scan(false, json!({"$gte": "b", "$lt": "d"}));
        let names: Vec<_> = up.iter().map(|(a, id)| format!("{a}{id}")).collect();
        assert_eq!(names, ["b0", "b4", "c3"]);
    }
}
