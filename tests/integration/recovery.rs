//! Recovery within seconds (issue 29): the only node stops (its port refuses) and comes back,
//! with the product's own node cool-downs (30 s and growing). The worker tries again within the
//! view's TTL, a node that answers its status probe is used at that try, and `r` asks at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use market_tui::cache::{Cache, Key, Ttls};
use market_tui::refresh::Swr;
use market_tui::refresh::worker::{self, Report, Request};
use market_tui::source::{ClientConfig, HealthConfig, HiveEngine};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use fake_node::FakeNet;

use crate::support::{now, test_config};

/// A node's port that can be closed and opened again: it forwards to a fake node while open,
/// and while closed every connection is refused and every open one is cut.
struct Port {
    addr: std::net::SocketAddr,
    upstream: std::net::SocketAddr,
    serving: Option<tokio::task::JoinHandle<()>>,
}

impl Port {
    async fn open_to(upstream: std::net::SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut port = Self {
            addr,
            upstream,
            serving: None,
        };
        port.serve(listener);
        port
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    fn serve(&mut self, listener: TcpListener) {
        let upstream = self.upstream;
        self.serving = Some(tokio::spawn(async move {
            // The connections live inside this task: closing the port cuts them all.
            let mut connections = JoinSet::new();
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                connections.spawn(async move {
                    if let Ok(mut node) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut node).await;
                    }
                });
            }
        }));
    }

    fn close(&mut self) {
        if let Some(task) = self.serving.take() {
            task.abort();
        }
    }

    async fn open(&mut self) {
        let listener = TcpListener::bind(self.addr).await.unwrap();
        self.serve(listener);
    }
}

impl Drop for Port {
    fn drop(&mut self) {
        self.close();
    }
}

/// Waits for a report that `pick` accepts, at most `limit`.
async fn wait_for<T>(
    reports: &mut mpsc::UnboundedReceiver<Report>,
    limit: Duration,
    what: &str,
    mut pick: impl FnMut(&Report) -> Option<T>,
) -> T {
    let give_up = Instant::now() + limit;
    let mut seen = Vec::new();
    loop {
        let left = give_up.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, reports.recv()).await {
            Ok(Some(r)) => {
                if let Some(t) = pick(&r) {
                    return t;
                }
                seen.push(r);
            }
            _ => panic!("no {what} within {limit:?}; seen: {seen:#?}"),
        }
    }
}

fn fresh_tokens(r: &Report) -> Option<()> {
    matches!(
        r,
        Report::Loaded {
            key: Key::Tokens,
            fresh: true,
            ..
        }
    )
    .then_some(())
}

fn failed_tokens(r: &Report) -> Option<(&'static str, Option<i64>)> {
    match r {
        Report::Failed {
            key: Key::Tokens,
            cause,
            retry_at,
            ..
        } => Some((*cause, *retry_at)),
        _ => None,
    }
}

#[tokio::test]
async fn the_only_node_back_is_used_within_the_ttl_and_at_once_on_r() {
    let net = FakeNet::small().await;
    let mut port = Port::open_to(net.nodes[0].addr).await;
    let cfg = ClientConfig {
        // The product's cool-downs: 30 s after the first failure, growing.
        health: HealthConfig::default(),
        ..test_config(vec![port.url()], port.url())
    };
    let ttl = 5;
    let ttls = Ttls {
        tokens: ttl,
        metrics: ttl,
        ..Ttls::default()
    };
    let swr = Swr::new(
        Arc::new(Cache::in_memory()),
        Some(Arc::new(HiveEngine::new(cfg).unwrap())),
        ttls,
    );
    let (requests, rx) = mpsc::channel(8);
    let (tx, mut reports) = mpsc::unbounded_channel();
    tokio::spawn(worker::run(swr, None, rx, tx));
    requests
        .send(Request::Watch(vec![Key::Tokens]))
        .await
        .unwrap();
    wait_for(
        &mut reports,
        Duration::from_secs(10),
        "first load",
        fresh_tokens,
    )
    .await;

    // The node stops: within the TTL and a try the failure is said, in whole words, with a
    // next try no later than the TTL.
    port.close();
    let stopped = Instant::now();
    let (cause, retry_at) = wait_for(
        &mut reports,
        Duration::from_secs(20),
        "failure",
        failed_tokens,
    )
    .await;
    assert_eq!(cause, "node refused");
    let retry_in = retry_at.expect("a next try") - now();
    assert!(
        retry_in <= i64::try_from(ttl).unwrap(),
        "the next try within the TTL, not after the node's 30 s rest: {retry_in}s"
    );
    // Down a while longer: several tries fail, each resting the node longer.
    for _ in 0..2 {
        wait_for(
            &mut reports,
            Duration::from_secs(15),
            "another failure",
            failed_tokens,
        )
        .await;
    }
    let failures_said = stopped.elapsed();

    // Back: the next try probes it and uses it, within the TTL and a little, without a key.
    port.open().await;
    let back = Instant::now();
    wait_for(
        &mut reports,
        Duration::from_secs(ttl + 4),
        "fresh data after the node came back",
        fresh_tokens,
    )
    .await;
    let recovered = back.elapsed();

    // Down again until a failure is said, back again, and `r`: fresh at once.
    port.close();
    wait_for(
        &mut reports,
        Duration::from_secs(20),
        "failure",
        failed_tokens,
    )
    .await;
    port.open().await;
    let asked = Instant::now();
    requests.send(Request::Refresh(Key::Tokens)).await.unwrap();
    wait_for(
        &mut reports,
        Duration::from_secs(3),
        "fresh data on r",
        fresh_tokens,
    )
    .await;
    println!(
        "figure: the only node down {:.1}s (3 failures said), back: fresh {:.1}s later on its own, {:.2}s after r",
        failures_said.as_secs_f64(),
        recovered.as_secs_f64(),
        asked.elapsed().as_secs_f64()
    );
}

/// The issue's check, as a user does it: in tmux at 80×24 with TTLs of 5 s, the only node
/// stops: the status line says stale and why in whole words; it comes back: `r` brings fresh
/// within 5 s.
#[tokio::test]
async fn in_tmux_at_80x24_the_stale_line_reads_whole_and_r_recovers() {
    let net = FakeNet::small().await;
    let mut port = Port::open_to(net.nodes[0].addr).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let ttls: String = [
        "tokens", "metrics", "token", "richlist", "history", "book", "trades", "pools", "pool",
        "account", "activity",
    ]
    .iter()
    .map(|k| format!("{k} = 5\n"))
    .collect();
    std::fs::write(&config, format!("[ttl]\n{ttls}")).unwrap();
    let command = format!(
        "{} --config '{}' --data-dir '{}' --node {} --history-url {}; sleep 30",
        crate::support::bin(),
        config.display(),
        dir.path().join("data").display(),
        port.url(),
        port.url()
    );
    let t = crate::e2e::Tmux::start_sized(&command, 80, 24);
    t.wait_for("Tokens (40)").await;
    let status = |screen: &str| screen.lines().last().unwrap_or_default().to_owned();

    port.close();
    let screen = t.wait_for("stale · node refused").await;
    let line = status(&screen);
    assert!(line.contains(" old"), "the age: {line}");
    assert!(
        !line.contains("--offline)") && !line.contains('…'),
        "{line}"
    );

    port.open().await;
    t.keys(&["r"]);
    let asked = Instant::now();
    loop {
        let line = status(&t.screen());
        if line.trim_start().starts_with("fresh") {
            break;
        }
        assert!(
            asked.elapsed() < Duration::from_secs(5),
            "not fresh within 5 s of r: {line}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!(
        "figure: tmux 80x24, TTLs 5 s: the node back, fresh {:.2}s after r",
        asked.elapsed().as_secs_f64()
    );
}
