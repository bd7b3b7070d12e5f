//! The optional shared tier on a Redis server, behind sled: entries any instance published (in
//! chunks, behind one pointer, so a reader never sees half a generation), and short leases so
//! that one instance across machines fetches a key while the others wait or serve what they
//! have. Every call has a tight timeout; while Redis is unreachable the tier steps aside for a
//! while and says so, and sled and the nodes carry on.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};

use super::{Key, Meta, SCHEMA};
use crate::model::Provenance;

/// Bytes per chunk in Redis.
const CHUNK: usize = 256 * 1024;
/// How long published entries live in Redis (sled keeps its own copy).
const KEEP_SECS: u64 = 2 * 86_400;
/// How long the chunks of a replaced generation stay, for readers that followed the old
/// pointer a moment ago.
const GRACE_SECS: u64 = 60;
/// After a failure, Redis is left alone this long before it is tried again.
const REST: Duration = Duration::from_secs(5);

/// What a reader follows to one complete generation.
#[derive(Serialize, Deserialize)]
struct Pointer {
    schema: u32,
    generation: u64,
    chunks: u32,
    bytes: u64,
    fetched_at: i64,
    node: String,
}

pub struct Shared {
    client: redis::Client,
    conn: tokio::sync::Mutex<Option<ConnectionManager>>,
    prefix: String,
    timeout: Duration,
    lease: Duration,
    /// Who holds a lease: this process.
    me: String,
    /// Since when, and why, Redis cannot be reached.
    down: Mutex<Option<(Instant, String)>>,
}

impl Shared {
    /// A tier at `url` (`redis://` or `rediss://`); nothing is connected yet.
    pub fn new(url: &str, prefix: &str, lease: Duration) -> Result<Self, String> {
        let client = redis::Client::open(url).map_err(|e| format!("--shared-cache {url}: {e}"))?;
        Ok(Self {
            client,
            conn: tokio::sync::Mutex::new(None),
            prefix: prefix.to_owned(),
            timeout: Duration::from_millis(500),
            lease,
            me: format!("{}-{}", std::process::id(), crate::model::now()),
            down: Mutex::new(None),
        })
    }

    /// Why the shared tier is not used now, in words; `None` while it works.
    pub fn problem(&self) -> Option<String> {
        self.down
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .map(|(_, why)| format!("shared cache unreachable ({why})"))
    }

    fn failed(&self, why: &str) {
        let mut down = self
            .down
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if down.is_none() {
            tracing::warn!(why, "shared cache unreachable");
        }
        *down = Some((Instant::now(), why.chars().take(120).collect()));
    }

    /// Runs `cmd` with the timeout, connecting first if needed; `None` (and a rest) on failure.
    async fn run<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Option<T> {
        let resting = self
            .down
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .is_some_and(|(at, _)| at.elapsed() < REST);
        if resting {
            return None;
        }
        let mut slot = self.conn.lock().await;
        if slot.is_none() {
            let connect = ConnectionManager::new(self.client.clone());
            match tokio::time::timeout(self.timeout, connect).await {
                Ok(Ok(c)) => *slot = Some(c),
                Ok(Err(e)) => {
                    self.failed(&e.to_string());
                    return None;
                }
                Err(_) => {
                    self.failed("no answer in time");
                    return None;
                }
            }
        }
        let mut conn = slot.clone()?;
        drop(slot);
        self.settle(tokio::time::timeout(self.timeout, cmd.query_async::<T>(&mut conn)).await)
    }

    /// An answer in time clears any note; an error or silence sets one and rests the tier.
    fn settle<T>(
        &self,
        answer: Result<redis::RedisResult<T>, tokio::time::error::Elapsed>,
    ) -> Option<T> {
        match answer {
            Ok(Ok(v)) => {
                *self
                    .down
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
                Some(v)
            }
            Ok(Err(e)) => {
                self.failed(&e.to_string());
                None
            }
            Err(_) => {
                self.failed("no answer in time");
                None
            }
        }
    }

    fn name(&self, key: &Key, part: &str) -> String {
        format!(
            "{}:v{SCHEMA}:{}:{}:{part}",
            self.prefix,
            key.kind().name(),
            key.id()
        )
    }

    /// The pointer to `key`'s newest generation, when there is one of this version.
    async fn pointer(&self, key: &Key) -> Option<Pointer> {
        let raw: Option<Vec<u8>> = self
            .run(redis::cmd("GET").arg(self.name(key, "meta")))
            .await?;
        let p: Pointer = postcard::from_bytes(&raw?).ok()?;
        (p.schema == SCHEMA && p.chunks > 0).then_some(p)
    }

    /// The entry any instance published for `key`, when its metadata is `wanted` (fresh and
    /// newer than what is held: the chunks are read only then). `None` also for a value that
    /// is not whole or not of this version: a miss, never an error.
    pub async fn get(&self, key: &Key, wanted: impl Fn(&Meta) -> bool) -> Option<(Meta, Vec<u8>)> {
        let p = self.pointer(key).await?;
        let meta = Meta {
            schema: SCHEMA,
            generation: p.generation,
            chunks: p.chunks,
            bytes: p.bytes,
            fetched_at: p.fetched_at,
            provenance: Provenance {
                node: p.node,
                block: None,
            },
        };
        if !wanted(&meta) {
            return None;
        }
        let mut mget = redis::cmd("MGET");
        for n in 0..p.chunks {
            mget.arg(self.name(key, &format!("{:016x}:{n}", p.generation)));
        }
        let chunks: Vec<Option<Vec<u8>>> = self.run(&mget).await?;
        let mut bytes = Vec::with_capacity(usize::try_from(p.bytes).unwrap_or(0));
        for chunk in chunks {
            bytes.extend(chunk?);
        }
        (bytes.len() as u64 == p.bytes).then_some((meta, bytes))
    }

    /// Publishes `bytes` as `key`'s newest generation: the chunks first, then the pointer; the
    /// generation it replaces goes a minute later.
    pub async fn put(&self, key: &Key, meta: &Meta, bytes: &[u8]) {
        let old = self.pointer(key).await;
        let chunks = bytes.chunks(CHUNK).collect::<Vec<_>>();
        let mut pipe = redis::pipe();
        for (n, chunk) in chunks.iter().enumerate() {
            let name = self.name(key, &format!("{:016x}:{n}", meta.generation));
            pipe.cmd("SET")
                .arg(name)
                .arg(*chunk)
                .arg("EX")
                .arg(KEEP_SECS)
                .ignore();
        }
        let pointer = Pointer {
            schema: SCHEMA,
            generation: meta.generation,
            chunks: u32::try_from(chunks.len()).unwrap_or(u32::MAX),
            bytes: bytes.len() as u64,
            fetched_at: meta.fetched_at,
            node: meta.provenance.node.clone(),
        };
        let pointer = postcard::to_allocvec(&pointer).unwrap_or_default();
        pipe.cmd("SET")
            .arg(self.name(key, "meta"))
            .arg(pointer)
            .arg("EX")
            .arg(KEEP_SECS)
            .ignore();
        for n in old
            .iter()
            .filter(|o| o.generation != meta.generation)
            .flat_map(|o| 0..o.chunks)
        {
            let generation = old.as_ref().map_or(0, |o| o.generation);
            let name = self.name(key, &format!("{generation:016x}:{n}"));
            pipe.cmd("EXPIRE").arg(name).arg(GRACE_SECS).ignore();
        }
        let _: Option<()> = self.run_pipe(&pipe).await;
    }

    async fn run_pipe(&self, pipe: &redis::Pipeline) -> Option<()> {
        let mut conn = self.conn.lock().await.clone()?;
        let write = pipe.query_async::<()>(&mut conn);
        // A big value gets more time than one command.
        self.settle(tokio::time::timeout(self.timeout * 8, write).await)
    }

    /// Takes the lease on fetching `key`: `Some(true)` when this instance should fetch,
    /// `Some(false)` when another holds it, `None` when Redis cannot say.
    pub async fn lease(&self, key: &Key) -> Option<bool> {
        let ms = u64::try_from(self.lease.as_millis()).unwrap_or(u64::MAX);
        let cmd = redis::cmd("SET")
            .arg(self.name(key, "lease"))
            .arg(&self.me)
            .arg("NX")
            .arg("PX")
            .arg(ms)
            .clone();
        let set: Option<Option<String>> = self.run(&cmd).await;
        set.map(|ok| ok.is_some())
    }

    /// Gives the lease back (only this instance's own).
    pub async fn release(&self, key: &Key) {
        let script = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
        let cmd = redis::cmd("EVAL")
            .arg(script)
            .arg(1)
            .arg(self.name(key, "lease"))
            .arg(&self.me)
            .clone();
        let _: Option<i64> = self.run(&cmd).await;
    }

    /// How long a lease lasts: a crashed holder blocks a key no longer than this.
    pub fn lease_time(&self) -> Duration {
        self.lease
    }

    /// Keys and bytes of this prefix in Redis.
    pub async fn stats(&self) -> Result<(u64, u64), String> {
        let keys = self
            .keys()
            .await
            .ok_or_else(|| self.problem().unwrap_or_default())?;
        let mut bytes = 0;
        for k in &keys {
            let n: Option<u64> = self.run(redis::cmd("STRLEN").arg(k)).await;
            bytes += n.unwrap_or(0);
        }
        Ok((keys.len() as u64, bytes))
    }

    /// Removes every key of this prefix.
    pub async fn clear(&self) -> Result<u64, String> {
        let keys = self
            .keys()
            .await
            .ok_or_else(|| self.problem().unwrap_or_default())?;
        for chunk in keys.chunks(500) {
            let _: Option<i64> = self.run(redis::cmd("DEL").arg(chunk)).await;
        }
        Ok(keys.len() as u64)
    }

    async fn keys(&self) -> Option<Vec<String>> {
        let mut cursor = 0_u64;
        let mut all = Vec::new();
        loop {
            let cmd = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(format!("{}:*", self.prefix))
                .arg("COUNT")
                .arg(1000)
                .clone();
            let (next, keys): (u64, Vec<String>) = self.run(&cmd).await?;
            all.extend(keys);
            if next == 0 {
                return Some(all);
            }
            cursor = next;
        }
    }
}
