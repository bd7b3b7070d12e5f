//! What can go wrong talking to Hive-Engine nodes, classified so the caller knows whether to
//! retry, fail over, or give up, and worded for the status bar.

use std::time::Duration;

/// Why one attempt against one node failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error("could not connect ({0})")]
    Connect(String),
    #[error("no answer within {}s", .0.as_secs())]
    Timeout(Duration),
    #[error("HTTP {code}{}", retry_after.map(|d| format!(", retry after {}s", d.as_secs())).unwrap_or_default())]
    Status {
        code: u16,
        retry_after: Option<Duration>,
    },
    #[error("response larger than {0} bytes")]
    TooLarge(usize),
    #[error("garbled response: {0}")]
    Garbled(String),
    #[error("node error {code}: {message}")]
    Rpc { code: i64, message: String },
    #[error("node answered null (table unavailable)")]
    NullResult,
    #[error("node answered an empty {0} table, which is never empty")]
    Empty(&'static str),
    #[error("node answered fewer rows than another node holds ({0})")]
    Short(String),
    #[error("transport error: {0}")]
    Transport(String),
}

impl Failure {
    /// Every failure moves on to another node; this is how long the failed node cools down:
    /// `Some(ZERO)` now for the growing default (it is down), `Some(d)` for exactly `d` (a
    /// `Retry-After`), `None` only after several failures in a row.
    pub fn cool(&self) -> Option<Duration> {
        match self {
            Self::Status {
                retry_after: Some(d),
                ..
            } => Some(*d),
            // Down, unable to serve the method, or dropping rows (serving wrong data): it rests.
            Self::Connect(_) | Self::Timeout(_) | Self::Short(_) => Some(Duration::ZERO),
            Self::Rpc { message, .. } if message.contains("is disabled") => Some(Duration::ZERO),
            _ => None,
        }
    }

    /// N in "limit is too high, maximum limit is N": a node configured below the usual 1000.
    pub fn stated_max_limit(&self) -> Option<usize> {
        self.stated_max("limit")
    }

    /// N in "offset is too high, maximum offset is N": a node that caps how far a `find`
    /// skips.
    pub fn stated_max_offset(&self) -> Option<usize> {
        self.stated_max("offset")
    }

    fn stated_max(&self, what: &str) -> Option<usize> {
        let Self::Rpc { message, .. } = self else {
            return None;
        };
        let rest = message.strip_prefix(what)?;
        rest.strip_prefix(" is too high, maximum ")?
            .strip_prefix(what)?
            .strip_prefix(" is ")?
            .trim()
            .parse()
            .ok()
    }
}

/// One failed attempt: where and what.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{node}: {failure}")]
pub struct AttemptError {
    pub node: String,
    pub failure: Failure,
}

/// A read that did not produce data, in words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("all nodes failed after {attempts} attempts; last: {last}")]
    Exhausted { attempts: u32, last: AttemptError },
    #[error("gave up after {}s; last: {}", .after.as_secs(), last.as_ref().map_or_else(|| "no answer".to_owned(), ToString::to_string))]
    Deadline {
        after: Duration,
        last: Option<AttemptError>,
    },
    #[error("{0} (a bug in market-tui: not retried)")]
    Fatal(AttemptError),
    #[error("{0}; the record cannot be read")]
    Undecodable(AttemptError),
    #[error("{} failed; the next try is allowed in {}s{}{}", nodes_phrase(*.nodes), .retry_in.as_secs().max(1), .last.as_ref().map(|l| format!("; last: {l}")).unwrap_or_default(), unreachable_hint(.last.as_ref()))]
    AllCooling {
        nodes: usize,
        retry_in: Duration,
        last: Option<AttemptError>,
    },
    #[error("no token called {0:?}")]
    UnknownToken(String),
    #[error("{0:?} is not a valid token symbol (A-Z, one optional dot, at most 10 characters)")]
    InvalidSymbol(String),
    #[error("{0:?} is not a Hive account name: {rules}", rules = crate::model::ACCOUNT_RULES)]
    InvalidAccount(String),
    #[error("no pool {0:?} (in either orientation)")]
    UnknownPool(String),
    #[error("{0:?} is not a pool: expected BASE:QUOTE, for example SWAP.HIVE:BEE")]
    InvalidPair(String),
    #[error("{node} returned no holders for {symbol}, whose supply is {supply}; not trusted")]
    SuspiciousEmpty {
        node: String,
        symbol: String,
        supply: String,
    },
    #[error("no node configured")]
    NoNodes,
}

/// When the nodes cannot be reached at all, what the user can do about it.
fn unreachable_hint(last: Option<&AttemptError>) -> &'static str {
    match last.map(|l| &l.failure) {
        Some(Failure::Connect(_) | Failure::Timeout(_)) => {
            " (other nodes: --node URL; what is cached: --offline)"
        }
        _ => "",
    }
}

fn nodes_phrase(nodes: usize) -> String {
    if nodes == 1 {
        "the only node".to_owned()
    } else {
        format!("all {nodes} nodes")
    }
}

impl Error {
    /// A symbol problem is the user's, not the network's: say it once, don't retry.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Self::UnknownToken(_)
                | Self::InvalidSymbol(_)
                | Self::UnknownPool(_)
                | Self::InvalidPair(_)
                | Self::InvalidAccount(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_rpc_errors_by_message() {
        let limit = Failure::Rpc {
            code: 400,
            message: "limit is too high, maximum limit is 500".into(),
        };
        assert_eq!(
            limit.cool(),
            None,
            "not a bug of ours: another node or a smaller page"
        );
        assert_eq!(limit.stated_max_limit(), Some(500));
        assert_eq!(limit.stated_max_offset(), None);
        let offset = Failure::Rpc {
            code: 400,
            message: "offset is too high, maximum offset is 5000".into(),
        };
        assert_eq!(offset.stated_max_offset(), Some(5000));
        assert_eq!(offset.stated_max_limit(), None);
        let disabled = Failure::Rpc {
            code: 400,
            message: "method contracts.find is disabled".into(),
        };
        assert_eq!(disabled.cool(), Some(Duration::ZERO));
        let other = Failure::Rpc {
            code: -32603,
            message: "Internal error".into(),
        };
        assert_eq!(other.cool(), None);
    }

    #[test]
    fn words_say_what_happened() {
        let e = AttemptError {
            node: "http://a/".into(),
            failure: Failure::Status {
                code: 429,
                retry_after: Some(Duration::from_secs(5)),
            },
        };
        assert_eq!(e.to_string(), "http://a/: HTTP 429, retry after 5s");
        let cooling = Error::AllCooling {
            nodes: 3,
            retry_in: Duration::from_secs(28),
            last: Some(e),
        };
        assert_eq!(
            cooling.to_string(),
            "all 3 nodes failed; the next try is allowed in 28s; last: http://a/: HTTP 429, retry after 5s"
        );
    }
}
