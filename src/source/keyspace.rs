//! The plan of a parallel richlist walk: pages at fixed offsets from an anchor name, so that
//! every request slot reads rows no other request reads without guessing where the rows are;
//! what each page proves read is tracked by name, so a gap (rows that moved between two pages,
//! nodes that disagree) is found and read again.

use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    /// Pages go out before the ones asked earlier answer, once a full page showed the run
    /// holds more than one page; until then (a gap, often a few rows) one at a time.
    ahead: bool,
    /// The pages read with rows, by number: their first and last names.
    read: BTreeMap<usize, (String, String)>,
    /// The numbers of the pages read that filled a whole step.
    full: BTreeSet<usize>,
    /// Pages to ask again (refused, or dropped by a node).
    again: BTreeSet<usize>,
    /// Empty pages not proven the end yet, and the node that answered each.
    empty: BTreeMap<usize, usize>,
    /// How often each page was found dropped.
    dropped: BTreeMap<usize, usize>,
}

/// A page asked for: its run and number, and where it reads.
struct Asked {
    run: usize,
    number: usize,
    anchor: String,
    hi: Option<String>,
    offset: usize,
}

/// What a page brought back: its first and last names, how many rows, whether it was full
/// (as many rows as the node was asked for: more may follow), and the node that answered.
pub struct PageRead<'a> {
    pub first: Option<&'a str>,
    pub last: Option<&'a str>,
    pub rows: usize,
    pub full: bool,
    pub node: usize,
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
            runs: vec![Run::new(last.to_owned(), None, true)],
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
            self.runs
                .push(Run::new(part.lo.clone(), part.hi.clone(), false));
            return Some(self.ask(self.runs.len() - 1, 0));
        }
        let (run, number) = (0..self.runs.len())
            .filter_map(|r| Some((r, self.askable(r)?)))
            .min_by_key(|&(r, _)| self.in_flight(r))?;
        Some(self.ask(run, number))
    }

    /// Records what page `id` read: from where it started (its anchor, for the first page of
    /// an anchor) to its last row, or to the end of its run for a short page. Returns the nodes
    /// found dropping rows: an empty page is believed (as the end of its run) until a full page
    /// of the run shows rows at or past its start; then it is asked again, elsewhere.
    pub fn read(&mut self, id: u64, page: &PageRead<'_>) -> Vec<usize> {
        let Some(asked) = self.asked.remove(&id) else {
            return Vec::new();
        };
        let run = &mut self.runs[asked.run];
        // An empty page from an anchor was confirmed by another node when it was read.
        let unproven = page.first.is_none() && asked.offset > 0;
        if unproven {
            run.empty.insert(asked.number, page.node);
        }
        let end = if let (Some(first), Some(last)) = (page.first, page.last) {
            run.read
                .insert(asked.number, (first.to_owned(), last.to_owned()));
            // A full page of a whole step (a node may serve fewer rows a page) ends on the
            // next page's first row: the next pages count from there.
            let whole = page.full && page.rows > self.step;
            if whole {
                run.full.insert(asked.number);
                run.ahead = true;
            }
            if whole && asked.number + 1 > run.base {
                last.clone_into(&mut run.anchor);
                run.base = asked.number + 1;
                run.next = run.next.max(run.base);
            }
            // A full page ends at its last row; a short one ends its run where it was asked to.
            page.full.then(|| after(last))
        } else {
            None
        };
        run.open &= page.full;
        // Rows at a page's start mean rows at every page before it, and the page after a full
        // one starts on its last row: empty pages up to there lied.
        let after_full = run.full.last().map(|n| n + 1);
        let lied: Vec<(usize, usize)> = after_full
            .max(run.read.keys().next_back().copied())
            .map(|reach| run.empty.range(..=reach).map(|(&n, &by)| (n, by)).collect())
            .unwrap_or_default();
        for (n, _) in &lied {
            run.empty.remove(n);
            run.again.insert(*n);
            *run.dropped.entry(*n).or_default() += 1;
        }
        // The run ended on a lie: it goes on, unless a short page with rows showed its end.
        let ended = run.read.keys().any(|n| !run.full.contains(n));
        run.open |= !lied.is_empty() && !ended;
        self.covered(&asked, page, end);
        lied.into_iter().map(|(_, by)| by).collect()
    }

    /// Removes what a page read from the unread parts: from its first row (from its anchor,
    /// for the first page of an anchor) to `end`, or to the end of its run.
    fn covered(&mut self, asked: &Asked, page: &PageRead<'_>, end: Option<String>) {
        let start = if asked.offset == 0 {
            Some(asked.anchor.as_str())
        } else {
            page.first
        };
        if let Some(start) = start {
            let end = end.or_else(|| asked.hi.clone());
            self.cover(start, end.as_deref());
        }
    }

    /// The most times one page was found dropped.
    pub fn most_dropped(&self) -> usize {
        self.runs
            .iter()
            .flat_map(|r| r.dropped.values())
            .max()
            .copied()
            .unwrap_or(0)
    }

    /// Page `id` was refused by the nodes (its offset too deep): it is asked again once its
    /// offset is within what they accept.
    pub fn refused(&mut self, id: u64) {
        if let Some(asked) = self.asked.remove(&id) {
            self.runs[asked.run].again.insert(asked.number);
        }
    }

    /// Asks page `number` of run `r` (one `askable` gave).
    fn ask(&mut self, r: usize, number: usize) -> (u64, Cursor) {
        let run = &mut self.runs[r];
        if !run.again.remove(&number) {
            run.next += 1;
        }
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

    /// The page run `r` asks next: one to ask again, else the next one while its end is not
    /// found; only where unread names lie past its anchor, and within the offset nodes accept.
    /// A page to ask again from before the anchor is read as part of a gap instead.
    fn askable(&self, r: usize) -> Option<usize> {
        let run = &self.runs[r];
        let within = |n: &usize| (n - run.base).saturating_mul(self.step) <= self.max_offset;
        let unread = self
            .unread
            .iter()
            .any(|p| p.meets(&run.anchor, run.hi.as_deref()));
        let again = run.again.range(run.base..).next().copied();
        let next = again.or(run.open.then_some(run.next));
        let free = run.ahead || self.in_flight(r) == 0;
        next.filter(within).filter(|_| unread && free)
    }

    /// The first unread part that no run will reach (one with a page to ask or in flight, from
    /// an anchor at or before it) and no page in flight may read.
    fn unclaimed(&self) -> Option<usize> {
        self.unread.iter().position(|p| {
            let by_run = self.runs.iter().enumerate().any(|(r, run)| {
                p.lo >= run.anchor
                    && !below(run.hi.as_deref(), &p.lo)
                    && (self.askable(r).is_some() || self.in_flight(r) > 0)
            });
            let by_page = self.asked.values().any(|a| {
                let (lo, hi) = self.reach(a);
                p.meets(&lo, hi.as_deref())
            });
            !by_run && !by_page
        })
    }

    fn in_flight(&self, r: usize) -> usize {
        self.asked.values().filter(|a| a.run == r).count()
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
    fn new(anchor: String, hi: Option<String>, ahead: bool) -> Self {
        Self {
            anchor,
            hi,
            base: 0,
            next: 0,
            open: true,
            ahead,
            read: BTreeMap::new(),
            full: BTreeSet::new(),
            again: BTreeSet::new(),
            empty: BTreeMap::new(),
            dropped: BTreeMap::new(),
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
