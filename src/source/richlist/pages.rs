//! The pages of a richlist walk in flight, and the ones overdue: a page that takes many times
//! as long as pages do (a node that hangs) is asked again on a free slot.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use crate::source::Error;
use crate::source::paging::Cursor;

/// The least a page waits before it is asked again elsewhere.
const HEDGE_AFTER: Duration = Duration::from_millis(250);

/// The pages of a walk in flight: when each was asked, how long pages take, and which were
/// asked twice. A page that takes many times as long as pages do (a node that hangs) is asked
/// again when a slot is free; the first answer counts.
#[derive(Default)]
pub(super) struct Pages {
    in_flight: HashMap<u64, (Instant, Cursor, usize)>,
    twice: HashSet<u64>,
    took: Duration,
    answered: u32,
}

impl Pages {
    pub(super) fn asked(&mut self, id: u64, cursor: &Cursor) {
        let entry = self
            .in_flight
            .entry(id)
            .or_insert_with(|| (Instant::now(), cursor.clone(), 0));
        entry.2 += 1;
    }

    /// How long a page may take before it is asked again: four times what pages took so far
    /// (as if they took `HEDGE_AFTER` before any answered), and never less than that.
    fn patience(&self) -> Duration {
        let typical = self.took.checked_div(self.answered).unwrap_or(HEDGE_AFTER);
        (typical * 4).max(HEDGE_AFTER)
    }

    /// When the oldest page not yet asked twice becomes overdue.
    pub(super) fn next_overdue(&self) -> Option<Instant> {
        self.in_flight
            .iter()
            .filter(|(id, _)| !self.twice.contains(id))
            .map(|(_, (at, ..))| *at + self.patience())
            .min()
    }

    pub(super) fn overdue(&mut self) -> Option<(u64, Cursor)> {
        let now = Instant::now();
        let patience = self.patience();
        let (&id, (_, cursor, _)) = self
            .in_flight
            .iter()
            .filter(|(id, (at, ..))| !self.twice.contains(id) && now >= *at + patience)
            .min_by_key(|(_, (at, ..))| *at)?;
        self.twice.insert(id);
        Some((id, cursor.clone()))
    }

    /// The answer to page `id` if it is the first; `None` for a later copy, or for a failed
    /// copy while another is still out. The last copy's failure fails the walk.
    pub(super) fn answered<T>(
        &mut self,
        id: u64,
        page: Result<T, Error>,
    ) -> Result<Option<T>, Error> {
        let Some((at, _, copies)) = self.in_flight.get_mut(&id) else {
            return Ok(None);
        };
        *copies -= 1;
        match page {
            Err(_) if *copies > 0 => Ok(None),
            Err(e) => Err(e),
            Ok(page) => {
                self.took += at.elapsed();
                self.answered += 1;
                self.in_flight.remove(&id);
                Ok(Some(page))
            }
        }
    }
}

/// Waits until `at`, or forever.
pub(super) async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_answer_counts_and_only_the_last_copys_failure_fails() {
        let mut pages = Pages::default();
        pages.asked(7, &Cursor::Id);
        pages.asked(7, &Cursor::Id);
        assert_eq!(
            pages.answered::<u8>(7, Err(Error::NoNodes)),
            Ok(None),
            "the other copy is still out"
        );
        assert_eq!(pages.answered(7, Ok(1)), Ok(Some(1)));
        assert_eq!(pages.answered(7, Ok(2)), Ok(None), "a later copy");
        pages.asked(8, &Cursor::Id);
        assert_eq!(
            pages.answered::<u8>(8, Err(Error::NoNodes)),
            Err(Error::NoNodes)
        );
    }

    #[test]
    fn a_page_is_overdue_only_after_several_times_what_pages_take() {
        let mut pages = Pages::default();
        pages.asked(1, &Cursor::Id);
        assert!(pages.overdue().is_none(), "just asked");
        assert!(pages.next_overdue().is_some_and(|at| at > Instant::now()));
        let wait = pages.patience() * 2;
        pages.in_flight.get_mut(&1).unwrap().0 -= wait;
        assert!(pages.overdue().is_some_and(|(id, _)| id == 1));
        assert!(pages.overdue().is_none(), "asked again once");
        assert!(pages.next_overdue().is_none());
    }
}
