//! What one-shot exports say (issue 29): stale data's age and cause in words, no retry
//! schedule, the spreadsheet guard in CSV only, and a token without a market said so.

use std::process::Command;

use serde_json::Value;

use crate::support::{bin, dead_nodes, run, text};
use fake_node::FakeNet;

/// The binary on `dir`'s cache with only `nodes`, every one refusing.
async fn run_on(nodes: &[String], dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut c = Command::new(bin());
    c.arg("--data-dir").arg(dir);
    for n in nodes {
        c.arg("--node").arg(n);
    }
    c.arg("--history-url")
        .arg(&nodes[0])
        .args(args)
        .env_remove("MARKET_TUI_DATA_DIR");
    tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap()
}

/// "12 seconds old", "1 minute old": the age in words before `old`.
fn says_age_in_words(stderr: &str) -> bool {
    let Some(before) = stderr.split(" old").next() else {
        return false;
    };
    let words: Vec<&str> = before.rsplit(' ').take(2).collect();
    matches!(words.as_slice(), [unit, n]
        if n.parse::<u64>().is_ok()
            && ["second", "seconds", "minute", "minutes"].contains(unit))
}

#[tokio::test]
async fn a_stale_export_says_how_old_and_why_and_no_retry_schedule() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let warm = run(Some(&net), dir.path(), &["export", "tokens"]).await;
    assert_eq!(warm.status.code(), Some(0), "{}", text(&warm.stderr));

    for (nodes, cause) in [
        (dead_nodes(1), "node refused"),
        (dead_nodes(3), "every node failed"),
    ] {
        let out = run_on(&nodes, dir.path(), &["export", "tokens", "--max-age", "0s"]).await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "stale data written: {stderr}");
        assert!(
            stderr.contains("40 rows written from the cache, "),
            "{stderr}"
        );
        assert!(says_age_in_words(&stderr), "{stderr}");
        assert!(stderr.contains(&format!(" old: {cause} (")), "{stderr}");
        for schedule in ["next try", "allowed in", "retry in", "just now"] {
            assert!(!stderr.contains(schedule), "{schedule:?}: {stderr}");
        }
        assert!(!out.stdout.is_empty(), "the rows are written");
    }

    let nothing = tempfile::tempdir().unwrap();
    let out = run_on(&dead_nodes(1), nothing.path(), &["export", "tokens"]).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("nothing written: node refused ("),
        "{stderr}"
    );
    assert!(!stderr.contains("allowed in"), "{stderr}");
}

#[tokio::test]
async fn the_formula_guard_is_in_csv_only() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = run(Some(&net), dir.path(), &["export", "pools"]).await;
    assert_eq!(csv.status.code(), Some(0), "{}", text(&csv.stderr));
    assert!(text(&csv.stdout).contains("'=HYPER"), "guarded in CSV");
    let json = run(
        Some(&net),
        dir.path(),
        &["export", "pools", "--format", "json"],
    )
    .await;
    assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
    let pools: Value = serde_json::from_slice(&json.stdout).unwrap();
    let hostile: Vec<&str> = pools
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["base"].as_str().unwrap())
        .filter(|b| b.contains("HYPER"))
        .collect();
    assert!(!hostile.is_empty());
    for b in hostile {
        assert!(
            b.starts_with("=HYPER"),
            "JSON carries the text as it is: {b:?}"
        );
        assert!(!b.contains('\u{1b}'), "without its escape sequence: {b:?}");
    }
}

#[tokio::test]
async fn a_market_export_of_a_token_without_a_market_says_so() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    for what in [
        vec!["export", "book", "NOMKT"],
        vec!["export", "trades", "NOMKT"],
        vec!["export", "history", "NOMKT"],
    ] {
        let out = run(Some(&net), dir.path(), &what).await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{what:?}: {stderr}");
        assert!(stderr.contains("NOMKT has no market"), "{what:?}: {stderr}");
        assert_eq!(
            text(&out.stdout).lines().count(),
            1,
            "the header only: {what:?}"
        );
    }
    let bee = run(Some(&net), dir.path(), &["export", "book", "BEE"]).await;
    assert!(!text(&bee.stderr).contains("no market"));
}
