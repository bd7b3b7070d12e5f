//! Stale-while-revalidate over the cache: cached data is returned at once, refreshes run in
//! background tasks, one per key at a time, and only a complete, plausible result is published.

mod background;
mod fetch;
mod shrink;
pub mod worker;

use fetch::fetch;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::cache::shared::Shared;
use crate::cache::{Cache, Entry, Key, Payload, Ttls};
use crate::model::{Timestamp, now};
use crate::snapshots::{self, Retention};
use crate::source::{self, HiveEngine, ProgressFn};

/// Why a refresh produced nothing to publish.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RefreshError {
    #[error(transparent)]
    Source(#[from] source::Error),
    #[error("offline: serving only what is cached")]
    Offline,
    #[error("the refresh stopped before it finished")]
    Cancelled,
    #[error("the history API answered {got} rows where {had} are cached; keeping the cached data")]
    Shrunk { had: usize, got: usize },
    #[error("the nodes answered no rows where {had} are cached; keeping the cached data")]
    Emptied { had: usize },
    #[error("kept locally: nothing to fetch")]
    LocalOnly,
}

impl RefreshError {
    /// What went wrong in a few whole words ("node refused", "no network", "offline"): what
    /// the status line, a pane's border and an empty view say; `Display` is the whole story.
    pub fn short_cause(&self) -> &'static str {
        match self {
            Self::Source(e) => e.short_cause(),
            Self::Offline => "offline",
            Self::Cancelled => "refresh stopped",
            Self::Shrunk { .. } | Self::Emptied { .. } => "rows missing",
            Self::LocalOnly => "kept locally",
        }
    }
}

pub type Outcome = Result<Entry, RefreshError>;

struct Flight {
    id: u64,
    started: Instant,
    rx: watch::Receiver<Option<Outcome>>,
    abort: tokio::task::AbortHandle,
}

/// The cache plus the client, with single-flight refreshes.
pub struct Swr {
    cache: Arc<Cache>,
    client: Option<Arc<HiveEngine>>,
    ttls: Ttls,
    flights: Mutex<HashMap<Key, Flight>>,
    ids: AtomicU64,
    /// A refresh older than this no longer blocks a new one (it may be wedged).
    max_flight_age: Duration,
    /// Which richlist snapshots are kept.
    retention: Retention,
    /// The shared tier on Redis, when one is configured.
    shared: Option<Arc<Shared>>,
}

/// Releases the key when the refresh task ends in any way: success, error, panic or abort.
struct FlightGuard {
    swr: Arc<Swr>,
    key: Key,
    id: u64,
    tx: watch::Sender<Option<Outcome>>,
}

impl Drop for FlightGuard {
    fn drop(&mut self) {
        let mut flights = self.swr.flights();
        if flights.get(&self.key).is_some_and(|f| f.id == self.id) {
            flights.remove(&self.key);
        }
        drop(flights);
        if self.tx.borrow().is_none() {
            self.tx.send_replace(Some(Err(RefreshError::Cancelled)));
        }
    }
}

/// What `Swr::get` found: the best data there is, and whether it is fresh.
#[derive(Debug)]
pub struct Got {
    pub entry: Option<Entry>,
    pub fresh: bool,
    pub error: Option<RefreshError>,
}

impl Swr {
    /// `client: None` is offline mode: nothing is ever fetched.
    pub fn new(cache: Arc<Cache>, client: Option<Arc<HiveEngine>>, ttls: Ttls) -> Arc<Self> {
        Arc::new(Self {
            cache,
            client,
            ttls,
            flights: Mutex::new(HashMap::new()),
            ids: AtomicU64::new(0),
            max_flight_age: Duration::from_secs(300),
            retention: Retention::default(),
            shared: None,
        })
    }

    /// The same, sharing fetched data with every instance on the Redis tier `shared`.
    pub fn with_shared(
        cache: Arc<Cache>,
        client: Option<Arc<HiveEngine>>,
        (ttls, retention): (Ttls, Retention),
        shared: Option<Arc<Shared>>,
    ) -> Arc<Self> {
        let mut swr = Self::with_retention(cache, client, ttls, retention);
        if let Some(s) = Arc::get_mut(&mut swr) {
            s.shared = shared;
        }
        swr
    }

    pub fn shared(&self) -> Option<&Arc<Shared>> {
        self.shared.as_ref()
    }

    /// The same, keeping richlist snapshots as `retention` says.
    pub fn with_retention(
        cache: Arc<Cache>,
        client: Option<Arc<HiveEngine>>,
        ttls: Ttls,
        retention: Retention,
    ) -> Arc<Self> {
        let mut swr = Self::new(cache, client, ttls);
        if let Some(s) = Arc::get_mut(&mut swr) {
            s.retention = retention;
        }
        swr
    }

    pub fn cache(&self) -> &Arc<Cache> {
        &self.cache
    }

    pub fn client(&self) -> Option<&Arc<HiveEngine>> {
        self.client.as_ref()
    }

    pub fn ttls(&self) -> &Ttls {
        &self.ttls
    }

    fn flights(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Flight>> {
        self.flights.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Refreshes running now.
    pub fn in_flight(&self) -> usize {
        self.flights().len()
    }

    pub fn is_in_flight(&self, key: &Key) -> bool {
        self.flights().contains_key(key)
    }

    /// Cancels the refresh of `key`, if one runs.
    pub fn abort(&self, key: &Key) {
        if let Some(f) = self.flights().get(key) {
            f.abort.abort();
        }
    }

    /// The cached value, however old, read off the async threads.
    pub async fn cached(&self, key: &Key) -> Option<Entry> {
        let (cache, key) = (self.cache.clone(), key.clone());
        tokio::task::spawn_blocking(move || cache.get(&key))
            .await
            .ok()
            .flatten()
    }

    pub fn is_fresh(&self, key: &Key, entry: &Entry, now: Timestamp) -> bool {
        self.ttls.is_fresh(key, entry.meta.fetched_at, now)
    }

    /// Starts a refresh of `key`, or joins the one already running, and waits for its outcome.
    /// The shared tier's copy is taken while it is within its TTL.
    pub async fn refresh(self: &Arc<Self>, key: &Key, progress: Option<ProgressFn>) -> Outcome {
        self.refresh_since(key, None, progress).await
    }

    /// The same, taking the shared tier's copy only if it was fetched after `since` (the moment
    /// an `r` or a `cache warm` started, or `--max-age` before now; times are whole seconds, so
    /// a copy from that very second is fetched again).
    pub async fn refresh_since(
        self: &Arc<Self>,
        key: &Key,
        since: Option<Timestamp>,
        progress: Option<ProgressFn>,
    ) -> Outcome {
        let mut rx = self.start(key, progress, since);
        loop {
            if let Some(outcome) = rx.borrow_and_update().clone() {
                return outcome;
            }
            if rx.changed().await.is_err() {
                return Err(RefreshError::Cancelled);
            }
        }
    }

    fn start(
        self: &Arc<Self>,
        key: &Key,
        progress: Option<ProgressFn>,
        since: Option<Timestamp>,
    ) -> watch::Receiver<Option<Outcome>> {
        let mut flights = self.flights();
        if let Some(f) = flights
            .get(key)
            .filter(|f| f.started.elapsed() < self.max_flight_age)
        {
            return f.rx.clone();
        }
        let (tx, rx) = watch::channel(None);
        let id = self.ids.fetch_add(1, Ordering::Relaxed);
        let guard = FlightGuard {
            swr: self.clone(),
            key: key.clone(),
            id,
            tx,
        };
        let task = tokio::spawn(async move {
            let outcome = guard
                .swr
                .fetch_and_publish(&guard.key, progress, since)
                .await;
            guard.tx.send_replace(Some(outcome));
        });
        // The flight is registered before the task can finish: its guard takes this same lock.
        flights.insert(
            key.clone(),
            Flight {
                id,
                started: Instant::now(),
                rx: rx.clone(),
                abort: task.abort_handle(),
            },
        );
        rx
    }

    async fn fetch_and_publish(
        &self,
        key: &Key,
        progress: Option<ProgressFn>,
        since: Option<Timestamp>,
    ) -> Outcome {
        match key {
            Key::Baseline(..) => return self.work_out(key).await,
            Key::Snapshot(..) => return Err(RefreshError::LocalOnly),
            _ => {}
        }
        let client = self.client.as_ref().ok_or(RefreshError::Offline)?;
        let Some(shared) = self.shared.clone() else {
            return self.fetch_upstream(client, key, progress).await;
        };
        // A newer entry another instance published is taken without any upstream request.
        if let Some(e) = self.adopt(&shared, key, since).await {
            return Ok(e);
        }
        // One fetch across machines: whoever holds the lease fetches; the others wait for its
        // result, or fetch themselves once the lease runs out (its holder vanished).
        let deadline = Instant::now() + shared.lease_time() + Duration::from_secs(1);
        while shared.lease(key).await == Some(false) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(150)).await;
            if let Some(e) = self.adopt(&shared, key, since).await {
                return Ok(e);
            }
        }
        let outcome = self.fetch_upstream(client, key, progress).await;
        if let Ok(entry) = &outcome {
            shared
                .put(
                    key,
                    &entry.meta,
                    &crate::cache::entry::encode(&entry.payload),
                )
                .await;
        }
        shared.release(key).await;
        outcome
    }

    /// The shared tier's entry of `key`, when it is fresh (fetched after `since`, or within its
    /// TTL) and newer than the local one: kept in sled (and as a snapshot) and
    /// returned. A value that does not decode is a miss.
    async fn adopt(&self, shared: &Shared, key: &Key, since: Option<Timestamp>) -> Option<Entry> {
        let held = self.cached(key).await.map(|e| e.meta.fetched_at);
        let wanted = |m: &crate::cache::Meta| {
            let fresh = match since {
                Some(since) => m.fetched_at > since,
                None => self.ttls.is_fresh(key, m.fetched_at, now()),
            };
            fresh && held.is_none_or(|h| m.fetched_at > h)
        };
        let (meta, bytes) = shared.get(key, wanted).await?;
        let payload = crate::cache::entry::decode(&bytes)?;
        let (cache, key) = (self.cache.clone(), key.clone());
        let retention = self.retention.clone();
        tokio::task::spawn_blocking(move || {
            let entry = cache.put(&key, payload, meta.provenance, meta.fetched_at);
            if let Payload::Richlist(r) = &*entry.payload
                && let Err(why) = snapshots::keep(&cache, r, meta.fetched_at, &retention)
            {
                tracing::warn!(%why, "richlist snapshot held in memory only");
            }
            entry
        })
        .await
        .ok()
    }

    /// Fetches `key` from the nodes, expecting each list about as long as the cached copy, and
    /// publishes it in sled (a richlist as a snapshot too) unless `shrink::refused` says no.
    async fn fetch_upstream(
        &self,
        client: &HiveEngine,
        key: &Key,
        progress: Option<ProgressFn>,
    ) -> Outcome {
        let fetched_at = now();
        let cached = self.cached(key).await;
        let (payload, provenance) = match &cached {
            Some(c) => {
                let expecting = client.expecting(shrink::expected(key, &c.payload, fetched_at));
                let fetched = fetch(&expecting, key, fetched_at, progress).await?;
                if let Some(refused) = shrink::refused(key, (&c.payload, &fetched.0), fetched_at) {
                    return Err(refused);
                }
                fetched
            }
            None => fetch(client, key, fetched_at, progress).await?,
        };
        let (cache, key) = (self.cache.clone(), key.clone());
        let retention = self.retention.clone();
        tokio::task::spawn_blocking(move || {
            let entry = cache.put(&key, payload, provenance, fetched_at);
            // Every complete richlist is kept as a snapshot too (after it is published).
            if let Payload::Richlist(r) = &*entry.payload
                && let Err(why) = snapshots::keep(&cache, r, fetched_at, &retention)
            {
                tracing::warn!(%why, "richlist snapshot held in memory only");
            }
            entry
        })
        .await
        .map_err(|_| RefreshError::Cancelled)
    }

    /// A key worked out from what the cache holds (a baseline of snapshots), never stored.
    async fn work_out(&self, key: &Key) -> Outcome {
        let (cache, key) = (self.cache.clone(), key.clone());
        tokio::task::spawn_blocking(move || {
            let Key::Baseline(symbol, since) = &key else {
                return Err(RefreshError::LocalOnly);
            };
            let t = now();
            let baseline = snapshots::baseline(&cache, symbol, *since, t);
            let meta = crate::cache::Meta {
                schema: crate::cache::SCHEMA,
                generation: u64::try_from(t).unwrap_or(0) ^ baseline.kept as u64,
                chunks: 0,
                bytes: 0,
                fetched_at: t,
                provenance: crate::model::Provenance {
                    node: "snapshots".into(),
                    block: None,
                },
            };
            Ok(Entry {
                meta,
                payload: Arc::new(Payload::Baseline(baseline)),
            })
        })
        .await
        .map_err(|_| RefreshError::Cancelled)?
    }

    /// The value of `key` for a one-shot reader (the CLI): cached if younger than `max_age`
    /// (or the TTL), else refreshed; if the refresh fails, the stale value and the error.
    pub async fn get(
        self: &Arc<Self>,
        key: &Key,
        max_age: Option<Duration>,
        progress: Option<ProgressFn>,
    ) -> Got {
        let cached = self.cached(key).await;
        let t = now();
        let fresh_enough = |e: &Entry| match max_age {
            // Younger than `max`: `--max-age 0` always refreshes.
            Some(max) => u64::try_from(t - e.meta.fetched_at).unwrap_or(0) < max.as_secs(),
            None => self.is_fresh(key, e, t),
        };
        let since = max_age.map(|max| t - Timestamp::try_from(max.as_secs()).unwrap_or(t));
        if let Some(e) = cached.as_ref().filter(|e| fresh_enough(e)) {
            return Got {
                entry: Some(e.clone()),
                fresh: true,
                error: None,
            };
        }
        match self.refresh_since(key, since, progress).await {
            Ok(entry) => Got {
                entry: Some(entry),
                fresh: true,
                error: None,
            },
            Err(error) => Got {
                entry: cached,
                fresh: false,
                error: Some(error),
            },
        }
    }
}
