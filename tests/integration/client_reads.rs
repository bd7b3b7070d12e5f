//! Every read returns exact, complete data from the fake network.

use market_tui::model::{Amount, HistoryRange, valid_symbol};
use market_tui::source::Error;

use crate::support::{client, now};
use fake_node::{FakeNet, Scale};

#[tokio::test]
async fn token_list_pages_past_1000() {
    let net = FakeNet::start(
        Scale {
            tokens: 2_345,
            max_holders: 100,
            ..Scale::default()
        },
        2,
        0,
    )
    .await
    .unwrap();
    let tokens = client(&net).tokens().await.unwrap().value;
    assert_eq!(tokens.len(), 2_345);
    assert!(tokens.iter().all(|t| valid_symbol(&t.symbol)));
    assert_eq!(net.requests("find/tokens/tokens"), 3);
    let bee = tokens.iter().find(|t| t.symbol == "BEE").unwrap();
    assert_eq!(bee.max_supply.to_fixed(8), "9007199254740991.00000000");
    let bad = tokens.iter().find(|t| t.symbol == "BADMETA").unwrap();
    assert_eq!(
        bad.metadata.desc, "",
        "invalid metadata JSON gives empty fields"
    );
}

#[tokio::test]
async fn richlist_is_complete_exact_and_excludes_null() {
    let net = FakeNet::start(
        Scale {
            tokens: 30,
            max_holders: 12_345,
            ..Scale::default()
        },
        3,
        0,
    )
    .await
    .unwrap();
    let rich = client(&net).richlist("BEE", None).await.unwrap().value;
    let spec = net.data.spec("BEE").unwrap();
    let rows = &net
        .data
        .partition_of("tokens_balances", "BEE")
        .unwrap()
        .rows;
    let holding: Vec<_> = rows
        .iter()
        .filter(|r| r["account"] != "null")
        .filter(|r| {
            [
                "balance",
                "stake",
                "pendingUnstake",
                "delegationsIn",
                "delegationsOut",
            ]
            .iter()
            .any(|f| {
                r.get(*f)
                    .and_then(|v| v.as_str())
                    .is_some_and(|s| !Amount::parse(s).unwrap().is_zero())
            })
        })
        .collect();
    assert_eq!(rich.holders.len(), holding.len());
    assert!(spec.holders >= rich.holders.len());
    assert!(rich.holders.iter().all(|h| h.account != "null"));
    assert!(!rich.burned.is_zero());
    let total: Amount = rich.holders.iter().map(|h| h.balance).sum();
    let expected: Amount = holding
        .iter()
        .map(|r| Amount::parse(r["balance"].as_str().unwrap()).unwrap())
        .sum();
    assert_eq!(total, expected, "exact sums, no float drift");
    for node in &net.nodes {
        assert!(node.counters().max_limit_seen <= 1000);
    }
    let per_node: Vec<u64> = net
        .nodes
        .iter()
        .map(|n| n.counters().get("find/tokens/balances"))
        .collect();
    assert!(
        per_node.iter().all(|&n| n > 0),
        "ranges spread over all nodes: {per_node:?}"
    );
}

#[tokio::test]
async fn precision_raised_later_is_read_exactly() {
    let net = FakeNet::small().await;
    let rich = client(&net).richlist("PRECUP", None).await.unwrap().value;
    assert_eq!(rich.precision, 8);
    let short = rich
        .holders
        .iter()
        .find(|h| h.balance.0.scale() == 3)
        .expect("an old 3-decimal row");
    assert_eq!(
        short.balance.to_fixed(8).len(),
        short.balance.to_string().len() + 5
    );
}

#[tokio::test]
async fn books_are_complete_and_sorted() {
    let net = FakeNet::small().await;
    let book = client(&net).book("BEE").await.unwrap().value;
    assert_eq!(book.bids.len(), 1_500);
    assert_eq!(book.asks.len(), 1_500);
    assert!(book.bids.windows(2).all(|w| w[0].price >= w[1].price));
    assert!(book.asks.windows(2).all(|w| w[0].price <= w[1].price));
    assert!(book.bids[0].price < book.asks[0].price);
}

#[tokio::test]
async fn trades_of_the_last_day() {
    let net = FakeNet::small().await;
    let trades = client(&net).trades("BEE", now()).await.unwrap().value;
    assert_eq!(trades.len(), 1_200);
    assert!(trades.windows(2).all(|w| w[0].timestamp <= w[1].timestamp));
    let none = client(&net).trades("NOTRADE", now()).await.unwrap().value;
    assert!(none.is_empty());
}

#[tokio::test]
async fn metrics_read_expired_volume_as_zero() {
    let net = FakeNet::small().await;
    let metrics = client(&net).metrics(now()).await.unwrap().value;
    assert!(metrics.iter().all(|m| !m.symbol.is_empty()));
    assert!(
        metrics
            .iter()
            .any(|m| m.volume_24h.is_zero() && m.price_change_pct.is_zero())
    );
    assert!(metrics.iter().any(|m| !m.volume_24h.is_zero()));
    assert!(!metrics.iter().any(|m| m.symbol == "NOMKT"));
}

#[tokio::test]
async fn history_all_reaches_past_500_days() {
    let net = FakeNet::start(
        Scale {
            tokens: 20,
            max_holders: 100,
            history_days: 2_000,
            ..Scale::default()
        },
        1,
        0,
    )
    .await
    .unwrap();
    let c = client(&net);
    let all = c
        .history("BEE", HistoryRange::All, now())
        .await
        .unwrap()
        .value;
    assert_eq!(all.len(), net.data.history("BEE").len());
    assert!(all.len() > 1_500);
    assert!(all.windows(2).all(|w| w[0].day < w[1].day));
    assert!(
        all.iter()
            .all(|c| c.low <= c.open && c.open <= c.high && c.low <= c.close && c.close <= c.high)
    );
    let week = c
        .history("BEE", HistoryRange::Week, now())
        .await
        .unwrap()
        .value;
    assert!(week.len() <= 7 && !week.is_empty());
}

#[tokio::test]
async fn unknown_and_invalid_symbols_fail_in_words_without_a_storm() {
    let net = FakeNet::small().await;
    let c = client(&net);
    let err = c.richlist("NOSUCH", None).await.unwrap_err();
    assert_eq!(err, Error::UnknownToken("NOSUCH".into()));
    assert_eq!(
        net.requests("findOne/tokens/tokens"),
        2,
        "one answer plus one second opinion"
    );
    assert_eq!(
        net.requests("find/tokens/balances"),
        1,
        "the first page, read beside the token, and no walk"
    );
    net.reset_counters();
    let err = c.richlist("\u{1b}[2Jbee", None).await.unwrap_err();
    assert!(matches!(err, Error::InvalidSymbol(_)));
    assert!(err.to_string().contains("not a valid token symbol"));
    assert_eq!(net.requests(""), 0);
}

#[tokio::test]
async fn a_small_richlist_costs_one_page() {
    let net = FakeNet::small().await;
    let rich = client(&net).richlist("LEO", None).await.unwrap().value;
    assert!(!rich.holders.is_empty() && rich.holders.len() < 1000);
    assert_eq!(net.requests("find/tokens/balances"), 1);
}
