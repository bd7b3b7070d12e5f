//! The fake node's `marketpools` tables keep the real node's quirks (protocol doc §2, §4).

use serde_json::{Value, json};

use super::fake_protocol::rows;
use fake_node::{FakeNet, Scale};

async fn net(pools: usize) -> FakeNet {
    FakeNet::start(
        Scale {
            tokens: 60,
            max_holders: 1_000,
            pools,
            ..Scale::default()
        },
        1,
        0,
    )
    .await
    .unwrap()
}

/// A share string in units of 10^-20 (the fake writes at most 20 decimals).
fn units(text: &str) -> i128 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    assert!(frac.len() <= 20, "{text}");
    format!("{whole}{frac:0<20}").parse().unwrap()
}

#[tokio::test]
async fn pools_carry_number_zeros_unrounded_shares_and_one_orientation() {
    let net = net(200).await;
    let pools = rows(&net, "marketpools.pools", json!({}), json!({})).await;
    assert_eq!(pools.len(), 200);
    let fresh = pools
        .iter()
        .find(|p| p["baseQuantity"].is_number())
        .expect("a freshly created pool");
    for f in [
        "baseQuantity",
        "quoteQuantity",
        "basePrice",
        "quotePrice",
        "totalShares",
    ] {
        assert_eq!(fresh[f], json!(0), "{f} is the number 0");
    }
    assert!(
        pools.iter().any(|p| p["totalShares"] == "0"),
        "a drained pool"
    );
    let busy = &pools[0];
    assert_eq!(busy["tokenPair"], "SWAP.HIVE:BEE");
    let total = busy["totalShares"].as_str().unwrap();
    assert!(
        total.split('.').nth(1).unwrap().len() > 8,
        "unrounded: {total}"
    );
    let reversed = rows(
        &net,
        "marketpools.pools",
        json!({"tokenPair": "BEE:SWAP.HIVE"}),
        json!({}),
    )
    .await;
    assert!(reversed.is_empty(), "only one orientation exists");
    // Market-Viewr's query for a token's pools: either side of the pair.
    let leo = rows(
        &net,
        "marketpools.pools",
        json!({"$or": [{"tokenPair": {"$regex": "^LEO:"}}, {"tokenPair": {"$regex": ":LEO$"}}]}),
        json!({}),
    )
    .await;
    let pairs: Vec<&str> = leo
        .iter()
        .map(|p| p["tokenPair"].as_str().unwrap())
        .collect();
    assert!(
        pairs.contains(&"SWAP.HIVE:LEO") && pairs.iter().any(|p| p.starts_with("LEO:")),
        "{pairs:?}"
    );
    assert!(
        pools
            .iter()
            .any(|p| p["tokenPair"].as_str().unwrap().contains('\u{1b}')),
        "hostile text in a token name"
    );
}

#[tokio::test]
async fn positions_need_several_pages_and_add_up_to_the_total() {
    let net = net(50).await;
    let pair = json!({"tokenPair": "SWAP.HIVE:BEE"});
    let mut all: Vec<Value> = Vec::new();
    loop {
        let mut q = pair.clone();
        if let Some(last) = all.last() {
            q["_id"] = json!({"$gt": last["_id"]});
        }
        let page = rows(
            &net,
            "marketpools.liquidityPositions",
            q,
            json!({"limit": 1000}),
        )
        .await;
        let short = page.len() < 1000;
        all.extend(page);
        if short {
            break;
        }
    }
    assert!(all.len() > 2500, "{}", all.len());
    let pool = &rows(&net, "marketpools.pools", pair.clone(), json!({})).await[0];
    let sum: i128 = all
        .iter()
        .map(|p| units(p["shares"].as_str().unwrap()))
        .sum();
    assert_eq!(sum, units(pool["totalShares"].as_str().unwrap()));

    // There is no index on shares: asking for one gives `_id` order, as Market-Viewr found.
    let by_shares = rows(
        &net,
        "marketpools.liquidityPositions",
        pair.clone(),
        json!({"limit": 200, "indexes": [{"index": "shares", "descending": true}]}),
    )
    .await;
    assert!(
        by_shares
            .windows(2)
            .all(|w| w[0]["_id"].as_i64() < w[1]["_id"].as_i64())
    );
    let top = all
        .iter()
        .map(|p| units(p["shares"].as_str().unwrap()))
        .max()
        .unwrap();
    assert!(
        by_shares
            .iter()
            .all(|p| units(p["shares"].as_str().unwrap()) < top),
        "the biggest provider is not among the first 200 by _id"
    );
    let by_account = rows(
        &net,
        "marketpools.liquidityPositions",
        pair,
        json!({"indexes": [{"index": "account", "descending": false}]}),
    )
    .await;
    assert!(
        by_account
            .windows(2)
            .all(|w| w[0]["account"].as_str() <= w[1]["account"].as_str())
    );
}

#[tokio::test]
async fn more_than_a_thousand_pools_need_a_second_page() {
    let net = net(1_200).await;
    let first = rows(&net, "marketpools.pools", json!({}), json!({"limit": 1000})).await;
    assert_eq!(first.len(), 1000);
    let rest = rows(
        &net,
        "marketpools.pools",
        json!({"_id": {"$gt": first[999]["_id"]}}),
        json!({}),
    )
    .await;
    assert_eq!(rest.len(), 200);
}
