//! Fresh or stale, decided on read from the fetch time, the clock and the view's TTL, with a
//! per-entry ±10% jitter so keys warmed together do not all expire together.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::key::{DataKind, Key};
use crate::model::Timestamp;

/// Time to live per view, in seconds (the `[ttl]` table of the config file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Ttls {
    pub tokens: u64,
    pub metrics: u64,
    pub token: u64,
    pub richlist: u64,
    pub history: u64,
    pub book: u64,
    pub trades: u64,
    pub pools: u64,
    pub pool: u64,
    pub account: u64,
    pub activity: u64,
}

impl Default for Ttls {
    fn default() -> Self {
        Self {
            tokens: 3600,
            metrics: 60,
            token: 900,
            richlist: 900,
            history: 900,
            book: 30,
            trades: 60,
            pools: 300,
            pool: 300,
            account: 120,
            activity: 120,
        }
    }
}

impl Ttls {
    pub fn of(&self, view: DataKind) -> Duration {
        Duration::from_secs(match view {
            DataKind::Tokens => self.tokens,
            DataKind::Metrics => self.metrics,
            DataKind::Token => self.token,
            DataKind::Richlist => self.richlist,
            DataKind::History => self.history,
            DataKind::Book => self.book,
            DataKind::Trades => self.trades,
            DataKind::Pools => self.pools,
            DataKind::Pool => self.pool,
            DataKind::Account => self.account,
            DataKind::Activity => self.activity,
            // Snapshots are history: never stale. A baseline is worked out again now and then,
            // so that a snapshot taken meanwhile is counted.
            DataKind::Snapshot => u64::MAX / 4,
            DataKind::Baseline => 30,
        })
    }

    /// The TTL of one stored entry: the view's TTL scaled by a stable factor in [0.9, 1.1).
    pub fn jittered(&self, key: &Key, fetched_at: Timestamp) -> Duration {
        let mut h = DefaultHasher::new();
        (key, fetched_at).hash(&mut h);
        let unit = (h.finish() >> 11) as f64 / (1_u64 << 53) as f64;
        self.of(key.kind()).mul_f64(0.9 + 0.2 * unit)
    }

    /// When an entry fetched at `fetched_at` stops being fresh.
    pub fn fresh_until(&self, key: &Key, fetched_at: Timestamp) -> Timestamp {
        let ttl = i64::try_from(self.jittered(key, fetched_at).as_secs()).unwrap_or(i64::MAX / 4);
        fetched_at.saturating_add(ttl)
    }

    /// Whether an entry fetched at `fetched_at` is still fresh at `now`.
    pub fn is_fresh(&self, key: &Key, fetched_at: Timestamp, now: Timestamp) -> bool {
        now < self.fresh_until(key, fetched_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_ten_percent_and_varies() {
        let t = Ttls::default();
        let ttls: Vec<u64> = (0..50)
            .map(|i| t.jittered(&Key::Book(format!("T{i}")), 1000).as_millis() as u64)
            .collect();
        assert!(
            ttls.iter().all(|&ms| (27_000..33_000).contains(&ms)),
            "{ttls:?}"
        );
        assert!(ttls.iter().any(|&ms| ms != ttls[0]));
    }

    #[test]
    fn fresh_then_stale() {
        let t = Ttls::default();
        let k = Key::Metrics;
        assert!(t.is_fresh(&k, 1000, 1000 + 50));
        assert!(!t.is_fresh(&k, 1000, 1000 + 70));
        assert!(
            t.is_fresh(&k, 1000, 990),
            "a clock that went back is not a reason to refetch"
        );
    }
}
