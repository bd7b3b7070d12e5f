//! SIGTERM, SIGINT and SIGHUP, the ways a process is asked to stop, as one future.

/// Resolves with the conventional exit code (128 + the signal's number) when one of them
/// arrives; never, where they cannot be listened to.
pub async fn stop_requested() -> i32 {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let kinds = [
            (SignalKind::terminate(), 15),
            (SignalKind::interrupt(), 2),
            (SignalKind::hangup(), 1),
        ];
        let mut streams: Vec<_> = kinds
            .into_iter()
            .filter_map(|(kind, number)| Some((signal(kind).ok()?, number)))
            .collect();
        if streams.is_empty() {
            return std::future::pending().await;
        }
        let waits = streams.iter_mut().map(|(stream, number)| {
            Box::pin(async move {
                stream.recv().await;
                128 + *number
            })
        });
        futures::future::select_all(waits).await.0
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        130
    }
}
