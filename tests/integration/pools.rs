//! Liquidity pools end to end against the fake network: every pool and every position read
//! (past the 1000-row cap and the missing `shares` index), exact holdings, the headless
//! exports, and warm re-reads that ask the nodes nothing.

use num_bigint::BigInt;
use serde_json::Value;

use market_tui::model::Amount;
use market_tui::pools::{self, ProviderColumn};
use market_tui::source::Error;

use crate::support::{client, run, text};
use fake_node::{FakeNet, Scale};

const POSITIONS: &str = "find/marketpools/liquidityPositions";
const POOLS: &str = "find/marketpools/pools";

/// `text` as an integer count of 10^-`scale` units, straight from the node's string.
fn units(text: &str, scale: usize) -> BigInt {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    assert!(frac.len() <= scale, "{text}");
    format!("{whole}{frac:0<scale$}").parse().unwrap()
}

/// reserve × shares ÷ total at `dp` decimals, rounded down, from the raw rows alone.
fn expected_holding(reserve: &str, shares: &str, total: &str, dp: u32) -> String {
    const S: usize = 30;
    let n = units(reserve, S) * units(shares, S) * BigInt::from(10).pow(dp);
    let d = units(total, S) * BigInt::from(10).pow(S as u32);
    let q = (n / d).to_string();
    let dp = dp as usize;
    if dp == 0 {
        return q;
    }
    let q = format!("{q:0>width$}", width = dp + 1);
    format!("{}.{}", &q[..q.len() - dp], &q[q.len() - dp..])
}

#[tokio::test]
async fn a_busy_pool_is_read_whole_in_either_orientation_with_exact_holdings() {
    let net = FakeNet::small().await;
    let c = client(&net);
    let detail = c.pool("BEE:SWAP.HIVE").await.unwrap().value;
    assert_eq!(
        detail.pool.pair, "SWAP.HIVE:BEE",
        "typed the other way round"
    );
    let rows = &net
        .data
        .partition_of("marketpools_liquidityPositions", "SWAP.HIVE:BEE")
        .unwrap()
        .rows;
    assert!(rows.len() > 2500);
    assert_eq!(
        detail.positions.len(),
        rows.len(),
        "every position, not a first page"
    );
    // Three full pages, the empty one that ends the walk and its confirmation elsewhere.
    assert_eq!(net.requests(POSITIONS), 5);
    // The typed orientation (absent, confirmed absent elsewhere), then the real one.
    assert_eq!(net.requests(POOLS), 3);

    let pool_row = &net
        .data
        .partition_of("marketpools_pools", "SWAP.HIVE:BEE")
        .unwrap()
        .rows[0];
    let raw = |v: &Value, f: &str| v[f].as_str().unwrap().to_owned();
    let (reserve_b, reserve_q, total) = (
        raw(pool_row, "baseQuantity"),
        raw(pool_row, "quoteQuantity"),
        raw(pool_row, "totalShares"),
    );
    assert_eq!(
        detail.pool.total_shares.to_string(),
        total,
        "every digit of the total"
    );
    let precisions = pools::precisions(&detail.pool, None);
    assert_eq!(precisions, (8, 8));
    let providers = pools::providers(&detail, precisions);
    let by_account: std::collections::HashMap<&str, &Value> = rows
        .iter()
        .map(|r| (r["account"].as_str().unwrap(), r))
        .collect();
    for p in &providers {
        let row = by_account[p.account.as_str()];
        assert_eq!(p.shares.to_string(), raw(row, "shares"));
        assert_eq!(
            p.base.to_fixed(8),
            expected_holding(&reserve_b, &raw(row, "shares"), &total, 8)
        );
        assert_eq!(
            p.quote.to_fixed(8),
            expected_holding(&reserve_q, &raw(row, "shares"), &total, 8)
        );
    }
    let held: Amount = providers.iter().map(|p| p.base).sum();
    assert!(held <= detail.pool.base_quantity);
    let top = pools::order(&providers, ProviderColumn::Shares, true)[0] as usize;
    assert_eq!(providers[top].rank, 1);
    assert!(
        rows.iter()
            .take(200)
            .all(|r| r["account"] != providers[top].account.as_str()),
        "the biggest provider is past the first 200 by _id, where Market-Viewr stops"
    );
}

#[tokio::test]
async fn fresh_drained_unknown_and_many_pools() {
    let net = FakeNet::start(
        Scale {
            tokens: 60,
            max_holders: 500,
            pools: 1_200,
            ..Scale::default()
        },
        3,
        0,
    )
    .await
    .unwrap();
    let c = client(&net);
    let all = c.pools().await.unwrap().value;
    assert_eq!(all.len(), 1_200);
    assert_eq!(net.requests(POOLS), 2, "two pages, the second short");
    let fresh = c.pool("SWAP.HIVE:NEWTOK").await.unwrap().value;
    assert!(fresh.pool.total_shares.is_zero() && fresh.positions.is_empty());
    assert!(
        fresh.pool.base_quantity.is_zero(),
        "the number 0 reads as zero"
    );
    let drained = c.pool("BEE:NOMKT").await.unwrap().value;
    assert!(drained.positions.is_empty());
    assert!(matches!(
        c.pool("SWAP.HIVE:NOPE").await,
        Err(Error::UnknownPool(_))
    ));
    assert!(matches!(c.pool("NOPE").await, Err(Error::InvalidPair(_))));
}

#[tokio::test]
async fn exports_are_exact_and_a_warm_rerun_asks_nothing() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bee.csv");
    let args = [
        "export",
        "pool",
        "BEE:SWAP.HIVE",
        "--out",
        out.to_str().unwrap(),
    ];
    let first = run(Some(&net), dir.path(), &args).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let csv = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "rank,account,shares,pct_of_pool,base_amount,quote_amount"
    );
    assert_eq!(lines.len(), 3_001);
    assert!(lines[1].starts_with("1,"));
    net.reset_counters();
    let again = run(Some(&net), dir.path(), &args).await;
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        net.requests(""),
        0,
        "a warm export of a pool is served from the cache"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), csv);

    let list = run(
        Some(&net),
        dir.path(),
        &["export", "pools", "BEE", "--format", "json"],
    )
    .await;
    assert_eq!(list.status.code(), Some(0), "{}", text(&list.stderr));
    let pools: Value = serde_json::from_slice(&list.stdout).unwrap();
    let pairs: Vec<&str> = pools
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pair"].as_str().unwrap())
        .collect();
    assert!(
        pairs.contains(&"SWAP.HIVE:BEE") && pairs.contains(&"BEE:NOMKT"),
        "{pairs:?}"
    );
    assert!(pools[0]["total_shares"].is_number());

    let all = run(Some(&net), dir.path(), &["export", "pools"]).await;
    let all = text(&all.stdout);
    assert!(!all.contains('\u{1b}'), "no escape sequence reaches a file");
    assert!(
        all.contains("'=HYPER"),
        "a name that starts a formula is neutralized"
    );

    for (args, words) in [
        (vec!["export", "pool", "SWAP.HIVE:NOPE"], "no pool"),
        (vec!["export", "pool", "BEE"], "not a pool"),
        (vec!["export", "pools", "NOPE"], "no token"),
    ] {
        let out = run(Some(&net), dir.path(), &args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains(words), "{}", text(&out.stderr));
        assert!(out.stdout.is_empty());
    }
}

#[tokio::test]
async fn a_node_that_drops_positions_or_fails_is_read_around() {
    use fake_node::{Fault, FaultKind};
    let net = FakeNet::small().await;
    // Node 0 answers `[]` from its second page of positions on: a walk cut short there.
    net.nodes[0].add_fault(Fault {
        kind: FaultKind::EmptyResult,
        after: 1,
        count: 0,
        only: Some(POSITIONS.into()),
    });
    // Node 1 fails its first pool lookups with 503s, then recovers.
    net.nodes[1].add_fault(Fault {
        only: Some("marketpools".into()),
        ..Fault::times(
            FaultKind::Status {
                code: 503,
                retry_after: None,
            },
            2,
        )
    });
    let detail = client(&net).pool("SWAP.HIVE:BEE").await.unwrap().value;
    assert_eq!(
        detail.positions.len(),
        3_000,
        "every position despite both nodes"
    );
    let cut = net.nodes[0].counters().matching(POSITIONS);
    assert!(
        cut >= 2,
        "node 0 answered past its first page, and was not believed: {cut}"
    );
}
