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

/// An account that holds nothing but pool shares (a priced pool and one of unknown tokens),
/// opened at `width`×`height` on its pools.
fn pools_only(width: u16, height: u16) -> crate::app::App {
    let mut a = with_tokens(app(width, height));
    press(&mut a, "apoolwhale");
    a.update(crate::app::Action::Key(
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Enter),
    ));
    report(
        &mut a,
        loaded(Key::Pools, Payload::Pools(fixtures::pools()), true),
    );
    let share = |pair: &str, shares: &str| crate::model::PoolShare {
        pair: pair.into(),
        shares: crate::model::Amount::parse(shares).unwrap(),
    };
    let whale = crate::model::Account {
        name: "poolwhale".into(),
        pools: vec![
            share("SWAP.HIVE:BEE", "1261743.1586"),
            share("GHOST:PHANTOM", "54.6"),
        ],
        ..crate::model::Account::default()
    };
    let key = Key::Account("poolwhale".into());
    report(&mut a, loaded(key, Payload::Account(whale), true));
    tab(&mut a);
    tab(&mut a);
    a
}

/// `alice` with 63 more tokens that have no market, a favorite: the caveat counts 64.
fn many_unpriced(width: u16, height: u16) -> crate::app::App {
    let mut a = with_account(width, height);
    press(&mut a, "f");
    let mut alice = fixtures::account("alice");
    let nomkt = alice.balances[2].clone();
    alice
        .balances
        .extend((0..63).map(|i| crate::model::Balance {
            symbol: format!("NOPRICE{i}"),
            ..nomkt.clone()
        }));
    report(
        &mut a,
        loaded(Key::Account("alice".into()), Payload::Account(alice), true),
    );
    a
}

#[test]
fn account_of_pool_shares_only() {
    let wide = pools_only(80, 24);
    let screen = draw(&wide);
    assert!(
        // 68.53% of 274,538.56796034 SWAP.HIVE and of 2,965,308.18177309 BEE at 0.25, each
        // rounded down to 8 decimals (worked out by hand): 188,139.17780834 + 508,025.74608365.
        screen.contains("worth 696,164.92 HIVE") && screen.contains("pools 696,164.92 HIVE"),
        "{screen}"
    );
    insta::assert_snapshot!(format!("{screen}\n{}", draw(&pools_only(60, 12))));
}

#[test]
fn a_narrow_worth_line_keeps_the_pools_before_the_wallet() {
    let mut a = pools_only(60, 12);
    let mut whale = match a.slots.payload(&Key::Account("poolwhale".into())) {
        Some(Payload::Account(w)) => w.clone(),
        _ => unreachable!(),
    };
    whale.balances = fixtures::account("poolwhale").balances;
    whale.balances[1].holder.balance = crate::model::Amount::parse("35795758.01").unwrap();
    let key = Key::Account("poolwhale".into());
    report(&mut a, loaded(key, Payload::Account(whale), true));
    let screen = draw(&a);
    // 35,795,759.01 SWAP.HIVE (one delegated out) and alice's other tokens in
    // the wallet, 696,164.92 in the pools: no room for all three parts in 60 columns.
    let line = screen.lines().nth(2).unwrap_or_default();
    assert!(
        line.contains("worth 36,492,361.77 HIVE · pools 696,164.92 "),
        "{screen}"
    );
}

#[test]
fn unpriced_tokens_are_counted_at_every_width() {
    for (width, height) in [(140, 40), (100, 14), (80, 24), (60, 12)] {
        let screen = draw(&many_unpriced(width, height));
        assert!(
            screen.contains(" 64 tokens without a price, not counted"),
            "{width}x{height}:\n{screen}"
        );
    }
    let wide = draw(&many_unpriced(80, 24));
    insta::assert_snapshot!(format!("{wide}\n{}", draw(&many_unpriced(60, 12))));
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
