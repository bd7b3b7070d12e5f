//! `export changes SYMBOL --since …`: the newest snapshot of a token compared with a baseline,
//! from the snapshots kept (the network is asked only whether a token without any snapshot
//! exists), biggest accumulators first; stderr names the two snapshots' times.

use super::emit;
use crate::cache::Key;
use crate::changes::compare;
use crate::cli::ExportOptions;
use crate::commands::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK};
use crate::export::tables;
use crate::model::{Since, now};
use crate::refresh::RefreshError;
use crate::setup::Setup;
use crate::snapshots;

pub async fn export(setup: &Setup, symbol: &str, since: &str, opts: &ExportOptions) -> i32 {
    let Some(since) = Since::parse(since) else {
        eprintln!(
            "--since {since:?}: expected previous, oldest, a duration (24h, 7d, 30d) or a date (2026-11-01)"
        );
        return EXIT_BAD_INPUT;
    };
    if let Since::At(t) = since
        && t > now()
    {
        eprintln!(
            "--since {}: that date is in the future; give today or an earlier date, or a duration (24h, 7d, 30d)",
            since.label()
        );
        return EXIT_BAD_INPUT;
    }
    let cache = setup.swr.cache();
    let Some((newest_at, newest)) = snapshots::newest(cache, symbol) else {
        // No snapshot yet may mean no such token: that is bad input, not a wait for one.
        let facts = setup
            .swr
            .get(&Key::Token(symbol.to_owned()), None, None)
            .await;
        if let Some(RefreshError::Source(e)) = &facts.error
            && e.is_user_error()
        {
            eprintln!("{e}");
            return EXIT_BAD_INPUT;
        }
        eprintln!(
            "no snapshot of {symbol} is kept yet; one is kept with every richlist fetched \
             (market-tui cache warm --richlists {symbol})"
        );
        return EXIT_FAILED;
    };
    let baseline = snapshots::baseline(cache, symbol, since, now());
    for words in &baseline.skipped {
        eprintln!("{words}");
    }
    let Some((then_at, then)) = baseline.then else {
        eprintln!(
            "only {} snapshot of {symbol} is kept (taken {}); changes need two: run \
             market-tui cache warm --richlists {symbol} again later",
            baseline.kept,
            tables::utc(newest_at)
        );
        return EXIT_FAILED;
    };
    eprintln!(
        "{symbol}: changes from the snapshot of {} to the snapshot of {}",
        tables::utc(then_at),
        tables::utc(newest_at)
    );
    let (rows, _) = compare(&then, &newest);
    let order: Vec<u32> = (0..u32::try_from(rows.len()).unwrap_or(0)).collect();
    match emit(opts, tables::changes(&rows, &order)) {
        Ok(_) => EXIT_OK,
        Err(e) => {
            eprintln!(
                "changes {symbol}: could not write {}: {e}",
                opts.out.display()
            );
            EXIT_FAILED
        }
    }
}
