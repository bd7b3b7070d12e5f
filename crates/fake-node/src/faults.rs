//! Per-node behaviour knobs (latency, rate limit, lag, injected faults) and request counters,
//! all changeable at run time so a test can start or end an outage mid-run.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// What a fault does to a request it applies to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// An HTTP error status with an HTML body, as a proxy in front of a node sends.
    Status { code: u16, retry_after: Option<u64> },
    /// Accept the request and never answer.
    Hang,
    /// Send the body one byte at a time, `ms` apart.
    Dribble { ms: u64 },
    /// Cut the JSON body in half (with a matching Content-Length).
    Truncate,
    /// An HTML page with status 200.
    Html200,
    /// A body that is not JSON at all.
    Malformed,
    /// A JSON-RPC error object (HTTP 200).
    RpcError { code: i64, message: String },
    /// `"result": null`.
    ResultNull,
    /// `"result": []` for a `find`, `[]` from the history API.
    EmptyResult,
    /// The first half of the rows only, as if the node had fewer (a page short without saying so).
    HalfRows,
    /// `field` of the first row of a `find` set to `value` (a negative balance, say).
    SetField {
        field: String,
        value: serde_json::Value,
    },
}

impl FaultKind {
    pub fn label(&self) -> String {
        match self {
            Self::Status { code, .. } => format!("status_{code}"),
            Self::Hang => "hang".into(),
            Self::Dribble { .. } => "dribble".into(),
            Self::Truncate => "truncate".into(),
            Self::Html200 => "html_200".into(),
            Self::Malformed => "malformed".into(),
            Self::RpcError { .. } => "rpc_error".into(),
            Self::ResultNull => "result_null".into(),
            Self::EmptyResult => "empty_result".into(),
            Self::HalfRows => "half_rows".into(),
            Self::SetField { .. } => "set_field".into(),
        }
    }
}

/// A fault rule: skip `after` matching requests, then apply to `count` of them (0 = forever).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Fault {
    #[serde(flatten)]
    pub kind: FaultKind,
    #[serde(default)]
    pub after: u64,
    #[serde(default)]
    pub count: u64,
    /// Only requests whose counter key contains this text (e.g. `find/tokens/balances`).
    #[serde(default)]
    pub only: Option<String>,
}

impl Fault {
    pub fn always(kind: FaultKind) -> Self {
        Self {
            kind,
            after: 0,
            count: 0,
            only: None,
        }
    }
    pub fn times(kind: FaultKind, count: u64) -> Self {
        Self {
            kind,
            after: 0,
            count,
            only: None,
        }
    }
}

/// The run-time configuration of one node. Every field is optional in an admin update.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Knobs {
    #[serde(default)]
    pub latency_ms: u64,
    /// Extra delay per row skipped by `offset`, in microseconds (as a database skip costs).
    #[serde(default)]
    pub offset_cost_us: u64,
    /// Requests allowed per second before answering 429 with `Retry-After`.
    #[serde(default)]
    pub rate_limit_per_sec: Option<u32>,
    #[serde(default)]
    pub block_lag: u64,
    #[serde(default)]
    pub disabled_methods: Vec<String>,
    #[serde(default)]
    pub max_offset: Option<u64>,
    /// The node's `maxLimit` when configured below the usual 1000.
    #[serde(default)]
    pub max_limit: Option<u64>,
    #[serde(default)]
    pub faults: Vec<Fault>,
}

#[derive(Default, Serialize, Clone, Debug)]
pub struct Counters {
    pub total: u64,
    pub requests: BTreeMap<String, u64>,
    pub faults: BTreeMap<String, u64>,
    /// The largest `limit` any `find` asked for.
    pub max_limit_seen: u64,
    /// The most requests this node was serving at one time.
    pub max_in_flight: u64,
}

impl Counters {
    pub fn get(&self, key: &str) -> u64 {
        self.requests.get(key).copied().unwrap_or(0)
    }
    /// Requests whose key contains `part` (e.g. `tokens/balances`).
    pub fn matching(&self, part: &str) -> u64 {
        self.requests
            .iter()
            .filter(|(k, _)| k.contains(part))
            .map(|(_, v)| v)
            .sum()
    }
}

/// Mutable state of one node: knobs, counters and the rate-limit window.
#[derive(Default)]
pub struct NodeState {
    pub knobs: Knobs,
    pub counters: Counters,
    pub in_flight: u64,
    window: Option<(Instant, u32)>,
}

impl NodeState {
    /// Counts a request and picks the fault that applies to it, if any.
    pub fn admit(&mut self, key: &str) -> Option<FaultKind> {
        self.counters.total += 1;
        *self.counters.requests.entry(key.to_owned()).or_default() += 1;
        if let Some(limit) = self.knobs.rate_limit_per_sec {
            let now = Instant::now();
            let (start, n) = self.window.get_or_insert((now, 0));
            if now.duration_since(*start) >= Duration::from_secs(1) {
                *start = now;
                *n = 0;
            }
            *n += 1;
            if *n > limit {
                return Some(self.served(FaultKind::Status {
                    code: 429,
                    retry_after: Some(1),
                }));
            }
        }
        let mut chosen = None;
        let mut exhausted = None;
        for (i, f) in self.knobs.faults.iter_mut().enumerate() {
            if f.only.as_deref().is_some_and(|o| !key.contains(o)) {
                continue;
            }
            if f.after > 0 {
                f.after -= 1;
                continue;
            }
            chosen = Some(f.kind.clone());
            if f.count > 0 {
                f.count -= 1;
                if f.count == 0 {
                    exhausted = Some(i);
                }
            }
            break;
        }
        if let Some(i) = exhausted {
            self.knobs.faults.remove(i);
        }
        chosen.map(|k| self.served(k))
    }

    fn served(&mut self, kind: FaultKind) -> FaultKind {
        *self.counters.faults.entry(kind.label()).or_default() += 1;
        kind
    }
}
