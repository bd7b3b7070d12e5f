//! Snapshots of the pools list and a pool's providers: loading, loaded (wide and narrow), a
//! token's pools, stale with an error, empty, and the account search.

use super::{app, draw, press, report, with_tokens};
use crate::cache::{Key, Payload};
use crate::fixtures::{self, NOW, loaded};
use crate::refresh::worker::Report;

fn with_pools(width: u16, height: u16) -> crate::app::App {
    let mut a = with_tokens(app(width, height));
    press(&mut a, "p");
    report(
        &mut a,
        loaded(Key::Pools, Payload::Pools(fixtures::pools()), true),
    );
    a
}

fn enter(a: &mut crate::app::App) {
    a.update(crate::app::Action::Key(
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Enter),
    ));
}

/// The providers of SWAP.HIVE:BEE, found with the filter and opened.
fn with_pool(width: u16, height: u16, providers: usize) -> crate::app::App {
    let mut a = with_pools(width, height);
    press(&mut a, "/hive:bee");
    enter(&mut a);
    enter(&mut a);
    let pair = Key::Pool("SWAP.HIVE:BEE".into());
    report(
        &mut a,
        loaded(pair, Payload::Pool(fixtures::pool_detail(providers)), true),
    );
    a
}

#[test]
fn pools_loading() {
    let mut a = with_tokens(app(80, 24));
    press(&mut a, "p");
    report(&mut a, Report::Refreshing { key: Key::Pools });
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn pools_loaded() {
    insta::assert_snapshot!(draw(&with_pools(80, 24)));
}

#[test]
fn pools_narrow() {
    insta::assert_snapshot!(draw(&with_pools(60, 12)));
}

#[test]
fn pools_of_one_token_with_a_favorite() {
    let mut a = with_tokens(app(100, 12));
    enter(&mut a);
    press(&mut a, "p");
    report(
        &mut a,
        loaded(Key::Pools, Payload::Pools(fixtures::pools()), true),
    );
    press(&mut a, "jf");
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn pools_stale_with_error() {
    let mut a = with_pools(100, 12);
    report(
        &mut a,
        loaded(Key::Pools, Payload::Pools(fixtures::pools()), false),
    );
    report(
        &mut a,
        Report::Failed {
            key: Key::Pools,
            error: "all 3 nodes failed; last: https://api.example.com/rpc/: HTTP 502".into(),
            cause: "every node failed",
            retry_at: Some(NOW + 20),
        },
    );
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn pools_filter_matches_nothing() {
    let mut a = with_pools(80, 12);
    press(&mut a, "/zzz");
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn pool_loading() {
    let mut a = with_pools(80, 24);
    press(&mut a, "/hive:bee");
    enter(&mut a);
    enter(&mut a);
    report(
        &mut a,
        Report::Refreshing {
            key: Key::Pool("SWAP.HIVE:BEE".into()),
        },
    );
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn pool_loaded() {
    insta::assert_snapshot!(draw(&with_pool(80, 24, 40)));
}

#[test]
fn pool_narrow_sorted_by_account() {
    let mut a = with_pool(60, 12, 40);
    press(&mut a, "2");
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn pool_stale_with_error_and_search() {
    let mut a = with_pool(100, 14, 40);
    report(
        &mut a,
        loaded(
            Key::Pool("SWAP.HIVE:BEE".into()),
            Payload::Pool(fixtures::pool_detail(40)),
            false,
        ),
    );
    report(
        &mut a,
        Report::Failed {
            key: Key::Pool("SWAP.HIVE:BEE".into()),
            error: "the only node failed; last: timed out after 10s".into(),
            cause: "timed out",
            retry_at: Some(NOW + 9),
        },
    );
    press(&mut a, "/lp01");
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn pool_without_providers() {
    insta::assert_snapshot!(draw(&with_pool(80, 12, 0)));
}

#[test]
fn one_provider_is_one_provider_and_an_empty_pool_has_no_price() {
    let screen = draw(&with_pool(80, 12, 1));
    assert!(
        screen.contains(" 1 provider ") && !screen.contains("1 providers"),
        "{screen}"
    );
    let mut a = with_pool(80, 12, 0);
    let mut empty = fixtures::pool_detail(0);
    empty.pool.base_quantity = crate::model::Amount::ZERO;
    empty.pool.quote_quantity = crate::model::Amount::ZERO;
    empty.pool.base_price = crate::model::Amount::ZERO;
    empty.pool.quote_price = crate::model::Amount::ZERO;
    report(
        &mut a,
        Report::Loaded {
            key: Key::Pool("SWAP.HIVE:BEE".into()),
            entry: fixtures::entry(Payload::Pool(empty), NOW - 10),
            fresh: true,
            fresh_until: NOW + 60,
        },
    );
    let screen = draw(&a);
    assert!(screen.contains("no price: the pool is empty"), "{screen}");
    assert!(!screen.contains("= 0 "), "{screen}");
    assert!(screen.contains(" 0 providers"), "{screen}");
}

#[test]
fn an_empty_pool_has_no_price_in_the_list() {
    let a = with_pools(120, 12);
    let screen = draw(&a);
    let lines: Vec<&str> = screen.lines().collect();
    let header = lines.iter().find(|l| l.contains("Pair")).unwrap();
    let nomkt = lines
        .iter()
        .find(|l| l.contains("SWAP.HIVE:NOMKT"))
        .unwrap();
    let at = header.find("Price").expect("a price column");
    let cell: String = nomkt.chars().skip(at).take(12).collect();
    assert!(
        cell.trim().is_empty(),
        "no price for an empty pool: {nomkt}\n{header}"
    );
}
