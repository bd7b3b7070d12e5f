//! The worker's low-priority queue: keys a screen would like but does not watch (the tokens
//! list's sparklines), fetched at most `IN_FLIGHT` at a time, each at most once per its TTL,
//! and only while they are still wanted.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Instant;

use crate::cache::Key;

/// Background fetches running at once, at most: the screen's own keys come first.
pub const IN_FLIGHT: usize = 2;

#[derive(Debug, Default)]
pub struct Background {
    /// The keys wanted now (the rows on screen).
    wanted: HashSet<Key>,
    /// Wanted keys found stale or missing, waiting for a free slot, oldest first.
    queue: VecDeque<Key>,
    in_flight: HashSet<Key>,
    /// When each key may be fetched again: when its cached entry goes stale, or a TTL after
    /// its last fetch, failed or not. Kept after a key scrolls away, so that scrolling back
    /// does not fetch it again.
    not_before: HashMap<Key, Instant>,
}

impl Background {
    /// Replaces the keys wanted; returns those newly wanted, whose cache is to be read first.
    pub fn want(&mut self, keys: Vec<Key>) -> Vec<Key> {
        let keys: HashSet<Key> = keys.into_iter().collect();
        let new = keys.difference(&self.wanted).cloned().collect();
        self.queue.retain(|k| keys.contains(k));
        self.wanted = keys;
        new
    }

    pub fn wants(&self, key: &Key) -> bool {
        self.wanted.contains(key)
    }

    /// The cache's entry of a wanted key was read: fresh until `fresh_until` (and never fetched
    /// again before a TTL from its last fetch), or (`None`) missing or stale, to be fetched
    /// when allowed.
    pub fn read(&mut self, key: Key, fresh_until: Option<Instant>, now: Instant) {
        match fresh_until {
            Some(until) => {
                let t = self.not_before.entry(key).or_insert(until);
                *t = (*t).max(until);
            }
            None => self.enqueue(key, now),
        }
    }

    fn enqueue(&mut self, key: Key, now: Instant) {
        let allowed = self.not_before.get(&key).is_none_or(|t| *t <= now);
        if allowed
            && self.wanted.contains(&key)
            && !self.in_flight.contains(&key)
            && !self.queue.contains(&key)
        {
            self.queue.push_back(key);
        }
    }

    /// Wanted keys whose entry went stale since: queued again.
    pub fn tick(&mut self, now: Instant) {
        let due: Vec<Key> = self
            .wanted
            .iter()
            .filter(|k| self.not_before.get(*k).is_some_and(|t| *t <= now))
            .cloned()
            .collect();
        for key in due {
            self.enqueue(key, now);
        }
    }

    /// The keys to fetch now, as many as free slots allow. A key `busy` elsewhere (the screen's
    /// own refresh of it) is left to that refresh and not fetched before `later`.
    pub fn start(
        &mut self,
        busy: impl Fn(&Key) -> bool,
        later: impl Fn(&Key) -> Instant,
    ) -> Vec<Key> {
        let mut started = Vec::new();
        while self.in_flight.len() < IN_FLIGHT
            && let Some(key) = self.queue.pop_front()
        {
            if busy(&key) {
                self.not_before.insert(key.clone(), later(&key));
                continue;
            }
            self.in_flight.insert(key.clone());
            started.push(key);
        }
        started
    }

    /// A fetch of `key` ended (or its task stopped): not fetched again before `again`.
    pub fn finished(&mut self, key: &Key, again: Instant) {
        self.in_flight.remove(key);
        self.not_before.insert(key.clone(), again);
    }

    #[cfg(test)]
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HistoryRange;
    use std::time::Duration;

    fn history(symbol: &str) -> Key {
        Key::History(symbol.into(), HistoryRange::Month)
    }

    #[test]
    fn two_at_a_time_once_per_ttl_and_only_while_wanted() {
        let (t0, ttl) = (Instant::now(), Duration::from_secs(900));
        let mut b = Background::default();
        let keys: Vec<Key> = ["A", "B", "C", "D"].into_iter().map(history).collect();
        assert_eq!(b.want(keys.clone()).len(), 4, "all new: read first");
        b.read(history("A"), Some(t0 + ttl), t0);
        for k in ["B", "C", "D"] {
            b.read(history(k), None, t0);
        }
        let started = b.start(|_| false, |_| t0 + ttl);
        assert_eq!(
            started,
            [history("B"), history("C")],
            "A is fresh; two at most"
        );
        assert!(b.start(|_| false, |_| t0 + ttl).is_empty(), "no slot free");
        b.finished(&history("B"), t0 + ttl);
        b.read(history("B"), None, t0);
        assert_eq!(
            b.start(|_| false, |_| t0 + ttl),
            [history("D")],
            "B is not fetched twice within its TTL, even if asked"
        );
        b.finished(&history("C"), t0 + ttl);
        b.finished(&history("D"), t0 + ttl);

        assert!(
            b.want(vec![history("A")]).is_empty(),
            "A was wanted already"
        );
        assert_eq!(b.want(keys.clone()).len(), 3, "B, C, D scrolled back");
        for k in ["B", "C", "D"] {
            b.read(history(k), None, t0);
        }
        b.tick(t0 + ttl / 2);
        assert!(
            b.start(|_| false, |_| t0 + ttl).is_empty(),
            "within the TTL"
        );
        b.tick(t0 + ttl);
        assert_eq!(
            b.start(|_| false, |_| t0 + ttl).len(),
            2,
            "stale again: fetched"
        );

        b.want(Vec::new());
        assert!(
            b.start(|_| false, |_| t0 + ttl).is_empty(),
            "what left the screen is no longer fetched"
        );
        assert_eq!(b.in_flight(), 2);
    }

    #[test]
    fn a_key_the_screen_is_refreshing_is_left_to_it() {
        let t0 = Instant::now();
        let mut b = Background::default();
        b.want(vec![history("A")]);
        b.read(history("A"), None, t0);
        assert!(b.start(|_| true, |_| t0).is_empty());
        assert_eq!(b.in_flight(), 0);
    }
}
