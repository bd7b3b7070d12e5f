//! `cache stats|clear|warm`: what the cache holds, removing some of it (`cache/clear.rs`), and
//! filling it for later, a cron job say (`cache/warm.rs`). Both tell by their exit code whether
//! all (0), some (3) or none (4) of what was asked is done.

mod clear;
mod warm;

use super::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, EXIT_STALE, warn_about_cache};
use crate::cli::CacheAction;
use crate::format::age;
use crate::model::valid_symbol;
use crate::setup::Setup;

/// The exit code of a command asked for `asked` things of which `done` were done: all (0),
/// some (3), none (4).
fn all_some_or_none(done: usize, asked: usize) -> i32 {
    match done {
        _ if done >= asked => EXIT_OK,
        0 => EXIT_FAILED,
        _ => EXIT_STALE,
    }
}

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
                    Ok((keys, bytes)) => println!(
                        "shared tier: {}, {bytes} bytes",
                        crate::format::count(usize::try_from(keys).unwrap_or(usize::MAX), "key")
                    ),
                    Err(e) => println!("shared tier: {e}"),
                }
            }
            EXIT_OK
        }
        CacheAction::Clear { kinds, shared } => clear::clear(setup, kinds, shared).await,
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
            warm::warm(setup, symbols, (all, richlists)).await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_0_some_is_3_none_is_4() {
        assert_eq!(all_some_or_none(3, 3), EXIT_OK);
        assert_eq!(all_some_or_none(1, 3), EXIT_STALE);
        assert_eq!(all_some_or_none(0, 3), EXIT_FAILED);
        assert_eq!(
            all_some_or_none(0, 0),
            EXIT_OK,
            "nothing asked, nothing missing"
        );
    }
}
