//! One faulty node beside healthy ones, the way public nodes fail: no rows lost, no time lost
//! waiting for nothing. Request counts are asserted; times are printed as figures.

use std::time::Instant;

use market_tui::source::{ClientConfig, Error, Failure, HealthConfig, HiveEngine};

use crate::support::{BALANCES, client, net_with_holders, test_config};
use fake_node::{FakeNet, Fault, FaultKind, Scale};

const TOKENS: &str = "find/tokens/tokens";

fn empty_balances(after: u64) -> Fault {
    Fault {
        kind: FaultKind::EmptyResult,
        after,
        count: 0,
        only: Some(BALANCES.into()),
    }
}

#[tokio::test]
async fn a_node_answering_empty_for_part_of_a_walk_loses_no_rows() {
    let net = net_with_holders(20_000).await;
    let clean = client(&net).richlist("BEE", None).await.unwrap().value;
    assert!(clean.holders.len() > 15_000);
    // Each node in turn answers `[]`, from its first balances request or from its third.
    for faulty in 0..3 {
        for after in [0, 2] {
            net.reset_counters();
            net.nodes.iter().for_each(|n| n.clear_faults());
            net.nodes[faulty].add_fault(empty_balances(after));
            let started = Instant::now();
            let rich = client(&net).richlist("BEE", None).await.unwrap().value;
            assert_eq!(
                rich.holders.len(),
                clean.holders.len(),
                "node {faulty} empty after {after}: rows lost"
            );
            assert_eq!(rich.holders, clean.holders);
            let asked: Vec<u64> = net
                .nodes
                .iter()
                .map(|n| n.counters().get(BALANCES))
                .collect();
            println!(
                "figure: node {faulty} empty after {after}: {} rows in {} ms, balances requests per node {asked:?}",
                rich.holders.len(),
                started.elapsed().as_millis()
            );
        }
    }
}

#[tokio::test]
async fn a_walk_that_cannot_be_confirmed_fails_instead_of_returning_part() {
    let net = net_with_holders(20_000).await;
    net.nodes[0].add_fault(empty_balances(0));
    for node in &net.nodes[1..] {
        node.add_fault(Fault {
            kind: FaultKind::Status {
                code: 503,
                retry_after: None,
            },
            after: 3,
            count: 0,
            only: Some(BALANCES.into()),
        });
    }
    let err = client(&net).richlist("BEE", None).await.unwrap_err();
    assert!(
        matches!(err, Error::Exhausted { .. } | Error::AllCooling { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_empty_token_list_is_never_believed() {
    let net = FakeNet::small().await;
    net.nodes[0].add_fault(Fault {
        only: Some(TOKENS.into()),
        ..Fault::always(FaultKind::EmptyResult)
    });
    let tokens = client(&net).tokens().await.unwrap();
    assert_eq!(tokens.value.len(), 40);
    assert_ne!(tokens.provenance.node, net.nodes[0].url());
    for node in &net.nodes {
        node.add_fault(Fault {
            only: Some(TOKENS.into()),
            ..Fault::always(FaultKind::EmptyResult)
        });
    }
    let err = client(&net).tokens().await.unwrap_err();
    let Error::Exhausted { last, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(last.failure, Failure::Empty("tokens"));
}

#[tokio::test]
async fn a_token_list_cut_after_full_pages_is_confirmed_by_another_node() {
    let scale = Scale {
        tokens: 2_000,
        max_holders: 100,
        ..Scale::default()
    };
    let net = FakeNet::start(scale, 3, 0).await.unwrap();
    // The first node answers the first page, then `[]`: 1000 of 2000 tokens.
    net.nodes[0].add_fault(Fault {
        kind: FaultKind::EmptyResult,
        after: 1,
        count: 0,
        only: Some(TOKENS.into()),
    });
    let tokens = client(&net).tokens().await.unwrap();
    assert_eq!(tokens.value.len(), 2_000);
}

#[tokio::test]
async fn a_hanging_probe_holds_up_no_work() {
    let net = net_with_holders(5_000).await;
    let clean = client(&net).richlist("BEE", None).await.unwrap().value;
    net.reset_counters();
    net.nodes[0].add_fault(Fault {
        only: Some("GET /".into()),
        ..Fault::always(FaultKind::Hang)
    });
    let started = Instant::now();
    let c = client(&net);
    let rich = c.richlist("BEE", None).await.unwrap();
    assert_eq!(rich.value.holders, clean.holders);
    assert_eq!(
        net.nodes[0].in_flight(),
        1,
        "the read finished while the probe of node 0 still hangs"
    );
    assert_eq!(net.nodes[0].counters().get(BALANCES), 0);
    println!(
        "figure: cold richlist of 5000 holders with a hanging probe: {} ms",
        started.elapsed().as_millis()
    );
}

#[tokio::test]
async fn a_lagging_node_serves_nothing_from_the_first_request() {
    let net = net_with_holders(20_000).await;
    net.nodes[0].update(|k| k.block_lag = 50);
    let rich = client(&net).richlist("BEE", None).await.unwrap();
    assert!(rich.value.holders.len() > 15_000);
    let c = net.nodes[0].counters();
    assert_eq!(
        c.matching("find/"),
        0,
        "no read went to the lagging node: {:?}",
        c.requests
    );
    assert!(net.requests(BALANCES) > 10);
}

#[tokio::test]
async fn refusals_everywhere_give_up_at_once_with_the_reason() {
    let dead = crate::support::dead_nodes(3);
    // The shipped cool-down (30 s): the nodes stay down for longer than a read waits.
    let cfg = ClientConfig {
        health: HealthConfig::default(),
        ..test_config(dead.clone(), dead[0].clone())
    };
    let c = HiveEngine::new(cfg).unwrap();
    let started = Instant::now();
    let err = c.tokens().await.unwrap_err();
    println!(
        "figure: every node refusing: gave up after {} ms",
        started.elapsed().as_millis()
    );
    let words = err.to_string();
    assert!(
        words.contains("could not connect") && words.contains("3 nodes"),
        "{words}"
    );
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_stops_at_once_and_says_how_long_the_nodes_rest() {
    let net = FakeNet::small().await;
    for node in &net.nodes {
        node.add_fault(Fault {
            only: Some(TOKENS.into()),
            ..Fault::always(FaultKind::Status {
                code: 429,
                retry_after: Some(30),
            })
        });
    }
    let err = client(&net).tokens().await.unwrap_err();
    let Error::AllCooling { retry_in, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(retry_in.as_secs() >= 25, "{err}");
    assert_eq!(net.requests(TOKENS), 3, "one request per node, then stop");
    // The time is the caller's to say (the app's next try); the words give no schedule.
    assert!(!err.to_string().contains("next try"), "{err}");
    assert_eq!(err.short_cause(), "every node failed");
}

#[tokio::test]
async fn after_a_cool_down_one_probe_goes_first() {
    let net = net_with_holders(20_000).await;
    net.nodes[0].add_fault(Fault {
        only: Some(BALANCES.into()),
        ..Fault::times(
            FaultKind::Status {
                code: 429,
                retry_after: Some(1),
            },
            1,
        )
    });
    let c = client(&net);
    c.richlist("BEE", None).await.unwrap();
    // Node 0 is cooling for a second after its 429; once that has passed, a wide walk starts.
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    net.reset_counters();
    c.richlist("BEE", None).await.unwrap();
    let node0 = net.nodes[0].counters();
    assert_eq!(node0.get("GET /"), 1, "half-open: one probe, not a burst");
    assert!(node0.get(BALANCES) > 0, "then traffic");
}
