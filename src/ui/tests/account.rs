//! Snapshots of an account: each part loaded, loading, stale with an error, an empty account,
//! the portfolio line and the account prompt.

use super::{app, draw, press, report, with_tokens};
use crate::cache::{Key, Payload};
use crate::fixtures::{self, NOW, loaded};
use crate::refresh::worker::Report;

/// `alice`'s account opened with the prompt, her data and the pools loaded.
fn with_account(width: u16, height: u16) -> crate::app::App {
    let mut a = with_tokens(app(width, height));
    press(&mut a, "aalice");
    a.update(crate::app::Action::Key(
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Enter),
    ));
    report(
        &mut a,
        loaded(Key::Pools, Payload::Pools(fixtures::pools()), true),
    );
    let alice = Payload::Account(fixtures::account("alice"));
    report(&mut a, loaded(Key::Account("alice".into()), alice, true));
    a
}

fn tab(a: &mut crate::app::App) {
    a.update(crate::app::Action::Key(
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Tab),
    ));
}

#[test]
fn account_prompt() {
    let mut a = with_tokens(app(80, 12));
    press(&mut a, "aal");
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn account_loading() {
    let mut a = with_tokens(app(80, 12));
    press(&mut a, "abob");
    a.update(crate::app::Action::Key(
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Enter),
    ));
    report(
        &mut a,
        Report::Refreshing {
            key: Key::Account("bob".into()),
        },
    );
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn account_wallet() {
    insta::assert_snapshot!(draw(&with_account(100, 14)));
}

#[test]
fn account_wallet_narrow_with_portfolio() {
    let mut a = with_account(60, 12);
    press(&mut a, "f");
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn account_orders_and_pools() {
    let mut a = with_account(100, 12);
    tab(&mut a);
    let orders = draw(&a);
    tab(&mut a);
    insta::assert_snapshot!(format!("{orders}\n{}", draw(&a)));
}

#[test]
fn account_activity_stale_with_error() {
    let mut a = with_account(100, 12);
    for _ in 0..3 {
        tab(&mut a);
    }
    let ops = Payload::Activity(fixtures::operations("alice", 30));
    report(&mut a, loaded(Key::Activity("alice".into(), 0), ops, false));
    report(
        &mut a,
        Report::Failed {
            key: Key::Activity("alice".into(), 0),
            error: "history API: HTTP 400 an error occured".into(),
            cause: "node error",
            retry_at: Some(NOW + 30),
        },
    );
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn account_that_holds_nothing() {
    let mut a = with_tokens(app(80, 12));
    press(&mut a, "anobody");
    a.update(crate::app::Action::Key(
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Enter),
    ));
    let empty = crate::model::Account {
        name: "nobody".into(),
        ..crate::model::Account::default()
    };
    report(
        &mut a,
        loaded(Key::Account("nobody".into()), Payload::Account(empty), true),
    );
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn shared_cache_unreachable_is_a_note_on_the_status_line() {
    let mut a = with_tokens(app(100, 12));
    let note = "shared cache unreachable (Connection refused (os error 111))";
    report(&mut a, Report::Shared(Some(note.into())));
    let screen = draw(&a);
    assert!(screen.contains("shared cache unreachable"), "{screen}");
    assert!(screen.contains("BEE"), "the data stays on screen");
    report(&mut a, Report::Shared(None));
    assert!(
        !draw(&a).contains("shared cache unreachable"),
        "gone when Redis is back"
    );
}
