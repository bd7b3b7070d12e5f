//! Accounts against the fake network: the wallet is the node's rows exactly (old rows without
//! stake fields, "0" balances), worth is an exact product, the same numbers as each token's
//! richlist, more than one page of balances, the history API's paging, and the exports.

use num_bigint::BigInt;
use serde_json::Value;

use market_tui::accounts;
use market_tui::model::Amount;
use market_tui::source::Error;

use crate::support::{BALANCES, client, now, run, text};
use fake_node::{FakeNet, Scale};

/// The biggest shared holder of the fake data: rank 0 of every token and pool.
fn whale(net: &FakeNet) -> String {
    fake_node::dataset::holder_name("any", 0, net.data.scale.seed)
}

/// The node's balance rows of `account`, across every token.
fn rows_of(net: &FakeNet, account: &str) -> Vec<Value> {
    net.data
        .specs
        .iter()
        .filter_map(|s| net.data.partition_of("tokens_balances", &s.symbol))
        .flat_map(|p| p.rows.clone())
        .filter(|r| r["account"] == account)
        .collect()
}

/// A decimal string as (digits, decimals), straight from the text.
fn parts(text: &str) -> (BigInt, usize) {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    (format!("{whole}{frac}").parse().unwrap(), frac.len())
}

#[tokio::test]
async fn a_wallet_is_the_nodes_rows_and_agrees_with_each_richlist() {
    let net = FakeNet::small().await;
    let c = client(&net);
    let name = whale(&net);
    let account = c.account(&name).await.unwrap().value;
    let rows = rows_of(&net, &name);
    assert_eq!(account.balances.len(), rows.len());
    assert!(
        rows.iter().any(|r| r.get("stake").is_none()),
        "an old row without stake fields is among them"
    );
    assert!(
        rows.iter().any(|r| r["balance"] == "0"),
        "and a new \"0\" row"
    );
    for row in &rows {
        let b = account
            .balances
            .iter()
            .find(|b| b.symbol == row["symbol"].as_str().unwrap())
            .unwrap();
        for (field, got) in [
            ("balance", b.holder.balance),
            ("stake", b.holder.stake),
            ("delegationsOut", b.holder.locked().delegations_out),
        ] {
            let want = row.get(field).and_then(Value::as_str).unwrap_or("0");
            assert_eq!(got, Amount::parse(want).unwrap(), "{field} of {row}");
        }
    }
    for symbol in ["BEE", "LEO", "PRECUP"] {
        let rich = c.richlist(symbol, None).await.unwrap().value;
        let h = rich.holders.iter().find(|h| h.account == name).unwrap();
        let w = account
            .balances
            .iter()
            .find(|b| b.symbol == symbol)
            .unwrap();
        assert_eq!(
            (h.balance, h.stake),
            (w.holder.balance, w.holder.stake),
            "{symbol}"
        );
    }

    // Worth: owned × last price, every digit, checked in integers from the node's strings.
    let metrics = c.metrics(now()).await.unwrap().value;
    let prices = market_tui::pools::last_prices(&metrics);
    let wallet = accounts::wallet(&account, |s| prices.get(s).copied(), None);
    let mut checked = 0;
    for r in wallet
        .iter()
        .filter(|r| r.value.is_some() && r.balance.symbol != "SWAP.HIVE")
    {
        let (owned, od) = parts(&r.owned.to_string());
        let (price, pd) = parts(&prices[r.balance.symbol.as_str()].to_string());
        let (value, vd) = parts(&r.value.unwrap().to_string());
        assert_eq!(
            value * BigInt::from(10).pow((od + pd) as u32),
            owned * price * BigInt::from(10).pow(vd as u32),
            "{}",
            r.balance.symbol
        );
        checked += 1;
    }
    assert!(checked > 10);
    let unpriced = accounts::worth(&wallet, &[]).unpriced;
    assert!(
        unpriced > 0,
        "tokens without a market are counted, not valued at zero"
    );
    assert!(!account.orders.is_empty() && !account.pools.is_empty());
}

#[tokio::test]
async fn a_node_that_answers_nothing_for_an_account_is_not_believed() {
    use fake_node::{Fault, FaultKind};
    let net = FakeNet::small().await;
    let name = whale(&net);
    net.nodes[0].add_fault(Fault {
        only: Some(BALANCES.into()),
        ..Fault::always(FaultKind::EmptyResult)
    });
    let account = client(&net).account(&name).await.unwrap().value;
    assert_eq!(
        account.balances.len(),
        rows_of(&net, &name).len(),
        "the whole wallet"
    );
    assert!(
        net.nodes[0].counters().matching(BALANCES) >= 1,
        "node 0 was asked, and overruled"
    );
}

#[tokio::test]
async fn a_wallet_of_more_than_a_thousand_tokens_and_three_pages_of_activity() {
    let net = FakeNet::start(
        Scale {
            tokens: 1_200,
            max_holders: 200,
            pools: 20,
            ..Scale::default()
        },
        2,
        0,
    )
    .await
    .unwrap();
    let c = client(&net);
    let name = whale(&net);
    let account = c.account(&name).await.unwrap().value;
    assert_eq!(account.balances.len(), rows_of(&net, &name).len());
    assert!(account.balances.len() > 1_000);
    assert_eq!(net.requests(BALANCES), 2, "two pages of balances");

    let pages: Vec<_> = futures::future::join_all((0..3).map(|p| c.activity(&name, p))).await;
    let ops: Vec<_> = pages.into_iter().flat_map(|p| p.unwrap().value).collect();
    assert_eq!(ops.len(), 1_300);
    assert!(
        ops.windows(2).all(|w| w[0].timestamp >= w[1].timestamp),
        "newest first"
    );
    assert!(ops.iter().any(|o| o.hive.is_some()) && ops.iter().any(|o| !o.from.is_empty()));
    assert!(c.activity("nobody-here", 0).await.unwrap().value.is_empty());
    assert!(matches!(
        c.account("Bad Name").await,
        Err(Error::InvalidAccount(_))
    ));
}

#[tokio::test]
async fn the_history_api_keeps_its_parameter_rules() {
    let net = FakeNet::small().await;
    let name = whale(&net);
    let get = |q: String| {
        let url = format!("{}accountHistory?{q}", net.urls()[0]);
        async move {
            let r = reqwest::get(url).await.unwrap();
            let status = r.status().as_u16();
            (
                status,
                serde_json::from_str::<Value>(&r.text().await.unwrap()).unwrap(),
            )
        }
    };
    let (status, body) = get("account=ab".into()).await;
    assert_eq!(
        (status, body),
        (400, serde_json::json!({"errors": ["an error occured"]}))
    );
    assert_eq!(
        get(format!("account={name}&limit=0"))
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        get(format!("account={name}&limit=900"))
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        500
    );
    let second = get(format!("account={name}&limit=10&offset=10")).await.1;
    let first = get(format!("account={name}&limit=20")).await.1;
    assert_eq!(
        second.as_array().unwrap()[..],
        first.as_array().unwrap()[10..]
    );
    let only = get(format!("account={name}&ops=market_buy,market_sell"))
        .await
        .1;
    assert!(only.as_array().unwrap().iter().all(|r| {
        r["operation"]
            .as_str()
            .is_some_and(|o| o.starts_with("market_"))
    }));
}

#[tokio::test]
async fn account_exports_read_the_cache_and_say_what_is_empty() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let name = whale(&net);
    let wallet = run(Some(&net), dir.path(), &["export", "account", &name]).await;
    assert_eq!(wallet.status.code(), Some(0), "{}", text(&wallet.stderr));
    let csv = text(&wallet.stdout);
    assert!(
        csv.starts_with("symbol,balance,stake,pending_unstake"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), rows_of(&net, &name).len() + 1);
    net.reset_counters();
    let again = run(Some(&net), dir.path(), &["export", "account", &name]).await;
    assert_eq!(text(&again.stdout), csv);
    assert_eq!(
        net.requests(""),
        0,
        "a warm export is served from the cache"
    );

    for part in ["orders", "pools", "activity"] {
        let out = run(
            Some(&net),
            dir.path(),
            &[
                "export", "account", &name, "--part", part, "--format", "json",
            ],
        )
        .await;
        assert_eq!(out.status.code(), Some(0), "{part}: {}", text(&out.stderr));
        let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(!rows.as_array().unwrap().is_empty(), "{part}");
    }
    let bad = run(
        Some(&net),
        dir.path(),
        &["export", "account", "Not An Account"],
    )
    .await;
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("not a Hive account name"));
    let empty = run(
        Some(&net),
        dir.path(),
        &["export", "account", "nobody-here"],
    )
    .await;
    assert_eq!(empty.status.code(), Some(0));
    assert_eq!(text(&empty.stdout).lines().count(), 1, "a header only");
    assert!(text(&empty.stderr).contains("nothing in its wallet"));
}

/// A decimal string as an integer of 10^-16 units (every price and holding has at most 16).
fn units16(text: &str) -> BigInt {
    let (digits, decimals) = parts(text);
    digits * BigInt::from(10).pow(16 - decimals as u32)
}

/// Accounts that provide to a pool and hold no token, with their (pair, shares) as the node
/// wrote them.
fn pool_only_accounts(net: &FakeNet) -> Vec<(String, Vec<(String, String)>)> {
    let holders: std::collections::HashSet<String> = net
        .data
        .specs
        .iter()
        .filter_map(|s| net.data.partition_of("tokens_balances", &s.symbol))
        .flat_map(|p| p.rows.clone())
        .map(|r| r["account"].as_str().unwrap().to_owned())
        .collect();
    let mut providers: std::collections::BTreeMap<String, Vec<(String, String)>> =
        std::collections::BTreeMap::new();
    for spec in &net.data.pool_specs {
        let Some(p) = net
            .data
            .partition_of("marketpools_liquidityPositions", &spec.pair())
        else {
            continue;
        };
        for r in &p.rows {
            let account = r["account"].as_str().unwrap().to_owned();
            if !holders.contains(&account) {
                let share = (spec.pair(), r["shares"].as_str().unwrap().to_owned());
                providers.entry(account).or_default().push(share);
            }
        }
    }
    providers.into_iter().collect()
}

/// The worth of `shares` in 10^-16 HIVE from the node's own strings: each reserve × shares ÷
/// total shares, rounded down to the reserve's decimals, × the token's last price (SWAP.HIVE
/// is 1; a token without a price adds nothing).
fn pools_worth_from_rows(net: &FakeNet, shares: &[(String, String)]) -> BigInt {
    let metrics = net.data.partition_of("market_metrics", "BEE").unwrap();
    let price = |symbol: &str| -> Option<BigInt> {
        if symbol == "SWAP.HIVE" {
            return Some(units16("1"));
        }
        let row = metrics.rows.iter().find(|m| m["symbol"] == symbol)?;
        Some(units16(row["lastPrice"].as_str()?)).filter(|p| *p != BigInt::from(0))
    };
    let mut worth = BigInt::from(0);
    for (pair, held) in shares {
        let pools = net.data.partition_of("marketpools_pools", pair).unwrap();
        let pool = pools
            .rows
            .iter()
            .find(|p| p["tokenPair"] == **pair)
            .unwrap();
        let (base, quote) = pair.split_once(':').unwrap();
        let (shares, sd) = parts(held);
        let (total, td) = parts(pool["totalShares"].as_str().unwrap());
        for (symbol, field) in [(base, "baseQuantity"), (quote, "quoteQuantity")] {
            let (reserve, rd) = parts(pool[field].as_str().unwrap());
            // reserve·10^-rd × shares·10^-sd ÷ (total·10^-td), in units of 10^-rd, floored
            // (every amount here is positive).
            let held = reserve.clone() * &shares * BigInt::from(10).pow(td as u32)
                / (total.clone() * BigInt::from(10).pow(sd as u32));
            if let Some(p) = price(symbol) {
                worth += held * p / BigInt::from(10).pow(rd as u32);
            }
        }
    }
    worth
}

#[tokio::test]
async fn an_account_of_pool_shares_only_is_worth_its_share_of_each_pool() {
    let net = FakeNet::small().await;
    let candidates = pool_only_accounts(&net);
    let (name, held) = candidates
        .iter()
        .find(|(_, held)| held.iter().any(|(pair, _)| pair.starts_with("SWAP.HIVE:")))
        .expect("the fake data has providers beyond their token's holders");
    let want = pools_worth_from_rows(&net, held);
    assert!(want > BigInt::from(0), "{name} holds something of worth");

    let c = client(&net);
    let account = c.account(name).await.unwrap().value;
    assert!(account.balances.is_empty(), "{name} holds no token");
    assert_eq!(account.pools.len(), held.len());
    let pools = c.pools().await.unwrap().value;
    let metrics = c.metrics(now()).await.unwrap().value;
    let prices = market_tui::pools::last_prices(&metrics);
    let price = |s: &str| prices.get(s).copied();
    let wallet = accounts::wallet(&account, price, None);
    let shares = accounts::shares(&account, &pools, price, None);
    let worth = accounts::worth(&wallet, &shares);
    assert_eq!(units16(&worth.pools.unwrap().to_string()), want, "{name}");
    assert_eq!(
        worth.total(),
        worth.pools.unwrap(),
        "not 0: the pools are all it owns"
    );

    // The export of its pools carries the same worth, every digit (CSV, read as text).
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        Some(&net),
        dir.path(),
        &["export", "account", name, "--part", "pools"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut csv = csv::Reader::from_reader(&out.stdout[..]);
    let column = csv
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "value_hive");
    let exported: BigInt = csv
        .records()
        .map(|r| units16(&r.unwrap()[column.expect("a value_hive column")]))
        .sum();
    assert_eq!(exported, want);
}
