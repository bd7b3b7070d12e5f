//! The command line: global options every part relies on, and the headless subcommands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    #[arg(long = "node", value_name = "URL", global = true)]
    pub nodes: Vec<String>,
    /// The history API base URL (daily candles).
    #[arg(long, value_name = "URL", global = true)]
    pub history_url: Option<String>,
    /// Where the cache, the log, exports and favorites live.
    #[arg(long, value_name = "DIR", env = "MARKET_TUI_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// A Redis server shared by every instance of a team (redis://[user:pass@]host:port/db, or
    /// rediss:// for TLS); replaces `[shared_cache] url`.
    #[arg(
        long,
        value_name = "URL",
        env = "MARKET_TUI_SHARED_CACHE",
        global = true
    )]
    pub shared_cache: Option<String>,
    /// Never touch the network: serve only what is cached.
    #[arg(long, global = true)]
    pub offline: bool,
    /// A TOML config file (default: <config dir>/market-tui/config.toml if it exists).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Print the shipped default config and exit.
    #[arg(long)]
    pub print_default_config: bool,
    /// Log level for the log file (error, warn, info, debug, trace).
    #[arg(long, value_name = "LEVEL", default_value = "info", global = true)]
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
}

#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Keys, bytes and ages per kind of data.
    Stats,
    /// Remove cached data: all of it (richlist snapshots are history and stay unless `snapshot`
    /// is named), or only the named kinds; the local tier only, unless --shared.
    Clear {
        #[arg(value_enum)]
        kinds: Vec<crate::cache::DataKind>,
        /// Clear the shared tier on Redis (every key of the prefix) too.
        #[arg(long)]
        shared: bool,
    },
    /// Fetch the token list, metrics, and each symbol's market and richlist into the cache.
    Warm {
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
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Output file, or - for standard output (the default).
    #[arg(long, value_name = "PATH|-", default_value = "-")]
    pub out: PathBuf,
    /// Serve from the cache when the data is at most this old (e.g. 90s, 15m, 2h); default: its TTL.
    #[arg(long, value_name = "DURATION")]
    pub max_age: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// Every holder of a token.
    Richlist {
        symbol: String,
        /// rank, account, balance, stake, `pending_unstake`, `delegations_in`, `delegations_out`,
        /// `pending_undelegations`, total, `pct_supply`, `pct_circulating`
        #[arg(long, default_value = "total")]
        sort: String,
        #[arg(long)]
        asc: bool,
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
        symbol: String,
        #[arg(long, default_value = "30d", value_parser = ["7d", "30d", "90d", "1y", "all"])]
        range: String,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// The complete order book.
    Book {
        symbol: String,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// Trades of the last 24 hours.
    Trades {
        symbol: String,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// Every liquidity pool, or those with SYMBOL on either side.
    Pools {
        symbol: Option<String>,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// Every provider of one pool (BASE:QUOTE, either orientation), by shares.
    Pool {
        pair: String,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// Who accumulated, sold, arrived and left: the newest snapshot of a token against a baseline.
    Changes {
        symbol: String,
        /// previous, oldest, a duration (24h, 7d, 30d) or a date (YYYY-MM-DD): the nearest
        /// snapshot at or before it, the oldest kept when none is that old.
        #[arg(long, default_value = "previous")]
        since: String,
        #[command(flatten)]
        opts: ExportOptions,
    },
    /// One part of an account: its wallet valued in HIVE, open orders, pool shares, or its
    /// newest 500 operations.
    Account {
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
