//! Temporary files of exports in progress: named after the process that writes them, removed
//! when that process is stopped by a signal, and cleared by the next export into the same folder
//! when their writer died without a chance to clean up (kill -9, power loss).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

const SUFFIX: &str = ".part";

/// `.market-tui-<pid>-`: the prefix of this process's temporary files.
pub fn prefix() -> String {
    format!(".market-tui-{}-", std::process::id())
}

pub fn suffix() -> &'static str {
    SUFFIX
}

/// Remembers a temporary file while it is written.
pub fn track(path: &Path) {
    in_progress().push(path.to_owned());
}

pub fn untrack(path: &Path) {
    in_progress().retain(|p| p != path);
}

fn in_progress() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    IN_PROGRESS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes every temporary file this process is writing (on SIGTERM, SIGINT or SIGHUP).
pub fn remove_all() {
    for path in in_progress().drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

/// The writer's pid in a temporary file's name, if the name is one of ours.
fn writer(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(".market-tui-")?.strip_suffix(SUFFIX)?;
    rest.split_once('-')?.0.parse().ok()
}

fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    // Without /proc there is no cheap way to know: leave the file to its owner.
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Deletes our temporary files in `dir` whose writer is gone; returns how many.
pub fn clear_stale(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            writer(&name.to_string_lossy()).is_some_and(|pid| !alive(pid))
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_their_writer() {
        assert_eq!(writer(".market-tui-4242-aB3xY9.part"), Some(4242));
        assert_eq!(
            writer(&format!("{}x.part", prefix())),
            Some(std::process::id())
        );
        assert_eq!(writer(".market-tui-aB3xY9.part"), None);
        assert_eq!(writer("report.part"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn only_files_of_dead_writers_are_cleared() {
        let dir = tempfile::tempdir().unwrap();
        // A pid above the kernel's maximum (4194304) never runs.
        let dead = dir.path().join(".market-tui-99999999-abc.part");
        let mine = dir.path().join(format!("{}abc.part", prefix()));
        let other = dir.path().join("notes.part");
        for p in [&dead, &mine, &other] {
            std::fs::write(p, b"rank,account\n1,al").unwrap();
        }
        assert_eq!(clear_stale(dir.path()), 1);
        assert!(!dead.exists() && mine.exists() && other.exists());
    }

    #[test]
    fn a_signal_removes_files_in_progress() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("{}x.part", prefix()));
        std::fs::write(&path, b"partial").unwrap();
        track(&path);
        remove_all();
        assert!(!path.exists());
    }
}
