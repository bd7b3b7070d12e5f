//! The worker's low-priority queue against the fake network: the tokens list's sparklines are
//! fetched two at a time, once per token within the history TTL, and served from the cache when
//! they are asked for again.

use std::sync::Arc;
use std::time::Duration;

use market_tui::cache::{Cache, Key, Ttls};
use market_tui::model::HistoryRange;
use market_tui::refresh::Swr;
use market_tui::refresh::worker::{self, Report, Request};
use tokio::sync::mpsc;

use crate::support::test_config;
use fake_node::FakeNet;

const HISTORY: &str = "history/marketHistory";

/// Reports until every one of `keys` has arrived, each loaded; a failure is a test failure.
async fn loaded_all(reports: &mut mpsc::UnboundedReceiver<Report>, keys: &[Key]) -> Vec<bool> {
    let mut fresh = vec![None; keys.len()];
    while fresh.iter().any(Option::is_none) {
        let report = tokio::time::timeout(Duration::from_secs(20), reports.recv())
            .await
            .expect("every key reported in time")
            .unwrap();
        match report {
            Report::Loaded { key, fresh: f, .. } => {
                if let Some(i) = keys.iter().position(|k| *k == key) {
                    fresh[i] = Some(f);
                }
            }
            Report::Failed { key, error, .. } => panic!("{key}: {error}"),
            _ => {}
        }
    }
    fresh.into_iter().flatten().collect()
}

#[tokio::test]
async fn sparklines_are_fetched_two_at_a_time_and_once_per_token_per_ttl() {
    let net = FakeNet::small().await;
    // The third node serves only the history API: its counters are the history requests.
    let history = &net.nodes[2];
    history.update(|k| k.latency_ms = 80);
    let urls = net.urls();
    let client =
        market_tui::source::HiveEngine::new(test_config(urls[..2].to_vec(), urls[2].clone()))
            .unwrap();
    let cache = Arc::new(Cache::in_memory());
    let swr = Swr::new(cache, Some(Arc::new(client)), Ttls::default());
    let (req_tx, req_rx) = mpsc::channel(8);
    let (rep_tx, mut reports) = mpsc::unbounded_channel();
    tokio::spawn(worker::run(swr, None, req_rx, rep_tx));

    let keys: Vec<Key> = net
        .data
        .specs
        .iter()
        .filter(|s| s.has_market)
        .take(12)
        .map(|s| Key::History(s.symbol.clone(), HistoryRange::Month))
        .collect();
    assert_eq!(keys.len(), 12);
    req_tx
        .send(Request::Background(keys.clone()))
        .await
        .unwrap();
    let fresh = loaded_all(&mut reports, &keys).await;
    assert!(fresh.iter().all(|f| *f), "fetched just now");
    assert_eq!(
        history.counters().max_in_flight,
        2,
        "two at a time: more would crowd the screen's own fetches, fewer is no queue"
    );
    assert_eq!(net.requests(HISTORY), 12, "one request per token");

    // The same rows again, scrolled away and back, and the list left and come back to: all
    // from the cache, within the TTL.
    req_tx
        .send(Request::Background(keys.clone()))
        .await
        .unwrap();
    req_tx
        .send(Request::Background(keys[..3].to_vec()))
        .await
        .unwrap();
    req_tx.send(Request::Background(Vec::new())).await.unwrap();
    req_tx
        .send(Request::Background(keys.clone()))
        .await
        .unwrap();
    let fresh = loaded_all(&mut reports, &keys).await;
    assert!(fresh.iter().all(|f| *f), "still fresh, from the cache");
    net.settle().await;
    assert_eq!(
        net.requests(HISTORY),
        12,
        "never a second fetch within the TTL"
    );
}
