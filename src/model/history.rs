//! Daily candles from the history API and the ranges the chart offers.

use serde::{Deserialize, Serialize};

use super::{Amount, Timestamp};

pub const DAY_SECS: i64 = 86_400;

/// One day with at least one order-book trade; days without trades have no candle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candle {
    /// Start of the day, Unix seconds (UTC).
    pub day: Timestamp,
    pub open: Amount,
    pub high: Amount,
    pub low: Amount,
    pub close: Amount,
    pub volume_hive: Amount,
    pub volume_token: Amount,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum HistoryRange {
    Week,
    Month,
    Quarter,
    Year,
    All,
}

impl HistoryRange {
    pub const ALL: [Self; 5] = [
        Self::Week,
        Self::Month,
        Self::Quarter,
        Self::Year,
        Self::All,
    ];

    /// Days covered, or `None` for everything since the sidechain began.
    pub fn days(self) -> Option<i64> {
        match self {
            Self::Week => Some(7),
            Self::Month => Some(30),
            Self::Quarter => Some(90),
            Self::Year => Some(365),
            Self::All => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Week => "7d",
            Self::Month => "30d",
            Self::Quarter => "90d",
            Self::Year => "1y",
            Self::All => "all",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.label().eq_ignore_ascii_case(text))
    }
}
