//! Which snapshots to keep: every one while recent, then the newest of each UTC day, then the
//! newest of each week, then none. The newest snapshot is always kept.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::model::{DAY_SECS, Timestamp};

/// The `[snapshots]` table of the config file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Retention {
    /// Every snapshot younger than this many days is kept.
    pub keep_all_days: u32,
    /// Then one a day (the day's newest) up to this age in days.
    pub keep_daily_days: u32,
    /// Then one a week (the week's newest) up to this age in days; older ones go.
    pub keep_weekly_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            keep_all_days: 2,
            keep_daily_days: 90,
            keep_weekly_days: 3_650,
        }
    }
}

impl Retention {
    /// The times among `times` to keep at `now`.
    pub fn keep(&self, times: &[Timestamp], now: Timestamp) -> HashSet<Timestamp> {
        let age_days = |t: Timestamp| (now - t).max(0) / DAY_SECS;
        let mut keep: HashSet<Timestamp> = times.iter().max().copied().into_iter().collect();
        // The newest of each bucket (a day, or a week counted from the epoch's Thursday).
        let mut newest: BTreeMap<(u8, i64), Timestamp> = BTreeMap::new();
        for &t in times {
            let age = age_days(t);
            let bucket = if age < i64::from(self.keep_all_days) {
                keep.insert(t);
                continue;
            } else if age < i64::from(self.keep_daily_days) {
                (0, t.div_euclid(DAY_SECS))
            } else if age < i64::from(self.keep_weekly_days) {
                (1, t.div_euclid(7 * DAY_SECS))
            } else {
                continue;
            };
            let slot = newest.entry(bucket).or_insert(t);
            *slot = (*slot).max(t);
        }
        keep.extend(newest.into_values());
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = 1_795_348_800; // 2026-11-22 12:00 UTC

    #[test]
    fn every_recent_one_then_one_a_day_then_one_a_week_then_none() {
        let hour = 3_600;
        let mut times: Vec<Timestamp> = (0..48).map(|h| NOW - h * hour).collect(); // 2 days
        let day3 = NOW - 3 * DAY_SECS;
        times.extend([day3 - hour, day3 - 2 * hour]); // one UTC day, 2 of them
        let old = NOW - 100 * DAY_SECS;
        times.extend([old, old - DAY_SECS]); // same week, 100 days ago
        let ancient = NOW - 4_000 * DAY_SECS;
        times.push(ancient);
        let keep = Retention::default().keep(&times, NOW);
        assert!(
            (0..48).all(|h| keep.contains(&(NOW - h * hour))),
            "all of the last 2 days"
        );
        assert!(
            keep.contains(&(day3 - hour)) && !keep.contains(&(day3 - 2 * hour)),
            "the day's newest"
        );
        let week = old.div_euclid(7 * DAY_SECS) == (old - DAY_SECS).div_euclid(7 * DAY_SECS);
        assert!(week, "the test's two old ones share a week");
        assert!(
            keep.contains(&old) && !keep.contains(&(old - DAY_SECS)),
            "the week's newest"
        );
        assert!(!keep.contains(&ancient), "past the weekly horizon");
        assert_eq!(keep.len(), 48 + 1 + 1);
        let only = Retention {
            keep_all_days: 0,
            keep_daily_days: 0,
            keep_weekly_days: 0,
        };
        assert_eq!(only.keep(&times, NOW).len(), 1, "the newest always stays");
    }
}
