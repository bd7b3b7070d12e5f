use super::*;
use crate::fixtures::{self, NOW};
use crate::model::Amount;

const HOUR: i64 = 3_600;

/// The fixture richlist after `round` rounds of trades: a few holders change, one leaves, one
/// arrives each round.
fn moved(round: usize, holders: usize) -> Richlist {
    let mut r = fixtures::richlist(holders);
    r.holders.sort_by(|a, b| a.account.cmp(&b.account));
    for k in 1..=round {
        let n = r.holders.len();
        for step in [7, 13] {
            let h = &mut r.holders[(k * step) % n];
            h.balance = h.balance + Amount::parse(&format!("{k}.5")).unwrap();
        }
        r.holders.remove((k * 5) % n);
        r.holders
            .push(fixtures::holder(&format!("new{k:03}"), "1", "2"));
        r.holders.sort_by(|a, b| a.account.cmp(&b.account));
    }
    r
}

fn keep_all() -> Retention {
    Retention {
        keep_all_days: 10_000,
        ..Retention::default()
    }
}

#[test]
fn every_snapshot_is_rebuilt_exactly_and_only_the_newest_is_whole() {
    let cache = Cache::in_memory();
    for round in 0..5 {
        keep(
            &cache,
            &moved(round, 200),
            NOW + round as i64 * HOUR,
            &keep_all(),
        )
        .unwrap();
    }
    let times: Vec<Timestamp> = list(&cache, "BEE").into_iter().map(|(t, _)| t).collect();
    assert_eq!(times.len(), 5);
    assert!(matches!(
        record(&cache, "BEE", times[4]),
        Some(SnapshotRecord::Full(_))
    ));
    assert!(matches!(
        record(&cache, "BEE", times[0]),
        Some(SnapshotRecord::Delta(_))
    ));
    for (round, &at) in times.iter().enumerate() {
        let b = baseline(&cache, "BEE", Since::At(at), NOW + 10 * HOUR);
        let then = b.then.map(|(_, r)| r);
        if round < 4 {
            assert_eq!(then, Some(moved(round, 200)), "round {round}");
        }
    }
    let previous = baseline(&cache, "BEE", Since::Previous, NOW).then.unwrap();
    assert_eq!(previous, (times[3], moved(3, 200)));
    assert_eq!(
        baseline(&cache, "BEE", Since::Oldest, NOW).then.unwrap().0,
        times[0]
    );
    assert_eq!(newest(&cache, "BEE").unwrap().1, moved(4, 200));
}

#[test]
fn one_snapshot_gives_no_baseline_and_says_how_many_are_kept() {
    let cache = Cache::in_memory();
    keep(&cache, &moved(0, 10), NOW, &keep_all()).unwrap();
    let b = baseline(&cache, "BEE", Since::Previous, NOW);
    assert_eq!((b.then, b.kept, b.newest), (None, 1, Some(NOW)));
}

#[test]
fn pruning_keeps_what_the_policy_says_and_the_rest_still_rebuilds() {
    let cache = Cache::in_memory();
    // Ten snapshots six hours apart, ending now: the last two days' stay, older ones one a day.
    let at = |k: usize| NOW - (9 - k as i64) * 6 * HOUR;
    for k in 0..10 {
        keep(&cache, &moved(k, 100), at(k), &keep_all()).unwrap();
    }
    let policy = Retention {
        keep_all_days: 1,
        ..Retention::default()
    };
    prune(&cache, "BEE", &policy, NOW);
    let times: Vec<Timestamp> = list(&cache, "BEE").into_iter().map(|(t, _)| t).collect();
    let all: Vec<Timestamp> = (0..10).map(at).collect();
    let expected = policy.keep(&all, NOW);
    assert_eq!(times.len(), expected.len());
    assert!(times.iter().all(|t| expected.contains(t)));
    assert!(times.len() < 10, "something was pruned");
    for &t in &times {
        let k = all.iter().position(|&x| x == t).unwrap();
        let b = baseline(&cache, "BEE", Since::At(t), NOW);
        if t != NOW {
            assert_eq!(
                b.then.unwrap().1,
                moved(k, 100),
                "snapshot {k} after pruning"
            );
        }
    }
}

#[test]
fn an_unreadable_snapshot_is_skipped_with_a_message() {
    let cache = Cache::in_memory();
    for round in 0..4 {
        keep(
            &cache,
            &moved(round, 50),
            NOW + round as i64 * HOUR,
            &keep_all(),
        )
        .unwrap();
    }
    // The second newest holds something that is not a snapshot: it and what needs it go.
    let broken = Key::Snapshot("BEE".into(), NOW + 2 * HOUR);
    cache.put(
        &broken,
        Payload::Tokens(Vec::new()),
        Provenance::default(),
        NOW,
    );
    let b = baseline(&cache, "BEE", Since::Oldest, NOW + 4 * HOUR);
    assert!(b.then.is_none());
    assert_eq!(b.skipped.len(), 3, "{:?}", b.skipped);
    assert!(b.skipped[0].contains("cannot be read"));
}

#[test]
fn a_hundred_snapshots_with_few_changes_take_little_more_than_one() {
    let cache = Cache::in_memory();
    for round in 0..100 {
        keep(
            &cache,
            &moved(round, 2_000),
            NOW + round as i64 * HOUR,
            &keep_all(),
        )
        .unwrap();
    }
    let sizes: Vec<u64> = list(&cache, "BEE").into_iter().map(|(_, b)| b).collect();
    let (total, whole) = (sizes.iter().sum::<u64>(), *sizes.last().unwrap());
    assert_eq!(sizes.len(), 100);
    assert!(
        total < 4 * whole,
        "{total} bytes for 100 snapshots of {whole}"
    );
}
