//! Paginated `find` walks. A walk stays on one node (nodes at different heights would skip or
//! repeat rows), drops duplicate `_id`s, and completes or fails as a whole.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value, json};

use super::{Failure, HiveEngine, Progress, ProgressFn, wire};

/// The node's hard cap on rows per `find`; a request above it is an error.
pub const PAGE: usize = 1000;

/// How consecutive pages are chained.
#[derive(Clone, Debug)]
pub enum Cursor {
    /// `_id` greater than the last row's: natural order.
    Id,
    /// Accounts from `from` (itself included or not) up to `to` (excluded; `None` =
    /// unbounded), in account-index order.
    Accounts {
        from: String,
        inclusive: bool,
        to: Option<String>,
    },
}

/// Shared page and row counters of one long read.
#[derive(Clone, Default)]
pub struct Tally {
    rows: Arc<AtomicU64>,
    pages: Arc<AtomicU64>,
    report: Option<ProgressFn>,
}

impl Tally {
    pub fn new(report: Option<ProgressFn>) -> Self {
        Self {
            report,
            ..Self::default()
        }
    }

    fn page(&self, rows: usize) {
        let rows = self.rows.fetch_add(rows as u64, Ordering::Relaxed) + rows as u64;
        let pages = self.pages.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(report) = &self.report {
            report(Progress { rows, pages });
        }
    }
}

impl HiveEngine {
    /// Walks every matching row of `contract.table` on one node (or its first `max_pages`).
    pub(super) async fn walk(
        &self,
        node: usize,
        (contract, table): (&str, &str),
        query: &Map<String, Value>,
        cursor: &Cursor,
        tally: &Tally,
        max_pages: Option<usize>,
    ) -> Result<Vec<Value>, Failure> {
        let url = format!("{}contracts", self.rpc.nodes[node].url);
        let mut rows: Vec<Value> = Vec::new();
        let mut seen = HashSet::new();
        let mut pages = 0;
        // An exclusive start is the same as resuming after that account.
        let mut after: Option<Value> = match cursor {
            Cursor::Accounts {
                from,
                inclusive: false,
                ..
            } => Some(json!(from)),
            _ => None,
        };
        loop {
            let mut q = query.clone();
            let indexes = match cursor {
                Cursor::Id => {
                    if let Some(last) = &after {
                        q.insert("_id".into(), json!({"$gt": last}));
                    }
                    json!([])
                }
                Cursor::Accounts { from, to, .. } => {
                    let mut range = Map::new();
                    match &after {
                        Some(last) => range.insert("$gt".into(), last.clone()),
                        None => range.insert("$gte".into(), json!(from)),
                    };
                    if let Some(to) = to {
                        range.insert("$lt".into(), json!(to));
                    }
                    q.insert("account".into(), Value::Object(range));
                    json!([{"index": "account", "descending": false}])
                }
            };
            let params = json!({"contract": contract, "table": table, "query": q,
                "limit": PAGE, "offset": 0, "indexes": indexes});
            let request = self.request("find", params);
            let page = {
                let _permit = self.rpc.nodes[node]
                    .permits
                    .acquire()
                    .await
                    .map_err(|e| Failure::Transport(e.to_string()))?;
                self.transport.call(&url, &request).await?
            };
            let Value::Array(page) = page else {
                return Err(if page.is_null() {
                    Failure::NullResult
                } else {
                    Failure::Garbled("find did not return a list".into())
                });
            };
            tally.page(page.len());
            pages += 1;
            let full = page.len() >= PAGE;
            let Some(last) = page.last() else { break };
            after = Some(match cursor {
                Cursor::Id => json!(
                    wire::row_id(last).ok_or_else(|| Failure::Garbled("row without _id".into()))?
                ),
                Cursor::Accounts { .. } => last
                    .get("account")
                    .cloned()
                    .ok_or_else(|| Failure::Garbled("row without account".into()))?,
            });
            rows.extend(
                page.into_iter()
                    .filter(|r| wire::row_id(r).is_none_or(|id| seen.insert(id))),
            );
            // A short page is the last one: nodes never return fewer rows than asked while
            // more match (their cap is 1000 and we never ask for more).
            if !full || max_pages.is_some_and(|m| pages >= m) {
                break;
            }
        }
        Ok(rows)
    }

    /// A whole walk with failover, decoded: if any page fails or a row cannot be decoded, the
    /// walk starts again on another node.
    pub(super) async fn paged<T>(
        &self,
        contract: &str,
        table: &str,
        query: Map<String, Value>,
        cursor: Cursor,
        tally: &Tally,
        decode: impl Fn(&Value) -> Result<T, wire::DecodeError>,
    ) -> Result<(Vec<T>, usize), super::Error> {
        self.on_rpc_nodes(|node| {
            let (query, cursor, decode) = (&query, &cursor, &decode);
            async move {
                let rows = self
                    .walk(node, (contract, table), query, cursor, tally, None)
                    .await?;
                decode_all(&rows, decode)
            }
        })
        .await
    }
}

pub(super) fn decode_all<T>(
    rows: &[Value],
    decode: impl Fn(&Value) -> Result<T, wire::DecodeError>,
) -> Result<Vec<T>, Failure> {
    rows.iter()
        .map(|r| decode(r).map_err(|e| Failure::Garbled(e.to_string())))
        .collect()
}
