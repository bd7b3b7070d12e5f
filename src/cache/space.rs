//! Room on the cache's disk, checked before sled writes: sled 0.34 does not survive running
//! out of space (it can loop for minutes or tear a segment), so a write it might not finish is
//! refused in words instead, and the previous value stays as it was.

use std::io::ErrorKind;
use std::path::Path;

use rustix::fs::StatVfsMountFlags;

use crate::format::bytes;

/// sled's log segment, set explicitly in `disk::config` (it is sled's default too).
pub const SEGMENT: u64 = 512 * 1024;

/// Free space kept beyond what a write adds. sled writes its log a segment at a time and can
/// start a new one while older ones wait to be cleaned, writes any node bigger than a quarter
/// segment to a file of its own, and writes its page table to a snapshot file on a flush. Four
/// segments cover that with room to spare; less and a 4 MiB disk tore a segment (issue 27).
pub const RESERVE: u64 = 4 * SEGMENT;

/// How many times its size a value costs in sled's log before old segments are cleaned: the
/// chunks themselves, and the leaves they land in rewritten whole when sled consolidates them.
const WRITE_FACTOR: u64 = 3;

/// Why a value was not kept on disk, in words the commands and the status line show.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotKept {
    #[error("the disk is full ({} free in {dir}, {} needed)", bytes(*free), bytes(*needed))]
    DiskFull { dir: String, free: u64, needed: u64 },
    #[error("the cache's disk is read-only ({dir})")]
    ReadOnly { dir: String },
    #[error("the cache's disk failed ({0})")]
    Failed(String),
    /// The cache runs from memory or from a copy (held by another process, say): the reason.
    #[error("{0}")]
    MemoryOnly(String),
}

impl NotKept {
    /// A sled error of a write, by what the disk said.
    pub fn from_sled(dir: &Path, e: &sled::Error) -> Self {
        match e {
            sled::Error::Io(io) => Self::from_io(dir, io),
            other => Self::Failed(other.to_string()),
        }
    }

    pub fn from_io(dir: &Path, io: &std::io::Error) -> Self {
        match io.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Self::DiskFull {
                dir: dir.display().to_string(),
                free: available(dir).unwrap_or(0),
                needed: RESERVE,
            },
            ErrorKind::ReadOnlyFilesystem => Self::ReadOnly {
                dir: dir.display().to_string(),
            },
            _ => Self::Failed(io.to_string()),
        }
    }

    /// Whether the disk, not the database, is the trouble: such a cache is never moved aside.
    pub fn is_disk(&self) -> bool {
        matches!(self, Self::DiskFull { .. } | Self::ReadOnly { .. })
    }
}

/// The free space a write of `value` bytes asks for.
pub fn needed(value: u64) -> u64 {
    RESERVE.saturating_add(value.saturating_mul(WRITE_FACTOR))
}

/// The nearest existing folder at or above `path` (a cache not yet created lives there).
fn existing(path: &Path) -> Option<&Path> {
    path.ancestors().find(|p| p.exists())
}

/// Bytes an unprivileged writer may still use on the file system holding `path`.
pub fn available(path: &Path) -> std::io::Result<u64> {
    let dir = existing(path).ok_or_else(|| std::io::Error::from(ErrorKind::NotFound))?;
    let vfs = rustix::fs::statvfs(dir)?;
    Ok(vfs.f_bavail.saturating_mul(vfs.f_frsize))
}

/// Whether `need` bytes may be written under `path`, or why not. A disk whose free space
/// cannot be read is not refused: the write then fails or succeeds on its own.
pub fn room(path: &Path, need: u64) -> Result<(), NotKept> {
    let Some(dir) = existing(path) else {
        return Ok(());
    };
    let Ok(vfs) = rustix::fs::statvfs(dir) else {
        return Ok(());
    };
    if vfs.f_flag.contains(StatVfsMountFlags::RDONLY) {
        return Err(NotKept::ReadOnly {
            dir: path.display().to_string(),
        });
    }
    let free = vfs.f_bavail.saturating_mul(vfs.f_frsize);
    if free < need {
        return Err(NotKept::DiskFull {
            dir: path.display().to_string(),
            free,
            needed: need,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_asks_for_the_reserve_and_a_multiple_of_its_size() {
        assert_eq!(needed(0), RESERVE);
        assert_eq!(needed(1000), RESERVE + 3000);
        assert_eq!(needed(u64::MAX), u64::MAX);
    }

    #[test]
    fn more_than_the_disk_holds_is_refused_in_words() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(room(dir.path(), 1), Ok(()));
        let err = room(&dir.path().join("not/yet"), u64::MAX).unwrap_err();
        assert!(err.to_string().starts_with("the disk is full ("), "{err}");
        assert!(err.is_disk());
        assert!(available(dir.path()).unwrap() > 0);
    }

    #[test]
    fn errors_of_the_disk_are_named_by_their_kind() {
        let dir = Path::new("/");
        let full = std::io::Error::from(ErrorKind::StorageFull);
        assert!(matches!(
            NotKept::from_io(dir, &full),
            NotKept::DiskFull { .. }
        ));
        let ro = std::io::Error::from(ErrorKind::ReadOnlyFilesystem);
        assert!(NotKept::from_io(dir, &ro).is_disk());
        let other = NotKept::from_sled(dir, &sled::Error::Unsupported("x".into()));
        assert!(!other.is_disk());
    }
}
