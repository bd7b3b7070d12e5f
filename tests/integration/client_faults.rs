//! Every fault of reliability.md §7 is survived as described, with upstream requests counted.

use std::time::{Duration, Instant};

use market_tui::source::{Error, Failure, HiveEngine};

use crate::support::{client, test_config};
use fake_node::{FakeNet, Fault, FaultKind};

const TOKENS: &str = "find/tokens/tokens";

#[tokio::test]
async fn a_503_is_retried_then_succeeds() {
    let net = FakeNet::small().await;
    net.nodes[0].add_fault(Fault {
        only: Some(TOKENS.into()),
        ..Fault::times(
            FaultKind::Status {
                code: 503,
                retry_after: None,
            },
            1,
        )
    });
    let c = client(&net);
    let tokens = c.tokens().await.unwrap();
    assert_eq!(tokens.value.len(), 40);
    assert_eq!(
        net.nodes[0].counters().get(TOKENS),
        2,
        "one 503, one success, same node"
    );
    assert_eq!(net.requests(TOKENS), 2);
}

#[tokio::test]
async fn retry_after_cools_the_node_while_others_serve() {
    let net = FakeNet::small().await;
    net.nodes[0].add_fault(Fault {
        only: Some(TOKENS.into()),
        ..Fault::always(FaultKind::Status {
            code: 429,
            retry_after: Some(2),
        })
    });
    let c = client(&net);
    let started = Instant::now();
    c.tokens().await.unwrap();
    assert_eq!(net.nodes[0].counters().get(TOKENS), 1);
    for _ in 0..5 {
        c.tokens().await.unwrap();
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "test premise: still inside Retry-After"
    );
    assert_eq!(
        net.nodes[0].counters().get(TOKENS),
        1,
        "no request to the node before Retry-After expires"
    );
    assert_eq!(net.requests(TOKENS), 7);
}

#[tokio::test]
async fn connection_refused_fails_over_in_one_attempt() {
    let net = FakeNet::small().await;
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut urls = vec![format!("http://{dead}/")];
    urls.extend(net.urls());
    let c = HiveEngine::new(test_config(urls, net.urls()[0].clone())).unwrap();
    c.tokens().await.unwrap();
    assert_eq!(net.requests(TOKENS), 1);
    c.tokens().await.unwrap();
    assert_eq!(
        net.requests(TOKENS),
        2,
        "the dead node cools down: no time lost on it"
    );
}

#[tokio::test]
async fn a_hanging_node_times_out_per_attempt() {
    let net = FakeNet::small().await;
    net.nodes[0].add_fault(Fault {
        only: Some(TOKENS.into()),
        ..Fault::always(FaultKind::Hang)
    });
    let c = client(&net);
    let tokens = c.tokens().await.unwrap();
    assert_eq!(tokens.value.len(), 40);
    assert_eq!(net.nodes[0].counters().get(TOKENS), 1);
    assert_ne!(tokens.provenance.node, net.nodes[0].url());
}

#[tokio::test]
async fn a_dribbled_body_hits_the_deadline_and_fails_over() {
    let net = FakeNet::small().await;
    net.nodes[0].add_fault(Fault {
        only: Some(TOKENS.into()),
        ..Fault::always(FaultKind::Dribble { ms: 50 })
    });
    let tokens = client(&net).tokens().await.unwrap();
    assert_ne!(tokens.provenance.node, net.nodes[0].url());
    assert_eq!(tokens.value.len(), 40);
}

#[tokio::test]
async fn garbage_is_retried_elsewhere_and_never_returned() {
    for kind in [
        FaultKind::Truncate,
        FaultKind::Html200,
        FaultKind::Malformed,
        FaultKind::ResultNull,
    ] {
        let net = FakeNet::small().await;
        net.nodes[0].add_fault(Fault {
            only: Some(TOKENS.into()),
            ..Fault::always(kind.clone())
        });
        let tokens = client(&net).tokens().await.unwrap();
        assert_eq!(tokens.value.len(), 40, "{kind:?}");
        assert_eq!(
            net.nodes[0].counters().get(TOKENS),
            1,
            "{kind:?}: not retried on the same node"
        );
    }
}

#[tokio::test]
async fn everything_garbled_fails_with_words() {
    let net = FakeNet::small().await;
    for node in &net.nodes {
        node.add_fault(Fault::always(FaultKind::Html200));
    }
    let err = client(&net).tokens().await.unwrap_err();
    let Error::Exhausted { last, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        last.failure,
        Failure::Garbled("an HTML page instead of JSON".into())
    );
    assert!(err.to_string().contains("HTML page"), "{err}");
}

#[tokio::test]
async fn a_node_with_a_lower_max_limit_is_asked_for_smaller_pages() {
    const BALANCES: &str = "find/tokens/balances";
    let net = FakeNet::small().await;
    let clean = client(&net).richlist("BEE", None).await.unwrap();
    net.nodes[0].update(|k| k.max_limit = Some(500));
    net.reset_counters();
    let started = Instant::now();
    let c = HiveEngine::new(test_config(
        vec![net.urls()[0].clone()],
        net.urls()[0].clone(),
    ))
    .unwrap();
    let rich = c.richlist("BEE", None).await.unwrap();
    assert_eq!(
        rich.value.holders, clean.value.holders,
        "every row, none twice"
    );
    let pages = net.nodes[0].counters().get(BALANCES);
    let rows = clean.value.holders.len() as u64;
    assert!(
        pages > rows.div_ceil(1000),
        "pages of 500: {pages} requests for {rows} rows"
    );
    println!(
        "figure: richlist of {rows} rows from a node with maxLimit 500 in {} ms, {pages} requests",
        started.elapsed().as_millis()
    );
}

#[tokio::test]
async fn a_disabled_method_fails_over() {
    let net = FakeNet::small().await;
    net.nodes[0].update(|k| k.disabled_methods = vec!["contracts.find".into()]);
    let tokens = client(&net).tokens().await.unwrap();
    assert_ne!(tokens.provenance.node, net.nodes[0].url());
    assert_eq!(net.nodes[0].counters().get(TOKENS), 1);
}

#[tokio::test]
async fn a_lagging_node_is_used_last() {
    let net = FakeNet::small().await;
    net.nodes[0].update(|k| k.block_lag = 500);
    let c = client(&net);
    c.probe_all().await;
    for _ in 0..4 {
        c.tokens().await.unwrap();
    }
    assert_eq!(net.nodes[0].counters().get(TOKENS), 0);
    let t = c.tokens().await.unwrap();
    assert!(t.provenance.block.is_some());
}

#[tokio::test]
async fn pagination_failing_midway_gives_no_partial_result() {
    let net = FakeNet::small().await;
    for node in &net.nodes {
        node.add_fault(Fault {
            kind: FaultKind::Status {
                code: 502,
                retry_after: None,
            },
            after: 1,
            count: 0,
            only: Some("find/market/buyBook".into()),
        });
    }
    let err = client(&net).book("BEE").await.unwrap_err();
    assert!(matches!(err, Error::Exhausted { .. }), "{err:?}");
    assert!(err.to_string().contains("HTTP 502"), "{err}");
}

#[tokio::test]
async fn pagination_restarts_on_another_node_when_one_fails_midway() {
    let net = FakeNet::small().await;
    net.nodes[0].add_fault(Fault {
        kind: FaultKind::Truncate,
        after: 1,
        count: 0,
        only: Some("find/market/buyBook".into()),
    });
    let book = client(&net).book("BEE").await.unwrap();
    assert_eq!(book.value.bids.len(), 1_500, "complete, no duplicates");
}

#[tokio::test]
async fn an_empty_richlist_needs_a_second_opinion_from_another_node() {
    const BALANCES: &str = "find/tokens/balances";
    let net = FakeNet::small().await;
    let empty = || Fault {
        only: Some(BALANCES.into()),
        ..Fault::always(FaultKind::EmptyResult)
    };
    net.nodes[0].add_fault(empty());
    let rich = client(&net).richlist("LEO", None).await.unwrap();
    assert!(
        !rich.value.holders.is_empty(),
        "the other node's holders win"
    );
    assert_eq!(net.nodes[0].counters().get(BALANCES), 1);
    assert_ne!(rich.provenance.node, net.nodes[0].url());

    net.reset_counters();
    net.nodes[1].add_fault(empty());
    net.nodes[2].add_fault(empty());
    let agreed = client(&net).richlist("LEO", None).await.unwrap();
    assert!(agreed.value.holders.is_empty(), "two nodes agree: believed");
    let asked: Vec<u64> = net
        .nodes
        .iter()
        .map(|n| n.counters().get(BALANCES))
        .collect();
    assert_eq!(
        asked.iter().filter(|&&n| n > 0).count(),
        2,
        "two different nodes asked: {asked:?}"
    );

    let one = HiveEngine::new(test_config(
        vec![net.urls()[0].clone()],
        net.urls()[0].clone(),
    ))
    .unwrap();
    let err = one.richlist("LEO", None).await.unwrap_err();
    assert!(
        matches!(err, Error::SuspiciousEmpty { .. }),
        "one node alone is not believed: {err:?}"
    );
    assert!(err.to_string().contains("not trusted"), "{err}");
}

#[tokio::test]
async fn in_flight_requests_per_node_stay_under_the_cap() {
    let net = FakeNet::small().await;
    for node in &net.nodes {
        node.update(|k| k.latency_ms = 20);
    }
    let c = client(&net);
    let reads = (0..20).map(|_| c.tokens());
    let results = futures::future::join_all(reads).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(net.requests(TOKENS), 20);
    for node in &net.nodes {
        let c = node.counters();
        assert!(
            c.max_in_flight <= 3,
            "{} in flight at once",
            c.max_in_flight
        );
    }
    assert!(
        net.nodes.iter().any(|n| n.counters().max_in_flight == 3),
        "the cap is reached, not avoided"
    );
}

#[tokio::test]
async fn nodes_that_refuse_deep_offsets_still_give_every_holder() {
    const BALANCES: &str = "find/tokens/balances";
    let net = crate::support::net_with_holders(12_000).await;
    let clean = client(&net).richlist("BEE", None).await.unwrap();
    assert!(clean.value.holders.len() > 9_000, "a walk of many pages");
    for cap in [2_000, 0] {
        for node in &net.nodes {
            node.update(|k| k.max_offset = Some(cap));
        }
        net.reset_counters();
        let capped = client(&net).richlist("BEE", None).await.unwrap();
        assert_eq!(
            capped.value.holders, clean.value.holders,
            "every row with offsets up to {cap}"
        );
        assert!(
            net.requests(BALANCES) < 40,
            "refusals do not multiply: {} requests",
            net.requests(BALANCES)
        );
    }
}

#[tokio::test]
async fn a_node_answering_empty_pages_mid_walk_loses_no_holder() {
    const BALANCES: &str = "find/tokens/balances";
    let net = crate::support::net_with_holders(12_000).await;
    let clean = client(&net).richlist("BEE", None).await.unwrap();
    net.nodes[1].add_fault(Fault {
        after: 2,
        only: Some(BALANCES.into()),
        ..Fault::always(FaultKind::EmptyResult)
    });
    let rich = client(&net).richlist("BEE", None).await.unwrap();
    assert_eq!(
        rich.value.holders, clean.value.holders,
        "every holder, once"
    );
}

#[tokio::test]
async fn a_page_hanging_mid_walk_is_asked_again_elsewhere_without_waiting_for_it() {
    const BALANCES: &str = "find/tokens/balances";
    let net = crate::support::net_with_holders(12_000).await;
    let clean = client(&net).richlist("BEE", None).await.unwrap();
    net.nodes[0].add_fault(Fault {
        after: 3,
        count: 1,
        only: Some(BALANCES.into()),
        ..Fault::always(FaultKind::Hang)
    });
    // An attempt would wait a minute for the hanging page; the walk does not.
    let mut cfg = test_config(net.urls(), net.urls()[0].clone());
    cfg.transport.attempt_timeout = Duration::from_secs(60);
    cfg.deadline = Duration::from_secs(120);
    let c = HiveEngine::new(cfg).unwrap();
    let rich = tokio::time::timeout(Duration::from_secs(30), c.richlist("BEE", None))
        .await
        .expect("the walk did not wait for the hanging page")
        .unwrap();
    assert_eq!(
        rich.value.holders, clean.value.holders,
        "every holder, once"
    );
}

#[tokio::test]
async fn a_node_with_smaller_pages_beside_others_loses_no_holder_and_blames_nobody() {
    let net = crate::support::net_with_holders(30_000).await;
    let clean = client(&net).richlist("BEE", None).await.unwrap();
    net.nodes[1].update(|k| k.max_limit = Some(500));
    for _ in 0..3 {
        let c = client(&net);
        let rich = c.richlist("BEE", None).await.unwrap();
        assert_eq!(
            rich.value.holders, clean.value.holders,
            "every holder, once"
        );
        assert_eq!(
            c.nodes().last_failure(),
            None,
            "no node was found dropping rows"
        );
    }
}
