//! The real binary under partial failure: no partial list with exit 0, an unknown symbol is bad
//! input everywhere, no temporary file outlives an export, and the cache stays flat on disk.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use market_tui::cache::Cache;

use crate::support::{BALANCES, Tmpfs, cmd, net_with_holders, run, text};
use fake_node::{FakeNet, Fault, FaultKind};

fn csv_rows(path: &Path) -> usize {
    csv::Reader::from_path(path).unwrap().records().count()
}

fn empty(only: &str) -> Fault {
    Fault {
        only: Some(only.into()),
        ..Fault::always(FaultKind::EmptyResult)
    }
}

#[tokio::test]
async fn a_node_answering_empty_never_makes_a_partial_export() {
    let net = net_with_holders(20_000).await;
    let dir = tempfile::tempdir().unwrap();
    let clean_out = dir.path().join("clean.csv");
    let clean = run(
        Some(&net),
        dir.path(),
        &[
            "export",
            "richlist",
            "BEE",
            "--out",
            clean_out.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stderr));
    let rows = csv_rows(&clean_out);
    assert!(rows > 15_000);

    // Cold, through a faulty node: every row, exit 0.
    net.nodes[1].add_fault(empty(BALANCES));
    let cold = tempfile::tempdir().unwrap();
    let out = cold.path().join("bee.csv");
    let r = run(
        Some(&net),
        cold.path(),
        &["export", "richlist", "BEE", "--out", out.to_str().unwrap()],
    )
    .await;
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert_eq!(csv_rows(&out), rows);

    // Every node empty: the cached list stays (exit 3) and --offline still serves it whole.
    for node in &net.nodes {
        node.add_fault(empty(BALANCES));
    }
    let stale_out = dir.path().join("stale.csv");
    let r = run(
        Some(&net),
        dir.path(),
        &[
            "export",
            "richlist",
            "BEE",
            "--max-age",
            "0",
            "--out",
            stale_out.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(r.status.code(), Some(3), "{}", text(&r.stderr));
    assert_eq!(csv_rows(&stale_out), rows);
    let offline_out = dir.path().join("offline.csv");
    let r = run(
        None,
        dir.path(),
        &[
            "--offline",
            "export",
            "richlist",
            "BEE",
            "--out",
            offline_out.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert_eq!(csv_rows(&offline_out), rows);
}

#[tokio::test]
async fn an_empty_token_table_is_never_exported_as_the_truth() {
    let net = FakeNet::small().await;
    net.nodes[0].add_fault(empty("find/tokens/tokens"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tokens.csv");
    let r = run(
        Some(&net),
        dir.path(),
        &["export", "tokens", "--out", out.to_str().unwrap()],
    )
    .await;
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert_eq!(csv_rows(&out), 40);
    for node in &net.nodes {
        node.add_fault(empty("find/tokens/tokens"));
    }
    let cold = tempfile::tempdir().unwrap();
    let out = cold.path().join("tokens.csv");
    let r = run(
        Some(&net),
        cold.path(),
        &["export", "tokens", "--out", out.to_str().unwrap()],
    )
    .await;
    assert_eq!(r.status.code(), Some(4), "{}", text(&r.stderr));
    assert!(!out.exists());
    assert!(
        text(&r.stderr).contains("never empty"),
        "{}",
        text(&r.stderr)
    );
}

#[tokio::test]
async fn an_unknown_symbol_is_bad_input_for_every_export_and_for_warm() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    for what in [&["book"][..], &["trades"], &["history"], &["richlist"]] {
        let out = dir.path().join(format!("{}.csv", what[0]));
        let mut args = vec!["export"];
        args.extend_from_slice(what);
        args.extend(["NOSUCH", "--out", out.to_str().unwrap()]);
        let r = run(Some(&net), dir.path(), &args).await;
        assert_eq!(r.status.code(), Some(2), "{what:?}: {}", text(&r.stderr));
        assert!(
            text(&r.stderr).contains("no token called \"NOSUCH\""),
            "{}",
            text(&r.stderr)
        );
        assert!(!out.exists(), "{what:?}: nothing written");
    }
    net.reset_counters();
    let r = run(Some(&net), dir.path(), &["cache", "warm", "BEE", "NOSUCH"]).await;
    assert_eq!(r.status.code(), Some(2), "{}", text(&r.stderr));
    assert!(!text(&r.stderr).contains("cached"), "{}", text(&r.stderr));
    assert_eq!(net.requests(BALANCES), 0, "nothing was warmed");
}

#[tokio::test]
async fn no_temporary_file_outlives_an_export() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    // Left by an export killed with -9: its writer (a pid no system reaches) is gone.
    let orphan = out_dir.join(".market-tui-99999999-x1y2z3.part");
    std::fs::write(&orphan, "rank,account\n1,al").unwrap();
    let out = out_dir.join("bee.csv");
    let args = ["export", "richlist", "BEE", "--out", out.to_str().unwrap()];
    let r = run(Some(&net), dir.path(), &args).await;
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(!orphan.exists(), "the next export cleared the orphan");

    // SIGTERM while the export writes: its own temporary file goes with it.
    let mut c = cmd(
        Some(&net),
        dir.path(),
        &[
            "export",
            "richlist",
            "BEE",
            "--max-age",
            "0",
            "--out",
            out_dir.join("again.csv").to_str().unwrap(),
        ],
    );
    let mut child = c
        .env("MARKET_TUI_EXPORT_PAUSE_MS_FOR_TEST", "20000")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let parts = |dir: &Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".part")
            })
            .count()
    };
    let started = std::time::Instant::now();
    while parts(&out_dir) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the export never started writing"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert_eq!(status.code(), Some(143));
    assert_eq!(parts(&out_dir), 0, "no .part file left behind");
    assert!(!out_dir.join("again.csv").exists());
}

#[tokio::test]
async fn a_locked_or_full_cache_is_still_read_and_said_in_one_line() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let warm = run(
        Some(&net),
        dir.path(),
        &["export", "richlist", "LEO", "--out", "-"],
    )
    .await;
    assert_eq!(warm.status.code(), Some(0));
    let rows = text(&warm.stdout).lines().count();

    let held = Cache::open(dir.path());
    assert!(held.on_disk());
    let r = run(
        None,
        dir.path(),
        &["--offline", "export", "richlist", "LEO", "--out", "-"],
    )
    .await;
    drop(held);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert_eq!(text(&r.stdout).lines().count(), rows, "read from a copy");
    let err = text(&r.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("in use by another market-tui")
            && err.contains(&dir.path().display().to_string()),
        "{err}"
    );

    let full = tempfile::tempdir().unwrap();
    let Some(_fs) = Tmpfs::mount(full.path(), "4m") else {
        return;
    };
    let data = full.path().join("data");
    let warm = run(
        Some(&net),
        &data,
        &["export", "richlist", "LEO", "--out", "/dev/null"],
    )
    .await;
    assert_eq!(warm.status.code(), Some(0), "{}", text(&warm.stderr));
    let _ = std::fs::write(full.path().join("filler"), vec![0_u8; 8 * 1024 * 1024]);
    let r = run(
        None,
        &data,
        &["--offline", "export", "richlist", "LEO", "--out", "-"],
    )
    .await;
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert_eq!(
        text(&r.stdout).lines().count(),
        rows,
        "reading needs no free space"
    );
    let err = text(&r.stderr);
    assert!(
        err.contains("the disk is full") && err.contains("reading a copy"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

fn disk_kb(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::read_dir(path)
        .unwrap()
        .flatten()
        .map(|e| {
            let m = e.metadata().unwrap();
            if m.is_dir() {
                disk_kb(&e.path())
            } else {
                m.blocks() / 2
            }
        })
        .sum()
}

/// reliability.md §7 soak, as users run it: every refresh its own process.
#[tokio::test]
async fn the_cache_stays_flat_on_disk_across_many_processes() {
    let net = net_with_holders(20_000).await;
    let dir = tempfile::tempdir().unwrap();
    let mut sizes = Vec::new();
    let runs = crate::support::rounds(30, 50);
    for _ in 0..runs {
        let r = run(
            Some(&net),
            dir.path(),
            &[
                "export",
                "richlist",
                "BEE",
                "--max-age",
                "0",
                "--out",
                "/dev/null",
            ],
        )
        .await;
        assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
        sizes.push(disk_kb(&dir.path().join("cache")));
    }
    println!(
        "figure: cache KB on disk after runs 1, 10, {runs}: {} {} {} (all: {sizes:?})",
        sizes[0],
        sizes[9],
        sizes[runs - 1]
    );
    assert!(sizes.iter().all(|&s| s <= 4 * sizes[0]), "{sizes:?}");
    let early = sizes[..10].iter().max().unwrap();
    let late = sizes[10..].iter().max().unwrap();
    // sled's files move by a segment or so from run to run; growth would pass 10% quickly.
    assert!(
        late * 10 <= early * 11,
        "no growth between the 10th and the 30th run: {sizes:?}"
    );
}
