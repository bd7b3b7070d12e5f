//! The fake node speaks the protocol of hive-engine-protocol.md §9, quirks and faults included.

use std::time::Duration;

use serde_json::{Value, json};

use fake_node::{FakeNet, Fault, FaultKind, Scale};

async fn net() -> FakeNet {
    FakeNet::start(
        Scale {
            tokens: 30,
            max_holders: 2_500,
            history_days: 1200,
            ..Scale::default()
        },
        2,
        0,
    )
    .await
    .unwrap()
}

pub(crate) async fn post(url: &str, body: Value) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub(crate) fn find(table: &str, query: Value, extra: Value) -> Value {
    let (contract, table) = table.split_once('.').unwrap();
    let mut params = json!({"contract": contract, "table": table, "query": query});
    for (k, v) in extra.as_object().unwrap() {
        params[k] = v.clone();
    }
    json!({"jsonrpc": "2.0", "id": 7, "method": "find", "params": params})
}

pub(crate) async fn rows(net: &FakeNet, table: &str, query: Value, extra: Value) -> Vec<Value> {
    let (_, body) = post(
        &format!("{}contracts", net.urls()[0]),
        find(table, query, extra),
    )
    .await;
    body["result"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no rows: {body}"))
}

#[tokio::test]
async fn envelopes_batches_and_notifications() {
    let net = net().await;
    let url = format!("{}contracts", net.urls()[0]);
    let one = find("tokens.tokens", json!({"symbol": "BEE"}), json!({}));
    let (_, single) = post(&url, one.clone()).await;
    assert_eq!(single["id"], 7);
    assert_eq!(single["result"][0]["symbol"], "BEE");
    let (_, batch) = post(&url, json!([one.clone()])).await;
    assert_eq!(batch.as_array().unwrap().len(), 1);
    let (_, too_long) = post(&url, json!([one.clone(), one.clone()])).await;
    assert_eq!(too_long["error"]["code"], -32099);
    assert_eq!(too_long["id"], Value::Null);
    let mut note = one.clone();
    note["id"] = Value::Null;
    let (status, _) = post(&url, note).await;
    assert_eq!(status, 204);
    let (_, root) = post(
        &net.urls()[0],
        json!({"jsonrpc": "2.0", "id": 1, "method": "blockchain.getStatus", "params": []}),
    )
    .await;
    assert_eq!(root["result"]["chainId"], "mainnet-hive");
    let (_, latest) = post(
        &format!("{}blockchain", net.urls()[0]),
        json!({"jsonrpc": "2.0", "id": 2, "method": "getLatestBlockInfo", "params": {}}),
    )
    .await;
    assert!(latest["result"]["blockNumber"].as_u64().unwrap() > 0);
    let (_, unknown) = post(
        &url,
        json!({"jsonrpc": "2.0", "id": 3, "method": "nope", "params": {}}),
    )
    .await;
    assert_eq!(unknown["error"]["code"], -32601);
}

#[tokio::test]
async fn rejects_bad_bodies_like_express() {
    let net = net().await;
    let url = format!("{}contracts", net.urls()[0]);
    let resp = reqwest::Client::new()
        .post(&url)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 415);
    let resp = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 500);
    assert_eq!(
        resp.text().await.unwrap(),
        r#"{"error":"Error processing requests"}"#
    );
    let status = reqwest::get(format!("{}contracts", net.urls()[0]))
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 404);
}

#[tokio::test]
async fn limits_offsets_and_unknown_tables() {
    let net = net().await;
    let all = rows(
        &net,
        "tokens.balances",
        json!({"symbol": "BEE"}),
        json!({"limit": 0}),
    )
    .await;
    assert_eq!(all.len(), 1000, "limit 0 means the default of 1000");
    let (_, high) = post(
        &format!("{}contracts", net.urls()[0]),
        find("tokens.balances", json!({}), json!({"limit": 1001})),
    )
    .await;
    assert_eq!(
        high["error"],
        json!({"code": 400, "message": "limit is too high, maximum limit is 1000"})
    );
    let page = rows(
        &net,
        "tokens.balances",
        json!({"symbol": "BEE"}),
        json!({"limit": 5, "offset": 3}),
    )
    .await;
    assert_eq!(page[0]["_id"], all[3]["_id"]);
    let (_, none) = post(
        &format!("{}contracts", net.urls()[0]),
        find("tokens.nothing", json!({}), json!({})),
    )
    .await;
    assert_eq!(none["result"], Value::Null);
    let (_, missing) = post(
        &format!("{}contracts", net.urls()[0]),
        json!({"jsonrpc": "2.0", "id": 1, "method": "find", "params": {"contract": "tokens"}}),
    )
    .await;
    assert_eq!(missing["error"]["code"], 400);
}

#[tokio::test]
async fn query_operators_with_bson_type_bracketing() {
    let net = net().await;
    let tokens = rows(&net, "tokens.tokens", json!({}), json!({})).await;
    assert_eq!(tokens.len(), 30);
    let in_ = rows(
        &net,
        "tokens.tokens",
        json!({"symbol": {"$in": ["BEE", "LEO"]}}),
        json!({}),
    )
    .await;
    assert_eq!(in_.len(), 2);
    let nin = rows(
        &net,
        "tokens.tokens",
        json!({"symbol": {"$nin": ["BEE", "LEO"]}}),
        json!({}),
    )
    .await;
    assert_eq!(nin.len(), 28);
    let ne = rows(
        &net,
        "tokens.tokens",
        json!({"symbol": {"$ne": "BEE"}}),
        json!({}),
    )
    .await;
    assert_eq!(ne.len(), 29);
    let or = rows(
        &net,
        "tokens.tokens",
        json!({"$or": [{"symbol": "BEE"}, {"symbol": "DEC"}]}),
        json!({}),
    )
    .await;
    assert_eq!(or.len(), 2);
    let and = rows(
        &net,
        "tokens.tokens",
        json!({"$and": [{"symbol": {"$gte": "B"}}, {"symbol": {"$lt": "C"}}]}),
        json!({}),
    )
    .await;
    assert!(
        and.iter()
            .all(|t| t["symbol"].as_str().unwrap().starts_with('B'))
    );
    let re = rows(
        &net,
        "tokens.tokens",
        json!({"symbol": {"$regex": "^SWAP\\."}}),
        json!({}),
    )
    .await;
    assert_eq!(re.len(), 1);
    // Strings compare as strings: "99" > "100"; a number never matches a string bound.
    let ids = rows(
        &net,
        "tokens.tokens",
        json!({"_id": {"$gt": "1"}}),
        json!({}),
    )
    .await;
    assert!(ids.is_empty());
    let old = rows(
        &net,
        "tokens.balances",
        json!({"symbol": "BEE", "stake": {"$exists": false}}),
        json!({}),
    )
    .await;
    assert!(!old.is_empty(), "some old rows lack the stake field");
    let cursor = rows(
        &net,
        "tokens.tokens",
        json!({"_id": {"$gt": 28}}),
        json!({}),
    )
    .await;
    assert_eq!(cursor.len(), 2);
    let one = post(&format!("{}contracts", net.urls()[0]), json!({"jsonrpc": "2.0", "id": 1, "method": "findOne", "params": {"contract": "tokens", "table": "tokens", "query": {"symbol": "NOPE"}}})).await.1;
    assert_eq!(one["result"], Value::Null);
}

#[tokio::test]
async fn indexes_sort_only_when_all_exist() {
    let net = net().await;
    let by_account = rows(
        &net,
        "tokens.balances",
        json!({"symbol": "BEE"}),
        json!({"indexes": [{"index": "account", "descending": false}]}),
    )
    .await;
    assert!(
        by_account
            .windows(2)
            .all(|w| w[0]["account"].as_str() <= w[1]["account"].as_str())
    );
    let ignored = rows(
        &net,
        "tokens.balances",
        json!({"symbol": "BEE"}),
        json!({"indexes": [{"index": "balance", "descending": true}]}),
    )
    .await;
    assert!(
        ignored
            .windows(2)
            .all(|w| w[0]["_id"].as_i64() < w[1]["_id"].as_i64()),
        "no index on balance: _id order"
    );
    let mixed = rows(&net, "tokens.balances", json!({"symbol": "BEE"}), json!({"indexes": [{"index": "account", "descending": false}, {"index": "stake", "descending": true}]})).await;
    assert!(
        mixed
            .windows(2)
            .all(|w| w[0]["_id"].as_i64() < w[1]["_id"].as_i64()),
        "one missing index voids all"
    );
    let bids = rows(
        &net,
        "market.buyBook",
        json!({"symbol": "BEE"}),
        json!({"indexes": [{"index": "priceDec", "descending": true}]}),
    )
    .await;
    let price = |r: &Value| r["price"].as_str().unwrap().parse::<f64>().unwrap();
    assert!(bids.windows(2).all(|w| price(&w[0]) >= price(&w[1])));
    assert!(bids[0]["priceDec"]["$numberDecimal"].is_string());
}

#[tokio::test]
async fn amounts_keep_the_nodes_irregular_string_forms() {
    let net = net().await;
    let bee = rows(&net, "tokens.balances", json!({"symbol": "BEE"}), json!({})).await;
    assert!(
        bee.iter().any(|r| r["balance"] == "0"),
        "new rows hold \"0\""
    );
    assert!(bee.iter().all(|r| r["balance"].is_string()));
    let burned = rows(
        &net,
        "tokens.balances",
        json!({"symbol": "BEE", "account": "null"}),
        json!({}),
    )
    .await;
    assert_eq!(burned.len(), 1);
    let metrics = rows(&net, "market.metrics", json!({}), json!({})).await;
    assert!(
        metrics
            .iter()
            .all(|m| m["priceChangePercent"].as_str().unwrap().ends_with('%'))
    );
    let token = &rows(&net, "tokens.tokens", json!({"symbol": "BEE"}), json!({})).await[0];
    assert_eq!(token["maxSupply"], "9007199254740991.00000000");
    let precup = rows(
        &net,
        "tokens.balances",
        json!({"symbol": "PRECUP"}),
        json!({}),
    )
    .await;
    assert!(precup.iter().any(|r| {
        r["balance"]
            .as_str()
            .unwrap()
            .split('.')
            .nth(1)
            .is_some_and(|d| d.len() == 3)
    }));
}

#[tokio::test]
async fn market_history_newest_first_capped_and_ranged() {
    let net = net().await;
    let base = net.urls()[0].clone();
    let get = |q: String| {
        let base = base.clone();
        async move {
            let resp = reqwest::get(format!("{base}marketHistory?{q}"))
                .await
                .unwrap();
            (
                resp.status().as_u16(),
                serde_json::from_str::<Value>(&resp.text().await.unwrap()).unwrap(),
            )
        }
    };
    let (_, all) = get("symbol=BEE".into()).await;
    let all = all.as_array().unwrap().clone();
    assert_eq!(all.len(), 500, "hard limit of 500 rows");
    assert!(
        all.windows(2)
            .all(|w| w[0]["timestamp"].as_i64() > w[1]["timestamp"].as_i64())
    );
    let end = all[0]["timestamp"].as_i64().unwrap();
    let start = end - 10 * 86_400;
    let (_, ranged) = get(format!(
        "symbol=BEE&timestampStart={start}&timestampEnd={end}"
    ))
    .await;
    assert!(ranged.as_array().unwrap().len() <= 11);
    let (_, half) = get(format!("symbol=BEE&timestampStart={start}")).await;
    assert_eq!(
        half.as_array().unwrap().len(),
        500,
        "one bound alone is ignored"
    );
    let (status, err) = get("symbol=".into()).await;
    assert_eq!(
        (status, err),
        (400, json!({"errors": ["an error occured"]}))
    );
}

#[tokio::test]
async fn faults_are_served_and_counted() {
    let net = net().await;
    let node = &net.nodes[0];
    let url = format!("{}contracts", node.url());
    let q = find("tokens.tokens", json!({}), json!({"limit": 1}));
    node.add_fault(Fault::times(
        FaultKind::Status {
            code: 429,
            retry_after: Some(7),
        },
        1,
    ));
    let resp = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .body(q.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers()["retry-after"], "7");
    assert!(resp.text().await.unwrap().contains("<html>"));
    for (kind, check) in [
        (FaultKind::Truncate, "cut"),
        (FaultKind::Html200, "html"),
        (FaultKind::Malformed, "malformed"),
        (FaultKind::ResultNull, "null"),
        (
            FaultKind::RpcError {
                code: -32603,
                message: "Internal error".into(),
            },
            "error",
        ),
    ] {
        node.add_fault(Fault::times(kind, 1));
        let (status, body) = post(&url, q.clone()).await;
        assert_eq!(status, 200);
        match check {
            "null" => assert_eq!(body["result"], Value::Null),
            "error" => assert_eq!(body["error"]["code"], -32603),
            _ => assert!(body.is_string(), "{check}: not JSON"),
        }
    }
    let (_, ok) = post(&url, q.clone()).await;
    assert_eq!(
        ok["result"].as_array().unwrap().len(),
        1,
        "faults with a count run out"
    );
    node.add_fault(Fault::times(FaultKind::Hang, 1));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let hung = client
        .post(&url)
        .header("content-type", "application/json")
        .body(q.to_string())
        .send()
        .await;
    assert!(hung.unwrap_err().is_timeout());
    let c = node.counters();
    assert_eq!(c.get("find/tokens/tokens"), 8);
    assert_eq!(c.faults["status_429"], 1);
    assert_eq!(c.faults["hang"], 1);
    assert_eq!(net.nodes[1].counters().total, 0, "each node counts its own");
}

#[tokio::test]
async fn faults_can_skip_requests_and_target_a_table() {
    let net = net().await;
    let node = &net.nodes[0];
    let url = format!("{}contracts", node.url());
    node.add_fault(Fault {
        kind: FaultKind::Status {
            code: 503,
            retry_after: None,
        },
        after: 2,
        count: 0,
        only: Some("tokens/balances".into()),
    });
    let bal = find(
        "tokens.balances",
        json!({"symbol": "BEE"}),
        json!({"limit": 1}),
    );
    let tok = find("tokens.tokens", json!({}), json!({"limit": 1}));
    assert_eq!(post(&url, bal.clone()).await.0, 200);
    assert_eq!(post(&url, tok.clone()).await.0, 200);
    assert_eq!(post(&url, bal.clone()).await.0, 200);
    assert_eq!(post(&url, bal.clone()).await.0, 503);
    assert_eq!(post(&url, tok).await.0, 200, "other tables unaffected");
    assert_eq!(post(&url, bal).await.0, 503, "count 0 lasts until cleared");
}

#[tokio::test]
async fn knobs_lag_rate_limit_and_admin_endpoint() {
    let net = net().await;
    let (a, b) = (&net.nodes[0], &net.nodes[1]);
    b.update(|k| k.block_lag = 500);
    let height = |n: &fake_node::FakeNode| {
        let url = n.url();
        async move {
            serde_json::from_str::<Value>(&reqwest::get(url).await.unwrap().text().await.unwrap())
                .unwrap()["lastBlockNumber"]
                .as_u64()
                .unwrap()
        }
    };
    assert!(height(a).await >= height(b).await + 499);
    a.update(|k| k.rate_limit_per_sec = Some(2));
    let url = format!("{}contracts", a.url());
    let q = find("tokens.tokens", json!({}), json!({"limit": 1}));
    let codes: Vec<u16> = futures::future::join_all((0..4).map(|_| post(&url, q.clone())))
        .await
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(codes.iter().filter(|&&c| c == 429).count(), 2);
    let admin = reqwest::Client::new();
    admin
        .post(format!("{}admin/knobs", b.url()))
        .body(json!({"latency_ms": 1, "disabled_methods": ["contracts.find"]}).to_string())
        .send()
        .await
        .unwrap();
    let (_, disabled) = post(&format!("{}contracts", b.url()), q).await;
    assert_eq!(
        disabled["error"]["message"],
        "method contracts.find is disabled"
    );
    let counters: Value = serde_json::from_str(
        &reqwest::get(format!("{}admin/counters", b.url()))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(counters["requests"]["find/tokens/tokens"], 1);
    admin
        .post(format!("{}admin/reset", b.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(b.counters().total, 0);
}

#[tokio::test]
async fn scales_to_a_big_richlist_lazily() {
    let net = FakeNet::start(
        Scale {
            tokens: 5_000,
            max_holders: 200_000,
            history_days: 2_000,
            ..Scale::default()
        },
        1,
        0,
    )
    .await
    .unwrap();
    let mut after = String::new();
    let mut total = 0;
    loop {
        let page = rows(
            &net,
            "tokens.balances",
            json!({"symbol": "BEE", "account": {"$gt": after}}),
            json!({"indexes": [{"index": "account", "descending": false}]}),
        )
        .await;
        total += page.len();
        match page.last() {
            Some(last) if page.len() == 1000 => {
                after = last["account"].as_str().unwrap().to_owned()
            }
            _ => break,
        }
    }
    assert_eq!(total, 200_001, "200000 holders plus the null account");
    let tokens = rows(
        &net,
        "tokens.tokens",
        json!({"_id": {"$gt": 4000}}),
        json!({}),
    )
    .await;
    assert_eq!(tokens.len(), 1000);
}
