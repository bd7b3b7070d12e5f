//! Health of each configured node: in-flight permits, consecutive failures, growing jittered
//! cool-downs with a probe before re-admission, and block height to rank lagging nodes last.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

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
    height: Option<u64>,
    probed_at: Option<Instant>,
}

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
}

impl NodePool {
    pub fn new(urls: &[String], per_node: usize, cfg: HealthConfig) -> Self {
        let nodes = urls
            .iter()
            .map(|u| Node {
                url: normalize(u),
                permits: Arc::new(Semaphore::new(per_node.max(1))),
                busy: AtomicUsize::new(0),
                health: Mutex::new(Health::default()),
            })
            .collect();
        Self { nodes, cfg }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Nodes not cooling down and not in `avoid`, best first: in step with the chain, then least
    /// busy, then in configured order.
    pub fn ranked(&self, avoid: &[usize]) -> Vec<usize> {
        let now = Instant::now();
        let top = self.nodes.iter().filter_map(|n| n.health().height).max();
        let mut ready: Vec<(bool, usize, usize)> = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(i, n)| !avoid.contains(i) && n.health().cool_until.is_none_or(|t| t <= now))
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

    /// When the first cooling node becomes usable again.
    pub fn earliest_ready(&self, avoid: &[usize]) -> Option<Instant> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(i, _)| !avoid.contains(i))
            .filter_map(|(_, n)| n.health().cool_until)
            .min()
    }

    /// A node back from a failure cool-down must pass a `GET /` probe before serving.
    pub fn needs_probe(&self, i: usize) -> bool {
        self.nodes[i].health().needs_probe
    }

    pub fn status_age(&self, i: usize) -> Option<Duration> {
        self.nodes[i].health().probed_at.map(|t| t.elapsed())
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

    pub fn on_success(&self, i: usize) {
        let mut h = self.nodes[i].health();
        h.failures = 0;
        h.cooldowns = 0;
        h.needs_probe = false;
    }

    /// Records a failed attempt. `cool`: `Some(ZERO)` cools now for the growing default,
    /// `Some(d)` cools for exactly `d` (a `Retry-After`, capped), `None` cools only after
    /// several failures in a row.
    pub fn on_failure(&self, i: usize, cool: Option<Duration>) {
        let mut h = self.nodes[i].health();
        h.failures += 1;
        let wait = match cool {
            Some(d) if !d.is_zero() => Some(d.min(self.cfg.retry_after_cap)),
            Some(_) => Some(self.grow(&mut h)),
            None if h.failures >= self.cfg.failures_before_cooldown => Some(self.grow(&mut h)),
            None => None,
        };
        if let Some(wait) = wait {
            h.cool_until = Some(Instant::now() + wait);
            h.needs_probe = cool.is_none_or(|d| d.is_zero());
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
mod tests {
    use super::*;

    fn pool(n: usize) -> NodePool {
        let urls: Vec<String> = (0..n).map(|i| format!("http://n{i}")).collect();
        NodePool::new(&urls, 3, HealthConfig::default())
    }

    #[test]
    fn a_cooling_node_is_not_ranked() {
        let p = pool(2);
        p.on_failure(0, Some(Duration::from_secs(10)));
        assert_eq!(p.ranked(&[]), vec![1]);
        assert!(
            !p.needs_probe(0),
            "a Retry-After is a rate limit, not an outage"
        );
    }

    #[test]
    fn repeated_failures_cool_and_require_a_probe() {
        let p = pool(2);
        for _ in 0..3 {
            assert!(p.ranked(&[]).contains(&0));
            p.on_failure(0, None);
        }
        assert_eq!(p.ranked(&[]), vec![1]);
        assert!(p.needs_probe(0));
    }

    #[test]
    fn lagging_nodes_come_last() {
        let p = pool(3);
        p.set_height(0, 1000);
        p.set_height(1, 2000);
        p.set_height(2, 1995);
        assert_eq!(p.ranked(&[]), vec![1, 2, 0]);
    }
}
