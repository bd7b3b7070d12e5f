//! The plan of a parallel richlist walk: pages at fixed offsets from an anchor name, so that
//! every request slot reads rows no other request reads without guessing where the rows are;
//! what each page proves read is tracked by name, so a gap (rows that moved between two pages,
//! nodes that disagree) is found and read again.

use std::collections::{BTreeMap, HashMap};

use super::paging::Cursor;

/// Names sort after every name they start with; `\0` never occurs in a Hive name, so `name\0`
/// is the first position after `name`.
fn after(name: &str) -> String {
    format!("{name}\0")
}

/// A part of the key space not proven read: from `lo` (included) to `hi` (excluded; `None` =
/// the end).
#[derive(Debug)]
struct Part {
    lo: String,
    hi: Option<String>,
}

impl Part {
    fn meets(&self, lo: &str, hi: Option<&str>) -> bool {
        !below(hi, &self.lo) && !below(self.hi.as_deref(), lo)
    }
}

/// Pages `step` rows apart from `anchor` within `[anchor, hi)`, numbered from the run's start.
/// Consecutive pages share a row, so two that were read back to back prove there is no gap.
struct Run {
    anchor: String,
    hi: Option<String>,
    /// The number of the page that starts at `anchor`.
    base: usize,
    /// The number of the next page to ask.
    next: usize,
    /// Until a page comes back short: the end is not found yet.
    open: bool,
    /// The first and last names of the pages read, by number.
    read: BTreeMap<usize, (String, String)>,
}

/// A page asked for: its run and number, and where it reads.
struct Asked {
    run: usize,
    number: usize,
    anchor: String,
    hi: Option<String>,
    offset: usize,
}

/// What a page brought back: its first and last names, and whether it was full.
pub struct PageRead<'a> {
    pub first: Option<&'a str>,
    pub last: Option<&'a str>,
    pub full: bool,
}

/// The parts of the key space not proven read, the runs of pages reading them, and the pages
/// asked.
pub struct Plan {
    unread: Vec<Part>,
    runs: Vec<Run>,
    asked: HashMap<u64, Asked>,
    step: usize,
    max_offset: usize,
    next_id: u64,
}

impl Plan {
    /// Everything after a first page that ended at `last` is unread; it is read in pages of
    /// `page` rows from that name on.
    pub fn after_first_page(last: &str, page: usize) -> Self {
        Self {
            unread: vec![Part {
                lo: after(last),
                hi: None,
            }],
            runs: vec![Run::new(last.to_owned(), None)],
            asked: HashMap::new(),
            step: page.saturating_sub(1).max(1),
            max_offset: usize::MAX,
            next_id: 0,
        }
    }

    pub fn is_done(&self) -> bool {
        self.unread.is_empty()
    }

    /// Nodes refuse offsets above `max`: later pages stay within it.
    pub fn cap_offsets(&mut self, max: usize) {
        self.max_offset = self.max_offset.min(max);
    }

    /// The next page for a free slot: a part nothing will read (a gap), else the next page of
    /// the run with the fewest pages in flight. `None` while the pages in flight may read all
    /// that is left.
    pub fn next(&mut self) -> Option<(u64, Cursor)> {
        if let Some(gap) = self.unclaimed() {
            let part = &self.unread[gap];
            self.runs.push(Run::new(part.lo.clone(), part.hi.clone()));
            return Some(self.ask(self.runs.len() - 1));
        }
        let run = (0..self.runs.len())
            .filter(|&r| self.extends(r))
            .min_by_key(|&r| self.asked.values().filter(|a| a.run == r).count())?;
        Some(self.ask(run))
    }

    /// Records what page `id` read: from where it started (its anchor, for the first page of
    /// an anchor) to its last row, or to the end of its run for a short page.
    pub fn read(&mut self, id: u64, page: &PageRead<'_>) {
        let Some(asked) = self.asked.remove(&id) else {
            return;
        };
        let run = &mut self.runs[asked.run];
        if let (Some(first), Some(last)) = (page.first, page.last) {
            run.read
                .insert(asked.number, (first.to_owned(), last.to_owned()));
        }
        // A full page ends at its last row, and the next pages are counted from there; any
        // other ends the run where it was asked to.
        let end = if let (Some(last), true) = (page.last, page.full) {
            if asked.number + 1 > run.base {
                last.clone_into(&mut run.anchor);
                run.base = asked.number + 1;
                run.next = run.next.max(run.base);
            }
            Some(after(last))
        } else {
            run.open = false;
            asked.hi.clone()
        };
        let start = if asked.offset == 0 {
            Some(asked.anchor.as_str())
        } else {
            page.first
        };
        if let Some(start) = start {
            self.cover(start, end.as_deref());
        }
    }

    /// Forgets page `id`, refused by the nodes: its rows are read by later pages or as a gap.
    pub fn forget(&mut self, id: u64) {
        if let Some(asked) = self.asked.remove(&id) {
            let run = &mut self.runs[asked.run];
            run.next = run.next.min(asked.number).max(run.base);
        }
    }

    fn ask(&mut self, r: usize) -> (u64, Cursor) {
        let run = &mut self.runs[r];
        let number = run.next;
        run.next += 1;
        let asked = Asked {
            run: r,
            number,
            anchor: run.anchor.clone(),
            hi: run.hi.clone(),
            offset: (number - run.base) * self.step,
        };
        let cursor = asked.cursor();
        let id = self.next_id;
        self.next_id += 1;
        self.asked.insert(id, asked);
        (id, cursor)
    }

    /// Whether run `r` has a next page worth asking: its end not found, unread names past its
    /// anchor, and the page's offset within what nodes accept.
    fn extends(&self, r: usize) -> bool {
        let run = &self.runs[r];
        run.open
            && (run.next - run.base).saturating_mul(self.step) <= self.max_offset
            && self
                .unread
                .iter()
                .any(|p| p.meets(&run.anchor, run.hi.as_deref()))
    }

    /// The first unread part that no open run reaches and no page in flight may read.
    fn unclaimed(&self) -> Option<usize> {
        self.unread.iter().position(|p| {
            let by_run = self
                .runs
                .iter()
                .any(|r| r.open && p.lo >= r.anchor && !below(r.hi.as_deref(), &p.lo));
            let by_page = self.asked.values().any(|a| {
                let (lo, hi) = self.reach(a);
                p.meets(&lo, hi.as_deref())
            });
            !by_run && !by_page
        })
    }

    /// Where a page in flight may find its rows: after the pages of its run read before it,
    /// up to the pages read after it.
    fn reach(&self, asked: &Asked) -> (String, Option<String>) {
        let run = &self.runs[asked.run];
        let lo = run
            .read
            .range(..asked.number)
            .next_back()
            .map(|(_, (_, last))| last)
            .filter(|last| **last > asked.anchor)
            .unwrap_or(&asked.anchor);
        let hi = run
            .read
            .range(asked.number + 1..)
            .next()
            .map(|(_, (first, _))| after(first))
            .or_else(|| asked.hi.clone());
        (lo.clone(), hi)
    }

    /// Removes `[lo, hi)` from the unread parts.
    fn cover(&mut self, lo: &str, hi: Option<&str>) {
        let mut left = Vec::with_capacity(self.unread.len() + 1);
        for p in self.unread.drain(..) {
            if !p.meets(lo, hi) {
                left.push(p);
                continue;
            }
            if p.lo.as_str() < lo {
                left.push(Part {
                    lo: p.lo.clone(),
                    hi: Some(lo.to_owned()),
                });
            }
            if let Some(hi) = hi.filter(|h| p.hi.as_deref().is_none_or(|ph| *h < ph)) {
                left.push(Part {
                    lo: hi.to_owned(),
                    hi: p.hi,
                });
            }
        }
        self.unread = left;
    }
}

impl Run {
    fn new(anchor: String, hi: Option<String>) -> Self {
        Self {
            anchor,
            hi,
            base: 0,
            next: 0,
            open: true,
            read: BTreeMap::new(),
        }
    }
}

/// Whether the end `hi` (excluded; `None` = the end of the key space) is at or before `lo`.
fn below(hi: Option<&str>, lo: &str) -> bool {
    hi.is_some_and(|h| h <= lo)
}

impl Asked {
    /// The `find` range of the page: `offset` rows into `[anchor, hi)`.
    fn cursor(&self) -> Cursor {
        let (from, inclusive) = match self.anchor.strip_suffix('\0') {
            Some(name) => (name.to_owned(), false),
            None => (self.anchor.clone(), true),
        };
        Cursor::Accounts {
            from,
            inclusive,
            to: self.hi.clone(),
            offset: self.offset,
        }
    }
}

#[cfg(test)]
mod tests;
