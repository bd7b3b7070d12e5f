//! Headless commands for scripts: `cache stats|clear|warm` and `export …`. Exit codes tell
//! fresh (0), bad input (2), stale data written (3) and nothing written (4) apart.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;

use crate::cache::{Entry, Key, Payload};
use crate::cli::{CacheAction, ExportOptions, ExportWhat};
#[cfg(test)]
use crate::export::Format;
use crate::export::{self, Table, tables};
use crate::format::age;
use crate::holders::{self, Column};
use crate::model::{HistoryRange, valid_symbol};
use crate::refresh::{Got, RefreshError};
use crate::setup::Setup;
use crate::source::{Error as SourceError, Progress, ProgressFn};

pub const EXIT_OK: i32 = 0;
pub const EXIT_BAD_INPUT: i32 = 2;
pub const EXIT_STALE: i32 = 3;
pub const EXIT_FAILED: i32 = 4;

fn progress(label: String) -> Option<ProgressFn> {
    std::io::stderr().is_terminal().then(|| {
        let f: ProgressFn = Arc::new(move |p: Progress| {
            eprint!("\r{label}: {} rows, {} pages   ", p.rows, p.pages);
        });
        f
    })
}

/// Stops a headless command on SIGTERM, SIGINT or SIGHUP without leaving a partial export
/// behind: its temporary file is removed and the cache flushed.
pub async fn stop_on_signal(cache: Arc<crate::cache::Cache>) {
    let code = crate::signals::stop_requested().await;
    export::partial::remove_all();
    cache.flush();
    eprintln!("stopped by a signal; nothing partial was left behind");
    std::process::exit(code);
}

/// A cache that runs from memory or from a copy says so before anything else, in one line.
fn warn_about_cache(setup: &Setup) {
    if let Some(w) = setup.swr.cache().warning() {
        eprintln!("warning: {w}");
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
                "view", "keys", "bytes", "oldest", "newest"
            );
            for (view, s) in cache.stats() {
                let a = |t: Option<i64>| t.map_or_else(|| "-".to_owned(), |t| age(now - t));
                println!(
                    "{:<10} {:>6} {:>14} {:>10} {:>10}",
                    view.name(),
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
            EXIT_OK
        }
        CacheAction::Clear { kinds } => match cache.clear(&kinds) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!("could not clear the cache: {e}");
                EXIT_FAILED
            }
        },
        CacheAction::Warm { symbols, all } => warm(setup, symbols, all).await,
    }
}

async fn warm(setup: &Setup, symbols: Vec<String>, all: bool) -> i32 {
    let swr = &setup.swr;
    if let Some(bad) = symbols.iter().find(|s| !valid_symbol(s)) {
        eprintln!("{bad:?} is not a valid token symbol");
        return EXIT_BAD_INPUT;
    }
    // Every named symbol is checked before anything is warmed: an unknown one is bad input.
    let mut failed = 0;
    for symbol in &symbols {
        let key = Key::Token(symbol.clone());
        match swr.refresh(&key, None).await {
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
    for key in [Key::Tokens, Key::Metrics] {
        if let Err(e) = swr.refresh(&key, None).await {
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
            [
                // Named symbols' facts were read above.
                all.then(|| Key::Token(s.clone())),
                Some(Key::Richlist(s.clone())),
                Some(Key::History(s.clone(), HistoryRange::Month)),
                Some(Key::Book(s.clone())),
                Some(Key::Trades(s.clone())),
            ]
        })
        .flatten()
        .collect();
    let parallel = swr.client().map_or(1, |c| c.nodes().len() * 3);
    let mut done = 0;
    let mut stream = futures::stream::iter(keys)
        .map(|key| async move { (swr.refresh(&key, None).await, key) })
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

fn parse_age(text: &str) -> Option<Duration> {
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let d: jiff::SignedDuration = text.parse().ok()?;
    d.try_into().ok()
}

/// Writes `table` to the file or stdout the options name.
fn emit(opts: &ExportOptions, table: Table<'_>) -> std::io::Result<u64> {
    if opts.out.as_os_str() == "-" {
        let stdout = std::io::stdout().lock();
        export::write(opts.format, std::io::BufWriter::new(stdout), table)
    } else {
        let mut rows = 0;
        export::atomic_write(&opts.out, |w| {
            rows = export::write(opts.format, w, table)?;
            Ok(())
        })?;
        Ok(rows)
    }
}

pub async fn export(setup: &Setup, what: ExportWhat) -> i32 {
    warn_about_cache(setup);
    let (key, opts) = match &what {
        ExportWhat::Tokens { opts } => (Key::Tokens, opts),
        ExportWhat::Richlist { symbol, opts, .. } => (Key::Richlist(symbol.clone()), opts),
        ExportWhat::History {
            symbol,
            range,
            opts,
        } => (
            Key::History(
                symbol.clone(),
                HistoryRange::parse(range).unwrap_or(HistoryRange::Month),
            ),
            opts,
        ),
        ExportWhat::Book { symbol, opts } => (Key::Book(symbol.clone()), opts),
        ExportWhat::Trades { symbol, opts } => (Key::Trades(symbol.clone()), opts),
    };
    if let Some(s) = key.symbol().filter(|s| !valid_symbol(s)) {
        eprintln!(
            "{s:?} is not a valid token symbol (A-Z, one optional dot, at most 10 characters)"
        );
        return EXIT_BAD_INPUT;
    }
    let max_age = match opts.max_age.as_deref().map(|t| parse_age(t).ok_or(t)) {
        Some(Err(t)) => {
            eprintln!("--max-age {t:?}: expected a duration such as 90s, 15m or 2h");
            return EXIT_BAD_INPUT;
        }
        Some(Ok(d)) => Some(d),
        None => None,
    };
    if let ExportWhat::Richlist { sort, .. } = &what
        && Column::parse(sort).is_none()
    {
        eprintln!("--sort {sort:?}: not a richlist column");
        return EXIT_BAD_INPUT;
    }
    let label = key.to_string();
    let got = setup.swr.get(&key, max_age, progress(label.clone())).await;
    let metrics = if key == Key::Tokens {
        Some(setup.swr.get(&Key::Metrics, max_age, None).await)
    } else {
        None
    };
    if std::io::stderr().is_terminal() {
        eprint!("\r");
    }
    let Some(entry) = got.entry.clone() else {
        return nothing_written(&label, got.error.as_ref());
    };
    let written = match write_entry(&what, opts, &entry, metrics.as_ref()) {
        Ok(rows) => rows,
        Err(e) => {
            eprintln!("{label}: could not write {}: {e}", opts.out.display());
            return EXIT_FAILED;
        }
    };
    report(&label, &got, metrics.as_ref(), written, &opts.out)
}

fn nothing_written(label: &str, error: Option<&RefreshError>) -> i32 {
    let words = error.map_or_else(|| "no data".to_owned(), ToString::to_string);
    eprintln!("{label}: nothing written: {words}");
    match error {
        Some(RefreshError::Source(e)) if e.is_user_error() => EXIT_BAD_INPUT,
        Some(RefreshError::Source(SourceError::InvalidSymbol(_))) => EXIT_BAD_INPUT,
        _ => EXIT_FAILED,
    }
}

fn report(label: &str, got: &Got, metrics: Option<&Got>, rows: u64, out: &Path) -> i32 {
    let stale = [Some(got), metrics]
        .into_iter()
        .flatten()
        .find(|g| !g.fresh);
    let place = if out.as_os_str() == "-" {
        "stdout".to_owned()
    } else {
        out.display().to_string()
    };
    match stale {
        None => {
            if std::io::stderr().is_terminal() {
                eprintln!("{label}: {rows} rows written to {place}");
            }
            EXIT_OK
        }
        Some(g) => {
            let fetched = g.entry.as_ref().map_or(0, |e: &Entry| e.meta.fetched_at);
            let why = g
                .error
                .as_ref()
                .map_or_else(String::new, |e| format!(": {e}"));
            eprintln!(
                "{label}: wrote {rows} rows of stale data ({} old){why}",
                age(crate::model::now() - fetched)
            );
            let _ = std::io::stderr().flush();
            EXIT_STALE
        }
    }
}

fn write_entry(
    what: &ExportWhat,
    opts: &ExportOptions,
    entry: &Entry,
    metrics: Option<&Got>,
) -> std::io::Result<u64> {
    match (what, &*entry.payload) {
        (
            ExportWhat::Richlist {
                sort, asc, desc, ..
            },
            Payload::Richlist(r),
        ) => {
            let column = Column::parse(sort).unwrap_or(Column::Total);
            let descending = if *asc || *desc {
                *desc
            } else {
                column.descends_by_default()
            };
            let ranks = holders::ranks(&holders::by_total(r));
            let order = holders::sort_order(r, column, descending, Some(&ranks));
            emit(opts, tables::richlist(r, &order, &ranks))
        }
        (ExportWhat::Tokens { .. }, Payload::Tokens(t)) => {
            let m = metrics
                .and_then(|g| g.entry.as_ref())
                .map(|e| e.payload.clone());
            let metrics = match m.as_deref() {
                Some(Payload::Metrics(m)) => m.as_slice(),
                _ => &[],
            };
            emit(opts, tables::tokens(t, metrics))
        }
        (_, Payload::History(c)) => emit(opts, tables::history(c)),
        (_, Payload::Book(b)) => emit(opts, tables::book(b)),
        (_, Payload::Trades(t)) => emit(opts, tables::trades(t)),
        _ => Err(std::io::Error::other("cached data of another kind")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_parse_as_durations() {
        assert_eq!(parse_age("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_age("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_age("2h"), Some(Duration::from_secs(7200)));
        assert_eq!(parse_age("soon"), None);
    }

    #[test]
    fn format_is_a_value_enum() {
        assert_eq!(
            <Format as clap::ValueEnum>::from_str("json", true),
            Ok(Format::Json)
        );
    }
}
