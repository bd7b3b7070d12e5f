//! Upstream requests of N instances opening the same cold richlist at once, each with its own
//! local cache, without and with the shared tier on a real redis-server.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use fake_node::FakeNet;
use market_tui::cache::shared::Shared;
use market_tui::cache::{Cache, Key, Ttls};
use market_tui::refresh::Swr;
use market_tui::snapshots::Retention;

use super::{Row, client};

const INSTANCES: usize = 10;

async fn requests(net: &FakeNet, shared_url: Option<&str>) -> u64 {
    net.reset_counters();
    let dirs: Vec<tempfile::TempDir> = (0..INSTANCES)
        .map(|_| tempfile::tempdir().unwrap())
        .collect();
    let swrs: Vec<Arc<Swr>> = dirs
        .iter()
        .map(|d| {
            let shared = shared_url
                .map(|u| Arc::new(Shared::new(u, "bench", Duration::from_secs(10)).unwrap()));
            Swr::with_shared(
                Arc::new(Cache::open(d.path())),
                Some(Arc::new(client(net))),
                (Ttls::default(), Retention::default()),
                shared,
            )
        })
        .collect();
    let key = Key::Richlist("BEE".into());
    futures::future::join_all(swrs.iter().map(|s| s.get(&key, None, None))).await;
    net.requests("")
}

pub async fn upstream(net: &FakeNet, rows: &mut Vec<Row>) {
    let Ok(port) =
        std::net::TcpListener::bind("127.0.0.1:0").map(|l| l.local_addr().unwrap().port())
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let Ok(mut redis) = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .arg("--dir")
        .arg(dir.path())
        .stdout(Stdio::null())
        .spawn()
    else {
        eprintln!("no redis-server: the shared tier is not measured");
        return;
    };
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let without = requests(net, None).await;
    let with = requests(net, Some(&format!("redis://127.0.0.1:{port}/0"))).await;
    let _ = redis.kill();
    let _ = redis.wait();
    rows.push(Row {
        name: format!(
            "10. upstream requests, {INSTANCES} instances opening one cold richlist at once"
        ),
        figure: format!("{without} without the shared tier, {with} with it (one walk)"),
        target: "one fetch for all instances".into(),
        // One walk plus the waiting instances' own small reads, against ten walks: a walk's
        // request count varies by a few from run to run, so within half of one instance's share.
        met: Some(with * (INSTANCES as u64) * 2 <= without * 3),
    });
}
