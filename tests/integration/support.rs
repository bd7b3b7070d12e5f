//! Shared helpers: a fast-failing client configuration for tests against the fake network.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use market_tui::source::{ClientConfig, HealthConfig, HiveEngine, TransportConfig};

use fake_node::{FakeNet, Scale};

/// The binary under test: this build's, or another one named by `MARKET_TUI_TEST_BIN` (an
/// installed copy, or a build that others sharing the target dir cannot replace mid-run).
pub fn bin() -> &'static str {
    static BIN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        std::env::var("MARKET_TUI_TEST_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_market-tui").to_owned())
    })
}
/// The fake node's counter key of richlist pages.
pub const BALANCES: &str = "find/tokens/balances";

/// The binary with a data dir and, when given, the fake network's nodes.
pub fn cmd(net: Option<&FakeNet>, data: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.arg("--data-dir").arg(data);
    if let Some(net) = net {
        for url in net.urls() {
            c.arg("--node").arg(url);
        }
        c.arg("--history-url").arg(&net.urls()[0]);
    }
    c.args(args).env_remove("MARKET_TUI_DATA_DIR");
    c
}

/// How many rounds a soak or crash test runs: `normal` in a developer's run, `long` when
/// `MARKET_TUI_LONG_TESTS` is set, as CI sets it (reliability.md asks for 100 kills, 50 runs).
pub fn rounds(normal: usize, long: usize) -> usize {
    if std::env::var_os("MARKET_TUI_LONG_TESTS").is_some() {
        long
    } else {
        normal
    }
}

/// Runs the binary to its end off the async threads (the fake network runs on them).
pub async fn run(net: Option<&FakeNet>, data: &Path, args: &[&str]) -> Output {
    let mut c = cmd(net, data, args);
    tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap()
}

/// Runs the binary like `run`, but a run still going after `limit` (a command that spins) is
/// killed and reported as `None`: a liveness bound, far above any honest run.
pub async fn run_bounded(
    net: Option<&FakeNet>,
    data: &Path,
    args: &[&str],
    limit: Duration,
) -> Option<Output> {
    use std::io::{Read, Seek};
    let mut c = cmd(net, data, args);
    // Files, not pipes: a child blocked on a full pipe would look like one that spins.
    let (mut out, mut err) = (tempfile::tempfile().unwrap(), tempfile::tempfile().unwrap());
    c.stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap());
    tokio::task::spawn_blocking(move || {
        let mut child = c.spawn().unwrap();
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > limit {
                child.kill().unwrap();
                child.wait().unwrap();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let read = |f: &mut std::fs::File| {
            let mut bytes = Vec::new();
            f.rewind().unwrap();
            f.read_to_end(&mut bytes).unwrap();
            bytes
        };
        Some(Output {
            status,
            stdout: read(&mut out),
            stderr: read(&mut err),
        })
    })
    .await
    .unwrap()
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Addresses where nothing listens: every connection is refused.
pub fn dead_nodes(n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            let addr = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap();
            format!("http://{addr}/")
        })
        .collect()
}

/// Three nodes, 40 tokens, the biggest (BEE) held by `holders` accounts.
pub async fn net_with_holders(holders: usize) -> FakeNet {
    let scale = Scale {
        tokens: 40,
        max_holders: holders,
        ..Scale::default()
    };
    FakeNet::start(scale, 3, 0).await.unwrap()
}

/// Millisecond backoffs and short timeouts, so fault tests run quickly.
pub fn test_config(urls: Vec<String>, history: String) -> ClientConfig {
    ClientConfig {
        nodes: urls,
        history_url: history,
        transport: TransportConfig {
            connect_timeout: Duration::from_millis(500),
            attempt_timeout: Duration::from_millis(1500),
            body_cap: 64 * 1024 * 1024,
            same_node_retries: 2,
            min_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        },
        health: HealthConfig {
            base_cooldown: Duration::from_millis(300),
            max_cooldown: Duration::from_secs(2),
            ..HealthConfig::default()
        },
        deadline: Duration::from_secs(20),
        ..ClientConfig::default()
    }
}

pub fn client(net: &FakeNet) -> HiveEngine {
    HiveEngine::new(test_config(net.urls(), net.urls()[0].clone())).unwrap()
}

pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// A tmpfs mounted on `dir` for the test, or a word on why the test cannot run here.
pub struct Tmpfs<'a>(&'a std::path::Path);

impl<'a> Tmpfs<'a> {
    /// A small file system of `size` (a full disk is a small one filled up).
    pub fn mount(dir: &'a std::path::Path, size: &str) -> Option<Self> {
        Self::mount_with(dir, &format!("size={size}"))
    }

    /// An empty read-only file system, as a read-only mount or disk is.
    pub fn mount_read_only(dir: &'a std::path::Path) -> Option<Self> {
        Self::mount_with(dir, "ro,size=1m")
    }

    fn mount_with(dir: &'a std::path::Path, options: &str) -> Option<Self> {
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("SKIPPED: cannot mount a tmpfs here (needs root, as in CI)");
        }
        ok.then_some(Self(dir))
    }
}

impl Tmpfs<'_> {
    /// Makes the mounted file system read-only, as a disk remounted after errors is.
    pub fn remount_read_only(&self) {
        let ok = std::process::Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.0)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remount of {} read-only", self.0.display());
    }
}

impl Drop for Tmpfs<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.0).status();
    }
}

/// Stale-while-revalidate over `cache` with the fast test client on `net`.
pub fn swr(
    net: &FakeNet,
    cache: std::sync::Arc<market_tui::cache::Cache>,
    ttls: market_tui::cache::Ttls,
) -> std::sync::Arc<market_tui::refresh::Swr> {
    market_tui::refresh::Swr::new(cache, Some(std::sync::Arc::new(client(net))), ttls)
}
