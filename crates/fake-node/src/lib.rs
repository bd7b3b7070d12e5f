//! A fake Hive-Engine network: several nodes on consecutive loopback ports serving one generated
//! dataset, each with its own run-time knobs, injected faults and request counters.
//!
//! Used by market-tui's tests and benchmark, and by hand as `cargo run --release -p fake-node`;
//! the product never links it.
#![allow(clippy::pedantic, clippy::unwrap_used)]

mod activity;
pub mod dataset;
pub mod faults;
mod history;
mod market;
pub mod marketpools;
mod moves;
pub mod query;
mod rng;
pub mod rpc;
mod tokens;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::{Value, json};

pub use dataset::{Dataset, Scale};
pub use faults::{Counters, Fault, FaultKind, Knobs, NodeState};
use rpc::{Context, Endpoint, Reply};

/// One running fake node.
#[derive(Clone)]
pub struct FakeNode {
    pub addr: SocketAddr,
    state: Arc<Mutex<NodeState>>,
}

impl FakeNode {
    /// The node's base URL, with a trailing slash, as public nodes are configured.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
    pub fn counters(&self) -> Counters {
        self.state.lock().unwrap().counters.clone()
    }
    pub fn reset_counters(&self) {
        self.state.lock().unwrap().counters = Counters::default();
    }
    /// Requests being served right now (a hanging one stays until its client gives up).
    pub fn in_flight(&self) -> u64 {
        self.state.lock().unwrap().in_flight
    }
    pub fn set_knobs(&self, knobs: Knobs) {
        self.state.lock().unwrap().knobs = knobs;
    }
    pub fn update(&self, f: impl FnOnce(&mut Knobs)) {
        f(&mut self.state.lock().unwrap().knobs);
    }
    pub fn add_fault(&self, fault: Fault) {
        self.state.lock().unwrap().knobs.faults.push(fault);
    }
    pub fn clear_faults(&self) {
        self.state.lock().unwrap().knobs.faults.clear();
    }
}

/// A set of nodes sharing one dataset.
pub struct FakeNet {
    pub nodes: Vec<FakeNode>,
    pub data: Arc<Dataset>,
}

impl FakeNet {
    /// Starts `count` nodes on consecutive ports from `port` (0 picks free ports).
    pub async fn start(scale: Scale, count: usize, port: u16) -> std::io::Result<Self> {
        let data = Arc::new(Dataset::generate(scale));
        let started = Instant::now();
        let mut nodes = Vec::new();
        for i in 0..count {
            let p = if port == 0 { 0 } else { port + i as u16 };
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", p)).await?;
            let addr = listener.local_addr()?;
            let state = Arc::new(Mutex::new(NodeState::default()));
            let shared = Arc::new(Shared {
                data: data.clone(),
                state: state.clone(),
                started,
            });
            let app = axum::Router::new().fallback(handle).with_state(shared);
            tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            });
            nodes.push(FakeNode { addr, state });
        }
        Ok(Self { nodes, data })
    }

    /// Starts three small nodes on free ports: the usual test fixture.
    pub async fn small() -> Self {
        Self::start(
            Scale {
                tokens: 40,
                max_holders: 3_000,
                ..Scale::default()
            },
            3,
            0,
        )
        .await
        .expect("fake network starts")
    }

    pub fn urls(&self) -> Vec<String> {
        self.nodes.iter().map(FakeNode::url).collect()
    }

    /// Requests across all nodes whose counter key contains `part`.
    pub fn requests(&self, part: &str) -> u64 {
        self.nodes.iter().map(|n| n.counters().matching(part)).sum()
    }

    pub fn reset_counters(&self) {
        self.nodes.iter().for_each(FakeNode::reset_counters);
    }

    /// Waits until nothing is being served and no request has arrived for a moment: a request a
    /// finished client sent just before it quit is counted before, not after, a reset.
    pub async fn settle(&self) {
        let seen = || -> u64 {
            self.nodes
                .iter()
                .map(|n| n.counters().total + n.in_flight())
                .sum()
        };
        let mut last = seen();
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            let now = seen();
            if now == last && self.nodes.iter().all(|n| n.in_flight() == 0) {
                return;
            }
            last = now;
        }
    }
}

/// Counts a request as in flight until it is answered (or dropped, for a hang).
struct InFlight(Arc<Mutex<NodeState>>);

impl InFlight {
    fn enter(state: &Arc<Mutex<NodeState>>) -> Self {
        let mut s = state.lock().unwrap();
        s.in_flight += 1;
        s.counters.max_in_flight = s.counters.max_in_flight.max(s.in_flight);
        Self(state.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.lock().unwrap().in_flight -= 1;
    }
}

struct Shared {
    data: Arc<Dataset>,
    state: Arc<Mutex<NodeState>>,
    started: Instant,
}

async fn handle(
    State(node): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path();
    let _in_flight = InFlight::enter(&node.state);
    if let Some(admin) = path.strip_prefix("/admin/") {
        return admin_route(&node, &method, admin, &body);
    }
    match (&method, path) {
        (&Method::GET, "/") => {
            let fault = node.state.lock().unwrap().admit("GET /");
            serve(&node, fault, 0, 200, Reply::Json(rpc::status(block(&node)))).await
        }
        (&Method::GET, "/accountHistory") => {
            let fault = node.state.lock().unwrap().admit("history/accountHistory");
            let (status, value) = activity::account_history(&node.data, &params);
            serve(&node, fault, 0, status, Reply::Json(value)).await
        }
        (&Method::GET, "/marketHistory") => {
            let fault = node.state.lock().unwrap().admit("history/marketHistory");
            let (status, value) = history::market_history(&node.data, &params);
            serve(&node, fault, 0, status, Reply::Json(value)).await
        }
        (&Method::POST, "/" | "/contracts" | "/blockchain") => {
            let endpoint = match path {
                "/contracts" => Endpoint::Contracts,
                "/blockchain" => Endpoint::Blockchain,
                _ => Endpoint::Root,
            };
            post_rpc(&node, endpoint, &headers, &body).await
        }
        _ => html(404, "Cannot find that page"),
    }
}

async fn post_rpc(node: &Shared, endpoint: Endpoint, headers: &HeaderMap, body: &[u8]) -> Response {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return plain(415, json!({"error": "Unsupported Media Type"}));
    }
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return plain(500, json!({"error": "Error processing requests"}));
    };
    let first = request
        .as_array()
        .and_then(|a| a.first())
        .unwrap_or(&request);
    let key = rpc::counter_key(endpoint, first);
    let params = first.get("params");
    let offset = params
        .and_then(|p| p.get("offset"))
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let (fault, knobs) = {
        let mut state = node.state.lock().unwrap();
        if let Some(limit) = params.and_then(|p| p.get("limit")).and_then(Value::as_u64) {
            state.counters.max_limit_seen = state.counters.max_limit_seen.max(limit);
        }
        (state.admit(&key), state.knobs.clone())
    };
    let ctx = Context {
        data: &node.data,
        block: rpc::block_height(node.started, knobs.block_lag),
        disabled: &knobs.disabled_methods,
        max_offset: knobs.max_offset,
        max_limit: knobs.max_limit,
    };
    let Some(answer) = rpc::answer(&ctx, endpoint, &request) else {
        return Response::builder().status(204).body(Body::empty()).unwrap();
    };
    serve(node, fault, offset, 200, answer).await
}

fn block(node: &Shared) -> u64 {
    rpc::block_height(node.started, node.state.lock().unwrap().knobs.block_lag)
}

/// Waits the configured latency, then answers `value`, bent by `fault` if one applies.
async fn serve(
    node: &Shared,
    fault: Option<FaultKind>,
    offset: u64,
    status: u16,
    reply: Reply,
) -> Response {
    let (latency, offset_cost) = {
        let k = &node.state.lock().unwrap().knobs;
        (k.latency_ms, k.offset_cost_us)
    };
    let delay =
        Duration::from_millis(latency) + Duration::from_micros(offset_cost.saturating_mul(offset));
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let Some(fault) = fault else {
        return raw(status, JSON, reply.to_bytes());
    };
    let mut value = reply.into_json();
    let rewrite = |v: &mut Value, f: &dyn Fn(&mut serde_json::Map<String, Value>)| match v {
        Value::Array(items) => items
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(f),
        Value::Object(o) => f(o),
        _ => {}
    };
    match fault {
        FaultKind::Status { code, retry_after } => {
            let mut resp = html(code, "Service Temporarily Unavailable");
            if let Some(secs) = retry_after {
                resp.headers_mut().insert(header::RETRY_AFTER, secs.into());
            }
            resp
        }
        FaultKind::Hang => {
            std::future::pending::<()>().await;
            unreachable!()
        }
        FaultKind::Dribble { ms } => {
            let bytes = serde_json::to_vec(&value).unwrap();
            let stream = futures::stream::iter(bytes).then(move |b| async move {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                Ok::<_, std::io::Error>(Bytes::from(vec![b]))
            });
            Response::builder()
                .status(status)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(stream))
                .unwrap()
        }
        FaultKind::Truncate => {
            let bytes = serde_json::to_vec(&value).unwrap();
            raw(
                status,
                "application/json",
                bytes[..bytes.len() / 2].to_vec(),
            )
        }
        FaultKind::Html200 => html(200, "Welcome to nginx!"),
        FaultKind::Malformed => raw(
            200,
            "application/json",
            b"{\"jsonrpc\":\"2.0\",\"result\":[{,,}".to_vec(),
        ),
        FaultKind::RpcError { code, message } => {
            rewrite(&mut value, &|o| {
                o.remove("result");
                o.insert("error".into(), json!({"code": code, "message": message}));
            });
            plain(status, value)
        }
        FaultKind::ResultNull => {
            rewrite(&mut value, &|o| {
                o.insert("result".into(), Value::Null);
            });
            plain(status, value)
        }
        FaultKind::SetField { field, value: set } => {
            if let Some(row) = rows_of(&mut value)
                .and_then(|rows| rows.first_mut())
                .and_then(Value::as_object_mut)
            {
                row.insert(field, set);
            }
            plain(status, value)
        }
        FaultKind::EmptyResult => {
            if let Some(rows) = rows_of(&mut value) {
                rows.clear();
            }
            plain(status, value)
        }
        FaultKind::HalfRows => {
            if let Some(rows) = rows_of(&mut value) {
                rows.truncate(rows.len() / 2);
            }
            plain(status, value)
        }
    }
}

/// The rows of an answer: a `find`'s result (alone or in a one-element batch), or the bare list
/// the history API sends.
fn rows_of(value: &mut Value) -> Option<&mut Vec<Value>> {
    let envelope = |v: &Value| v.get("jsonrpc").is_some();
    let batch = value
        .as_array()
        .is_some_and(|items| items.first().is_some_and(envelope));
    let value = if batch { value.get_mut(0)? } else { value };
    if envelope(value) {
        value.get_mut("result")?.as_array_mut()
    } else {
        value.as_array_mut()
    }
}

use futures::StreamExt as _;

fn raw(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap()
}

const JSON: &str = "application/json; charset=utf-8";

fn plain(status: u16, value: Value) -> Response {
    raw(status, JSON, serde_json::to_vec(&value).unwrap())
}

fn html(status: u16, title: &str) -> Response {
    let page = format!(
        "<html>\r\n<head><title>{status} {title}</title></head>\r\n<body>\r\n<center><h1>{status} {title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    raw(status, "text/html", page.into_bytes())
}

fn admin_route(node: &Shared, method: &Method, route: &str, body: &[u8]) -> Response {
    let mut state = node.state.lock().unwrap();
    match (method, route) {
        (&Method::GET, "counters") => plain(200, serde_json::to_value(&state.counters).unwrap()),
        (&Method::GET, "knobs") => plain(200, serde_json::to_value(&state.knobs).unwrap()),
        (&Method::POST, "knobs") => match serde_json::from_slice::<Knobs>(body) {
            Ok(knobs) => {
                state.knobs = knobs;
                plain(200, json!({"ok": true}))
            }
            Err(e) => plain(400, json!({"error": e.to_string()})),
        },
        (&Method::POST, "faults") => match serde_json::from_slice::<Fault>(body) {
            Ok(fault) => {
                state.knobs.faults.push(fault);
                plain(200, json!({"ok": true}))
            }
            Err(e) => plain(400, json!({"error": e.to_string()})),
        },
        (&Method::POST, "move") => plain(200, json!({"round": node.data.move_balances()})),
        (&Method::POST, "reset") => {
            state.counters = Counters::default();
            state.knobs.faults.clear();
            plain(200, json!({"ok": true}))
        }
        _ => html(404, "Not Found"),
    }
}
