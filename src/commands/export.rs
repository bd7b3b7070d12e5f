//! `export …`: one path for every kind. Each kind's module says which cached data it reads and
//! how it writes it (a `Job`); reading through the cache, writing, and the exit code are shared.

mod account;
mod changes;
mod market;
mod pools;
mod richlist;
mod tokens;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use super::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, EXIT_STALE, progress, warn_about_cache};
use crate::cache::Payload;
use crate::cache::{Entry, Key};
use crate::cli::{ExportOptions, ExportWhat};
use crate::export::{self, Table};
use crate::format::{age_in_words, count};
use crate::model::valid_symbol;
use crate::refresh::{Got, RefreshError};
use crate::setup::Setup;
use crate::source::Error as SourceError;

/// Writes the rows of the cached entry (and the joined one) where the options say; returns rows.
pub type WriteRows<'a> = Box<dyn Fn(&Entry, Option<&Entry>) -> std::io::Result<u64> + 'a>;

/// What one kind of export reads, and how it turns the cached entries into rows.
pub struct Job<'a> {
    pub key: Key,
    /// A second key joined into the rows (the token list's metrics).
    pub joined: Option<Key>,
    pub opts: &'a ExportOptions,
    pub write: WriteRows<'a>,
}

/// Why an export was not started, in words, with its exit code.
pub struct Refusal {
    pub words: String,
    pub code: i32,
}

/// What an export does: read one key through the cache and write its rows, or (changes,
/// compared from the snapshots kept) it has already done its work and ended with a code.
enum Plan<'a> {
    Read(Job<'a>),
    Done(i32),
}

async fn plan<'a>(
    setup: &Setup,
    what: &'a ExportWhat,
    max_age: Option<Duration>,
) -> Result<Plan<'a>, Refusal> {
    let bad = |words| Refusal {
        words,
        code: EXIT_BAD_INPUT,
    };
    let job = match what {
        ExportWhat::Richlist {
            symbol,
            sort,
            asc,
            desc,
            opts,
        } => richlist::job(symbol, sort, (*asc, *desc), opts).map_err(bad)?,
        ExportWhat::Tokens { opts } => tokens::job(opts),
        ExportWhat::History {
            symbol,
            range,
            opts,
        } => market::history(symbol, range, opts),
        ExportWhat::Book { symbol, opts } => market::book(symbol, opts),
        ExportWhat::Trades { symbol, opts } => market::trades(symbol, opts),
        ExportWhat::Pools { symbol, opts } => {
            pools::pools(setup, symbol.as_deref(), opts, max_age).await?
        }
        ExportWhat::Pool { pair, opts } => pools::pool(setup, pair, opts, max_age).await?,
        ExportWhat::Account { name, part, opts } => {
            account::job(setup, name, *part, opts, max_age).await?
        }
        ExportWhat::Changes {
            symbol,
            since,
            opts,
        } => {
            return Ok(Plan::Done(
                changes::export(setup, symbol, since, opts).await,
            ));
        }
    };
    Ok(Plan::Read(job))
}

/// `--out` must name a file (or `-`) in a folder that exists, checked before any work.
fn check_out(out: &Path) -> Result<(), String> {
    if out.as_os_str() == "-" {
        return Ok(());
    }
    if out.is_dir() {
        return Err(format!(
            "--out {}: that is a folder; give a file name inside it",
            out.display()
        ));
    }
    match out.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) if !dir.is_dir() => Err(format!(
            "--out {}: the folder {} does not exist",
            out.display(),
            dir.display()
        )),
        _ => Ok(()),
    }
}

fn parse_age(text: &str) -> Option<Duration> {
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let d: jiff::SignedDuration = text.parse().ok()?;
    d.try_into().ok()
}

/// Writes `table` to the file or stdout the options name.
pub fn emit(opts: &ExportOptions, table: Table<'_>) -> std::io::Result<u64> {
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
    let opts = what.opts();
    if let Err(words) = check_out(&opts.out) {
        eprintln!("{words}");
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
    if let Some(s) = symbol_of(&what).filter(|s| !valid_symbol(s)) {
        eprintln!(
            "{s:?} is not a valid token symbol (A-Z, one optional dot, at most 10 characters)"
        );
        return EXIT_BAD_INPUT;
    }
    let job = match plan(setup, &what, max_age).await {
        Ok(Plan::Read(job)) => job,
        Ok(Plan::Done(code)) => return code,
        Err(refusal) => {
            eprintln!("{}", refusal.words);
            return refusal.code;
        }
    };
    let label = job.key.to_string();
    let got = setup
        .swr
        .get(&job.key, max_age, progress(label.clone()))
        .await;
    let joined = match &job.joined {
        Some(key) => Some(setup.swr.get(key, max_age, None).await),
        None => None,
    };
    if std::io::stderr().is_terminal() {
        eprint!("\r");
    }
    let Some(entry) = got.entry.clone() else {
        return nothing_written(&label, got.error.as_ref());
    };
    let joined_entry = joined.as_ref().and_then(|g| g.entry.as_ref());
    let written = match (job.write)(&entry, joined_entry) {
        Ok(rows) => rows,
        Err(e) => {
            eprintln!("{label}: could not write {}: {e}", job.opts.out.display());
            return EXIT_FAILED;
        }
    };
    say_not_cached(setup, &job);
    if written == 0 {
        say_if_no_market(setup, &job.key, max_age).await;
    }
    report(&label, &got, joined.as_ref(), written, &job.opts.out)
}

/// A market export (history, book, trades) with no rows says whether the token has a market at
/// all, as the market metrics tell: "NOMKT has no market". The file has its header; the exit
/// code stays that of the data (0 when fresh), as for an account that holds nothing.
async fn say_if_no_market(setup: &Setup, key: &Key, max_age: Option<Duration>) {
    let (Key::History(symbol, _) | Key::Book(symbol) | Key::Trades(symbol)) = key else {
        return;
    };
    let got = setup.swr.get(&Key::Metrics, max_age, None).await;
    if let Some(Payload::Metrics(markets)) = got.entry.as_ref().map(|e| &*e.payload)
        && !markets.iter().any(|m| m.symbol == *symbol)
    {
        eprintln!("{symbol} has no market: {key} is written with its header only");
    }
}

/// An export whose fresh data the cache could not keep on disk (full or read-only, say) still
/// wrote its file, and says so: the next run will fetch again.
fn say_not_cached(setup: &Setup, job: &Job<'_>) {
    let cache = setup.swr.cache();
    for key in std::iter::once(&job.key).chain(&job.joined) {
        if let Err(why) = cache.kept(key) {
            eprintln!("{key} was written but not cached: {why}");
        }
    }
}

/// The token an export names, checked before anything is read.
fn symbol_of(what: &ExportWhat) -> Option<&str> {
    match what {
        ExportWhat::Richlist { symbol, .. }
        | ExportWhat::History { symbol, .. }
        | ExportWhat::Book { symbol, .. }
        | ExportWhat::Trades { symbol, .. }
        | ExportWhat::Changes { symbol, .. } => Some(symbol),
        ExportWhat::Pools { symbol, .. } => symbol.as_deref(),
        ExportWhat::Tokens { .. } | ExportWhat::Pool { .. } | ExportWhat::Account { .. } => None,
    }
}

fn nothing_written(label: &str, error: Option<&RefreshError>) -> i32 {
    let words = error.map_or_else(
        || "no data".to_owned(),
        |e| {
            let (cause, words) = (e.short_cause(), e.to_string());
            if words.starts_with(cause) {
                words
            } else {
                format!("{cause} ({words})")
            }
        },
    );
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
                eprintln!("{label}: {} written to {place}", count_rows(rows));
            }
            EXIT_OK
        }
        Some(g) => {
            eprintln!("{label}: {}", stale_words(rows, g, std::ptr::eq(g, got)));
            let _ = std::io::stderr().flush();
            EXIT_STALE
        }
    }
}

fn count_rows(rows: u64) -> String {
    count(usize::try_from(rows).unwrap_or(usize::MAX), "row")
}

/// What a one-shot command says of stale data it wrote: how old it is and why, with no retry
/// schedule (there is no next try): "12 rows written from the cache, 12 minutes old: every
/// node failed (all 6 nodes failed; last: …)". `main`: the stale data is the rows', not the
/// prices joined to them.
fn stale_words(rows: u64, g: &Got, main: bool) -> String {
    let fetched = g.entry.as_ref().map_or(0, |e: &Entry| e.meta.fetched_at);
    let old = age_in_words(crate::model::now() - fetched);
    let what = if main {
        format!("{} written from the cache", count_rows(rows))
    } else {
        format!("{} written, their prices from the cache", count_rows(rows))
    };
    let why = g.error.as_ref().map_or_else(String::new, |e| {
        let (cause, words) = (e.short_cause(), e.to_string());
        if words.starts_with(cause) {
            format!(": {words}")
        } else {
            format!(": {cause} ({words})")
        }
    });
    format!("{what}, {old} old{why}")
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
        use crate::export::Format;
        assert_eq!(
            <Format as clap::ValueEnum>::from_str("json", true),
            Ok(Format::Json)
        );
    }
}
