//! The plan of a parallel richlist walk: the parts of the account key space still unread, each
//! read from both ends at once and split where the data is dense, so that every request slot
//! stays busy and few pages come back short.

use std::collections::HashMap;

use super::paging::Cursor;

/// The characters of Hive account names, in byte order.
const ALPHABET: &[u8] = b"-.0123456789abcdefghijklmnopqrstuvwxyz";
/// Characters of a name that a position in the key space looks at.
const DEPTH: u32 = 6;
const BASE: u64 = ALPHABET.len() as u64 + 1;

/// A name as a number: each of its first `DEPTH` characters a digit (0 = the name has ended).
fn name_value(name: &str) -> u64 {
    let mut bytes = name.bytes();
    (0..DEPTH).fold(0, |acc, _| {
        let digit = bytes
            .next()
            .and_then(|b| ALPHABET.iter().position(|&a| a == b))
            .map_or(0, |p| p as u64 + 1);
        acc * BASE + digit
    })
}

fn value_name(mut value: u64) -> String {
    let mut out = Vec::new();
    for _ in 0..DEPTH {
        out.push(value % BASE);
        value /= BASE;
    }
    out.iter()
        .rev()
        .take_while(|&&d| d > 0)
        .map(|&d| char::from(ALPHABET[(d - 1) as usize]))
        .collect()
}

/// The position of `to` in the key space (`None` = its end).
fn end_value(to: Option<&str>) -> u64 {
    to.map_or(BASE.pow(DEPTH) - 1, name_value)
}

/// Names sort after every name they start with; `\0` never occurs in a Hive name, so `name\0`
/// is the first position after `name`.
fn after(name: &str) -> String {
    format!("{name}\0")
}

/// Which end of a part a request reads from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Low,
    High,
}

/// A part of the key space not read yet: from `lo` (included) to `hi` (excluded; `None` = the
/// end), with the request reading up from `lo` and the one reading down from `hi`, if any.
#[derive(Debug)]
struct Part {
    lo: String,
    hi: Option<String>,
    up: Option<u64>,
    down: Option<u64>,
    /// Rows per unit of `name_value`, as the last full page here showed; `None` = not seen yet.
    density: Option<f64>,
}

impl Part {
    /// Rows still unread here that no request in flight will bring; unknown density = many.
    fn unclaimed(&self, page: usize) -> f64 {
        let busy = usize::from(self.up.is_some()) + usize::from(self.down.is_some());
        let width = end_value(self.hi.as_deref()).saturating_sub(name_value(&self.lo)) as f64;
        let rows = self.density.map_or(f64::INFINITY, |d| width * d);
        // A part nobody reads is always worth a request, however small it looks.
        if busy == 0 {
            rows.max(1.0)
        } else {
            rows - (busy * page) as f64
        }
    }

    /// A name strictly inside the part, between what its requests in flight will read.
    fn split_point(&self, page: usize) -> Option<String> {
        let (lo, hi) = (name_value(&self.lo), end_value(self.hi.as_deref()));
        let claimed = self.density.map_or(0, |d| (page as f64 / d) as u64);
        let from = if self.up.is_some() { lo + claimed } else { lo };
        let to = if self.down.is_some() {
            hi.saturating_sub(claimed)
        } else {
            hi
        };
        let mid = value_name(from.min(to) + to.saturating_sub(from) / 2);
        let inside = mid > self.lo && self.hi.as_deref().is_none_or(|h| mid.as_str() < h);
        inside.then_some(mid)
    }
}

/// What a page brought back: its first and last names in reading order, and whether it was full.
pub struct PageRead<'a> {
    pub first: Option<&'a str>,
    pub last: Option<&'a str>,
    pub rows: usize,
    pub full: bool,
}

/// A page asked for: the part's bounds when it was asked, and from which end.
struct Asked {
    lo: String,
    hi: Option<String>,
    end: End,
}

/// The unread parts of the key space (in order, disjoint) and the pages asked of them.
pub struct Plan {
    parts: Vec<Part>,
    asked: HashMap<u64, Asked>,
    page: usize,
    next_id: u64,
}

impl Plan {
    /// Everything after the first page (`rows` names from `first` to `last`) is unread; its
    /// density is the first guess of the rest's.
    pub fn after_first_page((first, last): (&str, &str), rows: usize, page: usize) -> Self {
        let width = name_value(last).saturating_sub(name_value(first)).max(1);
        Self {
            parts: vec![Part {
                lo: after(last),
                hi: None,
                up: None,
                down: None,
                density: Some(rows as f64 / width as f64),
            }],
            asked: HashMap::new(),
            page,
            next_id: 0,
        }
    }

    pub fn is_done(&self) -> bool {
        self.parts.is_empty()
    }

    /// The next page worth reading for a free slot: a free end of the part with the most rows
    /// nobody is reading yet, or, when every end is busy, a split of that part's middle. `None`
    /// when the requests in flight are expected to read everything left.
    pub fn next(&mut self) -> Option<(u64, Cursor)> {
        let page = self.page;
        let best = (0..self.parts.len())
            .filter(|&i| self.parts[i].unclaimed(page) > 0.0)
            .max_by(|&a, &b| {
                let key = |p: &Part| {
                    let free = p.up.is_none() || p.down.is_none();
                    // A free end first; a split only where the rest exceeds a page.
                    (free, p.unclaimed(page))
                };
                let (ka, kb) = (key(&self.parts[a]), key(&self.parts[b]));
                ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
            })?;
        let id = self.next_id;
        let part = &mut self.parts[best];
        let asked = if part.up.is_none() {
            part.up = Some(id);
            Asked::of(part, End::Low)
        } else if part.down.is_none() {
            part.down = Some(id);
            Asked::of(part, End::High)
        } else {
            if part.unclaimed(page) <= 0.0 {
                return None;
            }
            let mid = part.split_point(page)?;
            let upper = Part {
                lo: mid.clone(),
                hi: part.hi.replace(mid),
                up: Some(id),
                down: part.down.take(),
                density: part.density,
            };
            let asked = Asked::of(&upper, End::Low);
            self.parts.insert(best + 1, upper);
            asked
        };
        let cursor = asked.cursor();
        self.asked.insert(id, asked);
        self.next_id += 1;
        Some((id, cursor))
    }

    /// Records what request `id` read: every name from where it started to its last row (to
    /// the end of what it asked, for a short page), whichever parts those names lie in.
    pub fn read(&mut self, id: u64, page: &PageRead<'_>) {
        let Some(asked) = self.asked.remove(&id) else {
            return;
        };
        for p in &mut self.parts {
            p.up = p.up.filter(|&u| u != id);
            p.down = p.down.filter(|&d| d != id);
        }
        let density = match (page.first, page.last, page.full) {
            (Some(first), Some(last), true) => {
                let width = name_value(first).abs_diff(name_value(last)).max(1);
                Some(page.rows as f64 / width as f64)
            }
            _ => None,
        };
        let (lo, hi) = match (page.last, page.full, asked.end) {
            (Some(last), true, End::Low) => (asked.lo, Some(after(last))),
            (Some(last), true, End::High) => (last.to_owned(), asked.hi),
            _ => (asked.lo, asked.hi),
        };
        self.cover(&lo, hi.as_deref(), density);
    }

    /// Removes `[lo, hi)` from the unread parts; what is left beside it takes `density`.
    fn cover(&mut self, lo: &str, hi: Option<&str>, density: Option<f64>) {
        let mut left = Vec::with_capacity(self.parts.len() + 1);
        for p in self.parts.drain(..) {
            let apart = below(hi, &p.lo) || below(p.hi.as_deref(), lo);
            if apart {
                left.push(p);
                continue;
            }
            if p.lo.as_str() < lo {
                left.push(Part {
                    lo: p.lo.clone(),
                    hi: Some(lo.to_owned()),
                    up: p.up,
                    down: None,
                    density: density.or(p.density),
                });
            }
            if let Some(hi) = hi.filter(|h| p.hi.as_deref().is_none_or(|ph| *h < ph)) {
                left.push(Part {
                    lo: hi.to_owned(),
                    hi: p.hi,
                    up: None,
                    down: p.down,
                    density: density.or(p.density),
                });
            }
        }
        self.parts = left;
    }
}

/// Whether the end `hi` (excluded; `None` = the end of the key space) is at or before `lo`.
fn below(hi: Option<&str>, lo: &str) -> bool {
    hi.is_some_and(|h| h <= lo)
}

impl Asked {
    fn of(part: &Part, end: End) -> Self {
        Self {
            lo: part.lo.clone(),
            hi: part.hi.clone(),
            end,
        }
    }

    /// The `find` range reading the part from its end.
    fn cursor(&self) -> Cursor {
        cursor(&self.lo, self.hi.as_deref(), self.end)
    }
}

/// The `find` range reading a part from one end.
fn cursor(lo: &str, hi: Option<&str>, end: End) -> Cursor {
    let (from, inclusive) = match lo.strip_suffix('\0') {
        Some(name) => (name.to_owned(), false),
        None => (lo.to_owned(), true),
    };
    Cursor::Accounts {
        from,
        inclusive,
        to: hi.map(str::to_owned),
        descending: end == End::High,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names shaped like Hive's: two syllables and a number, sorted.
    fn names(n: usize) -> Vec<String> {
        const SYLLABLES: &[&str] = &[
            "al", "be", "ca", "da", "el", "fa", "go", "ha", "il", "jo", "ka", "lu", "ma", "ne",
            "ol", "pa", "qu", "ra", "sa", "ta", "ul", "vi", "wa", "xe", "yo", "ze", "st", "mi",
            "sh", "cr",
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

    /// What a node answers for `cursor`: up to `page` names of the range, from its end.
    fn find<'a>(all: &'a [String], cursor: &Cursor, page: usize) -> Vec<&'a str> {
        let Cursor::Accounts {
            from,
            inclusive,
            to,
            descending,
        } = cursor
        else {
            panic!("an account range")
        };
        let inside = all.iter().map(String::as_str).filter(|n| {
            (if *inclusive {
                *n >= from.as_str()
            } else {
                *n > from.as_str()
            }) && to.as_deref().is_none_or(|t| *n < t)
        });
        if *descending {
            inside.rev().take(page).collect()
        } else {
            inside.take(page).collect()
        }
    }

    /// Runs a plan with `slots` requests in flight, each taking one tick plus a little jitter;
    /// returns every name read, the requests made and the ticks it took.
    fn walk(all: &[String], slots: usize, page: usize) -> (Vec<String>, usize, f64) {
        let first = find(all, &cursor("", None, End::Low), page);
        let mut read: Vec<String> = first.iter().map(|n| (*n).to_owned()).collect();
        let mut plan =
            Plan::after_first_page((first[0], first[first.len() - 1]), first.len(), page);
        let (mut now, mut requests, mut jitter) = (0.0_f64, 1, 0_u64);
        let mut running: Vec<(f64, u64, Cursor)> = Vec::new();
        while !plan.is_done() {
            while running.len() < slots {
                let Some((id, c)) = plan.next() else { break };
                jitter = (jitter * 31 + 7) % 100;
                running.push((now + 1.0 + jitter as f64 / 400.0, id, c));
                requests += 1;
            }
            running.sort_by(|a, b| b.0.total_cmp(&a.0));
            let (at, id, c) = running
                .pop()
                .expect("a request in flight while work is left");
            now = at;
            let rows = find(all, &c, page);
            plan.read(
                id,
                &PageRead {
                    first: rows.first().copied(),
                    last: rows.last().copied(),
                    rows: rows.len(),
                    full: rows.len() == page,
                },
            );
            read.extend(rows.iter().map(|n| (*n).to_owned()));
        }
        read.sort();
        read.dedup();
        (read, requests, now)
    }

    #[test]
    fn every_name_is_read_with_few_requests_beyond_the_pages() {
        let all = names(95_000);
        let (read, requests, ticks) = walk(&all, 9, 1000);
        assert_eq!(read, all);
        // 95 pages over 9 slots take 10.6 ticks at best; where two ends of a part meet, their
        // last pages overlap.
        assert!(
            requests <= 95 * 125 / 100,
            "{requests} requests for 95 pages"
        );
        assert!(ticks <= 95.0 / 9.0 * 1.35, "{ticks:.1} ticks");
    }
}
