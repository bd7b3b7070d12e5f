//! Unit tests of `App::update`: actions in, state and requests out. No terminal, no runtime.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::*;
use crate::cache::Payload;
use crate::export::Shown;
use crate::fixtures::{self, NOW, loaded};
use crate::holders::Column;
use crate::model::HistoryRange;

fn empty_app() -> App {
    fixtures::app(120, 30)
}

fn app() -> App {
    let mut app = empty_app();
    fixtures::with_token_list(&mut app);
    app
}

fn press(app: &mut App, keys: &str) -> Vec<Request> {
    keys.chars()
        .flat_map(|c| {
            app.update(Action::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )))
        })
        .collect()
}

fn key(app: &mut App, code: KeyCode) -> Vec<Request> {
    app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn watched(requests: &[Request]) -> Vec<Key> {
    requests
        .iter()
        .find_map(|r| {
            if let Request::Watch(k) = r {
                Some(k.clone())
            } else {
                None
            }
        })
        .unwrap_or_default()
}

fn symbols(app: &App) -> Vec<&str> {
    app.tokens.visible().map(|r| r.symbol.as_str()).collect()
}

#[test]
fn start_watches_the_list_and_warms_favorites() {
    let mut a = app();
    a.favorites.insert("LEO".into());
    let r = a.start();
    assert_eq!(watched(&r), vec![Key::Tokens, Key::Metrics]);
    let Some(Request::Prewarm(keys)) = r.get(1) else {
        panic!("{r:?}")
    };
    assert!(
        keys.contains(&Key::Book("LEO".into()))
            && keys.contains(&Key::History("LEO".into(), HistoryRange::Month))
    );
}

#[test]
fn tokens_sort_by_volume_and_tokens_without_market_go_last() {
    let mut a = app();
    assert_eq!(symbols(&a), ["BEE", "LEO", "EVIL", "NOMKT"]);
    press(&mut a, "3");
    assert_eq!(
        symbols(&a),
        ["BEE", "LEO", "EVIL", "NOMKT"],
        "price descending"
    );
    press(&mut a, "3");
    assert_eq!(
        symbols(&a),
        ["EVIL", "LEO", "BEE", "NOMKT"],
        "price ascending, no price still last"
    );
}

#[test]
fn filter_as_you_type_then_open_the_market() {
    let mut a = app();
    press(&mut a, "/le");
    assert!(a.typing());
    assert_eq!(symbols(&a), ["LEO"]);
    key(&mut a, KeyCode::Enter);
    assert!(!a.typing());
    let r = key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Market("LEO".into()));
    assert_eq!(
        watched(&r),
        vec![
            Key::Token("LEO".into()),
            Key::History("LEO".into(), HistoryRange::Month),
            Key::Book("LEO".into()),
            Key::Trades("LEO".into()),
            Key::Metrics
        ]
    );
    let r = press(&mut a, "5");
    assert!(watched(&r).contains(&Key::History("LEO".into(), HistoryRange::All)));
    assert!(
        press(&mut a, "5").is_empty(),
        "same range again asks nothing"
    );
    let r = key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen, Screen::Tokens);
    assert_eq!(watched(&r), vec![Key::Tokens, Key::Metrics]);
}

#[test]
fn filter_escape_clears() {
    let mut a = app();
    press(&mut a, "/zzz");
    assert!(a.tokens.table.is_empty());
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.tokens.table.len(), 4);
}

#[test]
fn results_for_keys_not_shown_are_dropped() {
    let mut a = app();
    a.update(Action::Report(loaded(
        Key::Book("BEE".into()),
        Payload::Book(fixtures::book()),
        true,
    )));
    assert!(a.slots.get(&Key::Book("BEE".into())).is_none());
    press(&mut a, "R");
    a.update(Action::Report(loaded(
        Key::Richlist("BEE".into()),
        Payload::Richlist(fixtures::richlist(50)),
        true,
    )));
    assert_eq!(a.richlist.table.order.len(), 50);
}

#[test]
fn richlist_sorts_any_column_and_exports_what_is_shown() {
    let mut a = app();
    let r = press(&mut a, "R");
    assert_eq!(
        watched(&r),
        vec![Key::Richlist("BEE".into()), Key::Token("BEE".into())]
    );
    a.update(Action::Report(loaded(
        Key::Richlist("BEE".into()),
        Payload::Richlist(fixtures::richlist(50)),
        true,
    )));
    let rl = a.richlist.richlist().unwrap().clone();
    let totals: Vec<_> = a
        .richlist
        .table
        .order
        .iter()
        .map(|&i| rl.holders[i as usize].total())
        .collect();
    assert!(
        totals.windows(2).all(|w| w[0] >= w[1]),
        "default: total descending"
    );
    press(&mut a, "4");
    assert_eq!(a.richlist.table.sort, Column::Stake);
    let stakes: Vec<_> = a
        .richlist
        .table
        .order
        .iter()
        .map(|&i| rl.holders[i as usize].stake)
        .collect();
    assert!(stakes.windows(2).all(|w| w[0] >= w[1]));
    press(&mut a, "4");
    assert!(!a.richlist.table.descending);
    let r = press(&mut a, "e");
    let Some(Request::Export(job)) = r.first() else {
        panic!("{r:?}")
    };
    let shown = &job.shown;
    assert!(matches!(shown, Shown::Richlist { order, .. } if *order == a.richlist.table.order));
    assert_eq!(job.dir, std::path::PathBuf::from("/tmp/x"));
    a.update(Action::Report(Report::Exported(
        Ok("/tmp/x/BEE.csv".into()),
    )));
    assert_eq!(a.message.as_deref(), Some("exported to /tmp/x/BEE.csv"));
    a.update(Action::Tick(NOW + 5));
    assert!(a.message.is_some(), "still said a few seconds later");
    a.update(Action::Tick(NOW + 60));
    assert_eq!(a.message, None, "and gone after a while");
}

#[test]
fn export_before_data_says_so() {
    let mut a = app();
    press(&mut a, "R");
    assert!(press(&mut a, "e").is_empty());
    assert!(a.message.unwrap().contains("still loading"));
}

#[test]
fn richlist_search_jumps_to_the_account() {
    let mut a = app();
    press(&mut a, "R");
    a.update(Action::Report(loaded(
        Key::Richlist("BEE".into()),
        Payload::Richlist(fixtures::richlist(500)),
        true,
    )));
    press(&mut a, "/acct0420");
    let rl = a.richlist.richlist().unwrap();
    let selected = a.richlist.table.order[a.richlist.table.cursor.selected];
    assert_eq!(rl.holders[selected as usize].account, "acct0420");
    assert!(a.richlist.table.cursor.offset <= a.richlist.table.cursor.selected);
    assert!(
        a.richlist.table.cursor.selected < a.richlist.table.cursor.offset + a.richlist_height()
    );
}

#[test]
fn favorites_pin_on_top_and_are_saved() {
    let mut a = app();
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    let r = press(&mut a, "f");
    assert!(matches!(&r[..], [Request::SaveFavorites(s)] if s == &["EVIL".to_owned()]));
    assert_eq!(symbols(&a)[0], "EVIL");
    assert_eq!(
        a.tokens.selected_symbol(),
        Some("EVIL"),
        "the cursor follows the token"
    );
}

#[test]
fn movement_keys_page_and_jump() {
    let mut a = app();
    a.update(Action::Resize(120, 4));
    press(&mut a, "G");
    assert_eq!(a.tokens.table.cursor.selected, 3);
    assert_eq!(a.tokens.table.cursor.offset, 3, "only one row fits");
    press(&mut a, "g");
    assert_eq!(a.tokens.table.cursor, crate::table::Cursor::default());
    key(&mut a, KeyCode::PageDown);
    assert_eq!(a.tokens.table.cursor.selected, 1);
}

#[test]
fn mouse_wheel_click_and_header_sort() {
    let mut a = app();
    let mouse = |kind, column, row| {
        Action::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    a.update(mouse(MouseEventKind::ScrollDown, 5, 5));
    assert_eq!(a.tokens.table.cursor.selected, 1);
    a.update(mouse(MouseEventKind::Down(MouseButton::Left), 5, 4));
    assert_eq!(
        a.tokens.table.cursor.selected, 2,
        "row 4 is the third data row"
    );
    a.update(mouse(MouseEventKind::Down(MouseButton::Left), 3, 1));
    assert_eq!(
        a.tokens.table.sort,
        crate::model::TokenColumn::Symbol,
        "a click on a header sorts"
    );
}

#[test]
fn help_quit_and_refresh() {
    let mut a = app();
    press(&mut a, "?");
    assert_eq!(a.overlay, Some(Overlay::Help));
    assert!(
        press(&mut a, "j").is_empty() && a.tokens.table.cursor.selected == 0,
        "help swallows keys"
    );
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.overlay, None);
    let r = press(&mut a, "r");
    assert!(matches!(
        &r[..],
        [
            Request::Refresh(Key::Tokens),
            Request::Refresh(Key::Metrics)
        ]
    ));
    a.update(Action::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(a.quit);
}

#[test]
fn a_failure_keeps_the_data_and_says_why() {
    let mut a = app();
    a.update(Action::Report(Report::Refreshing { key: Key::Tokens }));
    assert_eq!(
        a.slots.state(&Key::Tokens),
        SlotState::Fresh { refreshing: true },
        "fresh data stays fresh while refreshing"
    );
    a.update(Action::Report(Report::Failed {
        key: Key::Tokens,
        error: "HTTP 503".into(),
        cause: "node unavailable",
        retry_at: Some(NOW + 8),
    }));
    assert_eq!(a.tokens.rows.len(), 4, "nothing lost");
    assert!(
        matches!(a.slots.state(&Key::Tokens), SlotState::FreshFailed(ref f) if f.error == "HTTP 503" && !f.retrying),
        "a failed refresh of fresh data is said, not hidden"
    );
    a.update(Action::Report(Report::Refreshing { key: Key::Tokens }));
    assert!(
        matches!(a.slots.state(&Key::Tokens), SlotState::FreshFailed(ref f) if f.retrying),
        "the error stays on screen while the retry runs"
    );
    a.update(Action::Report(loaded(
        Key::Tokens,
        Payload::Tokens(fixtures::tokens()),
        false,
    )));
    assert!(matches!(
        a.slots.state(&Key::Tokens),
        SlotState::StaleFailed(_)
    ));
}

#[test]
fn untrusted_names_are_sanitized_before_display() {
    let a = app();
    let evil = a.tokens.rows.iter().find(|r| r.symbol == "EVIL").unwrap();
    assert_eq!(evil.name, "Evil red");
}

/// The history keys of a `Background` request, by symbol.
fn sparkline_symbols(requests: &[Request]) -> Option<Vec<String>> {
    requests.iter().find_map(|r| match r {
        Request::Background(keys) => Some(
            keys.iter()
                .filter_map(|k| match k {
                    Key::History(s, HistoryRange::Month) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    })
}

#[test]
fn sparklines_are_asked_for_the_rows_on_screen_whenever_they_change() {
    // Two rows of the list on screen: the title, the header, two rows and the status line.
    let mut a = fixtures::app(80, 5);
    let r = a.update(Action::Report(loaded(
        Key::Tokens,
        Payload::Tokens(fixtures::tokens()),
        true,
    )));
    let first = sparkline_symbols(&r).expect("asked when the tokens arrive");
    assert_eq!(first.len(), 2, "the rows on screen only: {first:?}");
    let r = a.update(Action::Report(loaded(
        Key::Metrics,
        Payload::Metrics(fixtures::all_metrics()),
        true,
    )));
    let sorted = sparkline_symbols(&r).unwrap_or_else(|| first.clone());
    assert!(
        a.update(Action::Tick(NOW)).is_empty(),
        "the same rows: not again"
    );
    let r = press(&mut a, "G");
    let last = sparkline_symbols(&r).expect("scrolled: the new rows");
    assert!(
        last.iter().all(|s| !sorted.contains(s)),
        "{sorted:?} {last:?}"
    );

    a.update(Action::Report(loaded(
        Key::History(last[0].clone(), HistoryRange::Month),
        Payload::History(fixtures::candles(30)),
        false,
    )));
    assert!(
        a.slots
            .get(&Key::History(last[0].clone(), HistoryRange::Month))
            .is_some(),
        "a history asked for is kept"
    );
    a.update(Action::Report(loaded(
        Key::History("ZZZ".into(), HistoryRange::Month),
        Payload::History(fixtures::candles(30)),
        false,
    )));
    assert!(
        a.slots
            .get(&Key::History("ZZZ".into(), HistoryRange::Month))
            .is_none(),
        "others are dropped"
    );

    let r = key(&mut a, KeyCode::Enter);
    assert_eq!(
        sparkline_symbols(&r),
        Some(Vec::new()),
        "away from the list nothing is wanted"
    );
    let r = key(&mut a, KeyCode::Esc);
    assert_eq!(sparkline_symbols(&r), Some(last), "back: asked again");
}

#[test]
fn market_scrolls_stay_in_range_so_a_key_back_moves_at_once() {
    let mut a = app();
    press(&mut a, "/leo");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    let orders = |n: usize| crate::model::Order {
        account: format!("acct{n}"),
        quantity: crate::model::Amount::parse("1").unwrap(),
        price: crate::model::Amount::parse(&format!("0.{:04}", 1000 + n)).unwrap(),
        timestamp: NOW,
    };
    let book = crate::model::OrderBook {
        bids: (0..200).map(orders).collect(),
        asks: (0..50).map(orders).collect(),
    };
    a.update(Action::Report(loaded(
        Key::Book("LEO".into()),
        Payload::Book(book),
        true,
    )));
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.market.pane, Pane::Book);
    press(&mut a, "G");
    let bottom = a.market.book_scroll.pos;
    assert!(
        bottom > 150 && bottom < 200,
        "the last page starts at {bottom}"
    );
    press(&mut a, "jjj");
    assert_eq!(a.market.book_scroll.pos, bottom, "down at the end stays");
    press(&mut a, "k");
    assert_eq!(a.market.book_scroll.pos, bottom - 1, "up moves at once");
    // The chart cursor stops at the oldest bar too.
    a.update(Action::Report(loaded(
        Key::History("LEO".into(), HistoryRange::Month),
        Payload::History(fixtures::candles(30)),
        true,
    )));
    for _ in 0..100 {
        key(&mut a, KeyCode::Left);
    }
    let oldest = a.market.cursor_back.pos;
    assert!(oldest < 30, "{oldest}");
    key(&mut a, KeyCode::Right);
    assert_eq!(a.market.cursor_back.pos, oldest - 1);
    // A taller terminal shows more rows at once: the last page starts earlier, and so does the
    // position.
    press(&mut a, "G");
    a.update(Action::Resize(120, 80));
    let page = layout::inner(layout::market_panes(a.size).book).height - 1;
    assert_eq!(a.market.book_scroll.pos, 200 - usize::from(page));
}

#[test]
fn the_first_row_is_selected_whichever_data_arrives_first() {
    for metrics_first in [false, true] {
        let mut a = empty_app();
        // Cheapest first: without metrics the order is by symbol, with them EVIL leads.
        a.tokens.table.sort = crate::model::TokenColumn::Price;
        a.tokens.table.descending = false;
        let tokens = loaded(Key::Tokens, Payload::Tokens(fixtures::tokens()), true);
        let metrics = loaded(
            Key::Metrics,
            Payload::Metrics(fixtures::all_metrics()),
            true,
        );
        let (one, two) = if metrics_first {
            (metrics, tokens)
        } else {
            (tokens, metrics)
        };
        a.update(Action::Report(one));
        a.update(Action::Report(two));
        assert_eq!(
            a.tokens.table.cursor.selected, 0,
            "metrics first: {metrics_first}"
        );
        assert_eq!(a.tokens.selected_symbol(), Some("EVIL"));
    }
    // Once the user has picked a row, new data keeps that token selected.
    let mut a = app();
    press(&mut a, "jj");
    let picked = a.tokens.selected_symbol().map(str::to_owned);
    a.update(Action::Report(loaded(
        Key::Metrics,
        Payload::Metrics(fixtures::all_metrics()),
        true,
    )));
    assert_eq!(a.tokens.selected_symbol().map(str::to_owned), picked);
}

#[test]
fn filter_keys_edit_and_esc_clears_an_applied_filter() {
    let mut a = app();
    press(&mut a, "/leo");
    a.update(Action::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(
        a.tokens.filter.input.value(),
        "",
        "Ctrl-u clears, it does not type u"
    );
    press(&mut a, "be");
    key(&mut a, KeyCode::Enter);
    assert_eq!(symbols(&a), ["BEE"]);
    assert!(a.view().title().contains("Esc clears"));
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.tokens.filter.input.value(), "");
    assert_eq!(symbols(&a).len(), 4, "the applied filter is gone");
    assert_eq!(a.screen, Screen::Tokens);
}

#[test]
fn find_says_no_match_and_n_steps_through_matches() {
    let mut a = app();
    press(&mut a, "R");
    a.update(Action::Report(loaded(
        Key::Richlist("BEE".into()),
        Payload::Richlist(fixtures::richlist(500)),
        true,
    )));
    press(&mut a, "/qqqqq");
    assert!(
        a.view().title().ends_with("no match"),
        "{}",
        a.view().title()
    );
    key(&mut a, KeyCode::Esc);
    press(&mut a, "/acct00");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.richlist.search.matches.len(), 100, "acct0000 to acct0099");
    let account = |a: &App| {
        let i = a.richlist.table.selected().unwrap() as usize;
        a.richlist.richlist().unwrap().holders[i].account.clone()
    };
    let first = account(&a);
    assert!(
        a.view().title().contains("(1/100, n/N)"),
        "{}",
        a.view().title()
    );
    press(&mut a, "n");
    let second = account(&a);
    assert!(second.starts_with("acct00") && second != first);
    assert!(a.view().title().contains("(2/100"));
    press(&mut a, "N");
    assert_eq!(account(&a), first);
    press(&mut a, "N");
    assert!(a.view().title().contains("(100/100"), "N wraps round");
}

mod account;
mod pools;
