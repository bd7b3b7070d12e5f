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

/// The days a chart of `range` spans at `now`: from the first to the last day with a candle in
/// the range (so the candles fill the plot and the axis names their real days), or the whole
/// range when it holds none. "All" starts at the first candle.
pub fn chart_days(range: HistoryRange, now: Timestamp, candles: &[Candle]) -> (i64, i64) {
    let today = now.div_euclid(DAY_SECS) * DAY_SECS;
    let start = range.days().map(|d| today - (d - 1) * DAY_SECS);
    candles
        .iter()
        .map(|c| c.day)
        .filter(|d| (start.unwrap_or(i64::MIN)..=today).contains(d))
        .fold(None, |span: Option<(i64, i64)>, d| {
            Some(span.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
        })
        .unwrap_or((start.unwrap_or(today), today))
}

/// Days each bar of a chart of `first_day..=last_day` in `width` columns holds.
pub fn days_per_bar(first_day: i64, last_day: i64, width: usize) -> i64 {
    let days = (last_day - first_day) / DAY_SECS + 1;
    let width = i64::try_from(width).unwrap_or(i64::MAX).max(1);
    (days + width - 1) / width
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
    let per = days_per_bar(first_day, last_day, width);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn on(day: i64) -> Candle {
        let one = Amount::parse("1").unwrap();
        Candle {
            day: day * DAY_SECS,
            open: one,
            high: one,
            low: one,
            close: one,
            volume_hive: one,
            volume_token: one,
        }
    }

    #[test]
    fn a_chart_spans_the_days_its_candles_really_hold() {
        let now = 100 * DAY_SECS + 3600;
        let quiet_ends = [on(40), on(75), on(90), on(96)];
        assert_eq!(
            chart_days(HistoryRange::Month, now, &quiet_ends),
            (75 * DAY_SECS, 96 * DAY_SECS),
            "from the first candle in the range to the last"
        );
        assert_eq!(
            chart_days(HistoryRange::All, now, &quiet_ends),
            (40 * DAY_SECS, 96 * DAY_SECS)
        );
        assert_eq!(
            chart_days(HistoryRange::Week, now, &quiet_ends[..3]),
            (94 * DAY_SECS, 100 * DAY_SECS),
            "none in the range: the whole range"
        );
        assert_eq!(days_per_bar(0, 89 * DAY_SECS, 89), 2);
        assert_eq!(days_per_bar(0, 88 * DAY_SECS, 89), 1);
    }
}
