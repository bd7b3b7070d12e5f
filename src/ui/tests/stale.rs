//! The stale line and the empty body in plain words (issue 29): the cause first in whole words,
//! the data's age counted from when it was fetched, the pane borders with the state and age
//! only, one time for the next try, and nothing cut mid-word, at 80×24 and 60×12.

use super::*;

/// What the only node's refusal reads in full (the messages list keeps it).
const REFUSED: &str = "the only node failed; last: http://127.0.0.1:19603/: could not connect \
    (Connection refused (os error 111)) (other nodes: --node URL; what is cached: --offline)";

/// The default nodes with no network: every name unresolved.
const NO_NETWORK: &str = "all 6 nodes failed; last: https://api.hive-engine.com/rpc/: could not \
    connect (failed to lookup address information: Name or service not known) (other nodes: \
    --node URL; what is cached: --offline)";

fn refused(key: Key, retry_at: i64) -> Report {
    Report::Failed {
        key,
        error: REFUSED.into(),
        cause: "node refused",
        retry_at: Some(retry_at),
    }
}

/// Whole words only: every `…` on the status line ends a word, and no advice is left in
/// pieces.
fn assert_whole(status: &str) {
    assert!(!status.contains("--offline)"), "{status}");
    assert!(!status.contains("line)"), "{status}");
    for (i, _) in status.match_indices('…') {
        let before = status[..i].chars().last();
        assert!(
            before.is_some_and(char::is_alphanumeric),
            "cut after a word: {status}"
        );
    }
}

fn status_line(screen: &str) -> &str {
    screen.lines().last().unwrap_or_default()
}

/// Tokens fetched four minutes ago, the only node refusing since.
fn stale_tokens(w: u16, h: u16) -> App {
    let mut a = app(w, h);
    report(
        &mut a,
        Report::Loaded {
            key: Key::Tokens,
            entry: fixtures::entry(Payload::Tokens(fixtures::tokens()), NOW - 240),
            fresh: false,
            fresh_until: NOW - 235,
        },
    );
    report(&mut a, refused(Key::Tokens, NOW + 5));
    report(&mut a, refused(Key::Metrics, NOW + 5));
    a
}

#[test]
fn the_stale_line_says_the_cause_and_the_age_in_whole_words() {
    for (w, h) in [(80, 24), (60, 12)] {
        let a = stale_tokens(w, h);
        let screen = draw(&a);
        let status = status_line(&screen);
        assert!(
            status.contains("stale · node refused · 4m old"),
            "{w}x{h}: {status}"
        );
        assert_whole(status);
        assert!(
            !status.contains("metrics"),
            "the same cause is said once: {status}"
        );
        insta::assert_snapshot!(format!("stale_line_{w}x{h}"), screen);
    }
}

#[test]
fn ages_keep_counting_while_stale() {
    let mut a = app(80, 24);
    report(
        &mut a,
        Report::Loaded {
            key: Key::Tokens,
            entry: fixtures::entry(Payload::Tokens(fixtures::tokens()), NOW - 6),
            fresh: true,
            fresh_until: NOW - 1,
        },
    );
    report(&mut a, refused(Key::Tokens, NOW + 5));
    let mut ages = Vec::new();
    for later in [0, 10, 40, 200] {
        a.update(Action::Tick(NOW + later));
        let screen = draw(&a);
        let status = status_line(&screen).to_owned();
        ages.push(
            status
                .split(" · ")
                .find(|p| p.ends_with(" old") || p.contains("just now"))
                .unwrap_or_default()
                .to_owned(),
        );
    }
    assert_eq!(ages, ["6s old", "16s old", "46s old", "3m old"]);
}

#[test]
fn r_says_refreshing_at_once() {
    let mut a = stale_tokens(80, 24);
    report(&mut a, Report::Refreshing { key: Key::Tokens });
    let screen = draw(&a);
    let status = status_line(&screen);
    assert!(
        status.contains("stale · node refused · 4m old · refreshing"),
        "{status}"
    );
    assert!(!status.contains("retry in"), "{status}");
}

#[test]
fn market_borders_carry_the_state_and_the_age_only() {
    for (w, h) in [(80, 24), (60, 12)] {
        let mut a = with_tokens(app(w, h));
        super::market(&mut a);
        let old = |key: Key, payload: Payload| Report::Loaded {
            key,
            entry: fixtures::entry(payload, NOW - 240),
            fresh: false,
            fresh_until: NOW - 200,
        };
        let bee = |k: fn(String) -> Key| k("BEE".into());
        report(
            &mut a,
            old(
                bee(Key::Token),
                Payload::Token(fixtures::tokens()[0].clone()),
            ),
        );
        report(
            &mut a,
            old(
                Key::History("BEE".into(), HistoryRange::Month),
                Payload::History(fixtures::candles(30)),
            ),
        );
        report(&mut a, old(bee(Key::Book), Payload::Book(fixtures::book())));
        report(
            &mut a,
            old(bee(Key::Trades), Payload::Trades(fixtures::trades())),
        );
        for key in [
            bee(Key::Token),
            Key::History("BEE".into(), HistoryRange::Month),
            bee(Key::Book),
            bee(Key::Trades),
        ] {
            report(&mut a, refused(key, NOW + 5));
        }
        let screen = draw(&a);
        assert!(screen.contains("stale 4m"), "{w}x{h}: {screen}");
        assert!(
            !screen.contains("refused ─"),
            "no cause on a border: {screen}"
        );
        let status = status_line(&screen);
        assert!(status.contains("stale · node refused · 4m old"), "{status}");
        assert_whole(status);
        insta::assert_snapshot!(format!("market_stale_{w}x{h}"), screen);
    }
}

#[test]
fn an_empty_view_without_network_says_why_with_one_retry_time() {
    for (w, h) in [(80, 24), (60, 12)] {
        let mut a = app(w, h);
        report(&mut a, Report::Missing { key: Key::Tokens });
        report(
            &mut a,
            Report::Failed {
                key: Key::Tokens,
                error: NO_NETWORK.into(),
                cause: "no network",
                retry_at: Some(NOW + 25),
            },
        );
        let screen = draw(&a);
        let body: String = screen.lines().skip(1).take(usize::from(h) - 2).collect();
        assert!(
            body.contains("Token list: no network, retry in 25s."),
            "{screen}"
        );
        assert!(body.contains("--offline shows only"), "{screen}");
        assert_eq!(body.matches("retry in").count(), 1, "one time: {screen}");
        assert!(!body.contains("allowed in"), "{screen}");
        assert_whole(status_line(&screen));
        insta::assert_snapshot!(format!("empty_no_network_{w}x{h}"), screen);
    }
}

#[test]
fn an_empty_view_offline_says_it_is_not_cached_without_a_retry() {
    use crate::refresh::worker::NOT_CACHED;
    let mut a = app(60, 12);
    a.opts.offline = true;
    report(
        &mut a,
        Report::Failed {
            key: Key::Tokens,
            error: "not in the cache, and --offline never fetches".into(),
            cause: NOT_CACHED,
            retry_at: None,
        },
    );
    let screen = draw(&a);
    assert!(
        screen.contains("Token list: not cached. --offline shows only"),
        "{screen}"
    );
    assert!(!screen.contains("retry in"), "{screen}");
}
