//! The plan walked against a simulated node: every name read, slots busy, gaps found.

use super::*;

/// Names shaped like Hive's: two syllables and a number, sorted.
fn names(n: usize) -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "al", "be", "ca", "da", "el", "fa", "go", "ha", "il", "jo", "ka", "lu", "ma", "ne", "ol",
        "pa", "qu", "ra", "sa", "ta", "ul", "vi", "wa", "xe", "yo", "ze", "st", "mi", "sh", "cr",
    ];
    let mut seed = 7_u64;
    let mut next = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize
    };
    let mut out: Vec<String> = (0..n)
        .map(|i| {
            let (a, b) = (next() % SYLLABLES.len(), next() % SYLLABLES.len());
            format!("{}{}{}", SYLLABLES[a], SYLLABLES[b], radix36(i))
        })
        .collect();
    out.sort();
    out
}

fn radix36(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b"0123456789abcdefghijklmnopqrstuvwxyz"[n % 36]));
        n /= 36;
        if n == 0 {
            return out.iter().rev().collect();
        }
    }
}

/// What a node answers for `cursor`: up to `page` names of the range after `offset`, and
/// `extra` more skipped when it skips any (as if that many rows before it had just gone:
/// they are read again by the plan, so the walk still finds every name).
fn find<'a>(all: &'a [String], cursor: &Cursor, page: usize, extra: usize) -> Vec<&'a str> {
    let Cursor::Accounts {
        from,
        inclusive,
        to,
        offset,
        ..
    } = cursor
    else {
        panic!("an account range")
    };
    all.iter()
        .map(String::as_str)
        .filter(|n| {
            (if *inclusive {
                *n >= from.as_str()
            } else {
                *n > from.as_str()
            }) && to.as_deref().is_none_or(|t| *n < t)
        })
        .skip(if *offset > 0 { offset + extra } else { 0 })
        .take(page)
        .collect()
}

struct Walk {
    read: Vec<String>,
    requests: usize,
    ticks: f64,
}

/// Runs a plan with `slots` requests in flight, each taking one tick and up to 2.5% more;
/// request number `shifted` (if any) finds 5 rows fewer before it than were there.
fn walk(all: &[String], slots: usize, max_offset: usize, shifted: Option<usize>) -> Walk {
    const PAGE: usize = 1000;
    let first_page = Cursor::Accounts {
        from: String::new(),
        inclusive: true,
        to: None,
        offset: 0,
    };
    let first = find(all, &first_page, PAGE, 0);
    let mut read: Vec<String> = first.iter().map(|n| (*n).to_owned()).collect();
    let mut plan = Plan::after_first_page(first[first.len() - 1], PAGE);
    plan.cap_offsets(max_offset);
    let (mut now, mut requests, mut jitter) = (0.0_f64, 1, 0_u64);
    let mut running: Vec<(f64, u64, Cursor, usize)> = Vec::new();
    while !plan.is_done() {
        while running.len() < slots {
            let Some((id, c)) = plan.next() else { break };
            jitter = (jitter * 31 + 7) % 100;
            running.push((now + 1.0 + jitter as f64 / 4000.0, id, c, requests));
            requests += 1;
        }
        running.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (at, id, c, n) = running
            .pop()
            .expect("a request in flight while work is left");
        now = at;
        let extra = if shifted == Some(n) { 5 } else { 0 };
        let rows = find(all, &c, PAGE, extra);
        plan.read(
            id,
            &PageRead {
                first: rows.first().copied(),
                last: rows.last().copied(),
                rows: rows.len(),
                full: rows.len() == PAGE,
                node: 0,
            },
        );
        read.extend(rows.iter().map(|n| (*n).to_owned()));
    }
    read.sort();
    read.dedup();
    Walk {
        read,
        requests,
        ticks: now,
    }
}

/// A page that came back empty from `node`.
fn empty_page(node: usize) -> PageRead<'static> {
    PageRead {
        first: None,
        last: None,
        rows: 0,
        full: false,
        node,
    }
}

#[test]
fn every_name_is_read_with_every_slot_busy() {
    let all = names(95_000);
    let w = walk(&all, 9, usize::MAX, None);
    assert!(w.read == all);
    // 94 pages after the first take 11 rounds of 9; pages asked past the end while the
    // last ones are in flight come back empty.
    assert!(w.requests <= 95 + 9, "{} requests for 95 pages", w.requests);
    assert!(w.ticks <= 11.0 * 1.025, "{:.2} ticks", w.ticks);
}

#[test]
fn a_token_of_a_few_pages_costs_at_most_a_slot_of_empty_pages() {
    let all = names(2_500);
    let w = walk(&all, 9, usize::MAX, None);
    assert!(w.read == all);
    assert!(w.requests <= 3 + 9, "{} requests", w.requests);
    assert!(w.ticks <= 1.025, "{:.2} ticks: one round", w.ticks);
}

#[test]
fn rows_that_moved_between_two_pages_are_read_as_a_gap() {
    let all = names(20_000);
    for shifted in [2, 5, 12] {
        let w = walk(&all, 9, usize::MAX, Some(shifted));
        assert!(w.read == all, "request {shifted} found rows gone");
    }
}

#[test]
fn without_offsets_the_walk_is_one_page_after_another() {
    let all = names(5_500);
    let w = walk(&all, 9, 0, None);
    assert!(w.read == all);
    // 1000 rows, then 999 new ones a page: 4500 more rows take 5 pages.
    assert_eq!(w.requests, 1 + 5);
}

#[test]
fn a_page_ends_where_its_rows_do_and_a_short_one_at_its_bound() {
    let mut plan = Plan::after_first_page("b", 3);
    let (a, _) = plan.next().unwrap();
    let (b, cursor) = plan.next().unwrap();
    let Cursor::Accounts { from, offset, .. } = cursor else {
        panic!("an account range")
    };
    assert_eq!((from.as_str(), offset), ("b", 2), "pages share a row");
    let full = |first, last| PageRead {
        first: Some(first),
        last: Some(last),
        rows: 3,
        full: true,
        node: 0,
    };
    plan.read(b, &full("d", "f"));
    assert!(!plan.is_done());
    plan.read(a, &full("b", "d"));
    assert!(!plan.is_done(), "the end is not found yet");
    let (c, _) = plan.next().unwrap();
    plan.read(
        c,
        &PageRead {
            first: Some("f"),
            last: Some("g"),
            rows: 2,
            full: false,
            node: 0,
        },
    );
    assert!(plan.is_done());
}

#[test]
fn an_empty_page_is_the_end_until_a_full_page_shows_rows_past_it() {
    let mut plan = Plan::after_first_page("b", 3);
    let (a, _) = plan.next().unwrap();
    let (b, _) = plan.next().unwrap();
    let empty = empty_page(1);
    assert!(
        plan.read(b, &empty).is_empty(),
        "believed while nothing says otherwise"
    );
    assert!(plan.next().is_none(), "the run ended there");
    let full = PageRead {
        first: Some("b"),
        last: Some("d"),
        rows: 3,
        full: true,
        node: 0,
    };
    assert_eq!(plan.read(a, &full), [1], "found out by the page before it");
    assert!(plan.next().is_some(), "and read again");
}

#[test]
fn an_empty_page_between_rows_is_found_out_and_read_again() {
    let mut plan = Plan::after_first_page("b", 3);
    let (a, _) = plan.next().unwrap();
    let (b, _) = plan.next().unwrap();
    let full = |first, last| PageRead {
        first: Some(first),
        last: Some(last),
        rows: 3,
        full: true,
        node: 0,
    };
    assert!(plan.read(a, &full("b", "d")).is_empty());
    let empty = empty_page(2);
    assert_eq!(
        plan.read(b, &empty),
        [2],
        "the page after a full one starts on its last row"
    );
    let (_, again) = plan.next().unwrap();
    let Cursor::Accounts { from, offset, .. } = again else {
        panic!("an account range")
    };
    assert_eq!(
        (from.as_str(), offset),
        ("d", 0),
        "read again from where rows are"
    );
}

#[test]
fn a_node_serving_smaller_pages_leaves_a_gap_and_is_not_taken_for_a_liar() {
    // Pages of 5 rows, 4 apart; the node of page `a` serves 2 rows a page.
    let mut plan = Plan::after_first_page("b", 5);
    let (a, _) = plan.next().unwrap();
    let (b, _) = plan.next().unwrap();
    let small = PageRead {
        first: Some("b"),
        last: Some("c"),
        rows: 2,
        full: true,
        node: 1,
    };
    assert!(plan.read(a, &small).is_empty());
    let empty = empty_page(2);
    assert!(
        plan.read(b, &empty).is_empty(),
        "a page of 2 rows says nothing of the row 4 further on"
    );
    let (_, gap) = plan.next().expect("the rest of the step is read");
    let Cursor::Accounts {
        from,
        inclusive,
        offset,
        ..
    } = gap
    else {
        panic!("an account range")
    };
    assert_eq!((from.as_str(), inclusive, offset), ("c", false, 0));
}
