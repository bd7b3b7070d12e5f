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
    #[error("transport error: {0}")]
    Transport(String),
}

/// What the client does after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// A bug on our side (e.g. a limit above the cap): retrying cannot help.
    GiveUp,
    /// Try another node now; cool this one for the given time if any.
    FailOver { cool: Option<Duration> },
}

impl Failure {
    pub fn next(&self) -> Next {
        match self {
            Self::Rpc { message, .. } if message.starts_with("limit is too high") => Next::GiveUp,
            Self::Connect(_) | Self::Timeout(_) => Next::FailOver {
                cool: Some(Duration::ZERO),
            },
            Self::Status {
                retry_after: Some(d),
                ..
            } => Next::FailOver { cool: Some(*d) },
            Self::Rpc { message, .. } if message.contains("is disabled") => Next::FailOver {
                cool: Some(Duration::ZERO),
            },
            _ => Next::FailOver { cool: None },
        }
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
    #[error("no token called {0:?}")]
    UnknownToken(String),
    #[error("{0:?} is not a valid token symbol (A-Z, one optional dot, at most 10 characters)")]
    InvalidSymbol(String),
    #[error("{node} returned no holders for {symbol}, whose supply is {supply}; not trusted")]
    SuspiciousEmpty {
        node: String,
        symbol: String,
        supply: String,
    },
    #[error("no node configured")]
    NoNodes,
}

impl Error {
    /// A symbol problem is the user's, not the network's: say it once, don't retry.
    pub fn is_user_error(&self) -> bool {
        matches!(self, Self::UnknownToken(_) | Self::InvalidSymbol(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_rpc_errors_by_message() {
        let limit = Failure::Rpc {
            code: 400,
            message: "limit is too high, maximum limit is 1000".into(),
        };
        assert_eq!(limit.next(), Next::GiveUp);
        let disabled = Failure::Rpc {
            code: 400,
            message: "method contracts.find is disabled".into(),
        };
        assert_eq!(
            disabled.next(),
            Next::FailOver {
                cool: Some(Duration::ZERO)
            }
        );
        let other = Failure::Rpc {
            code: -32603,
            message: "Internal error".into(),
        };
        assert_eq!(other.next(), Next::FailOver { cool: None });
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
    }
}
