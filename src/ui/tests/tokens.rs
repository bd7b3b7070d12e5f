//! Snapshots of the tokens list's 7d column: sparklines drawn from cached history.

use super::{app, draw, report, with_tokens};
use crate::cache::{Key, Payload};
use crate::fixtures::{self, loaded};
use crate::model::HistoryRange;

/// The list with what the worker reports from the cache for two of the rows on screen: stale
/// history (the market was opened in an earlier run), drawn at once all the same.
fn with_cached_history(width: u16, height: u16) -> crate::app::App {
    let mut a = with_tokens(app(width, height));
    for symbol in ["BEE", "LEO"] {
        let key = Key::History(symbol.into(), HistoryRange::Month);
        let history = Payload::History(fixtures::candles(30));
        report(&mut a, loaded(key, history, false));
    }
    a
}

#[test]
fn sparklines_are_drawn_from_cached_history() {
    let wide = draw(&with_cached_history(80, 24));
    let row = |symbol: &str| {
        wide.lines()
            .find(|l| l.contains(&format!(" {symbol} ")))
            .unwrap_or_default()
            .to_owned()
    };
    let bars = |line: &str| line.chars().filter(|c| ('▁'..='█').contains(c)).count();
    assert_eq!(bars(&row("BEE")), 7, "{wide}");
    assert_eq!(bars(&row("LEO")), 7, "{wide}");
    assert_eq!(bars(&row("EVIL")), 0, "no history cached: no line");
    insta::assert_snapshot!(format!("{wide}\n{}", draw(&with_cached_history(60, 12))));
}
