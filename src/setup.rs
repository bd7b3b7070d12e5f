//! From the command line to a running data layer: config, data dir, cache and client.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::cache::shared::Shared;

use crate::cache::Cache;
use crate::cli::Cli;
use crate::config::{Config, ConfigError};
use crate::refresh::Swr;
use crate::source::HiveEngine;

/// A mistake of the user's that stops market-tui before it starts: said in words, with exit
/// code 2 (`main`), never as a report. Every check of what the user gave is one of these.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("no data dir: set --data-dir or MARKET_TUI_DATA_DIR")]
    NoDataDir,
    #[error("data dir {0} is a file, not a folder; choose another with --data-dir")]
    DataDirIsFile(PathBuf),
    #[error("cannot create data dir {0} ({1}); choose another with --data-dir")]
    DataDir(PathBuf, std::io::Error),
    #[error(
        "{what} {url:?} is not a node address: {why}; give an http(s) URL such as https://api.hive-engine.com/rpc/"
    )]
    BadUrl {
        what: &'static str,
        url: String,
        why: String,
    },
    #[error(
        "the config's node list (nodes) is empty: there is no node to ask; list at least one, or give --node URL"
    )]
    NoNodes,
    #[error(
        "{what} {url:?} is not a Redis address: {why}; give a URL such as redis://host:6379/0 (rediss:// for TLS)"
    )]
    SharedCache {
        what: &'static str,
        url: String,
        why: String,
    },
}

/// What stops market-tui from starting that is no mistake of the user's (a bug, or a system
/// that cannot give what is needed): a full report.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot start the network client: {0}")]
    Client(crate::source::Error),
    #[error("cannot start the shared cache: {0}")]
    SharedCache(String),
}

/// The shared cache is a Redis server: `redis://` or `rediss://` with a host, as the Redis
/// client reads it. Empty means none.
fn check_shared_cache(what: &'static str, url: &str) -> Result<(), SetupError> {
    let bad = |why: String| SetupError::SharedCache {
        what,
        url: url.to_owned(),
        why,
    };
    if url.trim().is_empty() {
        return Ok(());
    }
    let parsed = reqwest::Url::parse(url).map_err(|_| bad("it is no URL".to_owned()))?;
    if !matches!(parsed.scheme(), "redis" | "rediss") {
        return Err(bad(format!("the scheme is {:?}", parsed.scheme())));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host".to_owned()));
    }
    redis::IntoConnectionInfo::into_connection_info(url).map_err(|e| bad(e.to_string()))?;
    Ok(())
}

/// A node or history address must be an http(s) URL with a host.
fn check_url(what: &'static str, url: &str) -> Result<(), SetupError> {
    let bad = |why: String| SetupError::BadUrl {
        what,
        url: url.to_owned(),
        why,
    };
    let parsed = reqwest::Url::parse(url).map_err(|_| bad("it is no URL".to_owned()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad(format!("the scheme is {:?}", parsed.scheme())));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host".to_owned()));
    }
    Ok(())
}

pub struct Setup {
    pub config: Config,
    pub data_dir: PathBuf,
    /// The log file, when the data dir can be written (see `log_file`).
    pub log_file: Option<PathBuf>,
    pub swr: Arc<Swr>,
    pub offline: bool,
}

/// The data dir's files besides the cache (`cache::DIR`) and the log (`logging::LOG_FILE`).
pub const FAVORITES_FILE: &str = "favorites.txt";
pub const EXPORT_DIR: &str = "exports";

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "market-tui")
}

/// The config: `--config`, else the user's default file if it exists, else the defaults;
/// then `--node`, `--history-url` and `--shared-cache` on top, each checked.
pub fn config(cli: &Cli) -> Result<Config, SetupError> {
    let default_file = dirs()
        .map(|d| d.config_dir().join("config.toml"))
        .filter(|p| p.exists());
    let mut config = Config::load(cli.config.as_deref().or(default_file.as_deref()))?;
    if !cli.nodes.is_empty() {
        config.nodes.clone_from(&cli.nodes);
    }
    if let Some(h) = &cli.history_url {
        config.history_url.clone_from(h);
    }
    if let Some(url) = &cli.shared_cache {
        config.shared_cache.url.clone_from(url);
    }
    // The words name where the address came from, so the user knows what to fix.
    let from_flag =
        |flag: bool, set: &'static str, file: &'static str| if flag { set } else { file };
    if config.nodes.is_empty() {
        return Err(SetupError::NoNodes);
    }
    for node in &config.nodes {
        check_url(
            from_flag(!cli.nodes.is_empty(), "--node", "node in the config"),
            node,
        )?;
    }
    check_url(
        from_flag(
            cli.history_url.is_some(),
            "--history-url",
            "history_url in the config",
        ),
        &config.history_url,
    )?;
    let from_env = std::env::var_os("MARKET_TUI_SHARED_CACHE")
        .is_some_and(|v| Some(v.as_os_str()) == cli.shared_cache.as_deref().map(AsRef::as_ref));
    check_shared_cache(
        match (&cli.shared_cache, from_env) {
            (None, _) => "[shared_cache] url in the config",
            (Some(_), true) => "MARKET_TUI_SHARED_CACHE",
            (Some(_), false) => "--shared-cache",
        },
        &config.shared_cache.url,
    )?;
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        config.theme = crate::config::Theme::Mono;
    }
    Ok(config)
}

pub fn data_dir(cli: &Cli) -> Result<PathBuf, SetupError> {
    let dir = match &cli.data_dir {
        Some(d) => d.clone(),
        None => dirs().ok_or(SetupError::NoDataDir)?.data_dir().to_owned(),
    };
    if dir.is_file() {
        return Err(SetupError::DataDirIsFile(dir));
    }
    std::fs::create_dir_all(&dir).map_err(|e| SetupError::DataDir(dir.clone(), e))?;
    Ok(dir)
}

/// Where the log goes, or in words why there is none: a data dir that cannot be written still
/// runs, without its log file, reading the cache from a copy and keeping new data in memory.
pub fn log_file(dir: &std::path::Path) -> Result<PathBuf, String> {
    match tempfile::tempfile_in(dir) {
        Ok(_) => Ok(dir.join(crate::logging::LOG_FILE)),
        Err(e) => Err(format!(
            "data dir {} is not writable ({e}): no log file, nothing new is kept after this run",
            dir.display()
        )),
    }
}

/// Opens the cache (retrying a held lock for about two seconds) and builds the client, from a
/// config `config` has checked.
pub fn setup(
    cli: &Cli,
    config: Config,
    data_dir: PathBuf,
    log_file: Option<PathBuf>,
) -> Result<Setup, StartError> {
    let cache = Arc::new(Cache::open(&data_dir));
    let client = if cli.offline {
        None
    } else {
        Some(Arc::new(
            HiveEngine::new(config.client()).map_err(StartError::Client)?,
        ))
    };
    // Offline touches no network: not the shared tier either.
    let shared = match config.shared_cache.url.trim() {
        "" => None,
        _ if cli.offline => None,
        url => Some(Arc::new(
            Shared::new(
                url,
                &config.shared_cache.prefix,
                Duration::from_secs(config.shared_cache.lease_secs.max(1)),
            )
            .map_err(StartError::SharedCache)?,
        )),
    };
    let tiers = (config.ttl.clone(), config.snapshots.clone());
    let swr = Swr::with_shared(cache, client, tiers, shared);
    Ok(Setup {
        config,
        data_dir,
        log_file,
        swr,
        offline: cli.offline,
    })
}

impl Setup {
    pub fn export_dir(&self) -> PathBuf {
        self.config
            .export_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join(EXPORT_DIR))
    }

    pub fn favorites_file(&self) -> PathBuf {
        self.data_dir.join(FAVORITES_FILE)
    }
}
