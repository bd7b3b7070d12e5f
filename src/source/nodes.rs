//! Health of each configured node: in-flight permits, consecutive failures, growing jittered
//! cool-downs with one probe before re-admission (half-open), block height to rank lagging
//! nodes last, and the page size a node allows.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, Semaphore};

use super::error::{AttemptError, Failure};
use super::paging::PAGE;

/// How node health reacts to failures.
#[derive(Clone, Debug)]
pub struct HealthConfig {
    pub failures_before_cooldown: u32,
    pub base_cooldown: Duration,
    pub max_cooldown: Duration,
    pub retry_after_cap: Duration,
    /// Blocks behind the highest known node before a node is used last.
    pub lag_tolerance: u64,
}

impl Default for HealthConfig {
    fn default() -> Self {
        Self {
            failures_before_cooldown: 3,
            base_cooldown: Duration::from_secs(30),
            max_cooldown: Duration::from_secs(600),
            retry_after_cap: Duration::from_secs(60),
            lag_tolerance: 20,
        }
    }
}

#[derive(Default)]
struct Health {
    failures: u32,
    cooldowns: u32,
    cool_until: Option<Instant>,
    needs_probe: bool,
    probing: bool,
    height: Option<u64>,
    probed_at: Option<Instant>,
    /// The node's own `maxLimit` when it said it is below ours.
    max_limit: Option<usize>,
    failed_at: Option<Instant>,
    /// The rest was the node's own word (a `Retry-After`), not one of ours after failures.
    told: bool,
}

impl Health {
    fn resting(&self, now: Instant) -> bool {
        self.cool_until.is_some_and(|t| t > now)
    }
}

/// A node that just failed is not asked again within this, however often a try comes.
const RECHECK_GAP: Duration = Duration::from_secs(1);

pub struct Node {
    pub url: String,
    pub permits: Arc<Semaphore>,
    /// Logical operations (a request, a paginated walk) running on this node now.
    pub busy: AtomicUsize,
    health: Mutex<Health>,
}

impl Node {
    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        // Health is plain counters: a panic elsewhere cannot leave it inconsistent.
        self.health.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub struct NodePool {
    pub nodes: Vec<Node>,
    cfg: HealthConfig,
    /// Nodes serve only after a status probe has answered (RPC nodes; not the history API).
    gated: bool,
    /// Woken whenever a probe ends.
    pub probed: Notify,
    /// When the first probe answered and how long it took: the others get as long again.
    first_answer: OnceLock<(Instant, Duration)>,
    last_failure: Mutex<Option<AttemptError>>,
    failed_probes: AtomicUsize,
}

impl NodePool {
    pub fn new(urls: &[String], per_node: usize, cfg: HealthConfig, gated: bool) -> Self {
        let nodes = urls
            .iter()
            .map(|u| Node {
                url: normalize(u),
                permits: Arc::new(Semaphore::new(per_node.max(1))),
                busy: AtomicUsize::new(0),
                health: Mutex::new(Health::default()),
            })
            .collect();
        Self {
            nodes,
            cfg,
            gated,
            probed: Notify::new(),
            first_answer: OnceLock::new(),
            last_failure: Mutex::new(None),
            failed_probes: AtomicUsize::new(0),
        }
    }

    pub fn is_gated(&self) -> bool {
        self.gated
    }

    /// Nodes that want a status probe now and are not cooling or being probed: never probed,
    /// back from a cool-down, or with a status older than `max_age`. Marks them as probing.
    pub fn take_probes(&self, max_age: Duration) -> Vec<usize> {
        let now = Instant::now();
        let mut due = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            let mut h = n.health();
            let cooling = h.cool_until.is_some_and(|t| t > now);
            let old = h.probed_at.is_none_or(|t| now.duration_since(t) > max_age);
            if !h.probing && !cooling && (h.height.is_none() || h.needs_probe || old) {
                h.probing = true;
                due.push(i);
            }
        }
        due
    }

    /// A try is due: each node resting after failures (not after its own `Retry-After`) is
    /// asked again now rather than when its growing rest ends. In a gated pool that is one
    /// status probe, and only a node that answers it serves; in a pool without probes, one
    /// request, and only when every node rests (another that can answer goes first).
    pub fn recheck(&self) {
        let now = Instant::now();
        if !self.gated && !self.all_cooling() {
            return;
        }
        for n in &self.nodes {
            let mut h = n.health();
            let settled = h
                .failed_at
                .is_none_or(|f| now.duration_since(f) >= RECHECK_GAP);
            if h.resting(now) && !h.told && !h.probing && settled {
                h.cool_until = Some(now);
            }
        }
    }

    /// The user asked for fresh data (`r`): nodes resting after failures are asked again at
    /// once, and when every node rests, even those that asked for the rest are.
    pub fn wake(&self) {
        let now = Instant::now();
        let all = self.all_cooling();
        if !self.gated && !all {
            return;
        }
        for n in &self.nodes {
            let mut h = n.health();
            if h.resting(now) && !h.probing && (all || !h.told) {
                h.cool_until = Some(now);
                h.told = false;
            }
        }
    }

    /// Records a probe's end: a status, or a failure that cools the node.
    pub fn probe_done(&self, i: usize, outcome: Result<u64, AttemptError>, took: Duration) {
        match outcome {
            Ok(height) => {
                self.set_height(i, height);
                self.on_success(i);
                let _ = self.first_answer.set((Instant::now(), took));
            }
            Err(e) => {
                self.failed_probes.fetch_add(1, Ordering::Relaxed);
                let cool = e.failure.cool().unwrap_or(Duration::ZERO);
                self.on_failure(i, Some(cool));
                self.record(e);
            }
        }
        self.nodes[i].health().probing = false;
        self.probed.notify_waiters();
    }

    /// Whether a node with no status yet is still being probed, inside the grace the first
    /// answer set: work waits that long so that a lagging node is not picked first by chance.
    pub fn settling(&self) -> bool {
        let unknown = self.nodes.iter().any(|n| {
            let h = n.health();
            h.probing && h.height.is_none()
        });
        let grace_over = self.first_answer.get().is_some_and(|(at, took)| {
            at.elapsed() >= (*took).clamp(Duration::from_millis(20), Duration::from_secs(1))
        });
        unknown && !grace_over
    }

    /// Probes that failed since the pool was made; a read counts them among its attempts.
    pub fn failed_probes(&self) -> usize {
        self.failed_probes.load(Ordering::Relaxed)
    }

    pub fn probing(&self) -> bool {
        self.nodes.iter().any(|n| n.health().probing)
    }

    /// A failed attempt on node `i`: it cools as `failure` says, and the words are kept for
    /// the status bar.
    pub fn failed(&self, i: usize, failure: Failure) -> AttemptError {
        self.on_failure(i, failure.cool());
        let e = AttemptError {
            node: self.nodes[i].url.clone(),
            failure,
        };
        self.record(e.clone());
        e
    }

    pub fn record(&self, e: AttemptError) {
        *self
            .last_failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(e);
    }

    pub fn last_failure(&self) -> Option<AttemptError> {
        self.last_failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many nodes have failed since `t` (a refresh that started then has seen them fail).
    pub fn failing_since(&self, t: Instant) -> usize {
        self.nodes
            .iter()
            .filter(|n| n.health().failed_at.is_some_and(|f| f >= t))
            .count()
    }

    /// Rows this node returns per `find` at most.
    pub fn page_limit(&self, i: usize) -> usize {
        self.nodes[i].health().max_limit.unwrap_or(PAGE)
    }

    /// The node said its `maxLimit` is `limit`: ask it for no more from now on.
    pub fn lower_page_limit(&self, i: usize, limit: usize) -> bool {
        let mut h = self.nodes[i].health();
        let lower = limit > 0 && limit < h.max_limit.unwrap_or(PAGE);
        if lower {
            h.max_limit = Some(limit);
        }
        lower
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Nodes ready for traffic and not in `avoid`, best first: in step with the chain, then
    /// least busy, then in configured order. Ready: not cooling and, in a gated pool, with a
    /// status from a probe since its last cool-down.
    pub fn ranked(&self, avoid: &[usize]) -> Vec<usize> {
        let now = Instant::now();
        let top = self.nodes.iter().filter_map(|n| n.health().height).max();
        let ready_now = |n: &Node| {
            let h = n.health();
            h.cool_until.is_none_or(|t| t <= now)
                && (!self.gated || (h.height.is_some() && !h.needs_probe))
        };
        let mut ready: Vec<(bool, usize, usize)> = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(i, n)| !avoid.contains(i) && ready_now(n))
            .map(|(i, n)| {
                let lagging = match (n.health().height, top) {
                    (Some(h), Some(t)) => h + self.cfg.lag_tolerance < t,
                    _ => false,
                };
                (lagging, n.busy.load(Ordering::Relaxed), i)
            })
            .collect();
        ready.sort_unstable();
        ready.into_iter().map(|(_, _, i)| i).collect()
    }

    /// When the first node that is cooling now becomes usable again; `None` if none cools.
    pub fn earliest_ready(&self) -> Option<Instant> {
        let now = Instant::now();
        self.nodes
            .iter()
            .filter_map(|n| n.health().cool_until)
            .filter(|&t| t > now)
            .min()
    }

    /// Whether every node is cooling down now.
    pub fn all_cooling(&self) -> bool {
        let now = Instant::now();
        self.nodes
            .iter()
            .all(|n| n.health().cool_until.is_some_and(|t| t > now))
    }

    /// A node back from a cool-down must pass a `GET /` probe before serving.
    pub fn needs_probe(&self, i: usize) -> bool {
        self.nodes[i].health().needs_probe
    }

    pub fn height(&self, i: usize) -> Option<u64> {
        self.nodes[i].health().height
    }

    pub fn set_height(&self, i: usize, height: u64) {
        let mut h = self.nodes[i].health();
        h.height = Some(height);
        h.probed_at = Some(Instant::now());
        h.needs_probe = false;
    }

    /// The node answered: it is up, and its rest after failures ends (one it asked for with
    /// a `Retry-After` is kept).
    pub fn on_success(&self, i: usize) {
        let mut h = self.nodes[i].health();
        h.failures = 0;
        h.cooldowns = 0;
        h.needs_probe = false;
        if !h.told {
            h.cool_until = None;
        }
    }

    /// Records a failed attempt. `cool`: `Some(ZERO)` cools now for the growing default,
    /// `Some(d)` cools for exactly `d` (a `Retry-After`, capped), `None` cools only after
    /// several failures in a row.
    pub fn on_failure(&self, i: usize, cool: Option<Duration>) {
        let mut h = self.nodes[i].health();
        h.failures += 1;
        h.failed_at = Some(Instant::now());
        let wait = match cool {
            Some(d) if !d.is_zero() => Some(d.min(self.cfg.retry_after_cap)),
            Some(_) => Some(self.grow(&mut h)),
            None if h.failures >= self.cfg.failures_before_cooldown => Some(self.grow(&mut h)),
            None => None,
        };
        if let Some(wait) = wait {
            // Half-open: after any cool-down one probe goes first, not a burst of traffic.
            h.cool_until = Some(Instant::now() + wait);
            h.needs_probe = true;
            h.told = cool.is_some_and(|d| !d.is_zero());
        }
    }

    fn grow(&self, h: &mut Health) -> Duration {
        let factor = 2_u32.saturating_pow(h.cooldowns.min(16));
        h.cooldowns += 1;
        let base = self
            .cfg
            .base_cooldown
            .saturating_mul(factor)
            .min(self.cfg.max_cooldown);
        base.mul_f64(0.8 + 0.4 * rand::random::<f64>())
    }
}

/// Base URLs end in `/` so that `contracts` and `blockchain` can be appended.
pub fn normalize(url: &str) -> String {
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}

#[cfg(test)]
mod tests;
