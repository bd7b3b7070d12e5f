//! End to end in tmux, the views added to the first three: a token's pools and a pool's
//! providers, and an account reached from a richlist.

use crate::e2e::{Tmux, ui_command};
use fake_node::FakeNet;

/// From a token's market to its pools, into a pool's providers, export them; then a second run
/// on the same cache opens the same screens without asking the nodes for any pool.
#[tokio::test]
async fn a_tokens_pools_and_a_pools_providers_then_a_warm_reopen() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let open_pool = |t: &Tmux| {
        t.keys(&["/", "l", "e", "o", "Enter", "Enter"]);
    };
    let t = Tmux::start_sized(&ui_command(&net, dir.path()), 80, 24);
    t.wait_for("Tokens (40)").await;
    open_pool(&t);
    t.wait_for("LEO market").await;
    t.keys(&["p"]);
    let screen = t.wait_for("Value HIVE").await;
    assert!(
        screen.contains("LEO pools (") && screen.contains("SWAP.HIVE:LEO"),
        "{screen}"
    );
    t.keys(&["Enter"]);
    let screen = t.wait_for("% of pool").await;
    assert!(screen.contains("providers ·"), "{screen}");
    let title = screen.lines().next().unwrap_or_default().to_owned();
    let upstream = net.requests("");
    t.keys(&["e"]);
    t.wait_for("exported to").await;
    assert_eq!(
        net.requests(""),
        upstream,
        "the export made no upstream request"
    );
    let export = std::fs::read_dir(dir.path().join("exports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .next()
        .unwrap();
    let csv = std::fs::read_to_string(&export).unwrap();
    assert!(csv.starts_with("rank,account,shares,pct_of_pool"), "{csv}");
    assert!(csv.lines().count() > 1);
    t.keys(&["q"]);
    t.wait_for("EXITED 0").await;
    drop(t);

    net.settle().await;
    net.reset_counters();
    let t = Tmux::start_sized(&ui_command(&net, dir.path()), 80, 24);
    t.wait_for("Tokens (40)").await;
    open_pool(&t);
    t.wait_for("LEO market").await;
    t.keys(&["p"]);
    t.wait_for("Value HIVE").await;
    t.keys(&["Enter"]);
    let screen = t.wait_for("% of pool").await;
    assert_eq!(screen.lines().next().unwrap_or_default(), title);
    assert_eq!(
        net.requests("marketpools"),
        0,
        "a warm re-open reads pools and providers from the cache"
    );
    t.keys(&["q"]);
    t.wait_for("EXITED 0").await;
}

/// A richlist's top holder, their wallet, one of its tokens' market, and back to the wallet.
#[tokio::test]
async fn a_richlist_holder_their_wallet_a_tokens_market_and_back() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let t = Tmux::start_sized(&ui_command(&net, dir.path()), 100, 30);
    t.wait_for("Tokens (40)").await;
    t.keys(&["/", "b", "e", "e", "Enter", "R"]);
    let screen = t.wait_for("holders").await;
    let top = screen
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or_default()
        .to_owned();
    assert!(!top.is_empty(), "{screen}");
    t.keys(&["Enter"]);
    t.wait_for(&format!("@{top} wallet")).await;
    let screen = t.wait_for("Value HIVE").await;
    assert!(
        screen.contains("worth ") && screen.contains(" · pools ") && screen.contains("SWAP.HIVE"),
        "{screen}"
    );
    for part in ["orders", "pools", "activity"] {
        t.keys(&["Tab"]);
        t.wait_for(&format!("@{top} {part}")).await;
    }
    t.wait_for("Time UTC").await;
    t.keys(&["Tab", "g", "Enter"]);
    let screen = t.wait_for(" market ").await;
    assert!(screen.contains("Price (HIVE)"), "{screen}");
    t.keys(&["Escape"]);
    t.wait_for(&format!("@{top} wallet")).await;
    t.keys(&["f", "e"]);
    t.wait_for("exported to").await;
    let export = std::fs::read_dir(dir.path().join("exports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("-wallet-"))
        .unwrap();
    let csv = std::fs::read_to_string(export).unwrap();
    assert!(csv.starts_with("symbol,balance,stake"), "{csv}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0").await;
    let favorites = std::fs::read_to_string(dir.path().join("favorites.txt")).unwrap();
    assert_eq!(favorites.trim(), format!("@{top}"));
    drop(t);

    // A warm re-open, by name this time: the account comes from the cache.
    net.settle().await;
    net.reset_counters();
    let t = Tmux::start_sized(&ui_command(&net, dir.path()), 100, 30);
    t.wait_for("Tokens (40)").await;
    t.keys(&["a"]);
    t.keys(&[top.as_str(), "Enter"]);
    let screen = t.wait_for("Value HIVE").await;
    assert!(screen.contains("portfolio of 1 favorite:"), "{screen}");
    t.keys(&["Tab", "Tab", "Tab"]);
    t.wait_for("Time UTC").await;
    assert_eq!(
        net.requests("find/"),
        0,
        "nothing of the account was read again"
    );
    assert_eq!(net.requests("accountHistory"), 0);
    t.keys(&["q"]);
    t.wait_for("EXITED 0").await;
}

/// A richlist read, balances moved on the node, read again (r): the changes view (d) shows who
/// bought, sold, arrived and left.
#[tokio::test]
async fn a_richlist_shows_its_changes_after_the_node_moved_balances() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let t = Tmux::start_sized(&ui_command(&net, dir.path()), 100, 30);
    t.wait_for("Tokens (40)").await;
    t.keys(&["/", "b", "e", "e", "Enter", "R"]);
    t.wait_for("holders").await;
    t.keys(&["d"]);
    t.wait_for("changes need two").await;
    net.data.move_balances();
    t.keys(&["r"]);
    let screen = t.wait_for("arrived").await;
    assert!(screen.contains("BEE changes since previous"), "{screen}");
    assert!(
        screen.contains(" new") && screen.contains("Δ Total▼"),
        "{screen}"
    );
    t.keys(&["x"]);
    t.wait_for("Δ Total▲").await;
    t.keys(&["e"]);
    t.wait_for("exported to").await;
    t.keys(&["q"]);
    t.wait_for("EXITED 0").await;
}
