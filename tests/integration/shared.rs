//! The shared tier against a real `redis-server` (each test starts its own on a free port with
//! its own folder, and stops it): one upstream walk for many instances, a second machine served
//! without the nodes, a crashed lease holder taken over, Redis stopping and coming back, and a
//! corrupt value ignored and replaced.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use market_tui::cache::shared::Shared;
use market_tui::cache::{Cache, Key};
use market_tui::refresh::Swr;
use market_tui::snapshots::Retention;

use crate::support::{client, cmd, text};
use fake_node::{FakeNet, Knobs};

const TOKEN: &str = "findOne/tokens/tokens";

struct Redis {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
}

impl Redis {
    fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut r = Self {
            child: None,
            port,
            dir: tempfile::tempdir().unwrap(),
        };
        r.run();
        r
    }

    fn run(&mut self) {
        assert!(
            Command::new("redis-server")
                .arg("--version")
                .output()
                .is_ok(),
            "redis-server is not installed: run ./scripts/test, which installs it"
        );
        let child = Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("redis-server did not start");
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

fn instance(net: &FakeNet, redis: &Redis, prefix: &str) -> (Arc<Swr>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let shared = Shared::new(&redis.url(), prefix, Duration::from_secs(5)).unwrap();
    let swr = Swr::with_shared(
        Arc::new(Cache::open(dir.path())),
        Some(Arc::new(client(net))),
        (market_tui::cache::Ttls::default(), Retention::default()),
        Some(Arc::new(shared)),
    );
    (swr, dir)
}

fn export(net: &FakeNet, redis: &Redis, dir: &std::path::Path) -> Command {
    let mut c = cmd(Some(net), dir, &["export", "richlist", "BEE"]);
    c.arg("--shared-cache").arg(redis.url());
    c
}

#[tokio::test]
async fn twenty_processes_make_one_walk_and_a_second_machine_none() {
    let net = FakeNet::small().await;
    let redis = Redis::start();
    // What one walk costs, on its own.
    let alone = tempfile::tempdir().unwrap();
    let walked =
        crate::support::run(Some(&net), alone.path(), &["export", "richlist", "BEE"]).await;
    assert!(walked.status.success());
    let one_walk = net.requests(crate::support::BALANCES);
    net.reset_counters();

    let dirs: Vec<tempfile::TempDir> = (0..20).map(|_| tempfile::tempdir().unwrap()).collect();
    let children: Vec<Child> = dirs
        .iter()
        .map(|d| {
            export(&net, &redis, d.path())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs = tokio::task::spawn_blocking(move || {
        children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    for o in &outputs {
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        assert_eq!(
            o.stdout, outputs[0].stdout,
            "every instance wrote the same richlist"
        );
    }
    assert_eq!(net.requests(TOKEN), 1, "one instance asked for the token");
    // A walk's page count varies by one or two with the order its pages come back in.
    let walks = net.requests(crate::support::BALANCES);
    assert!(
        walks < 2 * one_walk,
        "one walk in total, not one per instance: {walks} requests, one walk {one_walk}"
    );

    net.reset_counters();
    let other = tempfile::tempdir().unwrap();
    let mut second = export(&net, &redis, other.path());
    let second = tokio::task::spawn_blocking(move || second.output().unwrap())
        .await
        .unwrap();
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(second.stdout, outputs[0].stdout);
    assert_eq!(
        net.requests(""),
        0,
        "a second machine's first open asks the nodes nothing"
    );
}

#[tokio::test]
async fn a_crashed_lease_holder_is_taken_over_when_its_lease_runs_out() {
    let net = FakeNet::small().await;
    let redis = Redis::start();
    for n in &net.nodes {
        n.set_knobs(Knobs {
            latency_ms: 3_000,
            ..Knobs::default()
        });
    }
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), "[shared_cache]\nlease_secs = 2\n").unwrap();
    let with_config = |c: &mut Command| {
        c.arg("--config").arg(config.path());
    };
    let a = tempfile::tempdir().unwrap();
    let mut holder = export(&net, &redis, a.path());
    with_config(&mut holder);
    let mut holder = holder
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Once the holder is fetching, it dies without a word.
    while net.requests(TOKEN) == 0 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    holder.kill().unwrap();
    holder.wait().unwrap();
    for n in &net.nodes {
        n.set_knobs(Knobs::default());
    }
    let b = tempfile::tempdir().unwrap();
    let mut taker = export(&net, &redis, b.path());
    with_config(&mut taker);
    let out = tokio::task::spawn_blocking(move || taker.output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).lines().count() > 100);
    assert!(
        net.requests(TOKEN) >= 2,
        "the second instance fetched itself"
    );
}

#[tokio::test]
async fn redis_stopping_changes_nothing_but_the_note_and_a_corrupt_value_is_replaced() {
    let net = FakeNet::small().await;
    let mut redis = Redis::start();
    let (a, _da) = instance(&net, &redis, "t");
    let rich = Key::Richlist("LEO".into());
    assert!(a.get(&rich, None, None).await.entry.is_some());
    assert!(a.shared().unwrap().problem().is_none());

    redis.stop();
    let tokens = a.get(&Key::Tokens, None, None).await;
    assert!(
        tokens.fresh && tokens.entry.is_some(),
        "the nodes still serve"
    );
    let note = a.shared().unwrap().problem().unwrap();
    assert!(note.contains("shared cache unreachable"), "{note}");

    redis.run();
    tokio::time::sleep(Duration::from_millis(5_500)).await;
    let (b, _db) = instance(&net, &redis, "t");
    assert!(b.get(&Key::Metrics, None, None).await.entry.is_some());
    assert!(a.get(&Key::Metrics, None, None).await.entry.is_some());
    assert!(a.shared().unwrap().problem().is_none(), "back on its own");
    assert!(
        a.cached(&Key::Tokens).await.is_some(),
        "what was fetched meanwhile is kept"
    );

    // A corrupt value in Redis is a miss: fetched again and replaced.
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let meta = format!("t:v{}:richlist:LEO:meta", market_tui::cache::SCHEMA);
    let _: () = redis::cmd("SET")
        .arg(&meta)
        .arg("garbage")
        .query_async(&mut conn)
        .await
        .unwrap();
    net.reset_counters();
    let (c, _dc) = instance(&net, &redis, "t");
    assert!(c.get(&rich, None, None).await.entry.is_some());
    assert!(
        net.requests(crate::support::BALANCES) > 0,
        "read from the nodes again"
    );
    net.reset_counters();
    let (d, _dd) = instance(&net, &redis, "t");
    assert!(d.get(&rich, None, None).await.entry.is_some());
    assert_eq!(
        net.requests(""),
        0,
        "and the replacement serves the next one"
    );
}

#[tokio::test]
async fn a_replaced_generation_goes_a_minute_later_and_readers_see_whole_ones() {
    use market_tui::cache::{Meta, SCHEMA};
    let redis = Redis::start();
    let tier = Shared::new(&redis.url(), "g", Duration::from_secs(5)).unwrap();
    let meta = |generation| Meta {
        schema: SCHEMA,
        generation,
        chunks: 0,
        bytes: 0,
        fetched_at: crate::support::now(),
        provenance: Default::default(),
    };
    tier.put(&Key::Tokens, &meta(1), b"first").await;
    tier.put(&Key::Tokens, &meta(2), b"second").await;
    assert_eq!(tier.get(&Key::Tokens, |_| true).await.unwrap().1, b"second");
    let unwanted = tier.get(&Key::Tokens, |m| m.generation == 1).await;
    assert!(unwanted.is_none(), "an entry not wanted is not read");
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let ttl = |generation: u64| format!("g:v{SCHEMA}:tokens:all:{generation:016x}:0");
    let old: i64 = redis::cmd("TTL")
        .arg(ttl(1))
        .query_async(&mut conn)
        .await
        .unwrap();
    let new: i64 = redis::cmd("TTL")
        .arg(ttl(2))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(
        (1..=60).contains(&old),
        "the replaced generation expires soon: {old}"
    );
    assert!(new > 3_600, "the current one stays: {new}");
}

#[tokio::test]
async fn max_age_zero_and_warm_never_take_an_older_copy_from_redis() {
    let net = FakeNet::small().await;
    let redis = Redis::start();
    let first = tempfile::tempdir().unwrap();
    let old = output(export(&net, &redis, first.path())).await;
    assert_eq!(old.status.code(), Some(0), "{}", text(&old.stderr));
    // The nodes move on; Redis still holds the list of before, within its TTL.
    net.data.move_balances();
    let truth = tempfile::tempdir().unwrap();
    let today = crate::support::run(Some(&net), truth.path(), &["export", "richlist", "BEE"]).await;
    assert_ne!(today.stdout, old.stdout, "the move changed the richlist");
    net.reset_counters();

    let fresh = tempfile::tempdir().unwrap();
    let mut c = export(&net, &redis, fresh.path());
    c.args(["--max-age", "0"]);
    let got = output(c).await;
    assert_eq!(got.status.code(), Some(0), "{}", text(&got.stderr));
    assert!(
        net.requests(crate::support::BALANCES) > 0,
        "the nodes were asked"
    );
    assert_eq!(got.stdout, today.stdout, "today's list, not Redis's");

    // `cache warm` keeps a snapshot only of what was fetched after it started.
    net.data.move_balances();
    net.reset_counters();
    let warm = tempfile::tempdir().unwrap();
    let mut c = cmd(
        Some(&net),
        warm.path(),
        &["cache", "warm", "--richlists", "BEE"],
    );
    c.arg("--shared-cache").arg(redis.url());
    let warmed = output(c).await;
    assert_eq!(warmed.status.code(), Some(0), "{}", text(&warmed.stderr));
    assert!(
        net.requests(crate::support::BALANCES) > 0,
        "warm walked the nodes"
    );
}

/// Runs `c` to its end off the async threads (the fake network runs on them).
async fn output(mut c: Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap()
}
