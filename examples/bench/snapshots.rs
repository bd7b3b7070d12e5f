//! Richlist history on disk: a 200000-holder token snapshotted 100 times, about 1% of holders
//! changing between snapshots, against the size of one snapshot.

use std::time::Instant;

use market_tui::cache::{Cache, Payload};
use market_tui::model::{Amount, Richlist};
use market_tui::snapshots::{self, Retention};

use super::{Row, median};

const SNAPSHOTS: usize = 100;

pub fn disk(payload: &Payload, rows: &mut Vec<Row>) {
    let Payload::Richlist(first) = payload else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    let keep_all = Retention {
        keep_all_days: 100_000,
        ..Retention::default()
    };
    let mut r: Richlist = first.clone();
    let n = r.holders.len();
    let mut times = Vec::new();
    for round in 0..SNAPSHOTS {
        // About 1% of holders change: some buy, and stake moves.
        for k in 0..n / 100 {
            let h = &mut r.holders[(k * 97 + round * 7919) % n];
            h.balance = h.balance + Amount::parse(&format!("{round}.25")).unwrap();
        }
        let t = Instant::now();
        snapshots::keep(&cache, &r, 1_800_000_000 + round as i64 * 3_600, &keep_all)
            .expect("the snapshot is kept");
        times.push(t.elapsed());
    }
    cache.flush();
    let sizes: Vec<u64> = snapshots::list(&cache, &r.symbol)
        .iter()
        .map(|s| s.1)
        .collect();
    let (total, one) = (sizes.iter().sum::<u64>(), *sizes.last().unwrap());
    let factor = total as f64 / one as f64;
    let t = Instant::now();
    let oldest = snapshots::baseline(&cache, &r.symbol, market_tui::model::Since::Oldest, 0);
    let rebuild = t.elapsed();
    assert!(oldest.then.is_some());
    rows.push(Row {
        name: format!("9. richlist history: {n} holders, {SNAPSHOTS} snapshots, ~1% changing each"),
        figure: format!(
            "{:.1} MB stored = {factor:.2}× one snapshot ({:.1} MB); {:.0} MB on disk; keeping one {} ms (median); rebuilding the oldest {} ms",
            total as f64 / 1e6,
            one as f64 / 1e6,
            cache.size_on_disk() as f64 / 1e6,
            median(times).as_millis(),
            rebuild.as_millis()
        ),
        target: "within a few times one snapshot".into(),
        met: Some(factor < 4.0),
    });
}
