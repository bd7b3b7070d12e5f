//! `App::update` on the pools list and a pool's providers: how they are reached, what they
//! watch, favorites shared with the tokens, and the export of the rows shown.

use super::{app, key, press, watched};
use crate::app::{Action, Request, Screen};
use crate::cache::{Key, Payload};
use crate::export::Shown;
use crate::fixtures::{self, loaded};
use crate::pools::ProviderColumn;
use ratatui::crossterm::event::KeyCode;

fn load(a: &mut crate::app::App, key: Key, payload: Payload) {
    a.update(Action::Report(loaded(key, payload, true)));
}

#[test]
fn pools_open_from_the_tokens_and_from_a_market_with_its_pools_only() {
    let mut a = app();
    let r = press(&mut a, "p");
    assert_eq!(a.screen, Screen::Pools(None));
    assert_eq!(watched(&r), vec![Key::Pools, Key::Metrics]);
    load(&mut a, Key::Pools, Payload::Pools(fixtures::pools()));
    assert_eq!(a.pools.table.len(), 5);
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Market("BEE".into()));
    press(&mut a, "p");
    assert_eq!(a.screen, Screen::Pools(Some("BEE".into())));
    let pairs: Vec<&str> = a
        .pools
        .table
        .order
        .iter()
        .map(|&i| a.pools.pools()[i as usize].pair.as_str())
        .collect();
    assert_eq!(pairs, ["LEO:BEE", "SWAP.HIVE:BEE"], "either side, by worth");
    let r = key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Pool("LEO:BEE".into()));
    assert_eq!(
        watched(&r),
        vec![Key::Pool("LEO:BEE".into()), Key::Tokens, Key::Metrics]
    );
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen, Screen::Pools(Some("BEE".into())));
}

#[test]
fn pools_and_tokens_share_one_favorites_list() {
    let mut a = app();
    press(&mut a, "f");
    press(&mut a, "p");
    load(&mut a, Key::Pools, Payload::Pools(fixtures::pools()));
    press(&mut a, "G");
    let pinned = a.pools.selected_pair().unwrap().to_owned();
    let r = press(&mut a, "f");
    let [Request::SaveFavorites(saved)] = &r[..] else {
        panic!("{r:?}")
    };
    assert!(saved.contains(&pinned) && saved.len() == 2, "{saved:?}");
    assert_eq!(
        a.pools.selected_pair(),
        Some(pinned.as_str()),
        "the cursor follows"
    );
    assert_eq!(a.pools.table.cursor.selected, 0, "pinned on top");
    let warm = a.start();
    let Some(Request::Prewarm(keys)) = warm.get(1) else {
        panic!("{warm:?}")
    };
    assert!(keys.contains(&Key::Pools) && keys.contains(&Key::Pool(pinned)));
}

#[test]
fn the_export_writes_the_providers_in_the_order_shown() {
    let mut a = app();
    press(&mut a, "p");
    load(&mut a, Key::Pools, Payload::Pools(fixtures::pools()));
    press(&mut a, "j");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Pool("SWAP.HIVE:BEE".into()));
    let r = press(&mut a, "e");
    assert!(r.is_empty() && a.message.as_deref().is_some_and(|m| m.contains("loading")));
    // A result for another pool is not this screen's.
    load(
        &mut a,
        Key::Pool("LEO:BEE".into()),
        Payload::Pool(fixtures::pool_detail(3)),
    );
    assert!(a.pool.detail().is_none());
    load(
        &mut a,
        Key::Pool("SWAP.HIVE:BEE".into()),
        Payload::Pool(fixtures::pool_detail(30)),
    );
    press(&mut a, "2");
    assert_eq!(
        (a.pool.table.sort, a.pool.table.descending),
        (ProviderColumn::Account, false)
    );
    let r = press(&mut a, "e");
    let Some(Request::Export(job)) = r.first() else {
        panic!("{r:?}")
    };
    let Shown::Providers {
        order,
        pair,
        precisions,
        ..
    } = &job.shown
    else {
        panic!("{job:?}")
    };
    assert_eq!(
        (order, pair.as_str()),
        (&a.pool.table.order, "SWAP.HIVE:BEE")
    );
    assert_eq!(*precisions, (8, 8), "BEE's precision from the token list");
    press(&mut a, "/lp02");
    let at = a.pool.table.order[a.pool.table.cursor.selected] as usize;
    assert_eq!(a.pool.rows[at].account, "lp020");
}
