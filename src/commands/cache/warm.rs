//! `cache warm`: fetches the named tokens' data into the cache. A value counts as warmed only
//! once it is on disk (a richlist with its snapshot); a cache that keeps nothing on disk (held
//! by another process, read-only) fetches nothing and says so.

use futures::StreamExt;

use super::super::{EXIT_BAD_INPUT, EXIT_FAILED};
use super::all_some_or_none;
use crate::cache::{Cache, Key, NotKept, Payload};
use crate::model::{HistoryRange, valid_symbol};
use crate::refresh::{Outcome, RefreshError};
use crate::setup::Setup;

/// What was asked and what of it is on disk.
#[derive(Default)]
struct Tally {
    asked: usize,
    kept: usize,
}

impl Tally {
    /// Counts one refreshed key and says when it is not kept; returns whether it is.
    fn count(&mut self, cache: &Cache, key: &Key, outcome: &Outcome) -> bool {
        self.asked += 1;
        let kept = match outcome {
            Ok(_) => kept_on_disk(cache, key),
            Err(e) => {
                eprintln!("{key}: {e}");
                return false;
            }
        };
        match kept {
            Ok(()) => {
                self.kept += 1;
                true
            }
            Err(Missing::Value(why)) => {
                eprintln!("{key} was fetched but not cached: {why}");
                false
            }
            Err(Missing::Snapshot(why)) => {
                eprintln!("{key} was cached, but not its snapshot: {why}");
                false
            }
        }
    }
}

/// What of a warmed value is not on disk.
enum Missing {
    Value(NotKept),
    /// The richlist is on disk (it replaced the one before) but its snapshot is not.
    Snapshot(NotKept),
}

/// Whether the value of `key` just published is on disk; a richlist's snapshot too.
fn kept_on_disk(cache: &Cache, key: &Key) -> Result<(), Missing> {
    cache.kept(key).map_err(Missing::Value)?;
    if let Key::Richlist(symbol) = key {
        let newest = crate::snapshots::list(cache, symbol).last().map(|s| s.0);
        let Some(at) = newest else {
            let why = NotKept::Failed("no snapshot of it was taken".into());
            return Err(Missing::Snapshot(why));
        };
        cache
            .kept(&Key::Snapshot(symbol.clone(), at))
            .map_err(Missing::Snapshot)?;
    }
    Ok(())
}

/// `(all, richlists_only)`.
pub async fn warm(setup: &Setup, symbols: Vec<String>, (all, richlists): (bool, bool)) -> i32 {
    let swr = &setup.swr;
    let cache = swr.cache();
    // A snapshot is kept only of data fetched from now on, never of an older shared copy.
    let since = Some(crate::model::now());
    if let Some(bad) = symbols.iter().find(|s| !valid_symbol(s)) {
        eprintln!("{bad:?} is not a valid token symbol");
        return EXIT_BAD_INPUT;
    }
    if let Some(why) = cache.not_on_disk() {
        eprintln!("nothing warmed: {why}; nothing fetched now could be cached");
        return EXIT_FAILED;
    }
    let mut tally = Tally::default();
    // Every named symbol is checked before anything is warmed: an unknown one is bad input.
    // These facts are a check, not what was asked: they are not counted.
    for symbol in &symbols {
        let key = Key::Token(symbol.clone());
        match swr.refresh_since(&key, since, None).await {
            Err(RefreshError::Source(e)) if e.is_user_error() => {
                eprintln!("{e}");
                return EXIT_BAD_INPUT;
            }
            Err(e) => eprintln!("{key}: {e}"),
            Ok(_) => {}
        }
    }
    let lists: &[Key] = if richlists {
        &[]
    } else {
        &[Key::Tokens, Key::Metrics]
    };
    for key in lists {
        let outcome = swr.refresh_since(key, since, None).await;
        tally.count(cache, key, &outcome);
    }
    let symbols = if all {
        match swr.cached(&Key::Tokens).await.map(|e| e.payload) {
            Some(p) => match &*p {
                Payload::Tokens(t) => t.iter().map(|t| t.symbol.clone()).collect(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        }
    } else {
        symbols
    };
    let total = symbols.len();
    let keys: Vec<Key> = symbols
        .iter()
        .flat_map(|s| {
            let market = !richlists;
            [
                // Named symbols' facts were read above.
                all.then(|| Key::Token(s.clone())),
                Some(Key::Richlist(s.clone())),
                market.then(|| Key::History(s.clone(), HistoryRange::Month)),
                market.then(|| Key::Book(s.clone())),
                market.then(|| Key::Trades(s.clone())),
            ]
        })
        .flatten()
        .collect();
    let parallel = swr.client().map_or(1, |c| c.nodes().len() * 3);
    let mut done = 0;
    let mut stream = futures::stream::iter(keys)
        .map(|key| async move { (swr.refresh_since(&key, since, None).await, key) })
        .buffer_unordered(parallel);
    while let Some((outcome, key)) = stream.next().await {
        if tally.count(cache, &key, &outcome) && matches!(key, Key::Richlist(_)) {
            done += 1;
            eprintln!("({done}/{total}) {key} cached");
        }
    }
    cache.flush();
    if tally.kept < tally.asked {
        eprintln!("cache warm: {} of {} kept", tally.kept, tally.asked);
    }
    all_some_or_none(tally.kept, tally.asked)
}
