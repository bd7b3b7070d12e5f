//! Snapshots of every view in every state on an 80×24 `TestBackend` (colours are not captured).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::{Action, App};
use crate::cache::{Key, Payload};
use crate::fixtures::{self, NOW, loaded};
use crate::model::HistoryRange;
use crate::refresh::worker::Report;
use crate::source::Progress;

use fixtures::app;

mod account;
mod changes;
mod help;
mod market;
mod pools;
mod stale;
mod tokens;
mod whole;

fn with_tokens(mut a: App) -> App {
    fixtures::with_token_list(&mut a);
    a
}

fn press(a: &mut App, keys: &str) {
    for c in keys.chars() {
        a.update(Action::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

fn draw(a: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(a.size.width, a.size.height)).unwrap();
    t.draw(|f| super::render(f, a)).unwrap();
    format!("{}", t.backend())
}

/// Every cell's text in reading order; works at zero width too (where `draw` cannot print).
fn draw_cells(a: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(a.size.width, a.size.height)).unwrap();
    t.draw(|f| super::render(f, a)).unwrap();
    t.backend()
        .buffer()
        .content
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect()
}

fn report(a: &mut App, r: Report) {
    a.update(Action::Report(r));
}

#[test]
fn tokens_loading() {
    let mut a = app(80, 24);
    report(&mut a, Report::Missing { key: Key::Tokens });
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn tokens_loaded() {
    insta::assert_snapshot!(draw(&with_tokens(app(80, 24))));
}

#[test]
fn tokens_wide_shows_every_column() {
    insta::assert_snapshot!(draw(&with_tokens(app(160, 12))));
}

#[test]
fn tokens_stale_with_error() {
    let mut a = with_tokens(app(100, 12));
    report(
        &mut a,
        loaded(Key::Tokens, Payload::Tokens(fixtures::tokens()), false),
    );
    report(
        &mut a,
        Report::Failed {
            key: Key::Tokens,
            error:
                "all nodes failed after 6 attempts; last: https://api.example.com/rpc/: HTTP 503"
                    .into(),
            cause: "every node failed",
            retry_at: Some(NOW + 12),
        },
    );
    a.update(Action::Key(KeyEvent::new(
        KeyCode::Down,
        KeyModifiers::NONE,
    )));
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn tokens_failed_without_data() {
    let mut a = app(80, 12);
    report(
        &mut a,
        Report::Failed {
            key: Key::Tokens,
            error: "could not connect (Connection refused)".into(),
            cause: "node refused",
            retry_at: Some(NOW + 4),
        },
    );
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn tokens_filter_matches_nothing() {
    let mut a = with_tokens(app(80, 12));
    press(&mut a, "/xyz");
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn offline_and_memory_only_warnings() {
    let mut a = with_tokens(app(120, 12));
    a.opts.offline = true;
    report(
        &mut a,
        Report::CacheWarning(
            "cache dir /data/cache is in use by another market-tui; running from memory".into(),
        ),
    );
    insta::assert_snapshot!(draw(&a));
}

fn market(a: &mut App) {
    press(a, "\n");
    a.update(Action::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
}

#[test]
fn market_loading() {
    let mut a = with_tokens(app(100, 30));
    market(&mut a);
    report(
        &mut a,
        Report::Refreshing {
            key: Key::History("BEE".into(), HistoryRange::Month),
        },
    );
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn market_loaded() {
    let mut a = with_tokens(app(100, 30));
    market(&mut a);
    report(
        &mut a,
        loaded(
            Key::Token("BEE".into()),
            Payload::Token(fixtures::tokens()[0].clone()),
            true,
        ),
    );
    report(
        &mut a,
        loaded(
            Key::History("BEE".into(), HistoryRange::Month),
            Payload::History(fixtures::candles(30)),
            true,
        ),
    );
    report(
        &mut a,
        loaded(
            Key::Book("BEE".into()),
            Payload::Book(fixtures::book()),
            true,
        ),
    );
    report(
        &mut a,
        loaded(
            Key::Trades("BEE".into()),
            Payload::Trades(fixtures::trades()),
            true,
        ),
    );
    press(&mut a, "hh");
    insta::assert_snapshot!(draw(&a));
    press(&mut a, "c");
    insta::assert_snapshot!("market_line_mode", draw(&a));
}

#[test]
fn market_stale_with_error_and_hostile_metadata() {
    let mut a = with_tokens(app(100, 30));
    press(&mut a, "jj");
    market(&mut a);
    report(
        &mut a,
        loaded(
            Key::Token("EVIL".into()),
            Payload::Token(fixtures::tokens()[2].clone()),
            true,
        ),
    );
    report(
        &mut a,
        loaded(
            Key::History("EVIL".into(), HistoryRange::Month),
            Payload::History(fixtures::candles(12)),
            false,
        ),
    );
    report(
        &mut a,
        Report::Failed {
            key: Key::History("EVIL".into(), HistoryRange::Month),
            error: "history.example: HTTP 502".into(),
            cause: "node unavailable",
            retry_at: Some(NOW + 30),
        },
    );
    report(
        &mut a,
        loaded(
            Key::Book("EVIL".into()),
            Payload::Book(crate::model::OrderBook::default()),
            true,
        ),
    );
    report(
        &mut a,
        loaded(
            Key::Trades("EVIL".into()),
            Payload::Trades(Vec::new()),
            true,
        ),
    );
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn richlist_loading_with_progress() {
    let mut a = with_tokens(app(100, 12));
    press(&mut a, "R");
    report(
        &mut a,
        Report::Refreshing {
            key: Key::Richlist("BEE".into()),
        },
    );
    report(
        &mut a,
        Report::Progress {
            key: Key::Richlist("BEE".into()),
            progress: Progress {
                rows: 12_000,
                pages: 13,
            },
        },
    );
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn richlist_loaded_sorted_by_stake() {
    let mut a = with_tokens(app(100, 16));
    press(&mut a, "R");
    report(
        &mut a,
        loaded(
            Key::Richlist("BEE".into()),
            Payload::Richlist(fixtures::richlist(40)),
            true,
        ),
    );
    press(&mut a, "4");
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn richlist_empty() {
    let mut a = with_tokens(app(100, 12));
    press(&mut a, "R");
    let mut r = fixtures::richlist(0);
    r.burned = crate::model::Amount::ZERO;
    report(
        &mut a,
        loaded(Key::Richlist("BEE".into()), Payload::Richlist(r), true),
    );
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn help_overlay() {
    let mut a = with_tokens(app(80, 30));
    press(&mut a, "?");
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn terminal_too_small() {
    let a = with_tokens(app(40, 8));
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn every_size_down_to_zero_draws_and_says_what_it_needs() {
    for (w, h) in [
        (0, 0),
        (0, 30),
        (80, 0),
        (1, 1),
        (59, 30),
        (200, 3),
        (60, 12),
    ] {
        let mut a = with_tokens(app(w, h));
        for keys in ["", "\n", "R"] {
            press(&mut a, keys);
            let screen = draw_cells(&a);
            match (w, h) {
                (0, _) | (_, 0) => assert!(screen.is_empty(), "{w}x{h}: {screen}"),
                (60, 12) => assert!(screen.contains("market-tui"), "{w}x{h}: {screen}"),
                (59, 30) | (200, 3) => {
                    assert!(screen.contains("needs at least 60"), "{w}x{h}: {screen}");
                }
                _ => {}
            }
        }
    }
}

/// Data fresh when it came, its TTL run out while the nodes are down: the screen says stale,
/// with the reason, not "fresh · refresh failed" beside an old age.
#[test]
fn tokens_turn_stale_when_their_ttl_runs_out_while_the_nodes_are_down() {
    let mut a = with_tokens(app(100, 12));
    report(
        &mut a,
        Report::Loaded {
            key: Key::Tokens,
            entry: fixtures::entry(Payload::Tokens(fixtures::tokens()), NOW - 30),
            fresh: true,
            fresh_until: NOW + 60,
        },
    );
    report(
        &mut a,
        Report::Failed {
            key: Key::Tokens,
            error: "all 3 nodes failed; last: https://api.example.com/rpc/: HTTP 503".into(),
            cause: "every node failed",
            retry_at: Some(NOW + 40),
        },
    );
    assert!(draw(&a).contains("fresh · every node failed · 30s old"));
    a.update(Action::Tick(NOW + 20 * 60));
    let screen = draw(&a);
    assert!(
        screen.contains("stale · every node failed · 20m old"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn help_scrolls_to_every_line_at_80x24() {
    let mut a = with_tokens(app(80, 24));
    press(&mut a, "?");
    assert!(
        !draw(&a).contains("wheel scrolls"),
        "premise: it does not fit"
    );
    press(&mut a, "G");
    let screen = draw(&a);
    assert!(
        screen.contains("wheel scrolls") && screen.contains("quit"),
        "{screen}"
    );
    press(&mut a, "k");
    assert!(
        !draw(&a).contains("wheel scrolls"),
        "k scrolls back one line"
    );
    press(&mut a, "?");
    assert!(!draw(&a).contains("Keys"), "? closes");
}

#[test]
fn messages_list_every_error_in_full_with_the_log_file() {
    let mut a = with_tokens(app(80, 24));
    a.log_file = Some("/data/market-tui.log".into());
    let long = "all 6 nodes failed; last: https://api2.hive-engine.com/rpc/: could not connect (failed to lookup address information: Name or service not known) (other nodes: --node URL; what is cached: --offline)";
    report(
        &mut a,
        Report::Failed {
            key: Key::Tokens,
            error: long.into(),
            cause: "no network",
            retry_at: Some(NOW + 2),
        },
    );
    assert!(draw(&a).contains("m messages"), "the title names the key");
    press(&mut a, "m");
    let screen = draw(&a);
    assert!(screen.contains("Name or service not known"), "{screen}");
    assert!(screen.contains("/data/market-tui.log"), "{screen}");
    insta::assert_snapshot!(screen);
    press(&mut a, "m");
    assert!(!draw(&a).contains("Messages ("), "m closes");
}

#[test]
fn a_richlist_of_one_holder_says_one_holder() {
    let mut a = with_tokens(app(100, 12));
    press(&mut a, "R");
    report(
        &mut a,
        loaded(
            Key::Richlist("BEE".into()),
            Payload::Richlist(fixtures::richlist(1)),
            true,
        ),
    );
    let screen = draw(&a);
    assert!(
        screen.contains(" 1 holder ") && !screen.contains("1 holders"),
        "{screen}"
    );
}
