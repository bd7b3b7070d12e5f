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
    /// What happened, in a few whole words for the status line: "node refused", "timed out",
    /// "no network" (the name of a node could not be resolved, or no route leads out).
    pub fn short_cause(&self) -> &'static str {
        match self {
            _ if self.is_no_network() => "no network",
            Self::Connect(cause) if cause.to_lowercase().contains("refused") => "node refused",
            Self::Connect(_) => "could not connect",
            Self::Timeout(_) => "timed out",
            Self::Status { code: 429, .. } => "rate limited",
            Self::Status {
                code: 502..=504, ..
            } => "node unavailable",
            Self::Rpc { message, .. } if message.contains("is disabled") => "method disabled",
            Self::Status { .. } | Self::Rpc { .. } => "node error",
            Self::TooLarge(_) => "answer too large",
            Self::Garbled(_) => "garbled answer",
            Self::NullResult => "table unavailable",
            Self::Empty(_) => "empty answer",
            Self::Short(_) => "rows missing",
            Self::Transport(_) => "network error",
        }
    }

    /// A connection that failed before any node could be reached: its name not resolved (no
    /// DNS), or no network to send it on.
    pub fn is_no_network(&self) -> bool {
        let Self::Connect(cause) = self else {
            return false;
        };
        let cause = cause.to_lowercase();
        [
            "lookup address",
            "name or service not known",
            "name resolution",
            "nodename nor servname",
            "no address associated",
            "dns error",
            "network is unreachable",
        ]
        .iter()
        .any(|p| cause.contains(p))
    }

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
    #[error("all nodes failed after {}; last: {last}", crate::format::count(usize::try_from(*.attempts).unwrap_or(usize::MAX), "attempt"))]
    Exhausted {
        /// How many nodes the pool has.
        nodes: usize,
        attempts: u32,
        last: AttemptError,
    },
    #[error("gave up after {}s; last: {}", .after.as_secs(), last.as_ref().map_or_else(|| "no answer".to_owned(), ToString::to_string))]
    Deadline {
        after: Duration,
        last: Option<AttemptError>,
    },
    #[error("{0} (a bug in market-tui: not retried)")]
    Fatal(AttemptError),
    #[error("{0}; the record cannot be read")]
    Undecodable(AttemptError),
    /// Every node failed and rests for `retry_in`. The words leave the time out: the app says
    /// its own next try, and a one-shot command has none.
    #[error("{} failed{}{}", nodes_phrase(*.nodes), .last.as_ref().map(|l| format!("; last: {l}")).unwrap_or_default(), unreachable_hint(.last.as_ref()))]
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

/// The cause when a read over a pool of `nodes` nodes failed, the last of them with `last`:
/// "no network" whatever the count, the node's own cause when it is the only one, and
/// "every node failed" when there were several.
pub fn pool_cause(nodes: usize, last: Option<&Failure>) -> &'static str {
    match last {
        Some(f) if f.is_no_network() => "no network",
        Some(f) if nodes <= 1 => f.short_cause(),
        None if nodes <= 1 => "node failed",
        _ => "every node failed",
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
    /// What went wrong, in a few whole words: the status line's and a pane's cause, the rest
    /// of the words (`Display`) being for the messages list and the log.
    pub fn short_cause(&self) -> &'static str {
        match self {
            Self::Exhausted { nodes, last, .. } => pool_cause(*nodes, Some(&last.failure)),
            Self::AllCooling { nodes, last, .. } => {
                pool_cause(*nodes, last.as_ref().map(|l| &l.failure))
            }
            Self::Deadline { last, .. } => match last {
                Some(l) if l.failure.is_no_network() => "no network",
                _ => "timed out",
            },
            Self::Fatal(_) => "internal error",
            Self::Undecodable(_) => "unreadable record",
            Self::UnknownToken(_) => "no such token",
            Self::InvalidSymbol(_) => "invalid symbol",
            Self::InvalidAccount(_) => "invalid account name",
            Self::UnknownPool(_) => "no such pool",
            Self::InvalidPair(_) => "invalid pool name",
            Self::SuspiciousEmpty { .. } => "empty answer",
            Self::NoNodes => "no node configured",
        }
    }

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
            "all 3 nodes failed; last: http://a/: HTTP 429, retry after 5s",
            "no schedule in the words: the app says its own next try"
        );
    }

    fn attempt(failure: Failure) -> AttemptError {
        AttemptError {
            node: "http://127.0.0.1:19603/".into(),
            failure,
        }
    }

    #[test]
    fn short_causes_are_a_few_whole_words() {
        let refused = Failure::Connect("Connection refused (os error 111)".into());
        let no_dns = Failure::Connect(
            "failed to lookup address information: Name or service not known".into(),
        );
        let temporary = Failure::Connect("Temporary failure in name resolution".into());
        assert_eq!(refused.short_cause(), "node refused");
        assert_eq!(no_dns.short_cause(), "no network");
        assert_eq!(temporary.short_cause(), "no network");
        assert_eq!(
            Failure::Timeout(Duration::from_secs(10)).short_cause(),
            "timed out"
        );
        let one = |f: Failure| Error::Exhausted {
            nodes: 1,
            attempts: 3,
            last: attempt(f),
        };
        assert_eq!(one(refused.clone()).short_cause(), "node refused");
        let six = Error::AllCooling {
            nodes: 6,
            retry_in: Duration::from_secs(25),
            last: Some(attempt(refused)),
        };
        assert_eq!(six.short_cause(), "every node failed");
        let offline = Error::AllCooling {
            nodes: 6,
            retry_in: Duration::from_secs(25),
            last: Some(attempt(no_dns.clone())),
        };
        assert_eq!(offline.short_cause(), "no network", "a resolver error");
        let deadline = Error::Deadline {
            after: Duration::from_secs(30),
            last: None,
        };
        assert_eq!(deadline.short_cause(), "timed out");
        let status = |code| Failure::Status {
            code,
            retry_after: None,
        };
        assert_eq!(one(status(503)).short_cause(), "node unavailable");
        assert_eq!(one(status(429)).short_cause(), "rate limited");
        assert_eq!(
            Error::UnknownToken("NOPE".into()).short_cause(),
            "no such token"
        );
        for e in [
            one(no_dns),
            six,
            deadline,
            Error::NoNodes,
            Error::Fatal(attempt(Failure::Transport("x".into()))),
        ] {
            let words = e.short_cause();
            assert!(
                words.len() <= 20 && words.split(' ').count() <= 3,
                "{words:?} is short"
            );
            assert!(
                words.chars().all(|c| c.is_ascii_lowercase() || c == ' '),
                "{words:?} is words"
            );
        }
    }
}
