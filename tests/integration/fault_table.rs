//! The rows of reliability.md §7 that need a test of their own: an oversized response, a long
//! outage under the worker, a CSV export during a refresh, and a soak in one process. Each
//! prints its figure; the long variants run when `MARKET_TUI_LONG_TESTS` is set (CI sets it).

use std::sync::Arc;
use std::time::{Duration, Instant};

use market_tui::cache::{Cache, Key, Payload, Ttls};
use market_tui::export::{tables, write_csv};
use market_tui::holders;
use market_tui::refresh::Swr;
use market_tui::refresh::worker::{self, Report, Request};
use market_tui::source::{ClientConfig, Error, Failure, HiveEngine, TransportConfig};
use tokio::sync::mpsc;

use fake_node::{FakeNet, Fault, FaultKind};

use crate::support::{net_with_holders, rounds, swr, test_config};

const TOKENS: &str = "find/tokens/tokens";

#[tokio::test]
async fn an_oversized_response_is_cut_at_the_cap_and_never_returned() {
    let net = FakeNet::small().await;
    let base = test_config(net.urls(), net.urls()[0].clone());
    let cfg = ClientConfig {
        transport: TransportConfig {
            body_cap: 4096,
            ..base.transport.clone()
        },
        ..base
    };
    let err = HiveEngine::new(cfg).unwrap().tokens().await.unwrap_err();
    let Error::Exhausted { last, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(last.failure, Failure::TooLarge(4096));
    assert!(err.to_string().contains("larger than 4096 bytes"), "{err}");
    println!(
        "figure: a token list over a 4096-byte cap: aborted at the cap on every node, nothing returned"
    );
}

#[tokio::test]
async fn an_outage_keeps_the_data_shown_and_recovers_after_it() {
    let outage = Duration::from_secs(rounds(3, 30) as u64);
    let net = FakeNet::small().await;
    let cache = Arc::new(Cache::in_memory());
    let s = swr(
        &net,
        cache.clone(),
        Ttls {
            tokens: 1,
            ..Ttls::default()
        },
    );
    let good = s.refresh(&Key::Tokens, None).await.unwrap();
    for node in &net.nodes {
        node.add_fault(Fault::always(FaultKind::Status {
            code: 503,
            retry_after: None,
        }));
    }
    net.reset_counters();
    let (req_tx, req_rx) = mpsc::channel(8);
    let (rep_tx, mut reports) = mpsc::unbounded_channel();
    tokio::spawn(worker::run(s.clone(), None, req_rx, rep_tx));
    let asked = Instant::now();
    req_tx
        .send(Request::Watch(vec![Key::Tokens]))
        .await
        .unwrap();
    let (mut shown_at, mut failures) = (None, 0);
    let started = Instant::now();
    while started.elapsed() < outage {
        match tokio::time::timeout(outage.saturating_sub(started.elapsed()), reports.recv()).await {
            Ok(Some(Report::Loaded { .. })) => shown_at = shown_at.or(Some(asked.elapsed())),
            Ok(Some(Report::Failed { .. })) => failures += 1,
            Ok(Some(_)) => {}
            _ => break,
        }
    }
    let attempts = net.requests(TOKENS);
    assert!(
        shown_at.is_some(),
        "the cached list was shown during the outage"
    );
    assert!(failures >= 1, "and the failure was said");
    assert_eq!(
        cache.get(&Key::Tokens).unwrap().meta.generation,
        good.meta.generation
    );
    net.nodes.iter().for_each(|n| n.clear_faults());
    let recovered = Instant::now();
    let fresh = tokio::time::timeout(Duration::from_secs(120), async {
        loop {
            if let Some(Report::Loaded {
                fresh: true, entry, ..
            }) = reports.recv().await
            {
                return entry;
            }
        }
    })
    .await
    .expect("fresh again after the outage");
    assert_eq!(fresh.payload.rows(), good.payload.rows(), "0 records lost");
    println!(
        "figure: {}s of 503s: cached list shown after {} ms, {failures} failures said, {attempts} token-list requests during the outage, fresh {:.1}s after recovery",
        outage.as_secs(),
        shown_at.unwrap_or_default().as_millis(),
        recovered.elapsed().as_secs_f64()
    );
}

#[tokio::test]
async fn an_export_during_a_refresh_writes_exactly_one_generation() {
    let net = net_with_holders(20_000).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = Arc::new(Cache::open(dir.path()));
    let s = swr(&net, cache.clone(), Ttls::default());
    let key = Key::Richlist("BEE".into());
    s.refresh(&key, None).await.unwrap();
    for node in &net.nodes {
        node.update(|k| k.latency_ms = 30);
    }
    let refresh = {
        let (s, key) = (s.clone(), key.clone());
        tokio::spawn(async move { s.refresh(&key, None).await })
    };
    let mut exports = Vec::new();
    while !refresh.is_finished() || exports.len() < 3 {
        let entry = cache.get(&key).unwrap();
        let Payload::Richlist(r) = &*entry.payload else {
            unreachable!()
        };
        let started = Instant::now();
        let ranks = holders::ranks(&holders::by_total(r));
        let order = holders::sort_order(r, holders::Column::Total, true, Some(&ranks));
        let mut csv = Vec::new();
        let rows = write_csv(&mut csv, tables::richlist(r, &order, &ranks)).unwrap();
        assert_eq!(
            rows as usize,
            r.holders.len(),
            "every row of the generation read"
        );
        let text = String::from_utf8(csv).unwrap();
        assert_eq!(text.matches("rank,account").count(), 1, "one header");
        exports.push((entry.meta.generation, rows, started.elapsed()));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let new = refresh.await.unwrap().unwrap();
    assert_eq!(
        cache.get(&key).unwrap().meta.generation,
        new.meta.generation
    );
    exports.push((new.meta.generation, exports[0].1, Duration::ZERO));
    let generations: std::collections::BTreeSet<u64> = exports.iter().map(|e| e.0).collect();
    println!(
        "figure: {} exports during a refresh of {} rows: generations seen {}, each whole; {} ms each (debug build)",
        exports.len(),
        exports[0].1,
        generations.len(),
        exports[0].2.as_millis()
    );
}

#[tokio::test]
async fn fifty_refreshes_in_one_process_stay_flat_on_disk() {
    let net = net_with_holders(20_000).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = Arc::new(Cache::open(dir.path()));
    let s = swr(&net, cache.clone(), Ttls::default());
    let key = Key::Richlist("BEE".into());
    let mut sizes = Vec::new();
    let mut raw = 0;
    for _ in 0..rounds(10, 50) {
        let e = s.refresh(&key, None).await.unwrap();
        raw = e.meta.bytes;
        cache.flush();
        sizes.push(cache.size_on_disk());
    }
    let peak = *sizes.iter().max().unwrap();
    println!(
        "figure: {} refreshes in one process: {:.1} MB on disk at the peak, {:.1} MB at the end, one generation {:.1} MB",
        sizes.len(),
        peak as f64 / 1e6,
        *sizes.last().unwrap() as f64 / 1e6,
        raw as f64 / 1e6
    );
    let json: usize = net
        .data
        .partition_of("tokens_balances", "BEE")
        .unwrap()
        .rows
        .iter()
        .map(|r| serde_json::to_vec(r).unwrap().len())
        .sum();
    println!(
        "figure: raw JSON rows {:.1} MB; peak {:.2}x raw; sizes {sizes:?}",
        json as f64 / 1e6,
        peak as f64 / json as f64
    );
    assert!(peak <= 4 * json as u64, "{sizes:?}");
}

#[tokio::test]
async fn a_refresh_says_at_once_when_every_node_has_failed_while_it_retries() {
    let net = FakeNet::small().await;
    let cache = Arc::new(Cache::in_memory());
    let s = swr(&net, cache.clone(), Ttls::default());
    s.refresh(&Key::Tokens, None).await.unwrap();
    for node in &net.nodes {
        node.add_fault(Fault::always(FaultKind::Status {
            code: 503,
            retry_after: None,
        }));
        node.update(|k| k.latency_ms = 200);
    }
    let (req_tx, req_rx) = mpsc::channel(8);
    let (rep_tx, mut reports) = mpsc::unbounded_channel();
    tokio::spawn(worker::run(s.clone(), None, req_rx, rep_tx));
    req_tx.send(Request::Refresh(Key::Tokens)).await.unwrap();
    let asked = Instant::now();
    let first_word = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            match reports.recv().await {
                Some(r @ (Report::Struggling { .. } | Report::Failed { .. })) => return r,
                Some(_) => {}
                None => panic!("worker gone"),
            }
        }
    })
    .await
    .unwrap();
    let Report::Struggling { error, .. } = &first_word else {
        panic!("the failure was said only when the refresh gave up: {first_word:?}")
    };
    assert!(error.contains("HTTP 503"), "{error}");
    println!(
        "figure: every node answering 503: said after {} ms, while the refresh kept retrying",
        asked.elapsed().as_millis()
    );
}

#[tokio::test]
async fn the_retry_countdown_is_when_a_node_can_really_be_asked() {
    let dead = crate::support::dead_nodes(2);
    // The shipped cool-down: refused nodes rest for about 30 s.
    let cfg = ClientConfig {
        health: market_tui::source::HealthConfig::default(),
        ..test_config(dead.clone(), dead[0].clone())
    };
    let s = Swr::new(
        Arc::new(Cache::in_memory()),
        Some(Arc::new(HiveEngine::new(cfg).unwrap())),
        Ttls::default(),
    );
    let (req_tx, req_rx) = mpsc::channel(8);
    let (rep_tx, mut reports) = mpsc::unbounded_channel();
    tokio::spawn(worker::run(s, None, req_rx, rep_tx));
    req_tx
        .send(Request::Watch(vec![Key::Tokens]))
        .await
        .unwrap();
    let failed = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(Report::Failed {
                retry_at, error, ..
            }) = reports.recv().await
            {
                return (retry_at, error);
            }
        }
    })
    .await
    .unwrap();
    let now = jiff::Timestamp::now().as_second();
    let wait = failed.0.unwrap() - now;
    assert!(
        wait >= 20,
        "retry in {wait}s, while the nodes rest ~30 s: {}",
        failed.1
    );
    println!(
        "figure: every node refusing: failed at once, next retry in {wait}s (when a node is back)"
    );
}
