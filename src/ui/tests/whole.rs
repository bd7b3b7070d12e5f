//! Every number on screen is a whole value of the data behind it, at 60×12, 80×24 and 140×40:
//! nothing cut into a fragment that looks like another number.

use std::collections::HashSet;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use crate::app::{Action, App};
use crate::cache::{Key, Payload};
use crate::fixtures::{self, loaded};
use crate::format::fixed;
use crate::layout;
use crate::model::{Amount, Order, Trade};

const SIZES: [(u16, u16); 3] = [(60, 12), (80, 24), (140, 40)];

fn buffer(a: &App) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(a.size.width, a.size.height)).unwrap();
    t.draw(|f| super::super::render(f, a)).unwrap();
    t.backend().buffer().clone()
}

/// The words of `area` with a digit in them: every number, and any fragment of one.
fn numbers_in(buf: &Buffer, area: Rect) -> Vec<String> {
    let mut out = Vec::new();
    for y in area.top()..area.bottom() {
        let line: String = (area.left()..area.right())
            .map(|x| buf[(x, y)].symbol().to_owned())
            .collect();
        out.extend(
            line.split(|c: char| c.is_whitespace() || "│┐┘└┌─".contains(c))
                .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
                .map(str::to_owned),
        );
    }
    out
}

fn key(a: &mut App, code: KeyCode) {
    a.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn leo_market(w: u16, h: u16) -> App {
    let mut a = fixtures::app(w, h);
    fixtures::with_token_list(&mut a);
    for c in "/leo".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    let leo = fixtures::tokens()[1].clone();
    for (k, p) in [
        (Key::Token("LEO".into()), Payload::Token(leo)),
        (Key::Book("LEO".into()), Payload::Book(fixtures::book())),
        (
            Key::Trades("LEO".into()),
            Payload::Trades(fixtures::trades()),
        ),
    ] {
        a.update(Action::Report(loaded(k, p, true)));
    }
    a
}

/// Every value the book and trades panes may show, formatted as they show it.
fn market_values() -> HashSet<String> {
    let book = fixtures::book();
    let mut values = HashSet::new();
    for side in [&book.bids, &book.asks] {
        let mut depth = Amount::ZERO;
        for o in side {
            let Order {
                price, quantity, ..
            } = o;
            depth = depth + *price * *quantity;
            values.extend([fixed(*price, 8), fixed(*quantity, 3), fixed(depth, 8)]);
        }
    }
    for Trade {
        price,
        quantity,
        volume,
        ..
    } in fixtures::trades()
    {
        values.extend([fixed(price, 8), fixed(quantity, 3), fixed(volume, 8)]);
    }
    values
}

#[test]
fn the_book_and_trades_show_whole_numbers_at_every_size() {
    let values = market_values();
    for (w, h) in SIZES {
        let a = leo_market(w, h);
        let buf = buffer(&a);
        let panes = layout::market_panes(a.size);
        let shown: Vec<String> = [panes.book, panes.trades]
            .into_iter()
            .flat_map(|p| numbers_in(&buf, layout::inner(p)))
            .collect();
        for n in &shown {
            // Trade times (12:30:05) and dates (12-31) are the only other words with digits.
            let time = n.contains(':') || (n.len() == 5 && n.as_bytes()[2] == b'-');
            assert!(
                time || values.contains(n),
                "{w}x{h}: {n:?} is not a value of the data"
            );
        }
        if h >= 24 {
            assert!(!shown.is_empty(), "{w}x{h}: the panes show numbers");
        }
    }
}

#[test]
fn the_richlist_shows_whole_numbers_at_every_size() {
    let r = fixtures::richlist(40);
    let mut values: HashSet<String> = HashSet::new();
    values.insert(fixed(r.burned, r.precision));
    for h in &r.holders {
        values.insert(h.account.to_string());
        for x in [
            h.balance,
            h.stake,
            h.locked().pending_unstake,
            h.locked().delegations_in,
            h.locked().delegations_out,
            h.locked().pending_undelegations,
            h.total(),
        ] {
            values.insert(fixed(x, r.precision));
        }
    }
    for (w, h) in SIZES {
        let mut a = fixtures::app(w, h);
        fixtures::with_token_list(&mut a);
        key(&mut a, KeyCode::Char('R'));
        a.update(Action::Report(loaded(
            Key::Richlist("BEE".into()),
            Payload::Richlist(r.clone()),
            true,
        )));
        let buf = buffer(&a);
        let table = layout::richlist_table(a.size);
        let summary = Rect {
            y: table.y - 1,
            height: 1,
            ..table
        };
        for n in numbers_in(&buf, summary) {
            let whole = n == "40"
                || n.ends_with('%')
                || matches!(n.as_str(), "10:" | "100:")
                || values.contains(&n);
            assert!(
                whole,
                "{w}x{h}: {n:?} in the summary is not a value of the data"
            );
        }
        let rows = Rect {
            y: table.y + 1,
            height: table.height.saturating_sub(1),
            ..table
        };
        let shown = numbers_in(&buf, rows);
        for n in &shown {
            let share_or_rank = n.ends_with('%') || n.parse::<u32>().is_ok_and(|r| r <= 40);
            assert!(
                share_or_rank || values.contains(n),
                "{w}x{h}: {n:?} is not a value of the data"
            );
        }
        assert!(!shown.is_empty(), "{w}x{h}: the table shows numbers");
    }
}
