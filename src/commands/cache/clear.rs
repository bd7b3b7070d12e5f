//! `cache clear [KIND…] [--shared]`: removes what is named and says, per kind, how many values
//! went; a kind the cache could not clear (it runs from memory, the disk is read-only or
//! failing) is named with the reason, and the exit code says whether all, some or none went.

use std::collections::BTreeMap;

use super::super::EXIT_BAD_INPUT;
use super::all_some_or_none;
use crate::cache::{DataKind, NotKept};
use crate::setup::Setup;

pub async fn clear(setup: &Setup, kinds: Vec<DataKind>, shared: bool) -> i32 {
    let cache = setup.swr.cache();
    let tier = setup.swr.shared().filter(|_| shared);
    if shared && tier.is_none() {
        eprintln!("--shared: no shared cache configured (--shared-cache URL)");
        return EXIT_BAD_INPUT;
    }
    // History is not a cache: clearing everything keeps the richlist snapshots unless they are
    // named.
    let kinds = if kinds.is_empty() {
        if !crate::snapshots::list_all(cache).is_empty() {
            eprintln!("richlist snapshots kept (clear them with: cache clear snapshot)");
        }
        DataKind::ALL
            .into_iter()
            .filter(|k| *k != DataKind::Snapshot)
            .collect()
    } else {
        kinds
    };
    let outcomes = cache.clear(&kinds);
    let mut asked = outcomes.len();
    let mut done = say(&outcomes);
    if let Some(tier) = tier {
        asked += 1;
        match tier.clear().await {
            Ok(n) => {
                eprintln!(
                    "shared cache: {} removed",
                    crate::format::count(usize::try_from(n).unwrap_or(usize::MAX), "key")
                );
                done += 1;
            }
            Err(e) => eprintln!("could not clear the shared cache: {e}"),
        }
    }
    all_some_or_none(done, asked)
}

/// Says what was removed and what was not (with why), and returns how many kinds were cleared.
fn say(outcomes: &[(DataKind, Result<u64, NotKept>)]) -> usize {
    let removed: Vec<String> = outcomes
        .iter()
        .filter_map(|(kind, r)| r.as_ref().ok().map(|n| format!("{} {n}", kind.name())))
        .collect();
    let mut refused: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (kind, r) in outcomes {
        if let Err(why) = r {
            refused
                .entry(why.to_string())
                .or_default()
                .push(kind.name());
        }
    }
    if removed.len() == outcomes.len() {
        let total: u64 = outcomes.iter().filter_map(|(_, r)| r.as_ref().ok()).sum();
        eprintln!(
            "removed {}: {}",
            crate::format::count(usize::try_from(total).unwrap_or(usize::MAX), "value"),
            removed.join(", ")
        );
    } else if removed.is_empty() {
        for (why, kinds) in &refused {
            eprintln!("nothing cleared ({}): {why}", kinds.join(", "));
        }
    } else {
        eprintln!("removed: {}", removed.join(", "));
        for (why, kinds) in &refused {
            eprintln!("not cleared ({}): {why}", kinds.join(", "));
        }
    }
    removed.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_cleared_are_counted_and_refusals_are_not() {
        let full = NotKept::ReadOnly { dir: "/x".into() };
        let outcomes = [
            (DataKind::Richlist, Ok(2)),
            (DataKind::Book, Err(full.clone())),
        ];
        assert_eq!(say(&outcomes), 1);
        assert_eq!(say(&[(DataKind::Book, Err(full))]), 0);
        assert_eq!(say(&[(DataKind::Book, Ok(0))]), 1);
    }
}
