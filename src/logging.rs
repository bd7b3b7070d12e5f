//! Logs go to a file in the data dir (stdout is the UI); hyper and reqwest are kept quiet.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

pub const LOG_FILE: &str = "market-tui.log";

/// Starts logging to `<data_dir>/market-tui.log`; keep the guard alive until exit. Without a
/// writable log file there is no log, never a panic.
pub fn init(data_dir: &Path, level: &str) -> Option<WorkerGuard> {
    let appender = tracing_appender::rolling::RollingFileAppender::builder()
        .filename_prefix(LOG_FILE)
        .build(data_dir)
        .ok()?;
    // The default queue holds 128000 lines allocated up front (4 MB); a few thousand is plenty
    // for a log written at info level, and lines past it are dropped rather than waited for.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(4096)
        .finish(appender);
    let filter = EnvFilter::try_new(format!("{level},hyper=warn,reqwest=warn,sled=warn"))
        .unwrap_or_else(|_| EnvFilter::new("info,hyper=warn,reqwest=warn,sled=warn"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
