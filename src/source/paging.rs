//! Paginated `find` walks. A walk stays on one node (nodes at different heights would skip or
//! repeat rows), drops duplicate `_id`s, and completes or fails as a whole.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value, json};

use super::{Failure, HiveEngine, Progress, ProgressFn, transport, wire};

/// The usual cap on rows per `find`; a request above a node's cap is an error, and a node may
/// be configured lower (it then says so, and is asked for fewer).
pub const PAGE: usize = 1000;

/// The rows of one walk on one node, decoded page by page, and how it ended.
pub struct Walked<T> {
    pub rows: Vec<T>,
    /// The `find` of the rows past the last one read: none, unless the node dropped some.
    /// Another node is asked the same before an empty or a much shorter end is believed.
    pub past_end: Value,
    /// Whether the walk ended on a page without rows.
    pub ended_empty: bool,
}

/// Fewer than three quarters of the rows expected is "much shorter": the end needs a second
/// node's word.
pub fn much_shorter(expected: usize, got: usize) -> bool {
    got.saturating_mul(4) < expected.saturating_mul(3)
}

/// When a walk that ends on an empty page is believed. Every empty answer is confirmed by
/// another node before it is believed: a node that answers `[]` where others hold rows is the
/// commonest way a list comes out short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ends {
    /// The table always has rows (every chain has tokens): no rows is a failure of the node.
    NeverEmpty,
    /// No rows at all, or an empty page after full ones, is believed when another node agrees.
    Confirmed,
}

/// Turns one row of a page into what the walk keeps; a row that cannot be decoded fails the
/// walk on this node.
pub type Decode<'a, T> = &'a (dyn Fn(&Value) -> Result<T, wire::DecodeError> + Sync);

/// How consecutive pages are chained.
#[derive(Clone, Debug)]
pub enum Cursor {
    /// `_id` greater than the last row's: natural order.
    Id,
    /// Accounts from `from` (itself included or not) up to `to` (excluded; `None` =
    /// unbounded), in account-index order; the first page `offset` rows in.
    Accounts {
        from: String,
        inclusive: bool,
        to: Option<String>,
        offset: usize,
    },
}

impl Cursor {
    /// Rows skipped before the first page.
    pub fn offset(&self) -> usize {
        match self {
            Self::Id => 0,
            Self::Accounts { offset, .. } => *offset,
        }
    }
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

    pub(super) fn page(&self, rows: usize) {
        let rows = self.rows.fetch_add(rows as u64, Ordering::Relaxed) + rows as u64;
        let pages = self.pages.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(report) = &self.report {
            report(Progress { rows, pages });
        }
    }
}

impl HiveEngine {
    /// Walks every matching row of `contract.table` on one node (or its first `max_pages`),
    /// decoding each page as it arrives: a long walk never holds more than one page of JSON.
    pub(super) async fn walk<T>(
        &self,
        node: usize,
        (contract, table): (&str, &str),
        (query, cursor): (&Map<String, Value>, &Cursor),
        (tally, max_pages): (&Tally, Option<usize>),
        decode: Decode<'_, T>,
    ) -> Result<Walked<T>, Failure> {
        let mut rows: Vec<T> = Vec::new();
        let mut seen = HashSet::new();
        let mut pages = 0;
        // The last row read: the next page starts after it.
        let mut after: Option<Value> = None;
        loop {
            let (page, limit, params) = self
                .find_page(
                    node,
                    |limit| find_params((contract, table), query, cursor, after.as_ref(), limit),
                    transport::find_rows,
                )
                .await?;
            tally.page(page.len());
            pages += 1;
            let full = page.len() >= limit;
            let Some(last) = page.last() else {
                return Ok(Walked {
                    rows,
                    past_end: params,
                    ended_empty: true,
                });
            };
            after = Some(match cursor {
                Cursor::Id => json!(
                    wire::row_id(last).ok_or_else(|| Failure::Garbled("row without _id".into()))?
                ),
                Cursor::Accounts { .. } => last
                    .get("account")
                    .cloned()
                    .ok_or_else(|| Failure::Garbled("row without account".into()))?,
            });
            for row in page
                .iter()
                .filter(|r| wire::row_id(r).is_none_or(|id| seen.insert(id)))
            {
                rows.push(decode(row).map_err(|e| Failure::Garbled(e.to_string()))?);
            }
            // A short page is the last one: nodes never return fewer rows than asked while
            // more match (we never ask for more than their cap).
            if !full || max_pages.is_some_and(|m| pages >= m) {
                let past_end = find_params((contract, table), query, cursor, after.as_ref(), limit);
                return Ok(Walked {
                    rows,
                    past_end,
                    ended_empty: false,
                });
            }
        }
    }

    /// A walk on one node whose end is believed as `ends` says: an end that needs a second
    /// opinion (no rows at all, an empty page after full ones, or a list much shorter than the
    /// cached copy) is asked of another node, and rows there make this walk a failure of this
    /// node (`Failure::Short`), so that failover reads it elsewhere.
    pub(super) async fn confirmed_walk<T>(
        &self,
        node: usize,
        (contract, table): (&str, &'static str),
        (query, cursor): (&Map<String, Value>, &Cursor),
        ends: Ends,
        (tally, decode): (&Tally, Decode<'_, T>),
    ) -> Result<Walked<T>, Failure> {
        let walked = self
            .walk(
                node,
                (contract, table),
                (query, cursor),
                (tally, None),
                decode,
            )
            .await?;
        if walked.rows.is_empty() && ends == Ends::NeverEmpty {
            return Err(Failure::Empty(table));
        }
        let short = self
            .expected(table)
            .is_some_and(|had| much_shorter(had, walked.rows.len()));
        if walked.ended_empty || short {
            self.confirm_end(node, &walked.past_end).await?;
        }
        Ok(walked)
    }

    /// A whole walk with failover, decoded: if any page fails, a row cannot be decoded or
    /// another node holds rows past its end, the walk starts again on another node.
    pub(super) async fn paged<T>(
        &self,
        what: (&str, &'static str),
        query: Map<String, Value>,
        cursor: Cursor,
        ends: Ends,
        tally: &Tally,
        decode: impl Fn(&Value) -> Result<T, wire::DecodeError> + Sync,
    ) -> Result<(Vec<T>, usize), super::Error> {
        self.on_rpc_nodes(|node| {
            let (query, cursor, decode) = (&query, &cursor, &decode);
            async move {
                let walked = self
                    .confirmed_walk(node, what, (query, cursor), ends, (tally, decode))
                    .await?;
                Ok(walked.rows)
            }
        })
        .await
    }

    /// Asks another node the `find` of the rows past `node`'s end, for one row; a row there
    /// means `node` dropped some. With a single node there is nobody to ask.
    pub(super) async fn confirm_end(&self, node: usize, past_end: &Value) -> Result<(), Failure> {
        if self.rpc.len() < 2 {
            return Ok(());
        }
        let mut params = past_end.clone();
        params["limit"] = json!(1);
        // A confirming node that answers `null` or garbage fails on its own account, and the
        // next node is asked.
        match self
            .contracts(("find", params), Some(node), transport::find_rows)
            .await
        {
            Ok((rows, _)) if rows.is_empty() => Ok(()),
            Ok((_, other)) => Err(Failure::Short(format!(
                "{} holds rows past its end",
                self.rpc.nodes[other].url
            ))),
            Err(e) => Err(Failure::Short(format!(
                "the end could not be confirmed: {e}"
            ))),
        }
    }
}

/// The `find` of a page of `cursor`, after `after` (the last row read; `None` = its start).
pub(super) fn find_params(
    (contract, table): (&str, &str),
    query: &Map<String, Value>,
    cursor: &Cursor,
    after: Option<&Value>,
    limit: usize,
) -> Value {
    let mut q = query.clone();
    let mut skip = 0;
    let indexes = match cursor {
        Cursor::Id => {
            if let Some(last) = after {
                q.insert("_id".into(), json!({"$gt": last}));
            }
            json!([])
        }
        Cursor::Accounts {
            from,
            inclusive,
            to,
            offset,
        } => {
            let mut range = Map::new();
            if let Some(last) = after {
                range.insert("$gt".into(), last.clone());
            } else {
                skip = *offset;
                let low = if *inclusive { "$gte" } else { "$gt" };
                range.insert(low.into(), json!(from));
            }
            if let Some(to) = to {
                range.insert("$lt".into(), json!(to));
            }
            q.insert("account".into(), Value::Object(range));
            json!([{"index": "account", "descending": false}])
        }
    };
    json!({"contract": contract, "table": table, "query": q,
        "limit": limit, "offset": skip, "indexes": indexes})
}

impl HiveEngine {
    /// One `find` on `node` under its in-flight cap, its body decoded by `decode`; a node that
    /// states a lower row cap is asked again for that many. Returns the rows, the limit asked
    /// and the `find` that was sent.
    pub(super) async fn find_page<R>(
        &self,
        node: usize,
        params: impl Fn(usize) -> Value,
        decode: impl Fn(&[u8]) -> Result<R, Failure>,
    ) -> Result<(R, usize, Value), Failure> {
        let url = format!("{}contracts", self.rpc.nodes[node].url);
        loop {
            let limit = self.rpc.page_limit(node);
            let params = params(limit);
            let request = self.request("find", params.clone());
            let body = {
                let _permit = self.rpc.nodes[node]
                    .permits
                    .acquire()
                    .await
                    .map_err(|e| Failure::Transport(e.to_string()))?;
                self.transport.call_body(&url, &request).await?
            };
            match decode(&body) {
                // Also when a page asked before the node said so comes back refused.
                Err(f)
                    if f.stated_max_limit().is_some_and(|n| {
                        self.rpc.lower_page_limit(node, n);
                        n > 0 && n < limit
                    }) =>
                {
                    tracing::info!(node = %self.rpc.nodes[node].url, error = %f, "asking this node for smaller pages");
                }
                other => return other.map(|rows| (rows, limit, params)),
            }
        }
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
