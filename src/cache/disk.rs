//! Opening sled: retry a lock that lingers after a crash, move a broken database aside and
//! start empty (never one that only lacked room or a writable disk), and turn every other
//! failure into a sentence.

use std::path::Path;
use std::time::{Duration, Instant};

use super::space::{self, NotKept};

/// How long a held lock is retried before another process is assumed to own the cache.
const LOCK_PATIENCE: Duration = Duration::from_secs(2);

fn config(path: &Path) -> sled::Config {
    sled::Config::new()
        .path(path)
        .cache_capacity(32 * 1024 * 1024)
        .segment_size(usize::try_from(space::SEGMENT).unwrap_or(512 * 1024))
}

fn is_lock_error(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock
        || io.to_string().contains("could not acquire lock"))
}

/// Opens (or creates) the database at `path` once, without retries. sled can panic on some
/// corrupted files; that is reported as corruption.
pub fn open_existing(path: &Path) -> Result<sled::Db, sled::Error> {
    let cfg = config(path);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cfg.open()))
        .unwrap_or_else(|_| Err(sled::Error::Corruption { at: None, bt: () }))
}

/// The database and, when it had to be rebuilt, a warning in words. A disk without room for
/// sled to write (it may write as it opens) or a read-only one is not opened in place: the
/// caller reads a copy.
pub fn open(path: &Path) -> Result<(sled::Db, Option<String>), NotKept> {
    space::room(path, space::RESERVE)?;
    if let Err(e) = std::fs::create_dir_all(path) {
        return Err(match NotKept::from_io(path, &e) {
            NotKept::Failed(_) => NotKept::Failed(format!(
                "cache dir {} cannot be created ({e}); running from memory",
                path.display()
            )),
            disk => disk,
        });
    }
    match open_patiently(path) {
        Ok(db) => Ok((db, None)),
        Err(e) if is_lock_error(&e) => Err(NotKept::MemoryOnly(format!(
            "cache dir {} is in use by another market-tui",
            path.display()
        ))),
        Err(sled::Error::Io(e)) => Err(match NotKept::from_io(path, &e) {
            NotKept::Failed(_) => NotKept::Failed(format!(
                "cache dir {} cannot be opened ({e})",
                path.display()
            )),
            disk => disk,
        }),
        Err(e) => rebuild(path, &e),
    }
}

/// Opens the database, retrying a held lock for `LOCK_PATIENCE`: one left by a process killed
/// a moment ago, or by sled's own threads just after a close, goes away by itself.
pub fn open_patiently(path: &Path) -> Result<sled::Db, sled::Error> {
    let started = Instant::now();
    loop {
        match open_existing(path) {
            Err(e) if is_lock_error(&e) && started.elapsed() < LOCK_PATIENCE => {
                std::thread::sleep(Duration::from_millis(100));
            }
            other => return other,
        }
    }
}

/// Opens a private copy of the database at `path` in the temp dir, for reading a cache that
/// cannot be opened where it is (held by another process, on a full or read-only disk).
pub fn open_copy(path: &Path) -> std::io::Result<(sled::Db, tempfile::TempDir)> {
    let dir = tempfile::Builder::new()
        .prefix("market-tui-cache-")
        .tempdir()?;
    let copy = dir.path().join("cache");
    copy_dir(path, &copy)?;
    let db = open_existing(&copy).map_err(std::io::Error::other)?;
    Ok((db, dir))
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Moves an unreadable database aside and starts an empty one, unless the disk is short of
/// room or read-only: a write that ran out of space can look like corruption to sled, and the
/// data in it is worth more than a fresh start.
fn rebuild(path: &Path, cause: &sled::Error) -> Result<(sled::Db, Option<String>), NotKept> {
    if let Err(disk) = space::room(path, space::RESERVE) {
        tracing::warn!(%cause, %disk, "cache unreadable on a full or read-only disk; left as it is");
        return Err(disk);
    }
    let stamp = jiff::Timestamp::now().as_second();
    let aside = path.with_file_name(format!("cache.broken-{stamp}"));
    std::fs::rename(path, &aside).map_err(|e| {
        NotKept::Failed(format!(
            "cache at {} is unreadable ({cause}) and cannot be moved aside ({e}); running from memory",
            path.display()
        ))
    })?;
    tracing::warn!(%cause, aside = %aside.display(), "cache database was unreadable; rebuilt");
    let db = open_existing(path).map_err(|e| {
        NotKept::Failed(format!(
            "cache cannot be rebuilt at {} ({e}); running from memory",
            path.display()
        ))
    })?;
    let warning = format!(
        "the cache was unreadable ({cause}); moved to {} and rebuilt",
        aside.display()
    );
    Ok((db, Some(warning)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_opener_gets_words_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        let (_db, warning) = open(&path).unwrap();
        assert!(warning.is_none());
        let err = open(&path).unwrap_err().to_string();
        assert!(err.contains("in use by another market-tui"), "{err}");
        assert!(err.contains(&path.display().to_string()));
        let (copy, _dir) = open_copy(&path).unwrap();
        assert!(
            copy.open_tree("tokens").is_ok(),
            "a copy can be read meanwhile"
        );
    }

    #[test]
    fn a_corrupted_database_is_moved_aside_and_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        {
            let (db, _) = open(&path).unwrap();
            db.insert(b"k", b"v".as_slice()).unwrap();
            db.flush().unwrap();
        }
        for entry in std::fs::read_dir(&path).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() {
                std::fs::write(&p, vec![0xAB; 4096]).unwrap();
            }
        }
        let (db, warning) = open(&path).unwrap();
        assert!(warning.unwrap().contains("rebuilt"));
        assert!(db.get(b"k").unwrap().is_none());
    }
}
