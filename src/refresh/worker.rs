//! The app's refresh worker: takes requests from `App::update`, answers at once from the cache,
//! revalidates watched keys when their TTL runs out, retries failures with growing jittered
//! delays, and reports everything back as messages carrying their key.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::task::JoinSet;

mod retry;

use super::background::Background;
use super::{Outcome, RefreshError, Swr};
use crate::cache::{Entry, Key};
use crate::export::ScreenExport;
use crate::model::{Timestamp, now};
use crate::source::Progress;
use retry::next_try;

/// The cause said of a key that is not cached while `--offline` never fetches.
pub const NOT_CACHED: &str = "not cached";

/// What `App::update` asks of the worker.
#[derive(Debug)]
pub enum Request {
    /// The keys on screen now; others stop being revalidated.
    Watch(Vec<Key>),
    /// Refresh now, even if fresh (the `r` key).
    Refresh(Key),
    /// Warm these keys in the background if stale (start-up, favorites).
    Prewarm(Vec<Key>),
    /// The keys a screen would like at low priority (the tokens list's sparklines of the rows
    /// on screen): what the cache holds is reported at once, and what is stale or missing is
    /// fetched in the background, two at a time, each at most once per its TTL. Replaces the
    /// keys asked for before.
    Background(Vec<Key>),
    /// Write a screen's rows to CSV.
    Export(Box<ScreenExport>),
    /// Keep these favorites across runs.
    SaveFavorites(Vec<String>),
}

/// What the worker tells the app.
#[derive(Debug, Clone)]
pub enum Report {
    Loaded {
        key: Key,
        entry: Entry,
        /// Read or fetched within its TTL: a newer result than any failure before it.
        fresh: bool,
        /// When this data stops being fresh: the screen ages it on its own from then on.
        fresh_until: Timestamp,
    },
    Missing {
        key: Key,
    },
    Refreshing {
        key: Key,
    },
    Failed {
        key: Key,
        /// The whole story, for the messages list.
        error: String,
        /// The same in a few whole words (`RefreshError::short_cause`), for the status line.
        cause: &'static str,
        retry_at: Option<Timestamp>,
    },
    Progress {
        key: Key,
        progress: Progress,
    },
    /// Every node failed once during the refresh of `key`, which goes on retrying.
    Struggling {
        key: Key,
        error: String,
        cause: &'static str,
    },
    Exported(Result<PathBuf, String>),
    CacheWarning(String),
    /// The shared tier cannot be reached (in words), or can again (`None`).
    Shared(Option<String>),
}

enum Done {
    Read { key: Key, entry: Option<Entry> },
    Refreshed { key: Key, outcome: Outcome },
    Exported(Result<PathBuf, String>),
    Saved(Option<String>),
    Background(Key, Box<Done>),
}

#[derive(Default)]
struct Watched {
    failures: u32,
    due: Option<Instant>,
}

struct Worker {
    swr: Arc<Swr>,
    favorites_file: Option<PathBuf>,
    reports: mpsc::UnboundedSender<Report>,
    watched: HashMap<Key, Watched>,
    /// Refreshes running now: when each started, and whether its nodes' failures were told.
    refreshing: HashMap<Key, (Instant, bool)>,
    /// The key of each running refresh task, to free it even if the task panics.
    refresh_tasks: HashMap<tokio::task::Id, Key>,
    tasks: JoinSet<Done>,
    /// What was last said about the shared tier.
    shared_problem: Option<String>,
    background: Background,
    /// The key of each running background fetch, to free its slot even if the task panics.
    background_tasks: HashMap<tokio::task::Id, Key>,
}

/// Runs until the request channel closes.
pub async fn run(
    swr: Arc<Swr>,
    favorites_file: Option<PathBuf>,
    mut requests: mpsc::Receiver<Request>,
    reports: mpsc::UnboundedSender<Report>,
) {
    if let Some(w) = swr.cache().warning() {
        let _ = reports.send(Report::CacheWarning(w));
    }
    let mut w = Worker::new(swr, favorites_file, reports);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            request = requests.recv() => match request {
                Some(r) => w.handle(r),
                None => break,
            },
            Some(joined) = w.tasks.join_next_with_id() => w.joined(joined),
            _ = tick.tick() => w.revalidate(),
        }
    }
}

impl Worker {
    fn new(
        swr: Arc<Swr>,
        favorites_file: Option<PathBuf>,
        reports: mpsc::UnboundedSender<Report>,
    ) -> Self {
        Self {
            swr,
            favorites_file,
            reports,
            watched: HashMap::new(),
            refreshing: HashMap::new(),
            refresh_tasks: HashMap::new(),
            tasks: JoinSet::new(),
            shared_problem: None,
            background: Background::default(),
            background_tasks: HashMap::new(),
        }
    }

    /// A task ended. One that panicked is a failed refresh of its key, which is free again.
    fn joined(&mut self, joined: Result<(tokio::task::Id, Done), tokio::task::JoinError>) {
        match joined {
            Ok((id, done)) => {
                self.refresh_tasks.remove(&id);
                self.background_tasks.remove(&id);
                self.done(done);
            }
            Err(e) => {
                tracing::error!(error = %e, "a worker task stopped");
                if let Some(key) = self.background_tasks.remove(&e.id()) {
                    let again = self.background_again(&key, None);
                    self.background.finished(&key, again);
                }
                if let Some(key) = self.refresh_tasks.remove(&e.id()) {
                    self.refreshing.remove(&key);
                    self.failed(key, &RefreshError::Cancelled);
                }
            }
        }
    }

    fn track_refresh(&mut self, key: Key, refresh: impl Future<Output = Done> + Send + 'static) {
        let task = self.tasks.spawn(refresh);
        self.refresh_tasks.insert(task.id(), key);
    }

    fn send(&self, report: Report) {
        // The app has quit when nobody listens; there is nothing left to tell.
        let _ = self.reports.send(report);
    }

    fn handle(&mut self, request: Request) {
        match request {
            Request::Watch(keys) => {
                self.watched.retain(|k, _| keys.contains(k));
                for key in keys {
                    if !self.watched.contains_key(&key) {
                        self.watched.insert(key.clone(), Watched::default());
                        self.read(key);
                    }
                }
            }
            Request::Refresh(key) => {
                // The user asked: a node resting after failures is asked again now, and when
                // every node rests, all of them are.
                if let Some(client) = self.swr.client() {
                    client.wake();
                }
                self.start(key, Some(now()));
            }
            Request::Background(keys) => {
                for key in self.background.want(keys) {
                    self.read(key);
                }
            }
            Request::Prewarm(keys) => {
                for key in keys {
                    self.tasks.spawn(warm(self.swr.clone(), key));
                }
            }
            Request::SaveFavorites(symbols) => {
                if let Some(path) = self.favorites_file.clone() {
                    self.tasks.spawn_blocking(move || {
                        let text = symbols.join("\n") + "\n";
                        match crate::export::atomic_write(&path, |w| {
                            std::io::Write::write_all(w, text.as_bytes())
                        }) {
                            Ok(()) => Done::Saved(None),
                            Err(e) => Done::Saved(Some(format!(
                                "favorites not saved to {}: {e}",
                                path.display()
                            ))),
                        }
                    });
                }
            }
            Request::Export(job) => {
                self.tasks.spawn(async move {
                    let result = tokio::task::spawn_blocking(move || job.write())
                        .await
                        .unwrap_or_else(|e| Err(format!("export stopped: {e}")));
                    Done::Exported(result)
                });
            }
        }
    }

    fn read(&mut self, key: Key) {
        let swr = self.swr.clone();
        self.tasks.spawn(async move {
            let entry = swr.cached(&key).await;
            Done::Read { key, entry }
        });
    }

    /// A background key's cache was read: fresh, it waits for its TTL; else it is queued.
    fn background_read(&mut self, key: Key, entry: Option<&Entry>) {
        let fresh = entry
            .filter(|e| self.swr.is_fresh(&key, e, now()))
            .map(|e| self.background_again(&key, Some(e)));
        self.background.read(key, fresh, Instant::now());
        self.start_background();
    }

    /// When `key` may be fetched in the background again: when `entry` goes stale, or (none
    /// fetched) a TTL from now.
    fn background_again(&self, key: &Key, entry: Option<&Entry>) -> Instant {
        let ttls = self.swr.ttls();
        let secs = match entry {
            Some(e) => u64::try_from(ttls.fresh_until(key, e.meta.fetched_at) - now()).unwrap_or(0),
            None => ttls.of(key.kind()).as_secs(),
        };
        Instant::now() + Duration::from_secs(secs)
    }

    /// Starts what the low-priority queue may: never a key the screen is refreshing itself.
    fn start_background(&mut self) {
        let refreshing = &self.refreshing;
        let later = |k: &Key| Instant::now() + self.swr.ttls().of(k.kind());
        for key in self.background.start(|k| refreshing.contains_key(k), later) {
            let swr = self.swr.clone();
            let task_key = key.clone();
            let task = self.tasks.spawn(async move {
                let done = warm(swr, key.clone()).await;
                Done::Background(key, Box::new(done))
            });
            self.background_tasks.insert(task.id(), task_key);
        }
    }

    /// A background fetch ended: its data is told as a read is; its failure is not (nothing on
    /// screen waits for it), and it is not tried again before its TTL.
    fn background_done(&mut self, key: &Key, done: Done) {
        let again = self.background_again(key, None);
        self.background.finished(key, again);
        match done {
            Done::Refreshed {
                key,
                outcome: Ok(entry),
            } => self.done(Done::Read {
                key,
                entry: Some(entry),
            }),
            Done::Refreshed {
                key,
                outcome: Err(e),
            } => tracing::debug!(%key, error = %e, "background fetch failed"),
            read => self.done(read),
        }
        self.start_background();
    }

    /// Refreshes `key`; `since` (an `r`) refuses the shared tier's copies fetched before it.
    fn start(&mut self, key: Key, since: Option<Timestamp>) {
        // Offline never fetches: stale data is simply shown (the status line says offline).
        // What is worked out locally is worked out offline too.
        let offline = self.swr.client().is_none() && !key.is_local();
        if offline || self.refreshing.contains_key(&key) {
            return;
        }
        self.send(Report::Refreshing { key: key.clone() });
        self.refreshing.insert(key.clone(), (Instant::now(), false));
        let swr = self.swr.clone();
        let reports = self.reports.clone();
        let progress_key = key.clone();
        let progress: crate::source::ProgressFn = Arc::new(move |progress| {
            let _ = reports.send(Report::Progress {
                key: progress_key.clone(),
                progress,
            });
        });
        self.track_refresh(key.clone(), async move {
            let outcome = swr.refresh_since(&key, since, Some(progress)).await;
            Done::Refreshed { key, outcome }
        });
    }

    fn done(&mut self, done: Done) {
        match done {
            Done::Read { key, entry } => {
                let watched = self.watched.contains_key(&key);
                if !watched && self.background.wants(&key) {
                    self.background_read(key.clone(), entry.as_ref());
                }
                match entry {
                    Some(entry) => {
                        let fresh = self.swr.is_fresh(&key, &entry, now());
                        self.schedule(&key, &entry);
                        let fresh_until = self.swr.ttls().fresh_until(&key, entry.meta.fetched_at);
                        self.send(Report::Loaded {
                            key: key.clone(),
                            entry,
                            fresh,
                            fresh_until,
                        });
                        if watched && !fresh {
                            self.start(key, None);
                        }
                    }
                    None if watched && self.swr.client().is_none() && !key.is_local() => {
                        let error = "not in the cache, and --offline never fetches".to_owned();
                        self.send(Report::Failed {
                            key,
                            error,
                            cause: NOT_CACHED,
                            retry_at: None,
                        });
                    }
                    None if watched => {
                        self.send(Report::Missing { key: key.clone() });
                        self.start(key, None);
                    }
                    None => {}
                }
            }
            Done::Refreshed { key, outcome } => {
                self.refreshing.remove(&key);
                match outcome {
                    Ok(entry) => {
                        if let Some(w) = self.watched.get_mut(&key) {
                            w.failures = 0;
                        }
                        self.schedule(&key, &entry);
                        let fresh_until = self.swr.ttls().fresh_until(&key, entry.meta.fetched_at);
                        // What is worked out from this key is worked out again at once.
                        let following: Vec<Key> = self
                            .watched
                            .keys()
                            .filter(|w| w.follows().as_ref() == Some(&key))
                            .cloned()
                            .collect();
                        self.send(Report::Loaded {
                            key,
                            entry,
                            fresh: true,
                            fresh_until,
                        });
                        for k in following {
                            self.start(k, None);
                        }
                    }
                    Err(error) => self.failed(key, &error),
                }
                if let Some(w) = self.swr.cache().warning() {
                    self.send(Report::CacheWarning(w));
                }
            }
            Done::Background(key, done) => self.background_done(&key, *done),
            Done::Exported(result) => self.send(Report::Exported(result)),
            Done::Saved(Some(problem)) => self.send(Report::CacheWarning(problem)),
            Done::Saved(None) => {}
        }
    }

    /// Revalidate when the entry's jittered TTL runs out.
    fn schedule(&mut self, key: &Key, entry: &Entry) {
        if let Some(w) = self.watched.get_mut(key) {
            let ttl = self.swr.ttls().jittered(key, entry.meta.fetched_at);
            let expires =
                entry.meta.fetched_at + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2);
            let wait = u64::try_from(expires - now()).unwrap_or(0);
            w.due = Some(Instant::now() + Duration::from_secs(wait));
        }
    }

    fn failed(&mut self, key: Key, error: &RefreshError) {
        let permanent = match error {
            RefreshError::Offline => true,
            RefreshError::Source(e) => e.is_user_error(),
            _ => false,
        };
        let retry_at = match self.watched.get_mut(&key) {
            Some(w) if !permanent => {
                w.failures += 1;
                // When every node is cooling, trying before the first is back would fail at
                // once: the countdown on screen is when a request can really go out.
                let allowed = match error {
                    RefreshError::Source(crate::source::Error::AllCooling { retry_in, .. }) => {
                        *retry_in
                    }
                    _ => Duration::ZERO,
                };
                let delay = next_try(w.failures, allowed, self.swr.ttls().of(key.kind()));
                w.due = Some(Instant::now() + delay);
                Some(now() + i64::try_from(delay.as_secs()).unwrap_or(0))
            }
            Some(w) => {
                w.due = None;
                None
            }
            None => None,
        };
        self.send(Report::Failed {
            key,
            error: error.to_string(),
            cause: error.short_cause(),
            retry_at,
        });
    }

    /// A refresh whose every node has failed at least once is told as failing at once, while
    /// it goes on retrying: the user learns in seconds, not when the last retry gives up.
    fn tell_struggles(&mut self) {
        let Some(pool) = self.swr.client().map(|c| c.nodes()) else {
            return;
        };
        let mut told = Vec::new();
        for (key, (since, said)) in &mut self.refreshing {
            if !*said && pool.failing_since(*since) >= pool.len() {
                *said = true;
                let last = pool.last_failure();
                let cause =
                    crate::source::pool_cause(pool.len(), last.as_ref().map(|e| &e.failure));
                let last = last.map_or_else(String::new, |e| format!("; last: {e}"));
                told.push(Report::Struggling {
                    key: key.clone(),
                    error: format!("every node failed its first attempt{last}; still trying"),
                    cause,
                });
            }
        }
        for report in told {
            self.send(report);
        }
    }

    fn revalidate(&mut self) {
        self.tell_struggles();
        self.background.tick(Instant::now());
        self.start_background();
        let shared = self.swr.shared().and_then(|s| s.problem());
        if shared != self.shared_problem {
            self.shared_problem.clone_from(&shared);
            self.send(Report::Shared(shared));
        }
        let t = Instant::now();
        let due: Vec<Key> = self
            .watched
            .iter()
            .filter(|(k, w)| w.due.is_some_and(|d| d <= t) && !self.refreshing.contains_key(*k))
            .map(|(k, _)| k.clone())
            .collect();
        // A try is due: a node resting after failures is asked again now (a status probe, or
        // one request where there is no probe), so one that is back serves this very try.
        if !due.is_empty()
            && let Some(client) = self.swr.client()
        {
            client.recheck();
        }
        for key in due {
            if let Some(w) = self.watched.get_mut(&key) {
                w.due = None;
            }
            self.start(key, None);
        }
    }
}

/// What the cache holds for `key` when fresh, else (and online) a refresh of it.
async fn warm(swr: Arc<Swr>, key: Key) -> Done {
    let entry = swr.cached(&key).await;
    let stale = entry.as_ref().is_none_or(|e| !swr.is_fresh(&key, e, now()));
    if stale && swr.client().is_some() {
        let outcome = swr.refresh(&key, None).await;
        return Done::Refreshed { key, outcome };
    }
    Done::Read { key, entry }
}

#[cfg(test)]
mod tests;
