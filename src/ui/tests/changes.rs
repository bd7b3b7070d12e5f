//! Snapshots of a richlist's changes: loaded (wide and narrow), flipped to the sellers, with one
//! snapshot only, and while the snapshots are read.

use super::{app, draw, press, report, with_tokens};
use crate::cache::{Key, Payload};
use crate::fixtures::{self, NOW, loaded};
use crate::model::{Amount, Baseline, Since};

fn richlist_changes(width: u16, height: u16, kept: usize) -> crate::app::App {
    let mut a = with_tokens(app(width, height));
    press(&mut a, "R");
    let mut now = fixtures::richlist(30);
    now.holders.remove(3);
    now.holders[5].stake = now.holders[5].stake + Amount::parse("120.5").unwrap();
    now.holders[9].balance = now.holders[9].balance - Amount::parse("300").unwrap();
    now.holders.push(fixtures::holder("newcomer", "999", "1"));
    report(
        &mut a,
        loaded(Key::Richlist("BEE".into()), Payload::Richlist(now), true),
    );
    press(&mut a, "d");
    let baseline = Baseline {
        then: (kept > 1).then(|| (NOW - 7 * 86_400, fixtures::richlist(30))),
        newest: Some(NOW - 30),
        kept,
        skipped: Vec::new(),
    };
    let key = Key::Baseline("BEE".into(), Since::Previous);
    report(&mut a, loaded(key, Payload::Baseline(baseline), true));
    a
}

#[test]
fn changes_reading_snapshots() {
    let mut a = with_tokens(app(80, 12));
    press(&mut a, "Rd");
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn changes_loaded() {
    insta::assert_snapshot!(draw(&richlist_changes(100, 12, 5)));
}

#[test]
fn changes_narrow_flipped_to_sellers() {
    let mut a = richlist_changes(60, 12, 5);
    press(&mut a, "x");
    insta::assert_snapshot!(draw(&a));
}

#[test]
fn changes_with_one_snapshot() {
    insta::assert_snapshot!(draw(&richlist_changes(80, 12, 1)));
}
