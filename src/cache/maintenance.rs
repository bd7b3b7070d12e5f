//! Removing, listing, clearing and measuring what the cache holds: the work of `cache clear`,
//! `cache stats`, snapshot pruning and the decision to compact.

use super::{Cache, DataKind, Key, KindStats, Meta, NotKept, chunk_prefix, compact, meta_key};

impl Cache {
    /// Removes one value (a pruned snapshot); a cache that does not write to disk, or a disk
    /// without room for sled's log, removes only what memory holds.
    pub fn remove(&self, key: &Key) -> Result<(), NotKept> {
        self.memory().remove(key);
        if self.db.is_none() {
            return Ok(());
        }
        if let Some(why) = self.not_on_disk() {
            return Err(why);
        }
        let Some(tree) = self.trees.get(&key.kind()) else {
            return Ok(());
        };
        self.room_for(0)?;
        let remove = || {
            let mut gone = sled::Batch::default();
            gone.remove(meta_key(key));
            for chunk in tree.scan_prefix(chunk_prefix(key)).keys() {
                gone.remove(chunk?);
            }
            tree.apply_batch(gone)
        };
        remove().map_err(|e| self.degrade(&e))
    }

    /// Ids of the stored values of `kind` that start with `prefix`, in order, with their
    /// bytes; values held in memory included.
    pub fn ids(&self, kind: DataKind, prefix: &str) -> Vec<(String, u64)> {
        let mut ids: Vec<(String, u64)> = self
            .trees
            .get(&kind)
            .into_iter()
            .flat_map(|tree| tree.scan_prefix(format!("m/{prefix}")))
            .flatten()
            .filter_map(|(k, v)| {
                let meta: Meta = postcard::from_bytes(&v).ok()?;
                Some((String::from_utf8_lossy(&k[2..]).into_owned(), meta.bytes))
            })
            .collect();
        ids.extend(
            self.memory()
                .iter()
                .filter(|(k, _)| k.kind() == kind && k.id().starts_with(prefix))
                .map(|(k, held)| (k.id(), held.entry.meta.bytes)),
        );
        ids.sort();
        ids.dedup_by(|a, b| a.0 == b.0);
        ids
    }

    /// Flushes everything written so far (on quit).
    pub fn flush(&self) {
        if let Some(db) = &self.db
            && let Err(e) = db.flush()
        {
            tracing::warn!(error = %e, "cache flush failed");
        }
    }

    /// Removes every value of the given views (all views when empty): per view, how many
    /// values were removed from disk, or why none were (the cache does not write to disk, the
    /// disk has no room for sled's log, or sled failed). Values held in memory go in any case.
    pub fn clear(&self, views: &[DataKind]) -> Vec<(DataKind, Result<u64, NotKept>)> {
        let views = if views.is_empty() {
            &DataKind::ALL[..]
        } else {
            views
        };
        self.memory().retain(|k, _| !views.contains(&k.kind()));
        views.iter().map(|&v| (v, self.clear_one(v))).collect()
    }

    fn clear_one(&self, view: DataKind) -> Result<u64, NotKept> {
        if let Some(why) = self.not_on_disk() {
            return Err(why);
        }
        let (Some(db), Some(tree)) = (&self.db, self.trees.get(&view)) else {
            return Ok(0);
        };
        let values = tree.scan_prefix(b"m/").keys().count() as u64;
        if tree.is_empty() {
            return Ok(0);
        }
        self.room_for(0)?;
        let clear = || {
            tree.clear()?;
            db.flush()
        };
        clear().map(|_| values).map_err(|e| self.degrade(&e))
    }

    /// Keys, bytes and ages of every view.
    pub fn stats(&self) -> Vec<(DataKind, KindStats)> {
        DataKind::ALL
            .iter()
            .map(|&v| {
                let mut s = KindStats::default();
                let mut add = |meta: &Meta| {
                    s.keys += 1;
                    s.bytes += meta.bytes;
                    s.oldest = Some(s.oldest.map_or(meta.fetched_at, |o| o.min(meta.fetched_at)));
                    s.newest = Some(s.newest.map_or(meta.fetched_at, |n| n.max(meta.fetched_at)));
                };
                if let Some(tree) = self.trees.get(&v) {
                    for raw in tree.scan_prefix(b"m/").values().flatten() {
                        if let Ok(meta) = postcard::from_bytes::<Meta>(&raw) {
                            add(&meta);
                        }
                    }
                }
                self.memory()
                    .iter()
                    .filter(|(k, _)| k.kind() == v)
                    .for_each(|(_, held)| add(&held.entry.meta));
                (v, s)
            })
            .collect()
    }

    /// Whether the database holds so much dead space that `compact` should run once it is closed.
    pub fn needs_compaction(&self) -> bool {
        let live = || self.stats().iter().map(|(_, s)| s.bytes).sum();
        self.on_disk() && compact::bloated(self.size_on_disk(), live())
    }

    /// Bytes the database occupies on disk.
    pub fn size_on_disk(&self) -> u64 {
        self.db
            .as_ref()
            .and_then(|db| db.size_on_disk().ok())
            .unwrap_or(0)
    }
}
