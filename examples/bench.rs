//! The benchmark: `cargo run --profile profiling --example bench` (the release build with line
//! tables and symbols, for a profiler). Starts the fake Hive-Engine network in process and prints
//! one table of medians beside the targets. Timing is never a test.
#![allow(clippy::unwrap_used, clippy::pedantic)]

#[path = "bench/cold.rs"]
mod cold;
#[path = "bench/shared.rs"]
mod shared;
#[path = "bench/snapshots.rs"]
mod snapshots;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_node::{FakeNet, Scale};
use market_tui::app::{Action, App, Options};
use market_tui::cache::{Cache, Key, Payload, Ttls};
use market_tui::export::{ScreenExport, Shown};
use market_tui::holders::Column;
use market_tui::model::{HistoryRange, now};
use market_tui::refresh::Swr;
use market_tui::refresh::worker::Report;
use market_tui::source::{ClientConfig, HiveEngine};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

const RUNS: usize = 5;

struct Row {
    name: String,
    figure: String,
    target: String,
    met: Option<bool>,
}

/// The fake nodes' own threads, as remote nodes have their own machines: a node serializing a
/// page never holds up the client's tasks, nor the client a node's (they still share 2 cores).
static NODES: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();

/// Starts `nodes` fake nodes on free ports with `tokens` tokens, the biggest held by `holders`.
async fn fake(tokens: usize, holders: usize, nodes: usize) -> FakeNet {
    let scale = Scale {
        tokens,
        max_holders: holders,
        ..Scale::default()
    };
    let runtime = NODES.get_or_init(|| tokio::runtime::Runtime::new().unwrap());
    runtime
        .spawn(FakeNet::start(scale, nodes, 0))
        .await
        .unwrap()
        .unwrap()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn client(net: &FakeNet) -> HiveEngine {
    let cfg = ClientConfig {
        nodes: net.urls(),
        history_url: net.urls()[0].clone(),
        ..ClientConfig::default()
    };
    HiveEngine::new(cfg).unwrap()
}

fn new_app(width: u16, height: u16) -> App {
    App::new(Options::default(), now(), Rect::new(0, 0, width, height))
}

/// Reads `key` from the cache and hands it to the app as the worker would; returns the entry.
fn load(app: &mut App, cache: &Cache, key: Key) -> market_tui::cache::Entry {
    let entry = cache.get(&key).unwrap();
    app.update(Action::Report(Report::Loaded {
        key,
        entry: entry.clone(),
        fresh: true,
        fresh_until: now() + 3600,
    }));
    entry
}

fn draw(app: &App, terminal: &mut Terminal<TestBackend>) {
    terminal.draw(|f| market_tui::ui::render(f, app)).unwrap();
}

async fn warm_cache(dir: &Path, net: &FakeNet) {
    let cache = Arc::new(Cache::open(dir));
    let swr = Swr::new(cache.clone(), Some(Arc::new(client(net))), Ttls::default());
    for key in [Key::Tokens, Key::Metrics, Key::Richlist("BEE".into())] {
        swr.refresh(&key, None).await.unwrap();
    }
    cache.flush();
}

fn warm_start(dir: &Path, rows: &mut Vec<Row>) {
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let cache = Cache::open(dir);
        let mut app = new_app(160, 48);
        for key in [Key::Tokens, Key::Metrics] {
            load(&mut app, &cache, key);
        }
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        draw(&app, &mut terminal);
        times.push(t.elapsed());
        assert!(format!("{}", terminal.backend()).contains("Tokens (2000)"));
    }
    let m = median(times);
    rows.push(Row {
        name: "2. warm start, 2000 tokens: open cache to first full frame".into(),
        figure: format!(
            "{} (in process: cache open, decode, join, sort, draw)",
            ms(m)
        ),
        target: "< 50 ms".into(),
        met: Some(m < Duration::from_millis(50)),
    });
}

fn big_richlist(dir: &Path, rows: &mut Vec<Row>) -> Arc<Payload> {
    let cache = Cache::open(dir);
    let key = Key::Richlist("BEE".into());
    let (mut loads, mut frame, mut sort) = (Vec::new(), Vec::new(), Vec::new());
    let mut payload = None;
    for _ in 0..RUNS {
        let mut app = new_app(200, 50);
        let t = Instant::now();
        app.screen = market_tui::app::Screen::Richlist("BEE".into());
        app.richlist.symbol = "BEE".into();
        let entry = load(&mut app, &cache, key.clone());
        loads.push(t.elapsed());
        assert!(
            app.richlist.table.order.len() > 180_000,
            "{}",
            app.richlist.table.order.len()
        );
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
        draw(&app, &mut terminal);
        app.richlist.table.cursor.selected = 150_000;
        app.richlist.table.cursor.offset = 149_990;
        let t = Instant::now();
        draw(&app, &mut terminal);
        frame.push(t.elapsed());
        let t = Instant::now();
        app.richlist.sort_by(Column::Stake);
        sort.push(t.elapsed());
        payload = Some(entry.payload.clone());
    }
    let (l, f, s) = (median(loads), median(frame), median(sort));
    rows.push(Row {
        name: "3a. 200000 holders: cache to render-ready rows".into(),
        figure: ms(l),
        target: "< 100 ms".into(),
        met: Some(l < Duration::from_millis(100)),
    });
    rows.push(Row {
        name: "3b. 200000 holders: one frame (200x50)".into(),
        figure: ms(f),
        target: "< 2 ms".into(),
        met: Some(f < Duration::from_millis(2)),
    });
    rows.push(Row {
        name: "3c. 200000 holders: re-sort by stake".into(),
        figure: ms(s),
        target: "< 50 ms".into(),
        met: Some(s < Duration::from_millis(50)),
    });
    payload.unwrap()
}

fn export(payload: &Arc<Payload>, rows: &mut Vec<Row>) {
    let Payload::Richlist(r) = &**payload else {
        unreachable!()
    };
    let by_total = market_tui::holders::by_total(r);
    let ranks = market_tui::holders::ranks(&by_total);
    let dir = tempfile::tempdir().unwrap();
    let mut times = Vec::new();
    for i in 0..RUNS {
        let job = ScreenExport {
            shown: Shown::Richlist {
                payload: payload.clone(),
                order: by_total.clone(),
                ranks: ranks.clone(),
            },
            dir: dir.path().join(i.to_string()),
            at: now(),
        };
        let t = Instant::now();
        job.write().unwrap();
        times.push(t.elapsed());
    }
    let t = Instant::now();
    let mut sink = Vec::with_capacity(32 << 20);
    market_tui::export::write_csv(
        &mut sink,
        market_tui::export::tables::richlist(r, &by_total, &ranks),
    )
    .unwrap();
    eprintln!(
        "   export to memory only: {} ({} bytes)",
        ms(t.elapsed()),
        sink.len()
    );
    let m = median(times);
    rows.push(Row {
        name: "4. CSV export of a cached 200000-holder richlist".into(),
        figure: format!("{} ({:.0} rows/s)", ms(m), 200_000.0 / m.as_secs_f64()),
        target: "< 300 ms".into(),
        met: Some(m < Duration::from_millis(300)),
    });
}

async fn upstream_load(rows: &mut Vec<Row>) {
    let net = fake(300, 5_000, 3).await;
    let symbols: Vec<String> = net
        .data
        .specs
        .iter()
        .filter(|s| s.has_market)
        .take(10)
        .map(|s| s.symbol.clone())
        .collect();
    let mut session: Vec<Key> = vec![Key::Tokens, Key::Metrics];
    for s in &symbols {
        session.extend([
            Key::Token(s.clone()),
            Key::History(s.clone(), HistoryRange::Month),
            Key::Book(s.clone()),
            Key::Trades(s.clone()),
        ]);
    }
    for s in symbols.iter().take(3) {
        session.extend([Key::Richlist(s.clone()), Key::Token(s.clone())]);
    }
    session.extend([
        Key::Richlist(symbols[0].clone()),
        Key::Richlist(symbols[1].clone()),
    ]);
    let reopen = session.clone();
    session.extend(reopen);
    let distinct: std::collections::HashSet<&Key> = session.iter().collect();
    let dir = tempfile::tempdir().unwrap();
    let swr = Swr::new(
        Arc::new(Cache::open(dir.path())),
        Some(Arc::new(client(&net))),
        Ttls::default(),
    );
    for key in &session {
        swr.get(key, None, None).await;
    }
    let ours = net.requests("");
    let our_keys_fetched =
        net.requests("findOne") + net.requests("find/") + net.requests("history");
    net.reset_counters();
    let c = client(&net);
    for key in &session {
        match key {
            Key::Tokens => drop(c.tokens().await),
            Key::Metrics => drop(c.metrics(now()).await),
            Key::Token(s) => drop(c.token(s).await),
            Key::Richlist(s) => drop(c.richlist(s, None).await),
            Key::History(s, r) => drop(c.history(s, *r, now()).await),
            Key::Book(s) => drop(c.book(s).await),
            Key::Trades(s) => drop(c.trades(s, now()).await),
            Key::Pools => drop(c.pools().await),
            Key::Pool(p) => drop(c.pool(p).await),
            Key::Account(a) => drop(c.account(a).await),
            Key::Activity(a, page) => drop(c.activity(a, *page).await),
            Key::Snapshot(..) | Key::Baseline(..) => {}
        }
    }
    let cacheless = net.requests("");
    rows.push(Row {
        name: format!("5. upstream requests, scripted session ({} views, {} distinct keys)", session.len(), distinct.len()),
        figure: format!("market-tui {ours} (data requests {our_keys_fetched}; each key fetched once, exports and re-opens 0) vs cache-less {cacheless}"),
        target: "<= 1 fetch per key per TTL, 0 for exports".into(),
        met: Some(ours < cacheless),
    });
}

fn memory(dir: &Path, rows: &mut Vec<Row>) {
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe)
        .arg("--memory-child")
        .arg(dir)
        .output()
        .unwrap();
    let kb: u64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    let mb = kb as f64 / 1024.0;
    rows.push(Row {
        name: "6. peak RSS, 2000 tokens + 200000-holder richlist loaded and drawn".into(),
        figure: format!("{mb:.1} MB (a child process: cache, app state, one frame each view)"),
        target: "< 80 MB".into(),
        met: Some(mb < 80.0),
    });
}

/// Runs in a fresh process so the fake network's memory is not counted.
fn memory_child(dir: &Path) {
    let cache = Cache::open(dir);
    let mut app = new_app(200, 50);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    for key in [Key::Tokens, Key::Metrics] {
        load(&mut app, &cache, key);
    }
    draw(&app, &mut terminal);
    app.screen = market_tui::app::Screen::Richlist("BEE".into());
    app.richlist.symbol = "BEE".into();
    load(&mut app, &cache, Key::Richlist("BEE".into()));
    draw(&app, &mut terminal);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("0");
    println!("{hwm}");
}

async fn disk(rows: &mut Vec<Row>) {
    let net = fake(300, 200_000, 1).await;
    let part = &net.data.partition_of("tokens_balances", "BEE").unwrap();
    let raw: usize = part
        .rows
        .iter()
        .map(|r| serde_json::to_vec(r).unwrap().len())
        .sum();
    let dir = tempfile::tempdir().unwrap();
    let cache = Arc::new(Cache::open(dir.path()));
    let swr = Swr::new(cache.clone(), Some(Arc::new(client(&net))), Ttls::default());
    let mut encoded = 0;
    for _ in 0..10 {
        let e = swr
            .refresh(&Key::Richlist("BEE".into()), None)
            .await
            .unwrap();
        encoded = e.meta.bytes;
    }
    cache.flush();
    let on_disk = cache.size_on_disk();
    let ratio = on_disk as f64 / raw as f64;
    rows.push(Row {
        name: "7. disk, 200000-holder richlist after 10 refreshes".into(),
        figure: format!("{:.1} MB on disk; raw JSON rows {:.1} MB ({ratio:.2}x); one encoded generation {:.1} MB", on_disk as f64 / 1e6, raw as f64 / 1e6, encoded as f64 / 1e6),
        target: "<= 4x raw".into(),
        met: Some(ratio <= 4.0),
    });
}

/// One refresh of BEE's richlist in a process of its own, closed as the binary closes it
/// (compacting a bloated cache once it is closed).
async fn soak_child(dir: &Path, urls: &[String]) {
    let cfg = ClientConfig {
        nodes: urls.to_vec(),
        history_url: urls[0].clone(),
        ..ClientConfig::default()
    };
    let cache = Arc::new(Cache::open(dir));
    let swr = Swr::new(
        cache.clone(),
        Some(Arc::new(HiveEngine::new(cfg).unwrap())),
        Ttls::default(),
    );
    swr.refresh(&Key::Richlist("BEE".into()), None)
        .await
        .unwrap();
    let compact = cache.needs_compaction();
    drop((swr, cache));
    if compact {
        market_tui::cache::compact(dir).unwrap();
    }
}

fn dir_kb(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_kb(&e.path()),
                    Ok(m) => m.blocks() / 2,
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// reliability.md §7 soak as users run it: each refresh its own process.
async fn soak(rows: &mut Vec<Row>) {
    for (holders, runs) in [(20_000, 30), (190_000, 15)] {
        let net = fake(300, holders, 3).await;
        let dir = tempfile::tempdir().unwrap();
        let exe = std::env::current_exe().unwrap();
        let mut kb = Vec::new();
        for _ in 0..runs {
            let mut child = std::process::Command::new(&exe);
            child.arg("--soak-child").arg(dir.path()).args(net.urls());
            let status = tokio::task::spawn_blocking(move || child.status().unwrap())
                .await
                .unwrap();
            assert!(status.success());
            kb.push(dir_kb(&dir.path().join("cache")));
        }
        let first = kb[0];
        let peak = *kb.iter().max().unwrap();
        let early = *kb[..10].iter().max().unwrap();
        let late = *kb[10..].iter().max().unwrap();
        rows.push(Row {
            name: format!(
                "8. disk across {runs} processes, each refreshing a {holders}-holder richlist"
            ),
            figure: format!(
                "KB after run 1, 10, {runs}: {first}, {}, {} (peak {peak}, {:.1}x the first)",
                kb[9],
                kb[runs - 1],
                peak as f64 / first as f64
            ),
            target: "<= 4x the first run; from run 10 on, within 10% of the peak before".into(),
            met: Some(peak <= 4 * first && late * 10 <= early * 11),
        });
    }
}

#[tokio::main]
async fn main() {
    // As the binary does: line 6's child and the in-process figures use the same allocator.
    market_tui::allocator::return_big_buffers_when_freed();
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--memory-child") {
        return memory_child(Path::new(&args[2]));
    }
    if args.get(1).map(String::as_str) == Some("--soak-child") {
        return soak_child(Path::new(&args[2]), &args[3..]).await;
    }
    let mut rows = Vec::new();
    if args.get(1).map(String::as_str) == Some("--shared") {
        let net = fake(50, 20_000, 3).await;
        shared::upstream(&net, &mut rows).await;
        return print(rows);
    }
    if args.get(1).map(String::as_str) == Some("--cold") {
        cold::richlist(&mut rows).await;
        return print(rows);
    }
    if args.get(1).map(String::as_str) == Some("--snapshots") {
        // Only the history figure: a 200000-holder richlist from a warmed cache.
        let net = fake(50, 200_000, 1).await;
        let dir = tempfile::tempdir().unwrap();
        warm_cache(dir.path(), &net).await;
        let payload = big_richlist(dir.path(), &mut Vec::new());
        snapshots::disk(&payload, &mut rows);
        return print(rows);
    }
    eprintln!("1/9 cold richlist…");
    cold::richlist(&mut rows).await;
    eprintln!("preparing a warm cache: 2000 tokens and a 200000-holder richlist…");
    let net = fake(2_000, 200_000, 1).await;
    let dir = tempfile::tempdir().unwrap();
    warm_cache(dir.path(), &net).await;
    drop(net);
    eprintln!("2/9 warm start…");
    warm_start(dir.path(), &mut rows);
    eprintln!("3/9 big richlist…");
    let payload = big_richlist(dir.path(), &mut rows);
    eprintln!("4/9 export…");
    export(&payload, &mut rows);
    eprintln!("9/9 (early) richlist history…");
    snapshots::disk(&payload, &mut rows);
    drop(payload);
    eprintln!("5/9 upstream load…");
    upstream_load(&mut rows).await;
    eprintln!("6/9 memory…");
    memory(dir.path(), &mut rows);
    eprintln!("7/9 disk…");
    disk(&mut rows).await;
    eprintln!("8/9 disk across processes…");
    soak(&mut rows).await;
    eprintln!("10 shared tier…");
    let net = fake(50, 20_000, 3).await;
    shared::upstream(&net, &mut rows).await;
    print(rows);
}

fn print(rows: Vec<Row>) {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let date = jiff::Zoned::now().strftime("%Y-%m-%d %H:%M %Z");
    println!("market-tui benchmark, {date}, {cores} cores, medians of {RUNS} runs\n");
    println!("| measure | figure | target | met |");
    println!("|---|---|---|---|");
    for r in rows {
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "-",
        };
        println!("| {} | {} | {} | {met} |", r.name, r.figure, r.target);
    }
}
