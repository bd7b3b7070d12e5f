//! Line 1: a cold 100000-holder richlist against three fake nodes at 30 ms, beside Market-Viewr's
//! sequential walk; with a slow node, with a node that fails mid-walk, and as a whole process.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fake_node::{FakeNet, Fault, FaultKind};
use serde_json::{Value, json};

use super::{RUNS, Row, client, fake, median, ms};

const IN_FLIGHT: u64 = 3;

/// Market-Viewr's richlist walk: one node, account cursor, 1000 rows a page, one after another.
async fn market_viewr_richlist(url: &str, symbol: &str) -> usize {
    let http = reqwest::Client::new();
    let mut last: Option<String> = None;
    let mut rows = 0;
    let mut id = 0;
    loop {
        let mut query = json!({"symbol": symbol, "$or": [{"balance": {"$gt": "0.00000000"}}, {"stake": {"$gt": "0.00000000"}}]});
        if let Some(a) = &last {
            query["account"] = json!({"$gt": a});
        }
        id += 1;
        let body = json!([{"jsonrpc": "2.0", "id": id, "method": "find", "params": {"contract": "tokens", "table": "balances",
            "query": query, "limit": 1000, "offset": 0, "indexes": [{"index": "account", "descending": false}]}}]);
        let resp = http
            .post(format!("{url}contracts"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let v: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
        let page = v[0]["result"].as_array().cloned().unwrap_or_default();
        rows += page.len();
        match page.last() {
            Some(l) if page.len() == 1000 => last = l["account"].as_str().map(str::to_owned),
            _ => break,
        }
    }
    rows
}

fn latency(net: &FakeNet, node: usize, ms: u64) {
    net.nodes[node].update(|k| k.latency_ms = ms);
}

fn per_node(net: &FakeNet) -> Vec<u64> {
    net.nodes.iter().map(|n| n.counters().total).collect()
}

/// One cold read in process: its time and holder count; asserts the caps on every node. With
/// `probed`, the nodes' status is read first and not timed, as the app does at startup.
async fn ours(net: &FakeNet, probed: bool) -> (Duration, usize) {
    let c = client(net);
    if probed {
        c.probe_all().await;
    }
    net.reset_counters();
    let t = Instant::now();
    let r = c.richlist("BEE", None).await.unwrap();
    let took = t.elapsed();
    for n in &net.nodes {
        let c = n.counters();
        assert!(c.max_in_flight <= IN_FLIGHT, "in-flight cap exceeded");
        assert!(
            c.max_limit_seen <= 1000,
            "a request asked for more than 1000 rows"
        );
    }
    (took, r.value.holders.len() + 1)
}

pub async fn richlist(rows: &mut Vec<Row>) {
    let net = fake(300, 100_000, 3).await;
    for n in 0..3 {
        latency(&net, n, 30);
    }
    // Generate the partition once, outside the timings.
    let pages = market_viewr_richlist(&net.urls()[0], "BEE")
        .await
        .div_ceil(1000);
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    let (mut our_reqs, mut split, mut our_rows, mut their_rows) = (0, Vec::new(), 0, 0);
    let mut unprobed = Vec::new();
    for _ in 0..RUNS {
        unprobed.push(ours(&net, false).await.0);
        let (took, n) = ours(&net, true).await;
        mine.push(took);
        (our_rows, our_reqs, split) = (n, net.requests(""), per_node(&net));
        net.reset_counters();
        let t = Instant::now();
        their_rows = market_viewr_richlist(&net.urls()[0], "BEE").await;
        theirs.push(t.elapsed());
    }
    let (o, t) = (median(mine), median(theirs));
    let ratio = t.as_secs_f64() / o.as_secs_f64();
    // The network's limit: every page once, 9 at a time, each as long as one of Market-Viewr's.
    let per_request = t / u32::try_from(pages).unwrap_or(1);
    let limit = per_request * u32::try_from(pages.div_ceil(9)).unwrap_or(1);
    let over = o.as_secs_f64() / limit.as_secs_f64();
    let spread = split.iter().max().unwrap_or(&0) - split.iter().min().unwrap_or(&0);
    rows.push(Row {
        name: "1. cold richlist, 100000 holders, 3 nodes x 30 ms".into(),
        figure: format!(
            "market-tui {} ({our_rows} rows, {our_reqs} requests, per node {split:?}, <=3 in flight, <=1000 rows each; {} with the round of node status probes before it) vs Market-Viewr walk {} ({their_rows} rows, {pages} requests, 1 node): {ratio:.1}x; network limit {} ({pages} pages / 9 in flight x {}): {over:.2}x it",
            ms(o),
            ms(median(unprobed)),
            ms(t),
            ms(limit),
            ms(per_request),
        ),
        target: ">= 7x faster, within 1.5x of the network limit, per node within ±15%".into(),
        met: Some(ratio >= 7.0 && over <= 1.5 && spread * 100 <= 15 * split[0].max(1)),
    });

    // One node four times slower: the work shifts to the fast ones.
    latency(&net, 2, 120);
    let mut slow = Vec::new();
    for _ in 0..RUNS {
        slow.push(ours(&net, false).await.0);
        split = per_node(&net);
    }
    rows.push(Row {
        name: "1b. cold richlist, one of the 3 nodes at 120 ms".into(),
        figure: format!(
            "{} (per node {split:?}: the slow node last)",
            ms(median(slow))
        ),
        target: "the work shifts to the fast nodes".into(),
        met: Some(split[2] * 2 < split[0].min(split[1])),
    });

    // A node that starts failing after 10 pages: its ranges finish on the others.
    latency(&net, 2, 30);
    let mut failing = Vec::new();
    let (mut balances, mut refused, mut complete) = (0, 0, true);
    for _ in 0..RUNS {
        net.nodes[2].add_fault(Fault {
            after: 10,
            only: Some("find/tokens/balances".into()),
            ..Fault::always(FaultKind::Status {
                code: 503,
                retry_after: None,
            })
        });
        let (took, n) = ours(&net, false).await;
        net.nodes[2].clear_faults();
        failing.push(took);
        complete &= n == our_rows;
        (balances, split) = (net.requests("find/tokens/balances"), per_node(&net));
        refused = net.nodes[2].counters().faults.values().sum();
    }
    rows.push(Row {
        name: "1c. cold richlist, one node failing (503) after its first 10 pages".into(),
        figure: format!(
            "{} (per node {split:?}; {} balance pages answered and {refused} refused, for {pages} pages; every holder read: {complete})",
            ms(median(failing)),
            balances - refused
        ),
        target: "its ranges finish on the others without starting over (< 2x the pages answered)"
            .into(),
        met: Some(complete && balances - refused < 2 * pages as u64),
    });
    whole_process(&net, rows).await;
}

/// The real binary, built if needed with the benchmark's own profile (`cargo run --example`
/// does not build it): `target/<profile>/examples/bench` beside `target/<profile>/market-tui`.
fn binary() -> Option<PathBuf> {
    let cargo = std::env::var_os("CARGO")?;
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?;
    let profile = match dir.file_name()?.to_str()? {
        "debug" => "dev",
        other => other,
    };
    let built = Command::new(cargo)
        .args([
            "build",
            "--profile",
            profile,
            "--quiet",
            "--bin",
            "market-tui",
        ])
        .status()
        .ok()?
        .success();
    let bin = dir.join("market-tui");
    (built && bin.exists()).then_some(bin)
}

/// `market-tui export richlist BEE` as a user runs it, cold, under `/usr/bin/time`: wall time
/// and peak RSS of the whole process.
fn export_once(bin: &Path, urls: &[String]) -> Option<(Duration, u64)> {
    let dir = tempfile::tempdir().ok()?;
    let out = dir.path().join("bee.csv");
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%e %M"])
        .arg(bin)
        .arg("--data-dir")
        .arg(dir.path());
    for u in urls {
        cmd.arg("--node").arg(u);
    }
    cmd.args(["export", "richlist", "BEE", "--out"]).arg(&out);
    let output = cmd.output().ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut last = stderr.lines().last()?.split_whitespace();
    let secs: f64 = last.next()?.parse().ok()?;
    let kb: u64 = last.next()?.parse().ok()?;
    output
        .status
        .success()
        .then(|| (Duration::from_secs_f64(secs), kb))
}

async fn whole_process(net: &FakeNet, rows: &mut Vec<Row>) {
    let name =
        "1d. cold `export richlist BEE` as a whole process (100000 holders, 3 nodes x 30 ms)";
    let urls = net.urls();
    let runs = tokio::task::spawn_blocking(move || {
        let bin = binary()?;
        (0..RUNS)
            .map(|_| export_once(&bin, &urls))
            .collect::<Option<Vec<_>>>()
    })
    .await
    .unwrap();
    let Some(runs) = runs else {
        rows.push(Row {
            name: name.into(),
            figure: "not measured (needs /usr/bin/time and a built binary)".into(),
            target: "<= 40 MB peak".into(),
            met: None,
        });
        return;
    };
    let wall = median(runs.iter().map(|r| r.0).collect());
    let peak_kb = runs.iter().map(|r| r.1).max().unwrap_or(0);
    let peak = peak_kb as f64 / 1024.0;
    rows.push(Row {
        name: name.into(),
        figure: format!(
            "{} wall (median), {peak:.1} MB peak RSS (the highest of {RUNS} runs): start, walk, cache and snapshot write, CSV",
            ms(wall)
        ),
        target: "<= 40 MB peak".into(),
        met: Some(peak <= 40.0),
    });
}
