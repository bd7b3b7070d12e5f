//! `HiveEngine`: the only code that talks to the network. Reads go to the healthiest node,
//! fail over on errors, honour `Retry-After`, and respect a per-node in-flight cap.

mod error;
mod nodes;
mod paging;
mod reads;
mod richlist;
mod transport;
pub mod wire;

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

pub use error::{AttemptError, Error, Failure, Next};
pub use nodes::{HealthConfig, NodePool};
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
    /// Status (block height) older than this is re-read with `GET /` before a node is used.
    pub status_max_age: Duration,
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
    rpc: NodePool,
    history: NodePool,
    transport: transport::Transport,
    cfg: ClientConfig,
    ids: AtomicU64,
}

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
            rpc: NodePool::new(&cfg.nodes, cfg.per_node_in_flight, cfg.health.clone()),
            history: NodePool::new(
                std::slice::from_ref(&cfg.history_url),
                cfg.per_node_in_flight,
                cfg.health.clone(),
            ),
            transport,
            ids: AtomicU64::new(1),
            cfg,
        })
    }

    pub fn nodes(&self) -> &NodePool {
        &self.rpc
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

    /// Reads every node's status (block height) now, concurrently.
    pub async fn probe_all(&self) {
        let probes = (0..self.rpc.len()).map(|i| async move {
            match self.probe(i).await {
                Ok(()) => self.rpc.on_success(i),
                Err(f) => self.rpc.on_failure(i, f.next_cool()),
            }
        });
        futures::future::join_all(probes).await;
    }

    /// `GET /` on one RPC node: cheap health check and block height.
    async fn probe(&self, i: usize) -> Result<(), Failure> {
        let node = &self.rpc.nodes[i];
        let _permit = node
            .permits
            .acquire()
            .await
            .map_err(|e| Failure::Transport(e.to_string()))?;
        let status = self.transport.get(&node.url).await?;
        let height = status
            .get("lastBlockNumber")
            .and_then(Value::as_u64)
            .ok_or_else(|| Failure::Garbled("status without lastBlockNumber".into()))?;
        self.rpc.set_height(i, height);
        Ok(())
    }

    /// One `contracts` request with failover; returns the result and the node that answered.
    /// `avoid` asks for a second opinion from another node than the first answer's.
    async fn contracts(
        &self,
        method: &str,
        params: Value,
        avoid: Option<usize>,
    ) -> Result<(Value, usize), Error> {
        let request = self.request(method, params);
        self.failover(&self.rpc, true, avoid, |i| {
            let request = &request;
            async move {
                let node = &self.rpc.nodes[i];
                let _permit = node
                    .permits
                    .acquire()
                    .await
                    .map_err(|e| Failure::Transport(e.to_string()))?;
                self.transport
                    .call(&format!("{}contracts", node.url), request)
                    .await
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
        self.failover(&self.rpc, true, None, op).await
    }

    async fn failover<T, F, Fut>(
        &self,
        pool: &NodePool,
        probe: bool,
        avoid: Option<usize>,
        mut op: F,
    ) -> Result<(T, usize), Error>
    where
        F: FnMut(usize) -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        let last: Mutex<Option<AttemptError>> = Mutex::new(None);
        let record = |i: usize, failure: Failure| {
            let e = AttemptError {
                node: pool.nodes[i].url.clone(),
                failure,
            };
            *last
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(e.clone());
            e
        };
        let budget = u32::try_from(pool.len() * 2).unwrap_or(u32::MAX).max(3);
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
                let Some(&i) = pool.ranked(&tried).first() else {
                    // Every node was tried or is cooling: wait for the first to come back.
                    let wake = pool.earliest_ready(&[]);
                    tried = fresh();
                    rounds += 1;
                    match wake {
                        Some(t) if t > std::time::Instant::now() => {
                            tokio::time::sleep_until(t.into()).await;
                        }
                        _ => tokio::time::sleep(self.backoff(rounds)).await,
                    }
                    continue;
                };
                if attempts >= budget {
                    let last = last
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .clone();
                    return Err(match last {
                        Some(last) => Error::Exhausted { attempts, last },
                        None => Error::NoNodes,
                    });
                }
                attempts += 1;
                let stale = pool
                    .status_age(i)
                    .is_none_or(|age| age > self.cfg.status_max_age);
                let probed = if probe && (pool.needs_probe(i) || stale) {
                    self.probe(i).await
                } else {
                    Ok(())
                };
                if let Err(f) = probed {
                    tracing::warn!(node = %pool.nodes[i].url, error = %f, "probe failed");
                    pool.on_failure(i, f.next_cool());
                    record(i, f);
                    tried.push(i);
                    continue;
                }
                pool.nodes[i].busy.fetch_add(1, Ordering::Relaxed);
                let busy = Busy(&pool.nodes[i]);
                let outcome = op(i).await;
                drop(busy);
                match outcome {
                    Ok(v) => {
                        pool.on_success(i);
                        return Ok((v, i));
                    }
                    Err(f) => {
                        tracing::warn!(node = %pool.nodes[i].url, attempt = attempts, error = %f, "read failed");
                        match f.next() {
                            Next::GiveUp => return Err(Error::Fatal(record(i, f))),
                            Next::FailOver { cool } => {
                                pool.on_failure(i, cool);
                                record(i, f);
                                tried.push(i);
                            }
                        }
                    }
                }
            }
        };
        match tokio::time::timeout(self.cfg.deadline, run).await {
            Ok(result) => result,
            Err(_) => Err(Error::Deadline {
                after: self.cfg.deadline,
                last: last
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .clone(),
            }),
        }
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

impl Failure {
    /// The cool-down a failure asks for, for bookkeeping outside a failover loop.
    fn next_cool(&self) -> Option<Duration> {
        match self.next() {
            Next::FailOver { cool } => cool,
            Next::GiveUp => None,
        }
    }
}
