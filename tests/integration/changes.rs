//! Richlist changes over time against the fake network: balances moved on the node between two
//! warm-ups, and the changes `export changes` reports equal the ones computed here from the
//! node's own rows, to the last decimal.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde_json::Value;

use crate::support::{run, text};
use fake_node::FakeNet;

/// Balance and stake of every account holding something, from the node's rows.
fn holdings(net: &FakeNet, symbol: &str) -> HashMap<String, (Decimal, Decimal)> {
    let dec = |r: &Value, f: &str| {
        r.get(f)
            .and_then(Value::as_str)
            .unwrap_or("0")
            .parse::<Decimal>()
            .unwrap()
    };
    let fields = [
        "balance",
        "stake",
        "pendingUnstake",
        "delegationsIn",
        "delegationsOut",
        "pendingUndelegations",
    ];
    net.data
        .partition_of("tokens_balances", symbol)
        .unwrap()
        .rows
        .iter()
        .filter(|r| r["account"] != "null" && fields.iter().any(|f| !dec(r, f).is_zero()))
        .map(|r| {
            (
                r["account"].as_str().unwrap().to_owned(),
                (dec(r, "balance"), dec(r, "stake")),
            )
        })
        .collect()
}

#[tokio::test]
async fn reported_changes_equal_the_nodes_own_to_the_last_decimal() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let warm = ["cache", "warm", "--richlists", "BEE"];
    let first = run(Some(&net), dir.path(), &warm).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));

    let one = run(Some(&net), dir.path(), &["export", "changes", "BEE"]).await;
    assert_eq!(
        one.status.code(),
        Some(4),
        "one snapshot: nothing to compare"
    );
    assert!(
        text(&one.stderr).contains("cache warm --richlists BEE"),
        "{}",
        text(&one.stderr)
    );

    let before = holdings(&net, "BEE");
    net.data.move_balances();
    let after = holdings(&net, "BEE");
    assert_eq!(
        run(Some(&net), dir.path(), &warm).await.status.code(),
        Some(0)
    );

    let mut expected: BTreeMap<String, (Decimal, Decimal, Decimal, &str)> = BTreeMap::new();
    for account in before.keys().chain(after.keys()) {
        let zero = (Decimal::ZERO, Decimal::ZERO);
        let (b0, s0) = before.get(account).copied().unwrap_or(zero);
        let (b1, s1) = after.get(account).copied().unwrap_or(zero);
        let mark = match (before.contains_key(account), after.contains_key(account)) {
            (false, _) => "new",
            (_, false) => "left",
            _ => "",
        };
        if b1 != b0 || s1 != s0 || !mark.is_empty() {
            expected.insert(
                account.clone(),
                ((b1 + s1) - (b0 + s0), b1 - b0, s1 - s0, mark),
            );
        }
    }
    assert!(expected.values().any(|e| e.3 == "new") && expected.values().any(|e| e.3 == "left"));

    let out = run(
        Some(&net),
        dir.path(),
        &["export", "changes", "BEE", "--since", "previous"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("changes from the snapshot of"));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let mut reported = BTreeMap::new();
    let mut totals = Vec::new();
    for row in reader.records() {
        let row = row.unwrap();
        let d = |i: usize| row[i].parse::<Decimal>().unwrap();
        totals.push(d(1));
        let mark = match &row[6] {
            "new" => "new",
            "left" => "left",
            _ => "",
        };
        reported.insert(row[0].to_owned(), (d(1), d(2), d(3), mark));
    }
    assert_eq!(reported, expected);
    assert!(
        totals.windows(2).all(|w| w[0] >= w[1]),
        "biggest accumulators first"
    );

    // A date older than every snapshot is the oldest kept: here, the same comparison.
    let old = run(
        Some(&net),
        dir.path(),
        &["export", "changes", "BEE", "--since", "2020-01-01"],
    )
    .await;
    assert_eq!(
        old.stdout,
        run(Some(&net), dir.path(), &["export", "changes", "BEE"])
            .await
            .stdout
    );
    let stats = run(Some(&net), dir.path(), &["cache", "stats"]).await;
    assert!(
        text(&stats.stdout)
            .lines()
            .any(|l| l.starts_with("BEE") && l.split_whitespace().nth(1) == Some("2"))
    );
    let bad = run(
        Some(&net),
        dir.path(),
        &["export", "changes", "BEE", "--since", "soon"],
    )
    .await;
    assert_eq!(bad.status.code(), Some(2));
}
