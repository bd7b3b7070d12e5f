//! The help overlay: as wide as its longest line up to the terminal, every line whole at 80
//! columns and more, a long description going on under itself below that.

use super::{app, draw, press, with_tokens};
use crate::app::help_lines;

/// Every screen of the help from its first line to its last, one line down at a time.
fn every_page(width: u16, height: u16) -> String {
    let mut a = with_tokens(app(width, height));
    press(&mut a, "?");
    let mut screens = draw(&a);
    for _ in 0..help_lines(&a).len() {
        press(&mut a, "j");
        screens.push_str(&draw(&a));
    }
    screens
}

#[test]
fn help_lines_are_whole_at_80_columns_and_more() {
    let a = with_tokens(app(80, 24));
    for (width, height) in [(140, 40), (80, 24)] {
        let screens = every_page(width, height);
        for (keys, what) in help_lines(&a) {
            let line = if keys.is_empty() {
                what.to_owned()
            } else {
                format!("{keys}  {what}")
            };
            assert!(
                screens.contains(&line),
                "{width}x{height}: {line:?} not whole in {screens}"
            );
        }
    }
}

#[test]
fn help_at_140x40_is_as_wide_as_its_longest_line() {
    let mut a = with_tokens(app(140, 40));
    press(&mut a, "?");
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn help_at_60x12_wraps_a_long_description_between_words() {
    let screens = every_page(60, 12);
    assert!(
        screens.contains("p  liquidity pools (a token's, from its")
            && screens.contains("│                market)"),
        "{screens}"
    );
    let mut a = with_tokens(app(60, 12));
    press(&mut a, "?");
    press(&mut a, "jjjjjjjjjjjjjjj");
    insta::assert_snapshot!(draw(&a));
}
