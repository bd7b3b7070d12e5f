//! JSON-RPC dispatch as the node's jayson server does it: method routing per path, envelopes,
//! parameter errors as code 400, `null` for unknown tables, batches capped at one request.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::dataset::Dataset;
use crate::query::{Found, effective_sort, find};

pub const MAX_LIMIT: u64 = 1000;
const MAX_BATCH: usize = 1;
const BLOCK_BASE: u64 = 52_000_000;

/// Which endpoint a POST arrived on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Root,
    Contracts,
    Blockchain,
}

/// What the node knows beyond its data when answering.
pub struct Context<'a> {
    pub data: &'a Dataset,
    pub block: u64,
    pub disabled: &'a [String],
    pub max_offset: Option<u64>,
    pub max_limit: Option<u64>,
}

pub fn block_height(started: std::time::Instant, lag: u64) -> u64 {
    (BLOCK_BASE + started.elapsed().as_secs() / 3).saturating_sub(lag)
}

/// The counter key of one request object: `method/contract/table` for contract reads.
pub fn counter_key(endpoint: Endpoint, req: &Value) -> String {
    let Some((ep, method)) = resolve(
        endpoint,
        req.get("method").and_then(Value::as_str).unwrap_or(""),
    ) else {
        return "unknown".into();
    };
    let p = req.get("params");
    match (
        ep,
        p.and_then(|p| p.get("contract")),
        p.and_then(|p| p.get("table")),
    ) {
        ("contracts", Some(Value::String(c)), Some(Value::String(t))) => {
            format!("{method}/{c}/{t}")
        }
        _ => method.to_owned(),
    }
}

fn resolve(endpoint: Endpoint, method: &str) -> Option<(&'static str, &str)> {
    match endpoint {
        Endpoint::Contracts => Some(("contracts", method)),
        Endpoint::Blockchain => Some(("blockchain", method)),
        Endpoint::Root => method
            .strip_prefix("contracts.")
            .map(|m| ("contracts", m))
            .or_else(|| {
                method
                    .strip_prefix("blockchain.")
                    .map(|m| ("blockchain", m))
            }),
    }
}

fn error(id: &Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn result(id: &Value, value: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": value})
}

/// What goes back: a JSON value, or a `find`'s rows (alone or as a batch of one), written
/// straight from the dataset; a fault that bends the answer takes it as JSON.
pub enum Reply {
    Json(Value),
    Rows { id: Value, rows: Found, batch: bool },
}

#[derive(Serialize)]
struct Envelope<'a> {
    jsonrpc: &'static str,
    id: &'a Value,
    result: &'a Found,
}

impl Reply {
    pub fn into_json(self) -> Value {
        match self {
            Self::Json(v) => v,
            Self::Rows { id, rows, batch } => {
                let one = result(&id, Value::Array(rows.into_rows()));
                if batch { Value::Array(vec![one]) } else { one }
            }
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let bytes = match self {
            Self::Json(v) => serde_json::to_vec(v),
            Self::Rows { id, rows, batch } => {
                let one = Envelope {
                    jsonrpc: "2.0",
                    id,
                    result: rows,
                };
                if *batch {
                    serde_json::to_vec(&[one])
                } else {
                    serde_json::to_vec(&one)
                }
            }
        };
        bytes.unwrap_or_default()
    }
}

/// Answers a whole body: an object, or an array (batch). `None` means 204 (a notification).
pub fn answer(ctx: &Context, endpoint: Endpoint, body: &Value) -> Option<Reply> {
    match body {
        Value::Array(batch) if batch.is_empty() => {
            Some(Reply::Json(error(&Value::Null, -32600, "Invalid request")))
        }
        Value::Array(batch) if batch.len() > MAX_BATCH => Some(Reply::Json(error(
            &Value::Null,
            -32099,
            "Invalid request: Maximum batch length exceeded",
        ))),
        // At most one request (checked above): its answer, wrapped as a batch of one.
        Value::Array(batch) => Some(
            match batch.first().and_then(|r| answer_one(ctx, endpoint, r)) {
                Some(Reply::Rows { id, rows, .. }) => Reply::Rows {
                    id,
                    rows,
                    batch: true,
                },
                other => Reply::Json(Value::Array(
                    other.map(Reply::into_json).into_iter().collect(),
                )),
            },
        ),
        single => answer_one(ctx, endpoint, single),
    }
}

fn answer_one(ctx: &Context, endpoint: Endpoint, req: &Value) -> Option<Reply> {
    let Some(obj) = req.as_object() else {
        return Some(Reply::Json(error(&Value::Null, -32600, "Invalid request")));
    };
    let id = obj.get("id").cloned().unwrap_or(Value::Null);
    let Some(method) = obj.get("method").and_then(Value::as_str) else {
        return Some(Reply::Json(error(&id, -32600, "Invalid request")));
    };
    if id.is_null() {
        return None;
    }
    let Some((ep, name)) = resolve(endpoint, method) else {
        return Some(Reply::Json(error(&id, -32601, "Method not found")));
    };
    let full = format!("{ep}.{name}");
    if ctx.disabled.iter().any(|d| *d == full || *d == name) {
        return Some(Reply::Json(error(
            &id,
            400,
            &format!("method {full} is disabled"),
        )));
    }
    let params = obj
        .get("params")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if (ep, name) == ("contracts", "find") {
        return Some(match contract_find(ctx, &params) {
            Ok(Some(rows)) => Reply::Rows {
                id,
                rows,
                batch: false,
            },
            Ok(None) => Reply::Json(result(&id, Value::Null)),
            Err(msg) => Reply::Json(error(&id, 400, &msg)),
        });
    }
    Some(Reply::Json(match (ep, name) {
        ("contracts", "findOne") => match table_query(&params) {
            Some((table, query)) => result(&id, find_one(ctx, &table, &query)),
            None => error(&id, 400, MISSING),
        },
        ("contracts", "getContract") => result(&id, Value::Null),
        ("blockchain", "getLatestBlockInfo") => result(&id, latest_block(ctx.block)),
        ("blockchain", "getStatus") => result(&id, status(ctx.block)),
        ("blockchain", "getBlockInfo") => result(&id, Value::Null),
        _ => error(&id, -32601, "Method not found"),
    }))
}

const MISSING: &str = "missing or wrong parameters: contract, table and query are required";

fn table_query(params: &Map<String, Value>) -> Option<(String, Map<String, Value>)> {
    let contract = params.get("contract")?.as_str()?;
    let table = params.get("table")?.as_str()?;
    let query = params.get("query")?.as_object()?.clone();
    Some((format!("{contract}_{table}"), query))
}

/// The rows of a `find`, or `None` for a table the node does not have (it answers `null`).
fn contract_find(ctx: &Context, params: &Map<String, Value>) -> Result<Option<Found>, String> {
    let (table, query) = table_query(params).ok_or(MISSING)?;
    // `limit: 0` is falsy in JavaScript and becomes the default.
    let cap = ctx.max_limit.unwrap_or(MAX_LIMIT);
    let limit = match params.get("limit").and_then(Value::as_u64) {
        None | Some(0) => cap,
        Some(l) if l > cap => {
            return Err(format!("limit is too high, maximum limit is {cap}"));
        }
        Some(l) => l,
    };
    let offset = params.get("offset").and_then(Value::as_u64).unwrap_or(0);
    if let Some(max) = ctx.max_offset.filter(|&m| offset > m) {
        return Err(format!("offset is too high, maximum offset is {max}"));
    }
    let indexes = params
        .get("indexes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(parts) = ctx.data.partitions(&table, &query) else {
        return Ok(None);
    };
    let sort = effective_sort(&table, &indexes);
    // The partition answers the symbol: rows need not be checked for it one by one.
    let mut query = query;
    if Dataset::per_token(&table) && query.get("symbol").is_some_and(Value::is_string) {
        query.remove("symbol");
    }
    Ok(Some(find(
        parts,
        &query,
        &sort,
        usize::try_from(offset).unwrap_or(usize::MAX),
        limit as usize,
    )))
}

fn find_one(ctx: &Context, table: &str, query: &Map<String, Value>) -> Value {
    match ctx.data.partitions(table, query) {
        Some(parts) => find(parts, query, &[], 0, 1)
            .rows()
            .next()
            .cloned()
            .unwrap_or(Value::Null),
        None => Value::Null,
    }
}

fn latest_block(block: u64) -> Value {
    json!({
        "_id": block, "blockNumber": block, "refHiveBlockNumber": block + 41_967_403,
        "refHiveBlockId": "0", "prevRefHiveBlockId": "0", "previousHash": "0", "previousDatabaseHash": "0",
        "timestamp": "2026-01-01T00:00:00", "transactions": [], "virtualTransactions": [],
        "hash": "0", "databaseHash": "0", "merkleRoot": "0", "round": null, "roundHash": "",
        "witness": "", "signingKey": "", "roundSignature": "",
    })
}

/// The `getStatus` object, also served as plain JSON on `GET /`.
pub fn status(block: u64) -> Value {
    json!({
        "lastBlockNumber": block, "lastBlockRefHiveBlockNumber": block + 41_967_403,
        "lastHash": "0", "lastParsedHiveBlockNumber": block + 41_967_404,
        "SSCnodeVersion": "ivm-1.1.4", "domain": "fake-node.local", "chainId": "mainnet-hive",
        "disabledMethods": {"blockchain": ["getBlockRangeInfo"], "contracts": []}, "lightNode": false,
    })
}
