//! Richlist history kept in the cache: every complete richlist fetched becomes a dated snapshot.
//! The newest is stored whole and each older one as what differs from the one after it, so that
//! keeping a new snapshot reads and writes little besides it, and the recent past (the common
//! baseline) is rebuilt in a step or two; one in `FULL_EVERY` stays whole, so an unreadable
//! record costs only the snapshots between it and the next whole one. Pruned by the retention
//! policy.

mod retention;

use std::collections::{HashMap, HashSet};

pub use retention::Retention;

use crate::cache::entry::encode_full_snapshot;
use crate::cache::{Cache, DataKind, Key, NotKept, Payload};
use crate::model::{
    Baseline, Delta, Holder, Provenance, Richlist, Since, SnapshotRecord, Timestamp,
};

/// One snapshot in this many stays whole.
const FULL_EVERY: usize = 50;

/// When each kept snapshot of `symbol` was taken, oldest first, with its stored size.
pub fn list(cache: &Cache, symbol: &str) -> Vec<(Timestamp, u64)> {
    cache
        .ids(DataKind::Snapshot, &format!("{symbol}/"))
        .into_iter()
        .filter_map(|(id, bytes)| {
            let hex = id.rsplit('/').next()?;
            Some((i64::from_str_radix(hex, 16).ok()?, bytes))
        })
        .collect()
}

/// Every kept snapshot of every token: `SYMBOL/time` ids with their sizes.
pub fn list_all(cache: &Cache) -> Vec<(String, u64)> {
    cache.ids(DataKind::Snapshot, "")
}

/// Holders that hold something, by account: the form snapshots are compared and stored in.
fn by_account(r: &Richlist) -> Vec<Holder> {
    let mut h: Vec<Holder> = r
        .holders
        .iter()
        .filter(|h| h.holds_anything())
        .cloned()
        .collect();
    h.sort_by(|a, b| a.account.cmp(&b.account));
    h
}

/// What turns `from` (by account) into `to`: the holders of `to` that differ, and the accounts
/// of `from` that `to` lacks.
fn delta(from: &[Holder], to: &Richlist) -> Delta {
    let before: HashMap<&str, &Holder> = from.iter().map(|h| (h.account.as_str(), h)).collect();
    let after: HashSet<&str> = to.holders.iter().map(|h| h.account.as_str()).collect();
    Delta {
        supply: to.supply,
        circulating_supply: to.circulating_supply,
        burned: to.burned,
        precision: to.precision,
        changed: to
            .holders
            .iter()
            .filter(|h| before.get(h.account.as_str()) != Some(h))
            .cloned()
            .collect(),
        left: from
            .iter()
            .filter(|h| !after.contains(h.account.as_str()))
            .map(|h| h.account.to_string())
            .collect(),
    }
}

/// `base` with `d` applied: the snapshot `d` describes.
fn apply(base: &Richlist, d: &Delta) -> Richlist {
    let replaced: HashSet<&str> = d
        .left
        .iter()
        .map(String::as_str)
        .chain(d.changed.iter().map(|h| h.account.as_str()))
        .collect();
    let mut holders: Vec<Holder> = base
        .holders
        .iter()
        .filter(|h| !replaced.contains(h.account.as_str()))
        .cloned()
        .chain(d.changed.iter().cloned())
        .collect();
    holders.sort_by(|a, b| a.account.cmp(&b.account));
    Richlist {
        symbol: base.symbol.clone(),
        precision: d.precision,
        supply: d.supply,
        circulating_supply: d.circulating_supply,
        burned: d.burned,
        holders,
    }
}

fn record(cache: &Cache, symbol: &str, at: Timestamp) -> Option<SnapshotRecord> {
    match &*cache.get(&Key::Snapshot(symbol.to_owned(), at))?.payload {
        Payload::Snapshot(r) => Some(r.clone()),
        _ => None,
    }
}

/// Rebuilds the snapshots of `symbol` from the newest back to `down_to`, handing each to
/// `each` with whether it is stored whole; an unreadable one, and the older ones that need it
/// up to the next whole one, are skipped and said.
fn replay(
    cache: &Cache,
    symbol: &str,
    down_to: Timestamp,
    mut each: impl FnMut(Timestamp, &Richlist, bool),
) -> Vec<String> {
    let mut skipped = Vec::new();
    let mut state: Option<Richlist> = None;
    for (at, _) in list(cache, symbol)
        .into_iter()
        .rev()
        .filter(|(at, _)| *at >= down_to)
    {
        let next = match (record(cache, symbol, at), &state) {
            (Some(SnapshotRecord::Full(r)), _) => Some((r, true)),
            (Some(SnapshotRecord::Delta(d)), Some(newer)) => Some((apply(newer, &d), false)),
            _ => None,
        };
        if let Some((r, whole)) = next {
            each(at, &r, whole);
            state = Some(r);
        } else {
            skipped.push(format!(
                "the {symbol} snapshot of {} UTC cannot be read; skipped",
                crate::format::utc_minute(at)
            ));
            state = None;
        }
    }
    skipped
}

fn provenance() -> Provenance {
    Provenance {
        node: "snapshot".into(),
        block: None,
    }
}

fn put(cache: &Cache, symbol: &str, at: Timestamp, record: SnapshotRecord) {
    let key = Key::Snapshot(symbol.to_owned(), at);
    cache.put(&key, Payload::Snapshot(record), provenance(), at);
}

/// Keeps `richlist`, fetched at `at`, as the newest snapshot (the one before it becomes what
/// differs from it), then prunes as `policy` says. The new snapshot is written first: when the
/// disk has no room for it (or fails), nothing on disk changes, the one before stays whole, and
/// the reason is returned. A cache that keeps nothing on disk has said so once already: `Ok`.
pub fn keep(
    cache: &Cache,
    richlist: &Richlist,
    at: Timestamp,
    policy: &Retention,
) -> Result<(), NotKept> {
    let symbol = &richlist.symbol;
    let kept = list(cache, symbol);
    // Two fetches within one second (a script) are two snapshots a second apart: times stay
    // unique and in order.
    let at = kept.last().map_or(at, |(t, _)| at.max(t + 1));
    // A richlist from the node comes by account, holders only: stored as it is, not copied.
    let ready = richlist
        .holders
        .windows(2)
        .all(|w| w[0].account < w[1].account)
        && richlist.holders.iter().all(Holder::holds_anything);
    let copy;
    let now = if ready {
        richlist
    } else {
        copy = Richlist {
            holders: by_account(richlist),
            ..richlist.clone()
        };
        &copy
    };
    let key = Key::Snapshot(symbol.clone(), at);
    cache.put_encoded(&key, &encode_full_snapshot(now), provenance(), at);
    if cache.on_disk() {
        // Refused for lack of room: the one before must stay whole on disk.
        cache.kept(&key)?;
    }
    if let Some(&(previous, _)) = kept.last()
        && !kept.len().is_multiple_of(FULL_EVERY)
        && let Some(SnapshotRecord::Full(old)) = record(cache, symbol, previous)
    {
        let older = SnapshotRecord::Delta(delta(&now.holders, &old));
        put(cache, symbol, previous, older);
    }
    prune(cache, symbol, policy, at);
    Ok(())
}

/// Drops the snapshots `policy` no longer keeps; a kept one older than a dropped one is stored
/// again as what differs from the kept one after it.
pub fn prune(cache: &Cache, symbol: &str, policy: &Retention, now: Timestamp) {
    let times: Vec<Timestamp> = list(cache, symbol).into_iter().map(|(t, _)| t).collect();
    let keep = policy.keep(&times, now);
    if keep.len() == times.len() {
        return;
    }
    let mut newer_kept: Option<Vec<Holder>> = None;
    let mut gap = false;
    let mut rewrites = Vec::new();
    replay(cache, symbol, Timestamp::MIN, |at, r, whole| {
        if !keep.contains(&at) {
            gap = true;
            return;
        }
        if gap
            && !whole
            && let Some(newer) = &newer_kept
        {
            rewrites.push((at, SnapshotRecord::Delta(delta(newer, r))));
        }
        gap = false;
        newer_kept = Some(r.holders.clone());
    });
    for (at, record) in rewrites {
        put(cache, symbol, at, record);
        if cache.on_disk() && cache.kept(&Key::Snapshot(symbol.to_owned(), at)).is_err() {
            // A kept snapshot still stored against a dropped one needs that one: drop none.
            return;
        }
    }
    for at in times.iter().filter(|t| !keep.contains(t)) {
        if let Err(e) = cache.remove(&Key::Snapshot(symbol.to_owned(), *at)) {
            tracing::warn!(error = %e, symbol, at, "a pruned snapshot was not removed");
        }
    }
}

/// The snapshot changes are counted from: `since` resolved against the kept snapshots
/// (`now` for "24 hours ago"), with the newest snapshot's time.
pub fn baseline(cache: &Cache, symbol: &str, since: Since, now: Timestamp) -> Baseline {
    let times: Vec<Timestamp> = list(cache, symbol).into_iter().map(|(t, _)| t).collect();
    let chosen = match since {
        _ if times.len() < 2 => None,
        Since::Previous => times.get(times.len() - 2).copied(),
        Since::Oldest => times.first().copied(),
        Since::Ago(secs) => at_or_before(&times, now - secs),
        Since::At(t) => at_or_before(&times, t),
    };
    let mut then = None;
    let skipped = match chosen {
        Some(at) => replay(cache, symbol, at, |t, r, _| {
            if t == at {
                then = Some((t, r.clone()));
            }
        }),
        None => Vec::new(),
    };
    Baseline {
        then,
        newest: times.last().copied(),
        kept: times.len(),
        skipped,
    }
}

/// The newest kept time at or before `t` (never the newest snapshot itself), else the oldest.
fn at_or_before(times: &[Timestamp], t: Timestamp) -> Option<Timestamp> {
    let older = &times[..times.len().saturating_sub(1)];
    older
        .iter()
        .rev()
        .find(|&&x| x <= t)
        .or_else(|| older.first())
        .copied()
}

/// The newest snapshot of `symbol`.
pub fn newest(cache: &Cache, symbol: &str) -> Option<(Timestamp, Richlist)> {
    let last = list(cache, symbol).last()?.0;
    match record(cache, symbol, last)? {
        SnapshotRecord::Full(r) => Some((last, r)),
        SnapshotRecord::Delta(_) => None,
    }
}

#[cfg(test)]
mod tests;
