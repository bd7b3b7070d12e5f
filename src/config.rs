//! `Config`: the shipped defaults (assets/default-config.toml), overlaid by the user's file,
//! then by the command line; every number checked against its range (`config/ranges.rs`).

mod ranges;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::cache::Ttls;
use crate::keymap::Keymap;
use crate::source::{ClientConfig, TransportConfig};

pub const DEFAULT_CONFIG: &str = include_str!("../assets/default-config.toml");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub per_node_in_flight: usize,
    pub connect_timeout_secs: u64,
    pub attempt_timeout_secs: u64,
    pub deadline_secs: u64,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    Default,
    Mono,
}

/// The file's shape; every field is optional in a user file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    nodes: Option<Vec<String>>,
    history_url: Option<String>,
    export_dir: Option<String>,
    theme: Option<Theme>,
    ttl: Option<toml::Table>,
    network: Option<toml::Table>,
    snapshots: Option<toml::Table>,
    shared_cache: Option<toml::Table>,
    keys: Option<toml::Table>,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub nodes: Vec<String>,
    pub history_url: String,
    pub export_dir: Option<PathBuf>,
    pub theme: Theme,
    pub ttl: Ttls,
    pub network: Network,
    pub snapshots: crate::snapshots::Retention,
    pub shared_cache: SharedCache,
    pub keymap: Keymap,
}

/// The `[shared_cache]` table: a Redis server many instances share, behind the local cache.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SharedCache {
    /// Empty: no shared tier.
    pub url: String,
    /// Every key starts with it: several teams can share one server.
    pub prefix: String,
    /// How long one instance may hold the fetch of a key before another takes over.
    pub lease_secs: u64,
}

impl Default for SharedCache {
    fn default() -> Self {
        Self {
            url: String::new(),
            prefix: "market-tui".into(),
            lease_secs: 15,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config {path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("config {path}: {source}")]
    OutOfRange {
        path: PathBuf,
        source: ranges::OutOfRange,
    },
}

/// A TOML syntax error on one line: where it is and what is wrong, without the source excerpt.
fn toml_words(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim();
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.chars().rev().take_while(|&c| c != '\n').count() + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message.to_owned(),
    }
}

fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

impl Config {
    /// The defaults overlaid by `user` (the text of a config file, if any).
    pub fn parse(user: Option<(&Path, &str)>) -> Result<Self, ConfigError> {
        let invalid = |path: &Path, message: String| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        };
        let mut table: toml::Table = toml::from_str(DEFAULT_CONFIG)
            .map_err(|e| invalid(Path::new("<built-in>"), e.to_string()))?;
        let path = user.map_or(Path::new("<built-in>"), |(p, _)| p);
        if let Some((p, text)) = user {
            let over: toml::Table =
                toml::from_str(text).map_err(|e| invalid(p, toml_words(text, &e)))?;
            // Check the user's own keys first, for an error that names them.
            File::deserialize(toml::Value::Table(over.clone()))
                .map_err(|e| invalid(p, e.to_string()))?;
            merge(&mut table, over);
        }
        ranges::check(&table).map_err(|source| ConfigError::OutOfRange {
            path: path.to_owned(),
            source,
        })?;
        let file = File::deserialize(toml::Value::Table(table))
            .map_err(|e| invalid(path, e.to_string()))?;
        let section = |t: Option<toml::Table>| toml::Value::Table(t.unwrap_or_default());
        let ttl = Ttls::deserialize(section(file.ttl))
            .map_err(|e| invalid(path, format!("[ttl]: {e}")))?;
        let network = Network::deserialize(section(file.network))
            .map_err(|e| invalid(path, format!("[network]: {e}")))?;
        let snapshots = crate::snapshots::Retention::deserialize(section(file.snapshots))
            .map_err(|e| invalid(path, format!("[snapshots]: {e}")))?;
        let shared_cache = SharedCache::deserialize(section(file.shared_cache))
            .map_err(|e| invalid(path, format!("[shared_cache]: {e}")))?;
        let keymap = Keymap::from_table(&file.keys.unwrap_or_default())
            .map_err(|e| invalid(path, format!("[keys]: {e}")))?;
        Ok(Self {
            nodes: file.nodes.unwrap_or_default(),
            history_url: file.history_url.unwrap_or_default(),
            export_dir: file.export_dir.filter(|d| !d.is_empty()).map(PathBuf::from),
            theme: file.theme.unwrap_or_default(),
            ttl,
            network,
            snapshots,
            shared_cache,
            keymap,
        })
    }

    /// Reads `path` if given; otherwise the defaults.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        match path {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
                    path: p.to_owned(),
                    source,
                })?;
                Self::parse(Some((p, &text)))
            }
            None => Self::parse(None),
        }
    }

    pub fn client(&self) -> ClientConfig {
        let n = &self.network;
        ClientConfig {
            nodes: self.nodes.clone(),
            history_url: self.history_url.clone(),
            transport: TransportConfig {
                connect_timeout: Duration::from_secs(n.connect_timeout_secs),
                attempt_timeout: Duration::from_secs(n.attempt_timeout_secs),
                ..TransportConfig::default()
            },
            per_node_in_flight: n.per_node_in_flight,
            deadline: Duration::from_secs(n.deadline_secs),
            ..ClientConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_defaults_parse() {
        let c = Config::parse(None).unwrap();
        assert_eq!(c.ttl, Ttls::default());
        assert_eq!(c.nodes.len(), crate::source::DEFAULT_NODES.len());
        assert_eq!(c.history_url, crate::source::DEFAULT_HISTORY_URL);
        assert!(c.export_dir.is_none());
    }

    #[test]
    fn a_user_file_overrides_single_keys() {
        let c = Config::parse(Some((
            Path::new("u.toml"),
            "theme = \"mono\"\n[ttl]\nbook = 5\n",
        )))
        .unwrap();
        assert_eq!(c.theme, Theme::Mono);
        assert_eq!(c.ttl.book, 5);
        assert_eq!(c.ttl.tokens, 3600);
    }

    #[test]
    fn a_number_out_of_its_range_names_the_file_key_value_and_range() {
        let e = Config::parse(Some((
            Path::new("u.toml"),
            "[network]\nper_node_in_flight = 1000000",
        )))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "config u.toml: [network] per_node_in_flight = 1000000: must be between 1 and 16"
        );
    }

    #[test]
    fn mistakes_are_named() {
        let e = Config::parse(Some((Path::new("u.toml"), "colour = 1"))).unwrap_err();
        assert!(
            e.to_string().contains("u.toml") && e.to_string().contains("colour"),
            "{e}"
        );
        let e = Config::parse(Some((Path::new("u.toml"), "[ttl]\nbooks = 5"))).unwrap_err();
        assert!(e.to_string().contains("books"), "{e}");
        let e =
            Config::parse(Some((Path::new("u.toml"), "[keys]\nquit = [\"ctrl-\"]"))).unwrap_err();
        assert!(e.to_string().contains("[keys]"), "{e}");
        // `j` moves down by default: binding it to quit as well is a clash, named.
        let e = Config::parse(Some((Path::new("u.toml"), "[keys]\nquit = [\"j\"]"))).unwrap_err();
        assert!(
            e.to_string().contains("\"j\" is bound to both") && e.to_string().contains("quit"),
            "{e}"
        );
        let moved = "[keys]\nquit = [\"j\"]\ndown = [\"down\"]";
        assert!(
            Config::parse(Some((Path::new("u.toml"), moved))).is_ok(),
            "rebinding both is fine"
        );
    }
}
