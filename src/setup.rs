//! From the command line to a running data layer: config, data dir, cache and client.

use std::path::PathBuf;
use std::sync::Arc;

use crate::cache::Cache;
use crate::cli::Cli;
use crate::config::{Config, ConfigError};
use crate::refresh::Swr;
use crate::source::HiveEngine;

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("no data dir: set --data-dir or MARKET_TUI_DATA_DIR")]
    NoDataDir,
    #[error("cannot create data dir {0}: {1}")]
    DataDir(PathBuf, std::io::Error),
    #[error("cannot start the network client: {0}")]
    Client(crate::source::Error),
}

pub struct Setup {
    pub config: Config,
    pub data_dir: PathBuf,
    pub swr: Arc<Swr>,
    pub offline: bool,
}

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "market-tui")
}

/// The config: `--config`, else the user's default file if it exists, else the defaults;
/// then `--node` and `--history-url` on top.
pub fn config(cli: &Cli) -> Result<Config, ConfigError> {
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
    std::fs::create_dir_all(&dir).map_err(|e| SetupError::DataDir(dir.clone(), e))?;
    Ok(dir)
}

/// Opens the cache (retrying a held lock for about two seconds) and builds the client.
pub fn setup(cli: &Cli, config: Config, data_dir: PathBuf) -> Result<Setup, SetupError> {
    let cache = Arc::new(Cache::open(&data_dir));
    let client = if cli.offline {
        None
    } else {
        Some(Arc::new(
            HiveEngine::new(config.client()).map_err(SetupError::Client)?,
        ))
    };
    let swr = Swr::new(cache, client, config.ttl.clone());
    Ok(Setup {
        config,
        data_dir,
        swr,
        offline: cli.offline,
    })
}

impl Setup {
    pub fn export_dir(&self) -> PathBuf {
        self.config
            .export_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("exports"))
    }

    pub fn favorites_file(&self) -> PathBuf {
        self.data_dir.join("favorites.txt")
    }
}
