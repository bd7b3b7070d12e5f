//! `App::update` on accounts: reached from a holder, a provider, a trade and the prompt; the
//! prompt's check; favorites and the portfolio; activity paging further back on demand.

use super::{app, key, press, watched};
use crate::app::{Action, Request, Screen};
use crate::cache::{Key, Payload};
use crate::fixtures::{self, loaded};
use crate::model::ACTIVITY_PAGE;
use ratatui::crossterm::event::KeyCode;

fn load(a: &mut crate::app::App, key: Key, payload: Payload) {
    a.update(Action::Report(loaded(key, payload, true)));
}

#[test]
fn holders_providers_and_trades_open_their_accounts() {
    let mut a = app();
    press(&mut a, "R");
    load(
        &mut a,
        Key::Richlist("BEE".into()),
        Payload::Richlist(fixtures::richlist(5)),
    );
    let first = a.richlist.table.order[0] as usize;
    let holder = a.richlist.richlist().unwrap().holders[first]
        .account
        .to_string();
    let r = key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Account(holder.clone()));
    assert!(watched(&r).contains(&Key::Account(holder)));
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);

    key(&mut a, KeyCode::Enter);
    load(
        &mut a,
        Key::Trades("BEE".into()),
        Payload::Trades(fixtures::trades()),
    );
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.market.pane, crate::app::Pane::Trades);
    let newest = fixtures::trades().last().cloned().unwrap();
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Account(newest.buyer));
    key(&mut a, KeyCode::Esc);
    press(&mut a, "S");
    assert_eq!(a.screen, Screen::Account(newest.seller));

    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    press(&mut a, "p");
    load(&mut a, Key::Pools, Payload::Pools(fixtures::pools()));
    press(&mut a, "j");
    key(&mut a, KeyCode::Enter);
    load(
        &mut a,
        Key::Pool("SWAP.HIVE:BEE".into()),
        Payload::Pool(fixtures::pool_detail(4)),
    );
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Account("lp000".into()));
}

#[test]
fn the_prompt_checks_names_and_favorites_make_a_portfolio() {
    let mut a = app();
    press(&mut a, "aBad Name");
    key(&mut a, KeyCode::Enter);
    assert!(a.prompt.is_some(), "still typing");
    assert!(
        a.message
            .as_deref()
            .is_some_and(|m| m.contains("is not a Hive account name"))
    );
    key(&mut a, KeyCode::Esc);
    // Hive's rules, not only its characters: every part between dots at least 3 characters.
    press(&mut a, "aa..b");
    key(&mut a, KeyCode::Enter);
    assert!(a.prompt.is_some(), "still typing");
    let said = a.message.clone().unwrap_or_default();
    assert!(
        said.contains("\"a..b\"") && said.contains("each part at least 3 characters"),
        "{said}"
    );
    key(&mut a, KeyCode::Esc);
    assert!(a.prompt.is_none() && a.screen == Screen::Tokens);

    press(&mut a, "a@alice");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Account("alice".into()));
    load(
        &mut a,
        Key::Account("alice".into()),
        Payload::Account(fixtures::account("alice")),
    );
    let r = press(&mut a, "f");
    assert!(matches!(&r[..], [Request::SaveFavorites(s), ..] if s == &["@alice".to_owned()]));
    press(&mut a, "abob");
    let r = key(&mut a, KeyCode::Enter);
    assert!(
        watched(&r).contains(&Key::Account("alice".into())),
        "the portfolio's accounts"
    );
    assert_eq!(a.account.portfolio, ["alice"]);
    let (worth, missing) = a.account.portfolio_worth;
    assert_eq!((worth.to_fixed(2), missing), ("538.34".to_owned(), 0));
    load(&mut a, Key::Pools, Payload::Pools(fixtures::pools()));
    let (worth, _) = a.account.portfolio_worth;
    assert_eq!(
        worth.to_fixed(2),
        "10696.99",
        "the portfolio counts pool shares too"
    );
    let warm = a.start();
    let Some(Request::Prewarm(keys)) = warm.get(1) else {
        panic!("{warm:?}")
    };
    assert!(keys.contains(&Key::Account("alice".into())));
}

#[test]
fn activity_asks_for_the_next_page_at_the_end_of_a_full_one() {
    let mut a = app();
    press(&mut a, "aalice");
    key(&mut a, KeyCode::Enter);
    for _ in 0..3 {
        key(&mut a, KeyCode::Tab);
    }
    let ops = fixtures::operations("alice", ACTIVITY_PAGE as usize);
    load(
        &mut a,
        Key::Activity("alice".into(), 0),
        Payload::Activity(ops),
    );
    assert_eq!(a.account.ops.len(), ACTIVITY_PAGE as usize);
    let r = press(&mut a, "G");
    assert!(
        watched(&r).contains(&Key::Activity("alice".into(), 1)),
        "{r:?}"
    );
    load(
        &mut a,
        Key::Activity("alice".into(), 1),
        Payload::Activity(fixtures::operations("alice", 3)),
    );
    assert_eq!(a.account.ops.len(), ACTIVITY_PAGE as usize + 3);
    let r = press(&mut a, "G");
    assert!(watched(&r).is_empty(), "a short page was the last");
}

#[test]
fn a_richlist_switches_to_its_changes_and_steps_through_baselines() {
    use crate::model::Since;
    let mut a = app();
    press(&mut a, "R");
    let r = press(&mut a, "d");
    let baseline = |s| Key::Baseline("BEE".into(), s);
    assert!(watched(&r).contains(&baseline(Since::Previous)), "{r:?}");
    assert!(a.richlist.changes.is_some());
    let r = press(&mut a, "]");
    assert!(watched(&r).contains(&baseline(Since::Ago(86_400))));
    press(&mut a, "]]]]");
    assert_eq!(
        a.richlist.changes.as_ref().unwrap().since(),
        Since::Oldest,
        "stops at the last"
    );
    let r = press(&mut a, "d");
    assert!(
        !watched(&r).iter().any(|k| matches!(k, Key::Baseline(..))),
        "back to the holders"
    );
}
