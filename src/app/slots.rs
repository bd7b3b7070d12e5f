//! What the app knows of each key: the last data, whether it is fresh, and the refresh's state,
//! folded from the worker's reports into the one state a view shows.

use std::collections::HashMap;

use crate::cache::{Entry, Key, Payload};
use crate::model::Timestamp;
use crate::refresh::worker::Report;
use crate::source::Progress;

#[derive(Clone, Debug, Default)]
pub struct Slot {
    pub entry: Option<Entry>,
    /// The data is fresh before this time; after it, stale, whatever else happens.
    pub fresh_until: Option<Timestamp>,
    pub refreshing: bool,
    pub error: Option<String>,
    /// The error in a few whole words.
    pub cause: &'static str,
    pub retry_at: Option<Timestamp>,
    pub progress: Option<Progress>,
    /// The cache was read and had nothing.
    pub missing: bool,
}

/// The one state a view's status bar shows. A failure stays visible while the retry runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlotState {
    /// Nothing asked for yet.
    Unknown,
    Fresh {
        refreshing: bool,
    },
    /// Within its TTL, but the last refresh (asked for with `r`) failed.
    FreshFailed(Failure),
    Stale {
        refreshing: bool,
    },
    StaleFailed(Failure),
    Loading {
        progress: Option<Progress>,
    },
    Failed(Failure),
}

/// The last refresh error, and when the next attempt comes (or that it runs now).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub error: String,
    /// What went wrong in a few whole words ("node refused", "no network").
    pub cause: &'static str,
    pub retry_at: Option<Timestamp>,
    pub retrying: bool,
}

impl Slot {
    /// The state at `now`: freshness is the data's age against its TTL, computed every time.
    pub fn state(&self, now: Timestamp) -> SlotState {
        let fresh = self.fresh_until.is_some_and(|t| now < t);
        let failure = |e: &String| Failure {
            error: e.clone(),
            cause: self.cause,
            retry_at: self.retry_at,
            retrying: self.refreshing,
        };
        match (&self.entry, &self.error) {
            (Some(_), Some(e)) if fresh => SlotState::FreshFailed(failure(e)),
            (Some(_), None) if fresh => SlotState::Fresh {
                refreshing: self.refreshing,
            },
            (Some(_), Some(e)) => SlotState::StaleFailed(failure(e)),
            (Some(_), None) => SlotState::Stale {
                refreshing: self.refreshing,
            },
            (None, Some(e)) => SlotState::Failed(failure(e)),
            (None, None) if self.refreshing || self.missing => SlotState::Loading {
                progress: self.progress,
            },
            (None, None) => SlotState::Unknown,
        }
    }

    pub fn payload(&self) -> Option<&Payload> {
        self.entry.as_ref().map(|e| &*e.payload)
    }
}

pub fn key_of(report: &Report) -> Option<&Key> {
    match report {
        Report::Loaded { key, .. }
        | Report::Missing { key }
        | Report::Refreshing { key }
        | Report::Failed { key, .. }
        | Report::Progress { key, .. }
        | Report::Struggling { key, .. } => Some(key),
        Report::Exported(_) | Report::CacheWarning(_) | Report::Shared(_) => None,
    }
}

/// Every key's slot, and the time the app last ticked (states are computed at it).
#[derive(Clone, Debug, Default)]
pub struct Slots {
    slots: HashMap<Key, Slot>,
    now: Timestamp,
}

impl Slots {
    pub fn get(&self, key: &Key) -> Option<&Slot> {
        self.slots.get(key)
    }

    /// The clock the states are read at; `App::update` moves it on every tick.
    pub fn set_now(&mut self, now: Timestamp) {
        self.now = now;
    }

    pub fn state(&self, key: &Key) -> SlotState {
        self.slots
            .get(key)
            .map_or(SlotState::Unknown, |s| s.state(self.now))
    }

    pub fn payload(&self, key: &Key) -> Option<&Payload> {
        self.slots.get(key).and_then(Slot::payload)
    }

    pub fn apply(&mut self, report: Report) {
        let Some(key) = key_of(&report).cloned() else {
            return;
        };
        let slot = self.slots.entry(key).or_default();
        match report {
            Report::Loaded {
                entry,
                fresh,
                fresh_until,
                ..
            } => {
                // An older cached read can arrive after a newer refresh: keep the newer data.
                let newer = slot
                    .entry
                    .as_ref()
                    .is_none_or(|e| e.meta.fetched_at <= entry.meta.fetched_at);
                if newer {
                    slot.entry = Some(entry);
                    slot.fresh_until = Some(fresh_until);
                }
                if fresh {
                    slot.refreshing = false;
                    slot.error = None;
                    slot.retry_at = None;
                    slot.progress = None;
                }
                slot.missing = false;
            }
            Report::Missing { .. } => slot.missing = true,
            Report::Refreshing { .. } => {
                slot.refreshing = true;
                slot.progress = None;
            }
            Report::Failed {
                error,
                cause,
                retry_at,
                ..
            } => {
                slot.refreshing = false;
                slot.error = Some(error);
                slot.cause = cause;
                slot.retry_at = retry_at;
            }
            Report::Progress { progress, .. } => slot.progress = Some(progress),
            // Said as a failure while the refresh goes on: the state reads "retrying now".
            Report::Struggling { error, cause, .. } => {
                slot.error = Some(error);
                slot.cause = cause;
                slot.retry_at = None;
            }
            Report::Exported(_) | Report::CacheWarning(_) | Report::Shared(_) => {}
        }
    }
}
