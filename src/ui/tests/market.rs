//! Snapshots of the market screen at 140×40, 80×24 and 60×12: a chart that fills its plot, the
//! active range in the title, the last price in the facts, trades with their time, price and
//! quantity, and a trades selection that moves like any list.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::{app, draw, market, press, report, with_tokens};
use crate::app::{Action, App, Screen};
use crate::cache::{Key, Payload};
use crate::fixtures::{self, NOW, loaded};
use crate::model::{Amount, HistoryRange, Side, Trade};

/// A busy day of BEE (precision 8): trades every 40 minutes back across midnight, oldest first,
/// each bought by `buyer<n>` with n counted from the newest (0).
fn busy_day() -> Vec<Trade> {
    (0..30)
        .rev()
        .map(|n: i64| {
            let price = Amount::parse(&format!("0.25{:02}0000", n % 97)).unwrap();
            let quantity = Amount::parse(&format!("{}.12345678", 12_000 + n * 37)).unwrap();
            Trade {
                timestamp: NOW - 300 - n * 40 * 60,
                side: if n % 3 == 0 { Side::Sell } else { Side::Buy },
                buyer: format!("buyer{n}"),
                seller: "dave".into(),
                quantity,
                price,
                volume: price * quantity,
            }
        })
        .collect()
}

/// BEE's market at `width`×`height` with everything loaded, its chart on `range`.
fn loaded_market(width: u16, height: u16, range: HistoryRange) -> App {
    let mut a = with_tokens(app(width, height));
    market(&mut a);
    let digit = HistoryRange::ALL.iter().position(|r| *r == range).unwrap() + 1;
    press(&mut a, &digit.to_string());
    let symbol = || "BEE".to_owned();
    for (key, payload) in [
        (
            Key::Token(symbol()),
            Payload::Token(fixtures::tokens()[0].clone()),
        ),
        (
            Key::History(symbol(), range),
            Payload::History(fixtures::candles(800)),
        ),
        (Key::Book(symbol()), Payload::Book(fixtures::book())),
        (Key::Trades(symbol()), Payload::Trades(busy_day())),
    ] {
        report(&mut a, loaded(key, payload, true));
    }
    a
}

fn tab(a: &mut App) {
    a.update(Action::Key(KeyEvent::from(KeyCode::Tab)));
}

#[test]
fn market_at_140x40_the_candles_fill_the_plot() {
    let a = loaded_market(140, 40, HistoryRange::Quarter);
    let screen = draw(&a);
    assert!(
        screen.contains("2026-08-25") && screen.contains("2026-11-22"),
        "the first and last days: {screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn market_at_80x24() {
    let a = loaded_market(80, 24, HistoryRange::Month);
    let screen = draw(&a);
    assert!(
        screen.contains("Time UTC")
            && screen.contains("Price")
            && screen.contains("12,000.12345678"),
        "a trade's time, price and quantity: {screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn market_at_60x12_shows_a_sparkline_its_range_and_the_last_price() {
    let mut a = loaded_market(60, 12, HistoryRange::Month);
    let screen = draw(&a);
    assert!(screen.contains("2:30d"), "the active range: {screen}");
    assert!(screen.contains("Last price  0.25"), "{screen}");
    assert!(screen.contains('█'), "a chart: {screen}");
    insta::assert_snapshot!(screen);
    press(&mut a, "c");
    assert_eq!(draw(&a), screen, "a sparkline in either mode");
    press(&mut a, "5");
    assert!(draw(&a).contains("5:all"), "{}", draw(&a));
}

#[test]
fn trades_selection_moves_like_any_list() {
    let mut a = loaded_market(80, 24, HistoryRange::Month);
    tab(&mut a);
    tab(&mut a);
    press(&mut a, "jjj");
    let screen = draw(&a);
    assert!(
        screen.contains(&crate::format::utc_time(NOW - 300)),
        "the newest trade stays in view: {screen}"
    );
    let highlighted = |a: &App| -> Vec<u16> {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        t.draw(|f| crate::ui::render(f, a)).unwrap();
        let buf = t.backend().buffer().clone();
        (15..23)
            .filter(|&y| {
                buf[(79 - 2, y)]
                    .modifier
                    .contains(ratatui::style::Modifier::REVERSED)
            })
            .collect()
    };
    // The pane's header is on row 15: the fourth trade is on row 19.
    assert_eq!(highlighted(&a), [19]);
    press(&mut a, "jjjjjjjjjj");
    assert_eq!(highlighted(&a), [21], "on the last row, the list scrolls");
    insta::assert_snapshot!(draw(&a));
    assert_eq!(a.market.trades.selected, 13);
    press(&mut a, "k");
    assert_eq!(
        highlighted(&a),
        [20],
        "up moves the selection, not the list"
    );
    a.update(Action::Key(KeyEvent::from(KeyCode::Enter)));
    assert_eq!(a.screen, Screen::Account("buyer12".into()));
}
