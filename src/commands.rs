//! Headless commands for scripts, by group: `cache stats|clear|warm` (`commands/cache.rs`) and
//! `export …` (`commands/export.rs`, one small module per kind). Exit codes tell fresh (0), bad
//! input (2), stale data written (3) and nothing written (4) apart.

mod cache;
mod export;

use std::io::IsTerminal;
use std::sync::Arc;

pub use cache::cache;
pub use export::export;

use crate::setup::Setup;
use crate::source::{Progress, ProgressFn};

pub const EXIT_OK: i32 = 0;
pub const EXIT_BAD_INPUT: i32 = 2;
pub const EXIT_STALE: i32 = 3;
pub const EXIT_FAILED: i32 = 4;

/// Every exit code with its meaning, for the man page's EXIT STATUS.
pub const EXIT_CODES: &[(&str, &str)] = &[
    ("0", "Success; for an export, fresh data was written."),
    (
        "1, 101",
        "A bug (an unexpected error or a panic): a report is on stderr.",
    ),
    (
        "2",
        "Bad input: an invalid or unknown symbol, a pair that is no pool in either orientation, \
         an invalid account name, bad arguments, a config file or data dir that cannot be used. \
         A valid account that holds nothing is an empty table, exit 0, said on stderr.",
    ),
    (
        "3",
        "Only stale data could be fetched, and it was written; the reason is on stderr.",
    ),
    ("4", "Nothing could be written."),
    (
        "129, 130, 143",
        "SIGHUP, SIGINT or SIGTERM stopped a command (128 + the signal's number); no partial \
         file is left behind.",
    ),
];

/// Rows and pages so far, on one line of stderr, when a person is watching.
fn progress(label: String) -> Option<ProgressFn> {
    std::io::stderr().is_terminal().then(|| {
        let f: ProgressFn = Arc::new(move |p: Progress| {
            let n = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
            eprint!(
                "\r{label}: {}, {}   ",
                crate::format::count(n(p.rows), "row"),
                crate::format::count(n(p.pages), "page")
            );
        });
        f
    })
}

/// Stops a headless command on SIGTERM, SIGINT, SIGHUP or SIGQUIT without leaving a partial export
/// behind: its temporary file is removed and the cache flushed.
pub async fn stop_on_signal(cache: Arc<crate::cache::Cache>) {
    let code = crate::signals::stop_requested().await;
    crate::export::partial::remove_all();
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
