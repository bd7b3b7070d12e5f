//! The cache on a full disk: every command ends, says in words what it could not keep, and its
//! exit code says what happened; what a command said it cached is served afterwards.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::support::{Tmpfs, net_with_holders, run, run_bounded, text};
use fake_node::FakeNet;

/// A liveness bound: an honest run takes seconds; one past this spins and is killed.
const SPIN: Duration = Duration::from_secs(120);

const SYMBOLS: [&str; 3] = ["BEE", "LEO", "DEC"];

/// The richlist of `symbol` as the nodes hold it now, exported through a cache on a roomy disk.
async fn truth(net: &FakeNet, symbol: &str) -> Vec<u8> {
    let scratch = tempfile::tempdir().unwrap();
    let args = ["export", "richlist", symbol, "--out", "-"];
    let out = run(Some(net), scratch.path(), &args).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    out.stdout
}

/// Runs one command within the liveness bound; its exit code and stderr.
async fn bounded(net: Option<&FakeNet>, data: &Path, args: &[&str]) -> (i32, String, Vec<u8>) {
    let out = run_bounded(net, data, args, SPIN)
        .await
        .unwrap_or_else(|| panic!("`{}` still ran after {SPIN:?}: it spins", args.join(" ")));
    let code = out.status.code().expect("ended by itself, not by a signal");
    println!("`{}`: exit {code}\n{}", args.join(" "), text(&out.stderr));
    (code, text(&out.stderr), out.stdout)
}

/// Exports and richlist warms on a small disk, three rounds with the balances moving between
/// them; what each command said it cached is checked against an offline export at the end.
async fn a_series_on(net: &FakeNet, size: &str) -> Option<usize> {
    let dir = tempfile::tempdir().unwrap();
    let _fs = Tmpfs::mount(dir.path(), size)?;
    let data = dir.path().join("data");
    // What the cache said it keeps, per symbol: the rows as the nodes held them then.
    let mut kept: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    let mut refusals = 0;
    for round in 0..3 {
        let mut now = BTreeMap::new();
        for symbol in SYMBOLS {
            now.insert(symbol, truth(net, symbol).await);
        }
        for symbol in ["LEO", "BEE"] {
            let args = ["export", "richlist", symbol, "--max-age", "0", "--out", "-"];
            let (code, err, rows) = bounded(Some(net), &data, &args).await;
            assert_eq!(code, 0, "{size} round {round} {symbol}: {err}");
            assert_eq!(rows, now[symbol], "the file is written in any case");
            if err.contains("was written but not cached: the disk is full") {
                refusals += 1;
            } else {
                assert!(!err.contains("not cached"), "{err}");
                kept.insert(symbol, rows);
            }
        }
        let mut warm = vec!["cache", "warm", "--richlists"];
        warm.extend(SYMBOLS);
        let (code, err, _) = bounded(Some(net), &data, &warm).await;
        let said: Vec<&str> = SYMBOLS
            .into_iter()
            .filter(|s| err.contains(&format!(" richlist {s} cached")))
            .collect();
        let expected = match said.len() {
            3 => 0,
            0 => 4,
            _ => 3,
        };
        assert_eq!(code, expected, "{size} round {round}: {err}");
        refusals += err.matches("the disk is full").count();
        // A richlist cached without its snapshot replaced the one before: warm does not count
        // it (richlist history is what it is for), but the cache serves it.
        let replaced = SYMBOLS
            .into_iter()
            .filter(|s| err.contains(&format!("richlist {s} was cached, but not its snapshot")));
        for symbol in said.into_iter().chain(replaced) {
            kept.insert(symbol, now[symbol].clone());
        }
        net.data.move_balances();
    }
    let (code, err, _) = bounded(None, &data, &["--offline", "cache", "stats"]).await;
    assert_eq!(code, 0, "{size}: the cache opens: {err}");
    for (symbol, rows) in &kept {
        let args = ["--offline", "export", "richlist", symbol, "--out", "-"];
        let (code, err, served) = bounded(None, &data, &args).await;
        assert_eq!(code, 0, "{size} {symbol}: {err}");
        assert!(
            served == *rows,
            "{size}: {symbol} is served as it was said to be cached"
        );
    }
    let aside: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("broken"))
        .collect();
    assert!(aside.is_empty(), "{size}: nothing moved aside: {aside:?}");
    println!(
        "figure: {size} disk: {} of {} richlists kept, {refusals} writes refused in words",
        kept.len(),
        SYMBOLS.len()
    );
    Some(refusals)
}

/// Issue 27: on 4 MiB the warm said "cached" and the next export found corrupted data, which was
/// then moved aside; on 5 MiB a warm spun for 11 minutes.
#[tokio::test]
async fn a_full_disk_loses_nothing_and_every_exit_code_says_what_was_kept() {
    let net = net_with_holders(30_000).await;
    let mut refusals = 0;
    for size in ["3m", "4m", "5m"] {
        let Some(n) = a_series_on(&net, size).await else {
            return;
        };
        refusals += n;
    }
    assert!(refusals > 0, "the disks did fill up");
}

/// Compaction copies the whole database: without room for the copy it does not start, and the
/// cache stays as it was.
#[test]
fn a_compaction_without_room_for_its_copy_touches_nothing() {
    use market_tui::cache::{Cache, Key, Payload};
    use market_tui::model::{Provenance, Richlist};
    let dir = tempfile::tempdir().unwrap();
    let Some(_fs) = Tmpfs::mount(dir.path(), "8m") else {
        return;
    };
    let key = Key::Richlist("BIG".into());
    let list = |n: usize| {
        Payload::Richlist(Richlist {
            symbol: "BIG".into(),
            holders: (0..n)
                .map(|i| {
                    let amount = market_tui::model::Amount::parse(&format!("{i}.5")).unwrap();
                    market_tui::model::Holder::new(
                        &format!("holder{i:07}"),
                        amount,
                        amount,
                        market_tui::model::Locked::default(),
                    )
                })
                .collect(),
            ..Richlist::default()
        })
    };
    {
        let cache = Cache::open(dir.path());
        for round in 0..6 {
            cache.put(
                &key,
                list(2_000 + round),
                Provenance::default(),
                1 + round as i64,
            );
        }
    }
    let free = |p: &Path| {
        let out = std::process::Command::new("df")
            .args(["--output=avail", "-B1"])
            .arg(p)
            .output()
            .unwrap();
        text(&out.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .parse::<u64>()
            .unwrap()
    };
    // Leave about 1 MiB: less than a copy needs.
    let fill = free(dir.path()).saturating_sub(1024 * 1024);
    std::fs::write(dir.path().join("filler"), vec![0_u8; fill as usize]).unwrap();
    let why = market_tui::cache::compact(dir.path()).unwrap_err();
    assert!(why.contains("not compacted: the disk is full"), "{why}");
    assert!(!dir.path().join("cache.compacting").exists());
    std::fs::remove_file(dir.path().join("filler")).unwrap();
    let cache = Cache::open(dir.path());
    assert_eq!(*cache.get(&key).unwrap().payload, list(2_005));
}

/// A database that does not open on a full disk may only lack room: it is never moved aside
/// there (issue 27 lost every snapshot that way). With room again, a broken one still is.
#[test]
fn an_unreadable_cache_on_a_full_disk_is_never_moved_aside() {
    use market_tui::cache::Cache;
    let dir = tempfile::tempdir().unwrap();
    let Some(_fs) = Tmpfs::mount(dir.path(), "4m") else {
        return;
    };
    drop(Cache::open(dir.path()));
    let db = dir.path().join("cache");
    for entry in std::fs::read_dir(&db).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::write(entry.path(), vec![0xAB; 4096]).unwrap();
        }
    }
    let broken = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("cache.broken"))
            .count()
    };
    let filler = dir.path().join("filler");
    std::fs::write(&filler, vec![0_u8; 3 * 1024 * 1024]).unwrap();
    let cache = Cache::open(dir.path());
    assert!(!cache.on_disk());
    let warning = cache.warning().unwrap();
    assert!(warning.contains("the disk is full"), "{warning}");
    assert_eq!(broken(), 0, "left where it is");
    drop(cache);
    std::fs::remove_file(&filler).unwrap();
    let cache = Cache::open(dir.path());
    assert!(cache.warning().unwrap().contains("rebuilt"));
    assert_eq!(broken(), 1);
}
