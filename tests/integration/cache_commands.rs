//! `cache warm` and `cache clear` exit 0 only when all that was asked is kept or cleared, 3
//! when some is, 4 when none is, with the reason on stderr: a cache held by another process or
//! on a read-only disk keeps and clears nothing.

use std::path::Path;

use market_tui::cache::Cache;

use crate::support::{BALANCES, Tmpfs, net_with_holders, run, text};
use fake_node::FakeNet;

/// The LEO richlist exported through the cache under `data`: its rows.
async fn cached_leo(net: &FakeNet, data: &Path) -> Vec<u8> {
    let out = run(
        Some(net),
        data,
        &["export", "richlist", "LEO", "--out", "-"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    out.stdout
}

/// What `--offline export richlist LEO` serves from the cache under `data`: exit code and rows.
async fn offline_leo(data: &Path) -> (Option<i32>, Vec<u8>) {
    let args = ["--offline", "export", "richlist", "LEO", "--out", "-"];
    let out = run(None, data, &args).await;
    (out.status.code(), out.stdout)
}

/// Runs `cache …` and returns its exit code and stderr.
async fn cache_cmd(net: Option<&FakeNet>, data: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut full = vec!["cache"];
    full.extend(args);
    let out = run(net, data, &full).await;
    (out.status.code(), text(&out.stderr))
}

/// Issue 27: with the UI holding the cache, warm said "(1/1) richlist KEEP cached" and clear
/// exited 0 while the richlist stayed.
#[tokio::test]
async fn a_cache_held_by_another_process_warms_and_clears_nothing_and_exits_4() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let rows = cached_leo(&net, dir.path()).await;
    let held = Cache::open(dir.path());
    assert!(held.on_disk());
    net.reset_counters();
    let (code, err) = cache_cmd(Some(&net), dir.path(), &["warm", "--richlists", "LEO"]).await;
    assert_eq!(code, Some(4), "{err}");
    assert!(
        err.contains("nothing warmed: cache dir") && err.contains("in use by another market-tui"),
        "{err}"
    );
    assert!(!err.contains("richlist LEO cached"), "{err}");
    assert_eq!(
        net.requests(BALANCES),
        0,
        "nothing fetched that cannot be kept"
    );
    let (code, err) = cache_cmd(None, dir.path(), &["clear", "richlist"]).await;
    assert_eq!(code, Some(4), "{err}");
    assert!(
        err.contains("nothing cleared (richlist): cache dir")
            && err.contains("in use by another market-tui"),
        "{err}"
    );
    drop(held);
    assert_eq!(
        offline_leo(dir.path()).await,
        (Some(0), rows),
        "still cached"
    );
}

#[tokio::test]
async fn a_read_only_cache_warms_and_clears_nothing_and_exits_4() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(dir.path(), "16m") else {
        return;
    };
    let rows = cached_leo(&net, dir.path()).await;
    fs.remount_read_only();
    let (code, err) = cache_cmd(Some(&net), dir.path(), &["warm", "--richlists", "LEO"]).await;
    assert_eq!(code, Some(4), "{err}");
    assert!(
        err.contains("nothing warmed: the cache's disk is read-only"),
        "{err}"
    );
    let (code, err) = cache_cmd(None, dir.path(), &["clear", "richlist"]).await;
    assert_eq!(code, Some(4), "{err}");
    assert!(
        err.contains("nothing cleared (richlist): the cache's disk is read-only"),
        "{err}"
    );
    assert_eq!(
        offline_leo(dir.path()).await,
        (Some(0), rows),
        "still cached"
    );
}

/// A disk with room for one richlist of two: exit 3, the one kept said "cached", the other
/// said not cached and why.
#[tokio::test]
async fn a_warm_that_keeps_part_exits_3_and_names_what_it_could_not_keep() {
    let net = net_with_holders(30_000).await;
    let dir = tempfile::tempdir().unwrap();
    let Some(_fs) = Tmpfs::mount(dir.path(), "5m") else {
        return;
    };
    let (code, err) = cache_cmd(
        Some(&net),
        dir.path(),
        &["warm", "--richlists", "LEO", "BEE"],
    )
    .await;
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("(1/2) richlist LEO cached"), "{err}");
    assert!(
        err.contains("richlist BEE was fetched but not cached: the disk is full ("),
        "{err}"
    );
    assert!(err.contains("cache warm: 1 of 2 kept"), "{err}");
    let (code, _) = offline_leo(dir.path()).await;
    assert_eq!(code, Some(0));
}

#[tokio::test]
async fn clear_says_what_it_removed_per_kind_and_exits_0() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    cached_leo(&net, dir.path()).await;
    let bee = ["export", "richlist", "BEE", "--out", "/dev/null"];
    assert_eq!(
        run(Some(&net), dir.path(), &bee).await.status.code(),
        Some(0)
    );
    let (code, err) = cache_cmd(None, dir.path(), &["clear", "richlist", "book"]).await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err.trim(), "removed 2 values: richlist 2, book 0");
    assert_eq!(offline_leo(dir.path()).await.0, Some(4), "gone");
    let (code, err) = cache_cmd(None, dir.path(), &["clear", "snapshot"]).await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err.trim(), "removed 2 values: snapshot 2");
}
