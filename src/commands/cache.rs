//! `cache stats|clear|warm`: what the cache holds, removing some of it, and filling it for
//! later (a cron job, say).

use futures::StreamExt;

use super::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, warn_about_cache};
use crate::cache::{DataKind, Key, Payload};
use crate::cli::CacheAction;
use crate::format::age;
use crate::model::{HistoryRange, valid_symbol};
use crate::refresh::RefreshError;
use crate::setup::Setup;

pub async fn cache(setup: &Setup, action: CacheAction) -> i32 {
    warn_about_cache(setup);
    let cache = setup.swr.cache();
    match action {
        CacheAction::Stats => {
            let now = crate::model::now();
            println!(
                "{:<10} {:>6} {:>14} {:>10} {:>10}",
                "kind", "keys", "bytes", "oldest", "newest"
            );
            for (kind, s) in cache.stats() {
                let a = |t: Option<i64>| t.map_or_else(|| "-".to_owned(), |t| age(now - t));
                println!(
                    "{:<10} {:>6} {:>14} {:>10} {:>10}",
                    kind.name(),
                    s.keys,
                    s.bytes,
                    a(s.oldest),
                    a(s.newest)
                );
            }
            println!(
                "on disk: {} bytes at {}",
                cache.size_on_disk(),
                cache.path().display()
            );
            snapshot_stats(cache, now);
            if let Some(tier) = setup.swr.shared() {
                match tier.stats().await {
                    Ok((keys, bytes)) => println!("shared tier: {keys} keys, {bytes} bytes"),
                    Err(e) => println!("shared tier: {e}"),
                }
            }
            EXIT_OK
        }
        CacheAction::Clear { kinds, shared } => {
            // History is not a cache: clearing everything keeps the richlist snapshots unless
            // they are named.
            let kinds = if kinds.is_empty() {
                let kept = !crate::snapshots::list_all(cache).is_empty();
                if kept {
                    eprintln!("richlist snapshots kept (clear them with: cache clear snapshot)");
                }
                DataKind::ALL
                    .into_iter()
                    .filter(|k| *k != DataKind::Snapshot)
                    .collect()
            } else {
                kinds
            };
            if let Err(e) = cache.clear(&kinds) {
                eprintln!("could not clear the cache: {e}");
                return EXIT_FAILED;
            }
            match setup.swr.shared().filter(|_| shared) {
                Some(tier) => match tier.clear().await {
                    Ok(n) => {
                        eprintln!("shared cache: {n} keys removed");
                        EXIT_OK
                    }
                    Err(e) => {
                        eprintln!("could not clear the shared cache: {e}");
                        EXIT_FAILED
                    }
                },
                None if shared => {
                    eprintln!("--shared: no shared cache configured (--shared-cache URL)");
                    EXIT_BAD_INPUT
                }
                None => EXIT_OK,
            }
        }
        CacheAction::Warm {
            symbols,
            all,
            richlists,
        } => {
            let symbols = if richlists && symbols.is_empty() {
                favorite_tokens(setup)
            } else {
                symbols
            };
            if richlists && symbols.is_empty() {
                eprintln!("no symbols named and no favorite tokens: name the richlists to warm");
                return EXIT_BAD_INPUT;
            }
            warm(setup, symbols, (all, richlists)).await
        }
    }
}

/// Richlist snapshots kept, per token: how many, their bytes, the oldest and newest.
fn snapshot_stats(cache: &crate::cache::Cache, now: i64) {
    let mut per: std::collections::BTreeMap<String, Vec<(i64, u64)>> =
        std::collections::BTreeMap::new();
    for (id, bytes) in crate::snapshots::list_all(cache) {
        if let Some((symbol, hex)) = id.split_once('/')
            && let Ok(at) = i64::from_str_radix(hex, 16)
        {
            per.entry(symbol.to_owned()).or_default().push((at, bytes));
        }
    }
    if per.is_empty() {
        return;
    }
    println!(
        "\n{:<10} {:>9} {:>14} {:>10} {:>10}",
        "snapshots", "kept", "bytes", "oldest", "newest"
    );
    for (symbol, kept) in per {
        let (first, last) = (
            kept.iter().map(|k| k.0).min(),
            kept.iter().map(|k| k.0).max(),
        );
        let a = |t: Option<i64>| t.map_or_else(|| "-".to_owned(), |t| age(now - t));
        println!(
            "{:<10} {:>9} {:>14} {:>10} {:>10}",
            symbol,
            kept.len(),
            kept.iter().map(|k| k.1).sum::<u64>(),
            a(first),
            a(last)
        );
    }
}

/// The tokens among the favorites (not pools or accounts).
fn favorite_tokens(setup: &Setup) -> Vec<String> {
    std::fs::read_to_string(setup.favorites_file())
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|s| valid_symbol(s))
        .map(str::to_owned)
        .collect()
}

/// `(all, richlists_only)`.
async fn warm(setup: &Setup, symbols: Vec<String>, (all, richlists): (bool, bool)) -> i32 {
    let swr = &setup.swr;
    // A snapshot is kept only of data fetched from now on, never of an older shared copy.
    let since = Some(crate::model::now());
    if let Some(bad) = symbols.iter().find(|s| !valid_symbol(s)) {
        eprintln!("{bad:?} is not a valid token symbol");
        return EXIT_BAD_INPUT;
    }
    // Every named symbol is checked before anything is warmed: an unknown one is bad input.
    let mut failed = 0;
    for symbol in &symbols {
        let key = Key::Token(symbol.clone());
        match swr.refresh_since(&key, since, None).await {
            Err(RefreshError::Source(e)) if e.is_user_error() => {
                eprintln!("{e}");
                return EXIT_BAD_INPUT;
            }
            Err(e) => {
                eprintln!("{key}: {e}");
                failed += 1;
            }
            Ok(_) => {}
        }
    }
    let lists: &[Key] = if richlists {
        &[]
    } else {
        &[Key::Tokens, Key::Metrics]
    };
    for key in lists {
        if let Err(e) = swr.refresh_since(key, since, None).await {
            eprintln!("{key}: {e}");
            failed += 1;
        }
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
        let ok = outcome.is_ok();
        if let Err(e) = outcome {
            eprintln!("{key}: {e}");
            failed += 1;
        }
        if ok && matches!(key, Key::Richlist(_)) {
            done += 1;
            eprintln!("({done}/{total}) {key} cached");
        }
    }
    swr.cache().flush();
    if failed == 0 { EXIT_OK } else { EXIT_FAILED }
}
