//! `Key`: the identity of one piece of cached data, and the `DataKind` kind that sets its TTL.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::{HistoryRange, Since, Timestamp};

/// One cacheable piece of data. It doubles as the identity of a result message: a result whose
/// key is no longer shown is dropped.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Key {
    Tokens,
    Metrics,
    Token(String),
    Richlist(String),
    History(String, HistoryRange),
    Book(String),
    Trades(String),
    /// Every liquidity pool.
    Pools,
    /// One pool (`BASE:QUOTE` as the node names it) with every position.
    Pool(String),
    /// An account's balances, open orders and pool shares.
    Account(String),
    /// One page (0 = the newest) of an account's operations.
    Activity(String, u32),
    /// A token's richlist as it was at a time: kept locally, never fetched.
    Snapshot(String, Timestamp),
    /// The snapshot a token's changes are counted from, worked out from the snapshots kept.
    Baseline(String, Since),
}

/// The kinds of data, each with its own TTL and its own sled tree; named on the command line
/// (`cache clear`) as `name` gives.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[value(rename_all = "lower")]
pub enum DataKind {
    Tokens,
    Metrics,
    Token,
    Richlist,
    History,
    Book,
    Trades,
    Pools,
    Pool,
    Account,
    Activity,
    Snapshot,
    Baseline,
}

impl DataKind {
    pub const ALL: [Self; 13] = [
        Self::Tokens,
        Self::Metrics,
        Self::Token,
        Self::Richlist,
        Self::History,
        Self::Book,
        Self::Trades,
        Self::Pools,
        Self::Pool,
        Self::Account,
        Self::Activity,
        Self::Snapshot,
        Self::Baseline,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Tokens => "tokens",
            Self::Metrics => "metrics",
            Self::Token => "token",
            Self::Richlist => "richlist",
            Self::History => "history",
            Self::Book => "book",
            Self::Trades => "trades",
            Self::Pools => "pools",
            Self::Pool => "pool",
            Self::Account => "account",
            Self::Activity => "activity",
            Self::Snapshot => "snapshot",
            Self::Baseline => "baseline",
        }
    }
}

impl Key {
    pub fn kind(&self) -> DataKind {
        match self {
            Self::Tokens => DataKind::Tokens,
            Self::Metrics => DataKind::Metrics,
            Self::Token(_) => DataKind::Token,
            Self::Richlist(_) => DataKind::Richlist,
            Self::History(..) => DataKind::History,
            Self::Book(_) => DataKind::Book,
            Self::Trades(_) => DataKind::Trades,
            Self::Pools => DataKind::Pools,
            Self::Pool(_) => DataKind::Pool,
            Self::Account(_) => DataKind::Account,
            Self::Activity(..) => DataKind::Activity,
            Self::Snapshot(..) => DataKind::Snapshot,
            Self::Baseline(..) => DataKind::Baseline,
        }
    }

    pub fn symbol(&self) -> Option<&str> {
        match self {
            Self::Tokens
            | Self::Metrics
            | Self::Pools
            | Self::Pool(_)
            | Self::Account(_)
            | Self::Activity(..) => None,
            Self::Token(s)
            | Self::Richlist(s)
            | Self::History(s, _)
            | Self::Book(s)
            | Self::Trades(s)
            | Self::Snapshot(s, _)
            | Self::Baseline(s, _) => Some(s),
        }
    }

    /// Worked out from the cache alone (snapshots), never fetched: available offline too.
    pub fn is_local(&self) -> bool {
        matches!(self, Self::Snapshot(..) | Self::Baseline(..))
    }

    /// Read from the history API, which has one source: nobody else can confirm its answer.
    pub fn has_one_source(&self) -> bool {
        matches!(self, Self::History(..) | Self::Activity(..))
    }

    /// The key this one is worked out from: a new value of it makes this one out of date.
    pub fn follows(&self) -> Option<Key> {
        match self {
            Self::Baseline(symbol, _) => Some(Self::Richlist(symbol.clone())),
            _ => None,
        }
    }

    /// The name inside the view's tree (symbols cannot contain `/`; pairs are escaped).
    pub fn id(&self) -> String {
        match self {
            Self::Tokens | Self::Metrics | Self::Pools => "all".to_owned(),
            // Pairs come from the node: a `/` must not reach into another key's chunks.
            Self::Pool(pair) => pair.replace('%', "%25").replace('/', "%2F"),
            // Account names are `a-z0-9.-` (checked before any read).
            Self::Account(name) => name.clone(),
            Self::Activity(name, page) => format!("{name}/{page}"),
            // Fixed-width times: one token's snapshots list in time order under `SYMBOL/`.
            Self::Snapshot(s, at) => format!("{s}/{at:016x}"),
            Self::Baseline(s, since) => format!("{s}/{}", since.label()),
            Self::History(s, r) => format!("{s}/{}", r.label()),
            Self::Token(s) | Self::Richlist(s) | Self::Book(s) | Self::Trades(s) => s.clone(),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Pairs come from the node: shown without escape sequences wherever a key is named.
        let id = self.id();
        write!(
            f,
            "{} {}",
            self.kind().name(),
            crate::sanitize::for_terminal(&id)
        )
    }
}
