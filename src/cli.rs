//! The command line: global options every part relies on, and the headless subcommands.

use std::path::PathBuf;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueHint};

use crate::export::Format;

/// A terminal market viewer for Hive-Engine tokens, served from a local cache.
#[derive(Debug, Parser)]
#[command(
    name = "market-tui",
    version,
    about,
    after_help = "Without a command, opens the terminal UI. Keys: press ? inside."
)]
pub struct Cli {
    /// A Hive-Engine RPC node (repeat for several; replaces the configured list).
    #[arg(long = "node", value_name = "URL", value_hint = ValueHint::Url, global = true)]
    pub nodes: Vec<String>,
    /// The history API base URL (daily candles).
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url, global = true)]
    pub history_url: Option<String>,
    /// Where the cache, the log, exports and favorites live.
    #[arg(
        long,
        value_name = "DIR",
        value_hint = ValueHint::DirPath,
        env = "MARKET_TUI_DATA_DIR",
        global = true
    )]
    pub data_dir: Option<PathBuf>,
    /// A Redis server shared by every instance of a team (redis://[user:pass@]host:port/db, or
    /// rediss:// for TLS); replaces the config's `[shared_cache] url`.
    #[arg(
        long,
        value_name = "URL",
        value_hint = ValueHint::Url,
        env = "MARKET_TUI_SHARED_CACHE",
        global = true
    )]
    pub shared_cache: Option<String>,
    /// Never touch the network: serve only what is cached.
    #[arg(long, global = true)]
    pub offline: bool,
    /// A TOML config file (default: <config dir>/market-tui/config.toml if it exists).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, global = true)]
    pub config: Option<PathBuf>,
    /// Print the shipped default config and exit.
    #[arg(long)]
    pub print_default_config: bool,
    /// Log level for the log file (error, warn, info, debug, trace).
    #[arg(
        long,
        value_name = "LEVEL",
        default_value = "info",
        value_parser = LOG_LEVEL,
        hide_possible_values = true,
        global = true
    )]
    pub log_level: String,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect, clear or warm the cache.
    Cache {
        #[command(subcommand)]
        action: CacheAction,
    },
    /// Write a view's data as CSV or JSON, from the cache when it is fresh enough.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Print the completion script for a shell.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `market-tui man | man -l -`.
    Man,
}

#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Keys, bytes and ages per kind of data.
    Stats,
    /// Remove cached data: all of it (richlist snapshots are history and stay unless `snapshot`
    /// is named), or only the named kinds; the local tier only, unless --shared.
    Clear {
        /// The kinds of data to clear (none: every kind but snapshot).
        #[arg(value_enum)]
        kinds: Vec<crate::cache::DataKind>,
        /// Clear the shared tier on Redis (every key of the prefix) too.
        #[arg(long)]
        shared: bool,
    },
    /// Fetch the token list, metrics, and each symbol's market and richlist into the cache.
    Warm {
        /// Token symbols, e.g. BEE LEO.
        symbols: Vec<String>,
        /// Warm every token.
        #[arg(long, conflicts_with = "symbols")]
        all: bool,
        /// Only the richlists (each kept as a snapshot too): of SYMBOLS, or of the favorites.
        #[arg(long, conflicts_with = "all")]
        richlists: bool,
    },
}

#[derive(Debug, Args)]
pub struct ExportOptions {
    /// The file's format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Output file, or - for standard output (the default).
    #[arg(long, value_name = "PATH|-", default_value = "-", value_hint = ValueHint::FilePath)]
    pub out: PathBuf,
    /// Serve from the cache when the data is at most this old (e.g. 90s, 15m, 2h); default: its TTL.
    #[arg(long, value_name = "DURATION")]
    pub max_age: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// Every holder of a token.
    Richlist {
        /// The token's symbol, e.g. BEE.
        symbol: String,
        /// The column to sort by (its CSV header name).
        #[arg(long, default_value = "total", value_parser = SORT)]
        sort: String,
        /// Ascending (the default for rank and account).
        #[arg(long)]
        asc: bool,
        /// Descending (the default for amounts).
        #[arg(long, conflicts_with = "asc")]
        desc: bool,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// Every token with its market figures.
    Tokens {
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// Daily candles.
    History {
        /// The token's symbol, e.g. BEE.
        symbol: String,
        #[arg(long, default_value = "30d", value_parser = ["7d", "30d", "90d", "1y", "all"])]
        range: String,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// The complete order book.
    Book {
        /// The token's symbol, e.g. BEE.
        symbol: String,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// Trades of the last 24 hours.
    Trades {
        /// The token's symbol, e.g. BEE.
        symbol: String,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// Every liquidity pool, or those with SYMBOL on either side.
    Pools {
        /// Only the pools with this token on either side.
        symbol: Option<String>,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// Every provider of one pool (BASE:QUOTE, either orientation), by shares.
    Pool {
        /// The pool's pair, e.g. SWAP.HIVE:BEE.
        pair: String,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// Who accumulated, sold, arrived and left: the newest snapshot of a token against a baseline.
    Changes {
        /// The token's symbol, e.g. BEE.
        symbol: String,
        /// previous, oldest, a duration (24h, 7d, 30d) or a date (YYYY-MM-DD): the nearest
        /// snapshot at or before it, the oldest kept when none is that old.
        #[arg(
            long,
            default_value = "previous",
            value_parser = SINCE,
            hide_possible_values = true
        )]
        since: String,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// One part of an account: its wallet valued in HIVE, open orders, pool shares, or its
    /// newest 500 operations.
    Account {
        /// The account's name.
        name: String,
        #[arg(long, value_enum, default_value = "wallet")]
        part: crate::accounts::Part,
        #[command(flatten)]
        opts: ExportOptions,
    },
}

impl ExportWhat {
    pub fn opts(&self) -> &ExportOptions {
        match self {
            Self::Richlist { opts, .. }
            | Self::Tokens { opts }
            | Self::History { opts, .. }
            | Self::Book { opts, .. }
            | Self::Trades { opts, .. }
            | Self::Pools { opts, .. }
            | Self::Pool { opts, .. }
            | Self::Account { opts, .. }
            | Self::Changes { opts, .. } => opts,
        }
    }
}

/// A value parser that offers a list of values to completions (and, unless the argument hides
/// them, to `--help` and the man page) while `parse` decides what is accepted: the whole list
/// for a closed set (`--sort`), more than the list for an open one (`--since` also takes any
/// duration or date, `--log-level` any log filter).
#[derive(Clone)]
pub struct Offered {
    values: fn() -> Vec<&'static str>,
    parse: fn(&str) -> Result<String, String>,
}

impl TypedValueParser for Offered {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        self.parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            (self.values)().into_iter().map(PossibleValue::new),
        ))
    }
}

/// `--sort`: a richlist column by its CSV header name (any case, `-` for `_`).
const SORT: Offered = Offered {
    values: || {
        crate::holders::Column::ALL
            .map(crate::holders::Column::name)
            .to_vec()
    },
    parse: |text| match crate::holders::Column::parse(text) {
        Some(_) => Ok(text.to_owned()),
        None => Err("not a richlist column".to_owned()),
    },
};

/// `--since`: the changes view's own baselines are offered; any duration or date is taken.
const SINCE: Offered = Offered {
    values: || vec!["previous", "oldest", "24h", "7d", "30d"],
    parse: |text| match crate::model::Since::parse(text) {
        Some(_) => Ok(text.to_owned()),
        None => Err(
            "expected previous, oldest, a duration (24h, 7d, 30d) or a date (2026-11-01)"
                .to_owned(),
        ),
    },
};

/// `--log-level`: the levels are offered; a filter such as `market_tui=debug` is taken too.
const LOG_LEVEL: Offered = Offered {
    values: || vec!["error", "warn", "info", "debug", "trace"],
    parse: |text| Ok(text.to_owned()),
};

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_definitions_hold_together() {
        Cli::command().debug_assert();
    }

    #[test]
    fn offered_values_are_accepted_and_others_judged_by_parse() {
        for (offered, other, bad) in [
            (SORT, "Pending-Unstake", Some("nope")),
            (SINCE, "2026-11-01", Some("soon")),
            (LOG_LEVEL, "market_tui=debug", None),
        ] {
            for value in (offered.values)() {
                assert!((offered.parse)(value).is_ok(), "{value}");
            }
            assert!((offered.parse)(other).is_ok(), "{other}");
            if let Some(bad) = bad {
                assert!((offered.parse)(bad).is_err(), "{bad}");
            }
        }
    }

    #[test]
    fn a_value_outside_a_closed_list_is_refused_in_words() {
        let err =
            Cli::try_parse_from(["market-tui", "export", "richlist", "BEE", "--sort", "nope"])
                .unwrap_err();
        assert_eq!(err.exit_code(), crate::commands::EXIT_BAD_INPUT);
        let text = err.to_string();
        assert!(text.contains("--sort") && text.contains("nope"), "{text}");
    }
}
