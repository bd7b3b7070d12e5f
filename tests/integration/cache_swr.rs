//! Stale-while-revalidate against the fake network: one upstream request per herd, stale data
//! first, failures never replacing good data, keys never wedged.

use std::sync::Arc;
use std::time::Duration;

use market_tui::cache::{Cache, Key, Payload, Ttls};
use market_tui::model::{Provenance, now};
use market_tui::refresh::worker::{self, Report, Request};
use market_tui::refresh::{RefreshError, Swr};
use tokio::sync::mpsc;

use crate::support::{Tmpfs, swr};
use fake_node::{FakeNet, Fault, FaultKind};

const TOKENS: &str = "find/tokens/tokens";

fn stale_tokens(cache: &Cache) {
    let tokens = Payload::Tokens(Vec::new());
    cache.put(
        &Key::Tokens,
        tokens,
        Provenance {
            node: "old".into(),
            block: None,
        },
        now() - 100_000,
    );
}

#[tokio::test]
async fn a_herd_on_a_stale_key_makes_one_request_and_all_see_data_at_once() {
    let net = FakeNet::small().await;
    net.nodes
        .iter()
        .for_each(|n| n.update(|k| k.latency_ms = 100));
    let cache = Arc::new(Cache::in_memory());
    stale_tokens(&cache);
    let s = swr(&net, cache, Ttls::default());
    let herd = (0..100).map(|_| {
        let s = s.clone();
        tokio::spawn(async move {
            let cached = s
                .cached(&Key::Tokens)
                .await
                .expect("stale data served at once");
            assert_eq!(cached.meta.provenance.node, "old");
            s.refresh(&Key::Tokens, None).await
        })
    });
    let results = futures::future::join_all(herd).await;
    assert!(results.into_iter().all(|r| r.unwrap().is_ok()));
    assert_eq!(net.requests(TOKENS), 1);
    assert_eq!(s.in_flight(), 0);
}

#[tokio::test]
async fn a_herd_on_a_missing_key_makes_one_request_and_shares_the_value() {
    let net = FakeNet::small().await;
    net.nodes
        .iter()
        .for_each(|n| n.update(|k| k.latency_ms = 100));
    let s = swr(&net, Arc::new(Cache::in_memory()), Ttls::default());
    let herd = (0..100).map(|_| {
        let s = s.clone();
        tokio::spawn(async move { s.refresh(&Key::Richlist("LEO".into()), None).await })
    });
    let results: Vec<_> = futures::future::join_all(herd)
        .await
        .into_iter()
        .map(|r| r.unwrap().unwrap())
        .collect();
    let generation = results[0].meta.generation;
    assert!(results.iter().all(|e| e.meta.generation == generation));
    assert_eq!(net.requests("findOne/tokens/tokens"), 1);
    assert_eq!(s.in_flight(), 0, "no leftover flight");
}

#[tokio::test]
async fn a_cancelled_leader_does_not_wedge_the_key() {
    let net = FakeNet::small().await;
    net.nodes
        .iter()
        .for_each(|n| n.update(|k| k.latency_ms = 300));
    let s = swr(&net, Arc::new(Cache::in_memory()), Ttls::default());
    let leader = {
        let s = s.clone();
        tokio::spawn(async move { s.refresh(&Key::Tokens, None).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(s.is_in_flight(&Key::Tokens));
    s.abort(&Key::Tokens);
    assert_eq!(leader.await.unwrap().unwrap_err(), RefreshError::Cancelled);
    assert_eq!(s.in_flight(), 0);
    net.reset_counters();
    s.refresh(&Key::Tokens, None).await.unwrap();
    assert_eq!(net.requests(TOKENS), 1, "exactly one new refresh");
}

#[tokio::test]
async fn a_failed_pagination_keeps_the_previous_generation() {
    let net = FakeNet::small().await;
    let cache = Arc::new(Cache::in_memory());
    let s = swr(&net, cache.clone(), Ttls::default());
    let good = s.refresh(&Key::Book("BEE".into()), None).await.unwrap();
    for node in &net.nodes {
        node.add_fault(Fault {
            kind: FaultKind::Status {
                code: 503,
                retry_after: None,
            },
            after: 1,
            count: 0,
            only: Some("find/market/sellBook".into()),
        });
    }
    let err = s.refresh(&Key::Book("BEE".into()), None).await.unwrap_err();
    assert!(err.to_string().contains("503"), "{err}");
    let kept = cache.get(&Key::Book("BEE".into())).unwrap();
    assert_eq!(kept.meta.generation, good.meta.generation);
    assert_eq!(kept.payload, good.payload);
}

#[tokio::test]
async fn a_suspicious_empty_list_never_replaces_good_data() {
    let net = FakeNet::small().await;
    let cache = Arc::new(Cache::in_memory());
    let s = swr(&net, cache.clone(), Ttls::default());
    let good = s.refresh(&Key::Tokens, None).await.unwrap();
    for node in &net.nodes {
        node.add_fault(Fault {
            only: Some(TOKENS.into()),
            ..Fault::always(FaultKind::EmptyResult)
        });
    }
    let err = s.refresh(&Key::Tokens, None).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("empty tokens table, which is never empty"),
        "{err}"
    );
    assert_eq!(
        cache.get(&Key::Tokens).unwrap().meta.generation,
        good.meta.generation
    );
}

#[tokio::test]
async fn a_fresh_entry_is_served_without_a_request() {
    let net = FakeNet::small().await;
    let s = swr(&net, Arc::new(Cache::in_memory()), Ttls::default());
    s.refresh(&Key::Trades("BEE".into()), None).await.unwrap();
    net.reset_counters();
    let got = s.get(&Key::Trades("BEE".into()), None, None).await;
    assert!(got.fresh && got.entry.is_some());
    assert_eq!(net.requests(""), 0);
}

async fn next_report(
    rx: &mut mpsc::UnboundedReceiver<Report>,
    what: impl Fn(&Report) -> bool,
) -> Report {
    tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            let r = rx.recv().await.expect("worker alive");
            if what(&r) {
                return r;
            }
        }
    })
    .await
    .expect("report in time")
}

#[tokio::test]
async fn the_worker_shows_cached_data_first_survives_an_outage_and_recovers() {
    let net = FakeNet::small().await;
    let cache = Arc::new(Cache::in_memory());
    stale_tokens(&cache);
    let s = swr(
        &net,
        cache.clone(),
        Ttls {
            tokens: 1,
            ..Ttls::default()
        },
    );
    for node in &net.nodes {
        node.add_fault(Fault {
            only: Some(TOKENS.into()),
            ..Fault::always(FaultKind::Status {
                code: 503,
                retry_after: None,
            })
        });
    }
    let (req_tx, req_rx) = mpsc::channel(8);
    let (rep_tx, mut reports) = mpsc::unbounded_channel();
    tokio::spawn(worker::run(s.clone(), None, req_rx, rep_tx));
    req_tx
        .send(Request::Watch(vec![Key::Tokens]))
        .await
        .unwrap();
    let first = next_report(&mut reports, |r| matches!(r, Report::Loaded { .. })).await;
    assert!(
        matches!(first, Report::Loaded { fresh: false, .. }),
        "cached data first: {first:?}"
    );
    let failed = next_report(&mut reports, |r| matches!(r, Report::Failed { .. })).await;
    let Report::Failed {
        error, retry_at, ..
    } = failed
    else {
        unreachable!()
    };
    assert!(error.contains("HTTP 503"), "{error}");
    assert!(retry_at.is_some());
    assert_eq!(
        cache.get(&Key::Tokens).unwrap().meta.provenance.node,
        "old",
        "nothing lost"
    );
    net.nodes.iter().for_each(|n| n.clear_faults());
    let fresh = next_report(&mut reports, |r| {
        matches!(r, Report::Loaded { fresh: true, .. })
    })
    .await;
    let Report::Loaded { entry, .. } = fresh else {
        unreachable!()
    };
    assert_eq!(entry.payload.rows(), 40);
}

#[tokio::test]
async fn offline_serves_only_the_cache() {
    let cache = Arc::new(Cache::in_memory());
    let s = Swr::new(cache.clone(), None, Ttls::default());
    assert_eq!(
        s.refresh(&Key::Tokens, None).await.unwrap_err(),
        RefreshError::Offline
    );
    stale_tokens(&cache);
    let got = s.get(&Key::Tokens, None, None).await;
    assert!(!got.fresh && got.entry.is_some());
}

#[test]
fn two_caches_on_one_dir_the_second_runs_from_memory_with_words() {
    let dir = tempfile::tempdir().unwrap();
    let first = Cache::open(dir.path());
    assert!(first.on_disk());
    let second = Cache::open(dir.path());
    assert!(!second.on_disk());
    let w = second.warning().unwrap();
    assert!(
        w.contains("in use by another market-tui") && w.contains(&dir.path().display().to_string()),
        "{w}"
    );
    second.put(
        &Key::Tokens,
        Payload::Tokens(Vec::new()),
        Provenance::default(),
        1,
    );
    assert!(second.get(&Key::Tokens).is_some(), "memory fallback works");
}

#[test]
fn an_unusable_data_dir_falls_back_to_memory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cache"),
        b"a file where the cache dir should be",
    )
    .unwrap();
    let cache = Cache::open(dir.path());
    assert!(!cache.on_disk());
    assert!(cache.warning().unwrap().contains("cannot"));
}

fn many_holders(n: usize) -> Payload {
    use market_tui::model::{Amount, Holder, Locked, Richlist};
    let holder = |i: usize| {
        Holder::new(
            &format!("holder{i:07}"),
            Amount::parse(&format!("{i}.12345678")).unwrap(),
            Amount::parse(&format!("{}.5", i * 7)).unwrap(),
            Locked::default(),
        )
    };
    Payload::Richlist(Richlist {
        symbol: "BIG".into(),
        holders: (0..n).map(holder).collect(),
        ..Richlist::default()
    })
}

/// A disk without room for a value: the write is refused before sled sees it (sled 0.34 loops
/// or tears a segment when it runs out of space), the value is held in memory and said so, the
/// one on disk stays, and a later value that fits is written.
#[test]
fn a_full_disk_refuses_the_write_keeps_the_old_value_and_warns_once() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_fs) = Tmpfs::mount(dir.path(), "4m") else {
        return;
    };
    let cache = Cache::open(dir.path());
    assert!(cache.on_disk(), "{:?}", cache.warning());
    let key = Key::Richlist("BIG".into());
    let small = many_holders(10);
    cache.put(&key, small.clone(), Provenance::default(), 1);
    assert_eq!(cache.kept(&key), Ok(()));
    let big = many_holders(150_000);
    cache.put(&key, big.clone(), Provenance::default(), 2);
    let why = cache.kept(&key).unwrap_err();
    assert!(why.to_string().starts_with("the disk is full ("), "{why}");
    let warning = cache.warning().expect("a full disk is reported");
    assert!(warning.contains("the disk is full"), "{warning}");
    assert_eq!(*cache.get(&key).unwrap().payload, big, "held in memory");
    cache.put(
        &Key::Tokens,
        Payload::Tokens(Vec::new()),
        Provenance::default(),
        3,
    );
    assert_eq!(
        cache.kept(&Key::Tokens),
        Ok(()),
        "a value that fits is written"
    );
    assert_eq!(cache.warning().unwrap(), warning, "warned once");
    drop(cache);
    let reopened = Cache::open(dir.path());
    assert!(reopened.on_disk(), "{:?}", reopened.warning());
    assert_eq!(
        *reopened.get(&key).unwrap().payload,
        small,
        "the old value stays"
    );
    assert!(reopened.get(&Key::Tokens).is_some());
}

/// A snapshot the disk has no room for changes nothing on disk: the one before stays whole
/// (it is rewritten as a difference only once the new one is on disk).
#[test]
fn a_snapshot_without_room_leaves_the_one_before_whole() {
    use market_tui::snapshots::{self, Retention};
    let dir = tempfile::tempdir().unwrap();
    let Some(_fs) = Tmpfs::mount(dir.path(), "4m") else {
        return;
    };
    let cache = Cache::open(dir.path());
    let Payload::Richlist(small) = many_holders(100) else {
        unreachable!()
    };
    let Payload::Richlist(big) = many_holders(150_000) else {
        unreachable!()
    };
    let policy = Retention::default();
    let now = now();
    snapshots::keep(&cache, &small, now - 60, &policy).unwrap();
    let why = snapshots::keep(&cache, &big, now, &policy).unwrap_err();
    assert!(why.to_string().contains("the disk is full"), "{why}");
    drop(cache);
    let reopened = Cache::open(dir.path());
    let (at, newest) = snapshots::newest(&reopened, "BIG").expect("the one before is whole");
    assert_eq!((at, newest.holders.len()), (now - 60, 100));
}

#[tokio::test]
async fn offline_the_worker_shows_the_cache_and_never_tries_to_fetch() {
    let cache = Arc::new(Cache::in_memory());
    stale_tokens(&cache);
    let s = Swr::new(cache, None, Ttls::default());
    let (req_tx, req_rx) = mpsc::channel(8);
    let (rep_tx, mut reports) = mpsc::unbounded_channel();
    tokio::spawn(worker::run(s, None, req_rx, rep_tx));
    req_tx
        .send(Request::Watch(vec![Key::Tokens, Key::Metrics]))
        .await
        .unwrap();
    req_tx.send(Request::Refresh(Key::Tokens)).await.unwrap();
    req_tx
        .send(Request::Prewarm(vec![Key::Tokens, Key::Book("BEE".into())]))
        .await
        .unwrap();
    let mut seen = Vec::new();
    while let Ok(Some(r)) = tokio::time::timeout(Duration::from_millis(500), reports.recv()).await {
        seen.push(r);
    }
    assert!(
        seen.iter().any(|r| matches!(
            r,
            Report::Loaded {
                key: Key::Tokens,
                fresh: false,
                ..
            }
        )),
        "{seen:?}"
    );
    assert!(
        !seen.iter().any(|r| matches!(r, Report::Refreshing { .. })),
        "no refresh starts offline: {seen:?}"
    );
    let missing = seen.iter().find_map(|r| match r {
        Report::Failed {
            key: Key::Metrics,
            error,
            cause: "not cached",
            retry_at: None,
        } => Some(error.clone()),
        _ => None,
    });
    assert_eq!(
        missing.as_deref(),
        Some("not in the cache, and --offline never fetches"),
        "{seen:?}"
    );
}
