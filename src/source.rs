//! `HiveEngine`: the only code that talks to the network. Reads go to the healthiest node,
//! fail over on errors, honour `Retry-After`, and respect a per-node in-flight cap.

mod account;
mod error;
mod keyspace;
mod nodes;
mod paging;
mod pools;
mod reads;
mod richlist;
mod transport;
mod typed;
pub mod wire;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub use error::{AttemptError, Error, Failure, pool_cause};
pub use nodes::{HealthConfig, NodePool};
pub use pools::orientations;
pub use reads::GENESIS;
pub use transport::TransportConfig;

use crate::model::Provenance;

/// Built-in public RPC nodes (hive-engine-protocol.md §6); `--node` replaces them.
pub const DEFAULT_NODES: &[&str] = &[
    "https://api.hive-engine.com/rpc/",
    "https://api2.hive-engine.com/rpc/",
    "https://enginerpc.com/",
    "https://engine.rishipanthee.com/",
    "https://herpc.dtools.dev/",
    "https://api.primersion.com/",
];
pub const DEFAULT_HISTORY_URL: &str = "https://history.hive-engine.com/";

/// Everything that shapes how the client talks to nodes.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub nodes: Vec<String>,
    pub history_url: String,
    pub transport: TransportConfig,
    pub health: HealthConfig,
    pub per_node_in_flight: usize,
    /// The longest one logical read (one request, or one whole paginated walk) may take.
    pub deadline: Duration,
    /// Status (block height) older than this is re-read with `GET /` in the background.
    pub status_max_age: Duration,
    /// When every node is cooling down for longer than this, a read fails at once and says
    /// when a retry is allowed instead of waiting.
    pub max_wait_for_node: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            nodes: DEFAULT_NODES.iter().map(|s| (*s).to_owned()).collect(),
            history_url: DEFAULT_HISTORY_URL.to_owned(),
            transport: TransportConfig::default(),
            health: HealthConfig::default(),
            per_node_in_flight: 3,
            deadline: Duration::from_secs(30),
            status_max_age: Duration::from_secs(60),
            max_wait_for_node: Duration::from_secs(5),
        }
    }
}

/// A value read from a node, with where it came from.
#[derive(Clone, Debug)]
pub struct Fetched<T> {
    pub value: T,
    pub provenance: Provenance,
}

/// Rows and pages fetched so far by a long read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub rows: u64,
    pub pages: u64,
}

pub type ProgressFn = std::sync::Arc<dyn Fn(Progress) + Send + Sync>;

pub struct HiveEngine {
    rpc: Arc<NodePool>,
    history: Arc<NodePool>,
    transport: transport::Transport,
    cfg: ClientConfig,
    ids: AtomicU64,
    /// How many rows each table's list held when last read (the cached copy): a walk that
    /// ends much shorter has its end confirmed by another node.
    expected: Arc<[(&'static str, usize)]>,
}

/// Rounds over every node (each ending with all of them failed or cooling) before a read gives up.
const MAX_ROUNDS: u32 = 3;

/// Marks a node busy with one logical operation while alive (ranking spreads work by it).
struct Busy<'a>(&'a nodes::Node);

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
    }
}

impl HiveEngine {
    pub fn new(cfg: ClientConfig) -> Result<Self, Error> {
        if cfg.nodes.is_empty() {
            return Err(Error::NoNodes);
        }
        let transport = transport::Transport::new(cfg.transport.clone()).map_err(|failure| {
            Error::Fatal(AttemptError {
                node: "client".into(),
                failure,
            })
        })?;
        Ok(Self {
            rpc: Arc::new(NodePool::new(
                &cfg.nodes,
                cfg.per_node_in_flight,
                cfg.health.clone(),
                true,
            )),
            history: Arc::new(NodePool::new(
                std::slice::from_ref(&cfg.history_url),
                cfg.per_node_in_flight,
                cfg.health.clone(),
                false,
            )),
            transport,
            ids: AtomicU64::new(1),
            cfg,
            expected: Arc::new([]),
        })
    }

    /// The same client, on the same nodes and their health, expecting each table's list to
    /// hold about as many rows as `lists` says (`(table, rows)`).
    #[must_use]
    pub fn expecting(&self, lists: Vec<(&'static str, usize)>) -> Self {
        Self {
            rpc: self.rpc.clone(),
            history: self.history.clone(),
            transport: self.transport.clone(),
            cfg: self.cfg.clone(),
            ids: AtomicU64::new(self.ids.load(Ordering::Relaxed)),
            expected: lists.into(),
        }
    }

    /// The rows `table`'s list held when last read, if known.
    fn expected(&self, table: &str) -> Option<usize> {
        self.expected
            .iter()
            .find(|(t, _)| *t == table)
            .map(|&(_, rows)| rows)
    }

    pub fn nodes(&self) -> &NodePool {
        &self.rpc
    }

    /// A try is due: nodes resting after failures are asked again now (`NodePool::recheck`).
    pub fn recheck(&self) {
        self.rpc.recheck();
        self.history.recheck();
    }

    /// The user asked for fresh data: as `recheck`, whatever the delay, and every node when
    /// every node rests (`NodePool::wake`).
    pub fn wake(&self) {
        self.rpc.wake();
        self.history.wake();
    }

    fn request(&self, method: &str, params: Value) -> Value {
        let id = self.ids.fetch_add(1, Ordering::Relaxed);
        let mut request = json!({"jsonrpc": "2.0", "id": id, "method": method});
        request["params"] = params;
        request
    }

    fn provenance(&self, node: usize) -> Provenance {
        Provenance {
            node: self.rpc.nodes[node].url.clone(),
            block: self.rpc.height(node),
        }
    }

    /// Reads every node's status (block height) now, concurrently, and waits for all of them.
    pub async fn probe_all(&self) {
        self.start_probes();
        while self.rpc.probing() {
            wait_for_probe(&self.rpc).await;
        }
    }

    /// Starts a `GET /` probe of every RPC node that needs one, each in its own task: a probe
    /// never holds up work on the nodes that already answered.
    fn start_probes(&self) {
        for i in self.rpc.take_probes(self.cfg.status_max_age) {
            let (pool, transport) = (self.rpc.clone(), self.transport.clone());
            tokio::spawn(async move {
                let started = Instant::now();
                let outcome = probe(&pool, &transport, i)
                    .await
                    .map_err(|failure| AttemptError {
                        node: pool.nodes[i].url.clone(),
                        failure,
                    });
                if let Err(e) = &outcome {
                    tracing::warn!(error = %e, "status probe failed");
                }
                pool.probe_done(i, outcome, started.elapsed());
            });
        }
    }

    /// One `contracts` request with failover, its body read by `read` (an answer `read` refuses
    /// is that node's failure); returns what it read and the node that answered. `avoid` asks
    /// for a second opinion from another node than the first answer's.
    async fn contracts<T>(
        &self,
        (method, params): (&str, Value),
        avoid: Option<usize>,
        read: fn(&[u8]) -> Result<T, Failure>,
    ) -> Result<(T, usize), Error> {
        let request = self.request(method, params);
        self.failover(&self.rpc, avoid, |i| {
            let request = &request;
            async move {
                let node = &self.rpc.nodes[i];
                let body = {
                    let _permit = node
                        .permits
                        .acquire()
                        .await
                        .map_err(|e| Failure::Transport(e.to_string()))?;
                    self.transport
                        .call_body(&format!("{}contracts", node.url), request)
                        .await?
                };
                read(&body)
            }
        })
        .await
    }

    /// Runs `op` on the best RPC node, failing over until it succeeds, a fatal error, the
    /// attempt budget or the deadline.
    async fn on_rpc_nodes<T, F, Fut>(&self, op: F) -> Result<(T, usize), Error>
    where
        F: FnMut(usize) -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        self.failover(&self.rpc, None, op).await
    }

    async fn failover<T, F, Fut>(
        &self,
        pool: &NodePool,
        avoid: Option<usize>,
        mut op: F,
    ) -> Result<(T, usize), Error>
    where
        F: FnMut(usize) -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        let last: Mutex<Option<AttemptError>> = Mutex::new(None);
        let last_words = || {
            last.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone()
                .or_else(|| pool.last_failure())
        };
        let budget = u32::try_from(pool.len() * 2).unwrap_or(u32::MAX).max(3);
        let give_up_at = Instant::now() + self.cfg.deadline;
        let probes_before = pool.failed_probes();
        let exhausted = |attempts: u32| {
            let probes = pool.failed_probes().saturating_sub(probes_before);
            let attempts = attempts.saturating_add(u32::try_from(probes).unwrap_or(u32::MAX));
            match last_words() {
                Some(last) => Error::Exhausted {
                    nodes: pool.len(),
                    attempts,
                    last,
                },
                None => Error::NoNodes,
            }
        };
        let run = async {
            let mut attempts = 0;
            let fresh = || {
                avoid
                    .into_iter()
                    .filter(|_| pool.len() > 1)
                    .collect::<Vec<usize>>()
            };
            let mut tried = fresh();
            let mut rounds = 0_u32;
            loop {
                if pool.is_gated() {
                    self.start_probes();
                }
                let ready = pool.ranked(&tried);
                if pool.settling() || (ready.is_empty() && pool.probing()) {
                    wait_for_probe(pool).await;
                    continue;
                }
                let Some(&i) = ready.first() else {
                    rounds += 1;
                    if rounds > MAX_ROUNDS {
                        return Err(exhausted(attempts));
                    }
                    if let Err(retry_in) = self.between_rounds(pool, rounds, give_up_at).await {
                        let last = last_words();
                        return Err(Error::AllCooling {
                            nodes: pool.len(),
                            retry_in,
                            last,
                        });
                    }
                    tried = fresh();
                    continue;
                };
                if attempts >= budget {
                    return Err(exhausted(attempts));
                }
                attempts += 1;
                pool.nodes[i].busy.fetch_add(1, Ordering::Relaxed);
                let busy = Busy(&pool.nodes[i]);
                let outcome = op(i).await;
                drop(busy);
                match outcome {
                    Ok(v) => {
                        pool.on_success(i);
                        return Ok((v, i));
                    }
                    Err(failure) => {
                        tracing::warn!(node = %pool.nodes[i].url, attempt = attempts, error = %failure, "read failed");
                        let e = pool.failed(i, failure);
                        *last
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(e);
                        tried.push(i);
                    }
                }
            }
        };
        match tokio::time::timeout(self.cfg.deadline, run).await {
            Ok(result) => result,
            Err(_) => Err(Error::Deadline {
                after: self.cfg.deadline,
                last: last_words(),
            }),
        }
    }

    /// Waits for the next round over the nodes once none is ready: until the first cooling node
    /// is back, or a backoff when every node was tried. When every node cools for longer than
    /// a read should wait, returns how long instead.
    async fn between_rounds(
        &self,
        pool: &NodePool,
        round: u32,
        give_up_at: Instant,
    ) -> Result<(), Duration> {
        match pool.earliest_ready().filter(|_| pool.all_cooling()) {
            Some(wake) => {
                let wait = wake.saturating_duration_since(Instant::now());
                if wait > self.cfg.max_wait_for_node || wake > give_up_at {
                    return Err(wait);
                }
                tokio::time::sleep_until(wake.into()).await;
            }
            None => tokio::time::sleep(self.backoff(round)).await,
        }
        Ok(())
    }

    /// Full-jitter exponential backoff between rounds over all nodes.
    fn backoff(&self, round: u32) -> Duration {
        let t = &self.cfg.transport;
        let cap = t
            .min_backoff
            .saturating_mul(2_u32.saturating_pow(round.min(16)))
            .min(t.max_backoff);
        cap.mul_f64(rand::random::<f64>())
            .max(Duration::from_millis(1))
    }
}

/// Probes answer within one round trip: wait for the next one to end, not for a timer.
async fn wait_for_probe(pool: &NodePool) {
    let woken = pool.probed.notified();
    tokio::pin!(woken);
    woken.as_mut().enable();
    let _ = tokio::time::timeout(Duration::from_millis(25), woken).await;
}

/// `GET /` on one RPC node: cheap health check and block height.
async fn probe(
    pool: &NodePool,
    transport: &transport::Transport,
    i: usize,
) -> Result<u64, Failure> {
    let node = &pool.nodes[i];
    let _permit = node
        .permits
        .acquire()
        .await
        .map_err(|e| Failure::Transport(e.to_string()))?;
    let status = transport.get(&node.url).await?;
    status
        .get("lastBlockNumber")
        .and_then(Value::as_u64)
        .ok_or_else(|| Failure::Garbled("status without lastBlockNumber".into()))
}
