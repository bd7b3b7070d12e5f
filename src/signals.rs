//! Signals: SIGTERM, SIGINT, SIGHUP and SIGQUIT, the ways a process is asked to stop, as one
//! future; SIGTSTP and SIGCONT, a job stopped and continued by the shell, for the UI.

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
            (SignalKind::quit(), 3),
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

/// What the shell asked of the job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// SIGTSTP: give the terminal back and stop.
    Stop,
    /// SIGCONT: the job runs again (after `fg`, or any SIGSTOP).
    Continue,
}

/// SIGTSTP and SIGCONT as they arrive. Listening to SIGTSTP replaces its default action, so the
/// UI stops itself (`stop_self`) once the terminal is restored.
pub struct JobControl {
    #[cfg(unix)]
    stop: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    cont: Option<tokio::signal::unix::Signal>,
}

impl JobControl {
    pub fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Self {
                stop: signal(SignalKind::from_raw(signal_hook::consts::SIGTSTP)).ok(),
                cont: signal(SignalKind::from_raw(signal_hook::consts::SIGCONT)).ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// The next signal of the two; never, where they cannot be listened to.
    pub async fn next(&mut self) -> Job {
        #[cfg(unix)]
        {
            async fn recv(s: Option<&mut tokio::signal::unix::Signal>) {
                if let Some(s) = s
                    && s.recv().await.is_some()
                {
                    return;
                }
                std::future::pending::<()>().await;
            }
            tokio::select! {
                () = recv(self.stop.as_mut()) => Job::Stop,
                () = recv(self.cont.as_mut()) => Job::Continue,
            }
        }
        #[cfg(not(unix))]
        std::future::pending().await
    }
}

/// Stops the whole process as Ctrl-Z does in a cooked terminal; returns once it is continued.
pub fn stop_self() {
    #[cfg(unix)]
    if let Err(why) = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP) {
        tracing::warn!(%why, "could not stop the process");
    }
}
