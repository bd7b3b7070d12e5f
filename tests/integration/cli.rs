//! The real binary's headless commands against the fake network: exports, exit codes, cache
//! commands, two processes on one cache, and kill -9 during writes.

use std::time::Duration;

use market_tui::cache::{Cache, Key, Payload};
use market_tui::holders;

use crate::support::{cmd, run, text};
use fake_node::{FakeNet, Fault, FaultKind};

#[tokio::test]
async fn help_version_and_default_config() {
    let dir = tempfile::tempdir().unwrap();
    let help = run(None, dir.path(), &["--help"]).await;
    assert!(help.status.success());
    for flag in [
        "--node",
        "--history-url",
        "--data-dir",
        "--offline",
        "--config",
        "--print-default-config",
    ] {
        assert!(text(&help.stdout).contains(flag), "{flag}");
    }
    let version = run(None, dir.path(), &["--version"]).await;
    assert!(text(&version.stdout).starts_with("market-tui "));
    let config = run(None, dir.path(), &["--print-default-config"]).await;
    assert_eq!(text(&config.stdout), market_tui::config::DEFAULT_CONFIG);
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "colour = 1").unwrap();
    let out = run(
        None,
        dir.path(),
        &["--config", bad.to_str().unwrap(), "cache", "stats"],
    )
    .await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("colour"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn richlist_csv_round_trips_and_a_warm_export_makes_no_request() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bee.csv");
    let first = run(
        Some(&net),
        dir.path(),
        &["export", "richlist", "BEE", "--out", out.to_str().unwrap()],
    )
    .await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(net.requests("find/tokens/balances") > 0);
    net.reset_counters();
    let again = dir.path().join("again.csv");
    let second = run(
        Some(&net),
        dir.path(),
        &[
            "export",
            "richlist",
            "BEE",
            "--out",
            again.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(
        net.requests(""),
        0,
        "a warm export is served from the cache"
    );
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());

    let cache = Cache::open(dir.path());
    let entry = cache.get(&Key::Richlist("BEE".into())).unwrap();
    let Payload::Richlist(r) = &*entry.payload else {
        panic!()
    };
    let order = holders::by_total(r);
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        holders::Column::ALL.map(|c| c.name())
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), r.holders.len());
    for (row, &i) in rows.iter().zip(&order) {
        let h = &r.holders[i as usize];
        assert_eq!(&row[1], h.account);
        assert_eq!(
            row[2].parse::<rust_decimal::Decimal>().unwrap(),
            h.balance.0
        );
        assert_eq!(row[3].parse::<rust_decimal::Decimal>().unwrap(), h.stake.0);
        assert_eq!(
            row[8].parse::<rust_decimal::Decimal>().unwrap(),
            h.total().0
        );
    }
    assert_eq!(&rows[0][0], "1");
}

#[tokio::test]
async fn sort_orders_and_json() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        Some(&net),
        dir.path(),
        &["export", "richlist", "LEO", "--sort", "account", "--desc"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let accounts: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_owned()).collect();
    assert!(
        accounts.windows(2).all(|w| w[0] > w[1]),
        "account descending"
    );
    let json = run(
        Some(&net),
        dir.path(),
        &[
            "export", "richlist", "LEO", "--sort", "balance", "--asc", "--format", "json",
        ],
    )
    .await;
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let first = &v.as_array().unwrap()[0];
    assert!(first["rank"].is_u64() && first["balance"].is_number() && first["account"].is_string());
    // Every digit is written: read the balances back as exact decimals from the text itself.
    let raw = text(&json.stdout);
    let balances: Vec<rust_decimal::Decimal> = raw
        .split("\"balance\":")
        .skip(1)
        .map(|rest| rest.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(balances.len(), v.as_array().unwrap().len());
    assert!(
        balances.windows(2).all(|w| w[0] <= w[1]),
        "balance ascending, exact"
    );
    let keys: Vec<&str> = raw
        .lines()
        .nth(1)
        .unwrap()
        .split("\":")
        .map(|k| k.rsplit('"').next().unwrap())
        .collect();
    assert_eq!(
        &keys[..3],
        ["rank", "account", "balance"],
        "the CSV's column order"
    );
    for what in [
        vec!["tokens"],
        vec!["history", "BEE", "--range", "all"],
        vec!["book", "BEE"],
        vec!["trades", "BEE"],
    ] {
        let mut args = vec!["export"];
        args.extend(what.iter().copied());
        let out = run(Some(&net), dir.path(), &args).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{what:?}: {}",
            text(&out.stderr)
        );
        assert!(
            csv::Reader::from_reader(out.stdout.as_slice())
                .records()
                .count()
                > 0,
            "{what:?}"
        );
    }
}

#[tokio::test]
async fn exit_codes_tell_fresh_stale_failed_and_bad_input_apart() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let warm = run(
        Some(&net),
        dir.path(),
        &[
            "export",
            "book",
            "BEE",
            "--out",
            dir.path().join("scratch.csv").to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(warm.status.code(), Some(0));
    for node in &net.nodes {
        node.add_fault(Fault::always(FaultKind::Status {
            code: 502,
            retry_after: None,
        }));
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let stale_out = dir.path().join("stale.csv");
    let stale = run(
        Some(&net),
        dir.path(),
        &[
            "export",
            "book",
            "BEE",
            "--max-age",
            "0s",
            "--out",
            stale_out.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(stale.status.code(), Some(3), "{}", text(&stale.stderr));
    assert!(
        text(&stale.stderr).contains("written from the cache"),
        "{}",
        text(&stale.stderr)
    );
    assert!(
        csv::Reader::from_path(&stale_out)
            .unwrap()
            .records()
            .count()
            > 0,
        "stale data was written"
    );
    let failed = run(Some(&net), dir.path(), &["export", "trades", "BEE"]).await;
    assert_eq!(failed.status.code(), Some(4));
    assert!(text(&failed.stderr).contains("nothing written"));

    let empty = tempfile::tempdir().unwrap();
    let offline = run(None, empty.path(), &["--offline", "export", "tokens"]).await;
    assert_eq!(offline.status.code(), Some(4));
    assert!(
        text(&offline.stderr).contains("offline"),
        "{}",
        text(&offline.stderr)
    );

    net.nodes.iter().for_each(|n| n.clear_faults());
    net.reset_counters();
    let invalid = run(
        Some(&net),
        dir.path(),
        &["export", "richlist", "bee;rm -rf"],
    )
    .await;
    assert_eq!(invalid.status.code(), Some(2));
    assert!(text(&invalid.stderr).contains("not a valid token symbol"));
    assert_eq!(net.requests(""), 0);
    let unknown = run(Some(&net), dir.path(), &["export", "richlist", "NOSUCH"]).await;
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown.stderr));
    assert!(text(&unknown.stderr).contains("no token called \"NOSUCH\""));
    assert!(net.requests("") <= 6, "no storm: {}", net.requests(""));
}

#[tokio::test]
async fn an_export_into_a_missing_folder_is_refused_before_any_request() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("no/such/dir/x.csv");
    let r = run(
        Some(&net),
        dir.path(),
        &["export", "tokens", "--out", out.to_str().unwrap()],
    )
    .await;
    assert_eq!(r.status.code(), Some(2));
    assert!(
        text(&r.stderr).contains("does not exist"),
        "{}",
        text(&r.stderr)
    );
    assert!(!out.exists());
    assert_eq!(net.requests(""), 0, "checked before any work");
}

#[tokio::test]
async fn cache_stats_clear_and_a_second_process() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    run(
        Some(&net),
        dir.path(),
        &[
            "export",
            "tokens",
            "--out",
            dir.path().join("scratch.csv").to_str().unwrap(),
        ],
    )
    .await;
    let stats = run(None, dir.path(), &["cache", "stats"]).await;
    let s = text(&stats.stdout);
    assert!(
        s.lines()
            .any(|l| l.starts_with("tokens") && l.split_whitespace().nth(1) == Some("1")),
        "{s}"
    );
    let held = Cache::open(dir.path());
    let busy = run(None, dir.path(), &["cache", "stats"]).await;
    assert_eq!(busy.status.code(), Some(0));
    assert!(
        text(&busy.stderr).contains("in use by another market-tui"),
        "{}",
        text(&busy.stderr)
    );
    drop(held);
    let clear = run(None, dir.path(), &["cache", "clear", "tokens"]).await;
    assert_eq!(clear.status.code(), Some(0));
    let bad = run(None, dir.path(), &["cache", "clear", "nope"]).await;
    assert_eq!(bad.status.code(), Some(2));
    assert!(Cache::open(dir.path()).get(&Key::Tokens).is_none());
    assert!(Cache::open(dir.path()).get(&Key::Metrics).is_some());
}

#[tokio::test]
async fn kill_minus_nine_during_writes_leaves_a_readable_cache() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let mut stored = 0;
    let rounds = crate::support::rounds(6, 100);
    let (mut reopen_ms, mut restarts_ok) = (Vec::new(), 0);
    for round in 0..rounds as u64 {
        let mut child = cmd(Some(&net), dir.path(), &["cache", "warm", "--all"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(150 + (round * 90) % 600)).await;
        child.kill().unwrap();
        child.wait().unwrap();
        // Restart right after the kill: another process opens the cache at once.
        let restart = run(None, dir.path(), &["--offline", "cache", "stats"]).await;
        if restart.status.success() && !text(&restart.stderr).contains("warning") {
            restarts_ok += 1;
        }
        let started = std::time::Instant::now();
        let cache = Cache::open(dir.path());
        reopen_ms.push(started.elapsed().as_millis());
        assert!(cache.on_disk(), "round {round}: {:?}", cache.warning());
        assert_eq!(
            cache.undecodable(),
            Vec::<String>::new(),
            "round {round}: every value decodes"
        );
        stored = cache.stats().iter().map(|(_, s)| s.keys).sum();
    }
    reopen_ms.sort_unstable();
    println!(
        "figure: {rounds} kill -9 rounds: 0 unreadable values, restarts straight after the kill {restarts_ok}/{rounds}, reopen median {} ms, max {} ms",
        reopen_ms[reopen_ms.len() / 2],
        reopen_ms[reopen_ms.len() - 1]
    );
    assert_eq!(restarts_ok, rounds, "the lingering lock is absorbed");
    assert!(
        stored > 10,
        "the kills landed while values were being written: {stored} stored"
    );
}
