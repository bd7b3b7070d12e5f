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

/// The days a chart of `range` spans at `now`: from its first day (for "all", the first candle's)
/// to today.
pub fn chart_days(range: HistoryRange, now: Timestamp, candles: &[Candle]) -> (i64, i64) {
    let today = now.div_euclid(DAY_SECS) * DAY_SECS;
    let first = match range.days() {
        Some(d) => today - (d - 1) * DAY_SECS,
        None => candles.first().map_or(today, |c| c.day),
    };
    (first, today)
}

/// One column of the chart: the candles of its `days` combined into one (its `day` is the
/// first of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    pub candle: Candle,
    pub days: i64,
}

/// Buckets `candles` (oldest first) into at most `width` columns covering `first_day..=last_day`.
pub fn bars(candles: &[Candle], first_day: i64, last_day: i64, width: usize) -> Vec<Option<Bar>> {
    if width == 0 || last_day < first_day {
        return Vec::new();
    }
    let days = (last_day - first_day) / DAY_SECS + 1;
    let per = (days + width as i64 - 1) / width as i64;
    let columns = usize::try_from((days + per - 1) / per).unwrap_or(0);
    let mut out: Vec<Option<Bar>> = vec![None; columns];
    for c in candles
        .iter()
        .filter(|c| c.day >= first_day && c.day <= last_day)
    {
        let i = usize::try_from((c.day - first_day) / DAY_SECS / per)
            .unwrap_or(0)
            .min(columns.saturating_sub(1));
        match &mut out[i] {
            Some(Bar { candle: b, .. }) => {
                b.high = b.high.max(c.high);
                b.low = b.low.min(c.low);
                b.close = c.close;
                b.volume_hive = b.volume_hive + c.volume_hive;
                b.volume_token = b.volume_token + c.volume_token;
            }
            slot @ None => {
                let day = first_day + i as i64 * per * DAY_SECS;
                // The last bucket may reach past `last_day`: it holds only the days up to it.
                let held = ((last_day - day) / DAY_SECS + 1).clamp(1, per);
                *slot = Some(Bar {
                    candle: Candle { day, ..c.clone() },
                    days: held,
                });
            }
        }
    }
    out
}
