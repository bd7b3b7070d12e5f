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
    pub fresh: bool,
    pub refreshing: bool,
    pub error: Option<String>,
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
    pub retry_at: Option<Timestamp>,
    pub retrying: bool,
}

impl Slot {
    pub fn state(&self) -> SlotState {
        let failure = |e: &String| Failure {
            error: e.clone(),
            retry_at: self.retry_at,
            retrying: self.refreshing,
        };
        match (&self.entry, &self.error) {
            (Some(_), Some(e)) if self.fresh => SlotState::FreshFailed(failure(e)),
            (Some(_), None) if self.fresh => SlotState::Fresh {
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
        | Report::Progress { key, .. } => Some(key),
        Report::Exported(_) | Report::CacheWarning(_) => None,
    }
}

#[derive(Clone, Debug, Default)]
pub struct Slots(HashMap<Key, Slot>);

impl Slots {
    pub fn get(&self, key: &Key) -> Option<&Slot> {
        self.0.get(key)
    }

    pub fn state(&self, key: &Key) -> SlotState {
        self.0.get(key).map_or(SlotState::Unknown, Slot::state)
    }

    pub fn payload(&self, key: &Key) -> Option<&Payload> {
        self.0.get(key).and_then(Slot::payload)
    }

    pub fn apply(&mut self, report: Report) {
        let Some(key) = key_of(&report).cloned() else {
            return;
        };
        let slot = self.0.entry(key).or_default();
        match report {
            Report::Loaded { entry, fresh, .. } => {
                // An older cached read can arrive after a newer refresh: keep the newer data.
                let newer = slot
                    .entry
                    .as_ref()
                    .is_none_or(|e| e.meta.fetched_at <= entry.meta.fetched_at);
                if newer {
                    slot.entry = Some(entry);
                    slot.fresh = fresh;
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
                error, retry_at, ..
            } => {
                slot.refreshing = false;
                slot.error = Some(error);
                slot.retry_at = retry_at;
            }
            Report::Progress { progress, .. } => slot.progress = Some(progress),
            Report::Exported(_) | Report::CacheWarning(_) => {}
        }
    }
}
