//! The worker tested: a panicked refresh frees its key, retries and background reads.

use super::*;

/// A worker without a network, and what it reports.
fn offline_worker() -> (Worker, mpsc::UnboundedReceiver<Report>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let swr = Swr::new(
        Arc::new(crate::cache::Cache::in_memory()),
        None,
        crate::cache::Ttls::default(),
    );
    (Worker::new(swr, None, tx), rx)
}

#[tokio::test]
async fn a_refresh_task_that_panics_frees_its_key_and_says_so() {
    let (mut w, mut rx) = offline_worker();
    w.watched.insert(Key::Tokens, Watched::default());
    w.refreshing.insert(Key::Tokens, (Instant::now(), false));
    w.track_refresh(Key::Tokens, async { panic!("a bug in a refresh") });
    let joined = w.tasks.join_next_with_id().await.unwrap();
    w.joined(joined);
    assert!(
        !w.refreshing.contains_key(&Key::Tokens),
        "the key can refresh again"
    );
    let Ok(Report::Failed { retry_at, .. }) = rx.try_recv() else {
        panic!("no failure reported")
    };
    assert!(retry_at.is_some(), "and a retry is scheduled");
}

#[tokio::test]
async fn a_background_fetch_that_panics_frees_its_slot_quietly() {
    let (mut w, mut rx) = offline_worker();
    let key = Key::History("BEE".into(), crate::model::HistoryRange::Month);
    w.background.want(vec![key.clone()]);
    w.background.read(key.clone(), None, Instant::now());
    assert_eq!(w.background.start(|_| false, |_| Instant::now()).len(), 1);
    let task = w.tasks.spawn(async { panic!("a bug in a fetch") });
    w.background_tasks.insert(task.id(), key);
    let joined = w.tasks.join_next_with_id().await.unwrap();
    w.joined(joined);
    assert_eq!(w.background.in_flight(), 0, "the slot is free again");
    assert!(rx.try_recv().is_err(), "nothing on screen waited for it");
}
