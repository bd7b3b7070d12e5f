//! Keeps the cache's disk use flat across processes: sled 0.34 does not reclaim the space of
//! values replaced in earlier processes, so a bloated database is copied into a fresh one.
//! Every step leaves either the old or the new copy whole, so a kill at any point loses nothing.

use std::path::{Path, PathBuf};

use super::{disk, space};

/// The database is rewritten when it takes more than this many times its live data...
const BLOAT_FACTOR: u64 = 2;
/// ...plus this much, so that small caches are never rewritten for a few segments.
const BLOAT_SLACK: u64 = 1024 * 1024;

/// Whether `on_disk` bytes for `live` bytes of values are worth a rewrite.
pub fn bloated(on_disk: u64, live: u64) -> bool {
    on_disk
        > live
            .saturating_mul(BLOAT_FACTOR)
            .saturating_add(BLOAT_SLACK)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "cache".to_owned(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!("{name}.{suffix}"))
}

/// The marker written into a finished copy before it replaces the original.
const COMPLETE: &str = "COMPLETE";

/// Finishes or undoes a compaction that a killed process left half done. Called before opening.
pub fn recover(path: &Path) {
    let fresh = sibling(path, "compacting");
    let old = sibling(path, "replaced");
    if fresh.join(COMPLETE).exists() && !path.exists() {
        // Killed between the two renames: the finished copy is the cache.
        if std::fs::rename(&fresh, path).is_ok() {
            let _ = std::fs::remove_file(path.join(COMPLETE));
        }
    }
    let _ = std::fs::remove_file(path.join(COMPLETE));
    if fresh.exists() {
        let _ = std::fs::remove_dir_all(&fresh);
    }
    if old.exists() && path.exists() {
        let _ = std::fs::remove_dir_all(&old);
    }
}

/// Bytes the files under `path` hold.
fn dir_bytes(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Copies every tree of the closed database at `path` into a fresh one and swaps them. The copy
/// is never bigger than the original, so the disk must have room for the original's size (and
/// sled's reserve) before it starts; otherwise nothing is touched.
pub fn compact(path: &Path) -> Result<(), String> {
    recover(path);
    space::room(path, space::needed(0).saturating_add(dir_bytes(path)))
        .map_err(|why| format!("not compacted: {why}"))?;
    let fresh = sibling(path, "compacting");
    let old = sibling(path, "replaced");
    let source = disk::open_patiently(path).map_err(|e| format!("cannot open the cache: {e}"))?;
    let target = disk::open_patiently(&fresh).map_err(|e| format!("cannot start a copy: {e}"))?;
    copy(&source, &target).map_err(|e| {
        let _ = std::fs::remove_dir_all(&fresh);
        format!("copy failed: {e}")
    })?;
    drop((source, target));
    std::fs::write(fresh.join(COMPLETE), b"").map_err(|e| e.to_string())?;
    std::fs::rename(path, &old).map_err(|e| e.to_string())?;
    std::fs::rename(&fresh, path).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(path.join(COMPLETE));
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

fn copy(source: &sled::Db, target: &sled::Db) -> Result<(), sled::Error> {
    for name in source.tree_names() {
        let (from, to) = (source.open_tree(&name)?, target.open_tree(&name)?);
        let mut batch = sled::Batch::default();
        for kv in &from {
            let (k, v) = kv?;
            batch.insert(k, v);
        }
        to.apply_batch(batch)?;
    }
    target.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bloat_has_slack_for_small_caches() {
        assert!(!bloated(900_000, 0));
        assert!(!bloated(3_000_000, 1_500_000));
        assert!(bloated(5_000_000, 1_500_000));
    }

    #[test]
    fn a_compaction_keeps_every_value_and_shrinks_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        {
            let db = disk::open_patiently(&path).unwrap();
            let tree = db.open_tree("richlist").unwrap();
            for round in 0..20_u32 {
                for n in 0..200_u32 {
                    tree.insert(format!("k{n:04}"), vec![u8::try_from(round).unwrap(); 6000])
                        .unwrap();
                }
                db.flush().unwrap();
            }
        }
        let before = dir_bytes(&path);
        let live = 200 * 6000;
        assert!(bloated(before, live), "{before}");
        compact(&path).unwrap();
        // sled's segment sizes vary from run to run: what compaction promises is a cache no
        // longer bloated, well under what it was.
        let after = dir_bytes(&path);
        assert!(
            !bloated(after, live) && after < before * 2 / 3,
            "{before} -> {after}"
        );
        let db = disk::open_patiently(&path).unwrap();
        let tree = db.open_tree("richlist").unwrap();
        assert_eq!(tree.len(), 200);
        assert_eq!(tree.get("k0199").unwrap().unwrap()[0], 19);
        assert!(!sibling(&path, "replaced").exists());
        assert!(!path.join(COMPLETE).exists());
    }

    #[test]
    fn a_copy_finished_before_a_kill_becomes_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        let fresh = sibling(&path, "compacting");
        {
            let db = disk::open_patiently(&fresh).unwrap();
            db.insert("k", "v").unwrap();
            db.flush().unwrap();
        }
        std::fs::write(fresh.join(COMPLETE), b"").unwrap();
        recover(&path);
        let db = disk::open_patiently(&path).unwrap();
        assert_eq!(db.get("k").unwrap().unwrap(), "v");
    }

    #[test]
    fn an_unfinished_copy_is_thrown_away() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        disk::open_patiently(&path)
            .unwrap()
            .insert("k", "old")
            .unwrap();
        let fresh = sibling(&path, "compacting");
        disk::open_patiently(&fresh)
            .unwrap()
            .insert("k", "half")
            .unwrap();
        recover(&path);
        assert!(!fresh.exists());
        let db = disk::open_patiently(&path).unwrap();
        assert_eq!(db.get("k").unwrap().unwrap(), "old");
    }
}
