//! The persistent cache: one sled tree per view, each value published as one generation of
//! chunks behind a metadata record. Falls back to memory when the disk is busy, broken or full.

mod compact;
mod disk;
pub mod entry;
pub mod freshness;
pub mod key;
mod maintenance;
pub mod shared;
mod space;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

pub use entry::{Entry, Meta, Payload, SCHEMA};
pub use freshness::Ttls;
pub use key::{DataKind, Key};
pub use space::NotKept;

/// The cache's folder in the data dir.
pub const DIR: &str = "cache";

use crate::model::{Provenance, Timestamp};

/// Per-view figures for `market-tui cache stats`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KindStats {
    pub keys: u64,
    pub bytes: u64,
    pub oldest: Option<Timestamp>,
    pub newest: Option<Timestamp>,
}

/// A value kept in memory only, with the reason it is not on disk.
struct Held {
    entry: Entry,
    why: NotKept,
}

pub struct Cache {
    db: Option<sled::Db>,
    /// Why no new value goes to `db` any more (it is a copy, or sled failed a write): set at
    /// most once; from then on new values are kept in memory.
    stuck: Mutex<Option<NotKept>>,
    /// A private copy of a cache that could not be opened in place (read from, never written
    /// to), deleted on drop.
    copy: Option<tempfile::TempDir>,
    trees: HashMap<DataKind, sled::Tree>,
    memory: Mutex<HashMap<Key, Held>>,
    /// Why the cache runs (partly) from memory, for the status bar; set at most once.
    warning: Mutex<Option<String>>,
    next_generation: AtomicU64,
    path: PathBuf,
}

fn meta_key(key: &Key) -> Vec<u8> {
    format!("m/{}", key.id()).into_bytes()
}

/// Reads one value by its id: its metadata, then exactly that generation's chunks.
fn read(tree: &sled::Tree, id: &str) -> Option<Entry> {
    // A publish may delete the chunks of the generation we started reading: read again.
    for _ in 0..3 {
        let raw = tree.get(format!("m/{id}")).ok()??;
        let meta: Meta = postcard::from_bytes(&raw).ok()?;
        if meta.schema != SCHEMA {
            return None;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.bytes).unwrap_or(0));
        let complete = (0..meta.chunks).all(|n| {
            match tree.get(format!("c/{id}/{:016x}/{n:08x}", meta.generation)) {
                Ok(Some(chunk)) => {
                    bytes.extend_from_slice(&chunk);
                    true
                }
                _ => false,
            }
        });
        if complete {
            let payload = entry::decode(&bytes)?;
            return Some(Entry {
                meta,
                payload: Arc::new(payload),
            });
        }
    }
    None
}

fn chunk_prefix(key: &Key) -> Vec<u8> {
    format!("c/{}/", key.id()).into_bytes()
}

fn chunk_key(key: &Key, generation: u64, n: u32) -> Vec<u8> {
    format!("c/{}/{generation:016x}/{n:08x}", key.id()).into_bytes()
}

/// Rewrites the closed cache under `data_dir` without its dead space (see `needs_compaction`).
pub fn compact(data_dir: &Path) -> Result<(), String> {
    compact::compact(&data_dir.join(DIR))
}

impl Cache {
    /// Opens the cache under `data_dir`, or runs from memory and says why. Never fails.
    pub fn open(data_dir: &Path) -> Self {
        let path = data_dir.join(DIR);
        compact::recover(&path);
        match disk::open(&path) {
            Ok((db, warning)) => Self::with_db(Some(db), (warning, None), path),
            Err(why) => match disk::open_copy(&path) {
                Ok((db, copy)) => {
                    let words =
                        format!("{why}; reading a copy of it, new data is kept in memory only");
                    tracing::warn!(%words, "cache read from a copy");
                    let mut cache = Self::with_db(Some(db), (Some(words), Some(why)), path);
                    cache.copy = Some(copy);
                    cache
                }
                Err(e) => {
                    let words = format!("{why}; running from memory (no copy either: {e})");
                    tracing::warn!(%words, "cache runs in memory");
                    Self::with_db(None, (Some(words), Some(why)), path)
                }
            },
        }
    }

    /// A cache that never touches the disk.
    pub fn in_memory() -> Self {
        let why = NotKept::MemoryOnly("the cache runs in memory only".into());
        Self::with_db(None, (None, Some(why)), PathBuf::new())
    }

    fn with_db(
        db: Option<sled::Db>,
        (warning, stuck): (Option<String>, Option<NotKept>),
        path: PathBuf,
    ) -> Self {
        let trees = db
            .iter()
            .flat_map(|db| {
                DataKind::ALL
                    .iter()
                    .filter_map(move |v| Some((*v, db.open_tree(v.name()).ok()?)))
            })
            .collect();
        let seed = u64::try_from(jiff::Timestamp::now().as_microsecond()).unwrap_or(1);
        Self {
            db,
            stuck: Mutex::new(stuck),
            copy: None,
            trees,
            memory: Mutex::new(HashMap::new()),
            warning: Mutex::new(warning),
            next_generation: AtomicU64::new(seed),
            path,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether new values are kept on disk (false: memory only, see `warning`).
    pub fn on_disk(&self) -> bool {
        self.not_on_disk().is_none()
    }

    /// Why new values are kept in memory only, or `None` while they go to disk.
    pub fn not_on_disk(&self) -> Option<NotKept> {
        self.stuck
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Whether the value of `key` published in this process is on disk, or why it is held in
    /// memory only (the disk is full, read-only or failing, or the cache is a copy).
    pub fn kept(&self, key: &Key) -> Result<(), NotKept> {
        match self.memory().get(key) {
            Some(held) => Err(held.why.clone()),
            None => Ok(()),
        }
    }

    pub fn warning(&self) -> Option<String> {
        self.warning
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Says once, for the status line, that new data is held in memory because of `why`.
    fn note(&self, why: &NotKept) {
        let mut w = self.warning.lock().unwrap_or_else(PoisonError::into_inner);
        if w.is_none() {
            tracing::error!(%why, "cache keeps new data in memory");
            *w = Some(format!("{why}; new data is kept in memory"));
        }
    }

    /// Stops writing to sled after it failed: what it does after an I/O error is not to be
    /// trusted (sled 0.34 can loop or tear a segment), and the values on disk stay as they were.
    fn degrade(&self, e: &sled::Error) -> NotKept {
        let why = match NotKept::from_sled(&self.path, e) {
            NotKept::Failed(words) => NotKept::Failed(format!("a cache write failed ({words})")),
            other => other,
        };
        self.note(&why);
        let mut stuck = self.stuck.lock().unwrap_or_else(PoisonError::into_inner);
        stuck.get_or_insert(why).clone()
    }

    /// Whether the disk has room for a write of `bytes` (said on the status line when not).
    fn room_for(&self, bytes: usize) -> Result<(), NotKept> {
        space::room(&self.path, space::needed(bytes as u64)).inspect_err(|why| self.note(why))
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Held>> {
        self.memory.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached value of `key`, however old. Undecodable or old-schema values are misses.
    pub fn get(&self, key: &Key) -> Option<Entry> {
        if let Some(held) = self.memory().get(key) {
            return Some(held.entry.clone());
        }
        read(self.trees.get(&key.kind())?, &key.id())
    }

    /// Names of stored values that cannot be read back (after a crash, say); empty when sound.
    pub fn undecodable(&self) -> Vec<String> {
        let mut bad = Vec::new();
        for (view, tree) in &self.trees {
            for k in tree.scan_prefix(b"m/").keys().flatten() {
                let id = String::from_utf8_lossy(&k[2..]).into_owned();
                if read(tree, &id).is_none() {
                    bad.push(format!("{} {id}", view.name()));
                }
            }
        }
        bad
    }

    /// Publishes a new generation of `key` at once and flushes it. When the disk has no room for
    /// it, or fails, the value is kept in memory (see `kept`), the one on disk stays as it was,
    /// and the cache says so.
    pub fn put(
        &self,
        key: &Key,
        payload: Payload,
        provenance: Provenance,
        fetched_at: Timestamp,
    ) -> Entry {
        let bytes = entry::encode(&payload);
        self.publish(key, &bytes, payload, (provenance, fetched_at))
    }

    /// Publishes a value already encoded (a big one, encoded from borrowed data); it is decoded
    /// again only if it has to be kept in memory.
    pub fn put_encoded(
        &self,
        key: &Key,
        bytes: &[u8],
        provenance: Provenance,
        fetched_at: Timestamp,
    ) {
        let generation = self.next_generation.fetch_add(1, Ordering::Relaxed);
        let meta = Self::meta(generation, bytes, (provenance, fetched_at));
        let why = match self.write(key, &meta, bytes) {
            Ok(()) => {
                self.memory().remove(key);
                return;
            }
            Err(why) => why,
        };
        if let Some(payload) = entry::decode(bytes) {
            let entry = Entry {
                meta,
                payload: Arc::new(payload),
            };
            self.memory().insert(key.clone(), Held { entry, why });
        }
    }

    fn meta(
        generation: u64,
        bytes: &[u8],
        (provenance, fetched_at): (Provenance, Timestamp),
    ) -> Meta {
        Meta {
            schema: SCHEMA,
            generation,
            chunks: u32::try_from(bytes.len().div_ceil(entry::CHUNK)).unwrap_or(u32::MAX),
            bytes: bytes.len() as u64,
            fetched_at,
            provenance,
        }
    }

    fn publish(
        &self,
        key: &Key,
        bytes: &[u8],
        payload: Payload,
        (provenance, fetched_at): (Provenance, Timestamp),
    ) -> Entry {
        let generation = self.next_generation.fetch_add(1, Ordering::Relaxed);
        let meta = Self::meta(generation, bytes, (provenance, fetched_at));
        let entry = Entry {
            meta,
            payload: Arc::new(payload),
        };
        match self.write(key, &entry.meta, bytes) {
            Ok(()) => {
                self.memory().remove(key);
            }
            Err(why) => {
                let held = Held {
                    entry: entry.clone(),
                    why,
                };
                self.memory().insert(key.clone(), held);
            }
        }
        entry
    }

    /// Writes one generation of `key` to disk when the cache writes to disk and there is room.
    fn write(&self, key: &Key, meta: &Meta, bytes: &[u8]) -> Result<(), NotKept> {
        if let Some(why) = self.not_on_disk() {
            return Err(why);
        }
        let (Some(db), Some(tree)) = (&self.db, self.trees.get(&key.kind())) else {
            return Err(NotKept::MemoryOnly("the cache has no tree for it".into()));
        };
        self.room_for(bytes.len())?;
        Self::write_sled(db, tree, key, meta, bytes).map_err(|e| self.degrade(&e))
    }

    fn write_sled(
        db: &sled::Db,
        tree: &sled::Tree,
        key: &Key,
        meta: &Meta,
        bytes: &[u8],
    ) -> Result<(), sled::Error> {
        let mut chunks = sled::Batch::default();
        for (n, chunk) in bytes.chunks(entry::CHUNK).enumerate() {
            chunks.insert(
                chunk_key(key, meta.generation, u32::try_from(n).unwrap_or(u32::MAX)),
                chunk,
            );
        }
        tree.apply_batch(chunks)?;
        let mut flip = sled::Batch::default();
        flip.insert(
            meta_key(key),
            postcard::to_allocvec(meta).unwrap_or_default(),
        );
        let current = format!("c/{}/{:016x}/", key.id(), meta.generation).into_bytes();
        for old in tree.scan_prefix(chunk_prefix(key)).keys() {
            let old = old?;
            if !old.starts_with(&current) {
                flip.remove(old);
            }
        }
        tree.apply_batch(flip)?;
        db.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
