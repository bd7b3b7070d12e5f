//! The full richlist, fast: after the first page, the rest of the account key space is read
//! in parallel across the available nodes, as `keyspace::Plan` lays it out.

mod pages;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde_json::{Map, json};
use tokio::sync::watch;

use super::keyspace::{PageRead, Plan};
use super::paging::{Cursor, PAGE, Tally, find_params};
use super::{AttemptError, Error, Failure, Fetched, HiveEngine, ProgressFn, typed};
use crate::model::{Holder, Richlist, valid_symbol};
use pages::{Pages, sleep_until};

/// The start of the key space, ascending: the first page of every richlist.
const FIRST_PAGE: Cursor = Cursor::Accounts {
    from: String::new(),
    inclusive: true,
    to: None,
    offset: 0,
};

/// Puts a page (sorted by account) where it belongs in `all` (sorted by account), in place:
/// pages mostly arrive in order, so little moves. Returns whether `all` is still sorted, which
/// it is unless the page overlaps rows beyond its first.
fn insert_in_order(all: &mut Vec<Holder>, page: Vec<Holder>) -> bool {
    let (Some(first), Some(last)) = (page.first(), page.last()) else {
        return true;
    };
    let at = all.partition_point(|h| h.account <= first.account);
    let fits = all.get(at).is_none_or(|next| last.account <= next.account);
    all.splice(at..at, page);
    fits
}

/// The balance rows of `symbol` that hold anything: the node leaves out rows of zeros (amounts
/// are strings of at most 8 decimals, and compare as strings: every positive one sorts after
/// `0.00000000`, and every zero at or before it).
fn holders_of(symbol: &str) -> Map<String, serde_json::Value> {
    let positive = [
        "balance",
        "stake",
        "pendingUnstake",
        "delegationsIn",
        "delegationsOut",
        "pendingUndelegations",
    ]
    .map(|field| json!({ field: {"$gt": "0.00000000"} }));
    [
        ("symbol".to_owned(), json!(symbol)),
        ("$or".to_owned(), json!(positive)),
    ]
    .into_iter()
    .collect()
}

/// A page of a walk as the nodes answered it.
enum Answer {
    /// The holders, and whether the page was full.
    Rows(Vec<Holder>, bool),
    /// The node does not skip as many rows as the page's offset; the most it does. Later pages
    /// of the walk stay within it, on every node.
    OffsetRefused(usize),
}

/// Whether an empty page needs a second node's opinion: not for a token that does not exist.
async fn worth_confirming(token_known: Option<&watch::Receiver<Option<bool>>>) -> bool {
    let Some(known) = token_known else {
        return true;
    };
    let mut known = known.clone();
    known
        .wait_for(Option::is_some)
        .await
        .map_or(true, |known| known.unwrap_or(true))
}

impl HiveEngine {
    /// Every holder of `symbol`, with the `null` account reported as burned. Every range that
    /// ended empty was confirmed by a second node; a single node's "no holders" for a token
    /// with a supply is not believed.
    pub async fn richlist(
        &self,
        symbol: &str,
        progress: Option<ProgressFn>,
    ) -> Result<Fetched<Richlist>, Error> {
        if !valid_symbol(symbol) {
            return Err(Error::InvalidSymbol(symbol.to_owned()));
        }
        let tally = Tally::new(progress);
        let query = holders_of(symbol);
        let start = FIRST_PAGE;
        // The first page is read beside the token's facts: a real token saves a round trip,
        // an unknown one costs that page and never a walk nor a second opinion on it.
        let (known, gate) = watch::channel(None);
        let token = async {
            let token = self.token(symbol).await;
            known.send_replace(Some(token.is_ok()));
            token
        };
        let first = self.failover(&self.rpc, None, |n| {
            self.read_page(n, &query, &start, &tally, Some(&gate))
        });
        let (token, first) = tokio::join!(token, first);
        let token = token?;
        let first = first?;
        let (rows, node) = self.walk_ranges(&query, first, &tally).await?;
        if rows.is_empty() && !token.value.supply.is_zero() && self.rpc.len() < 2 {
            return Err(Error::SuspiciousEmpty {
                node: self.rpc.nodes[node].url.clone(),
                symbol: symbol.to_owned(),
                supply: token.value.supply.to_string(),
            });
        }
        // In place: a big richlist is never held twice.
        let mut holders = rows;
        let burned = holders
            .iter()
            .filter(|h| h.account == "null")
            .map(|h| h.balance)
            .sum();
        holders.retain(|h| h.account != "null" && h.holds_anything());
        holders.shrink_to_fit();
        let t = token.value;
        let value = Richlist {
            symbol: t.symbol,
            precision: t.precision,
            supply: t.supply,
            circulating_supply: t.circulating_supply,
            holders,
            burned,
        };
        Ok(Fetched {
            value,
            provenance: self.provenance(node),
        })
    }

    /// Every balance row after the `first` page (read on `node`). Most tokens fit in that
    /// page, and then it is all it costs. For a bigger token, every free request slot (as many
    /// as the nodes' in-flight caps allow) reads the plan's next page on the best node at that
    /// moment; fails as a whole.
    async fn walk_ranges(
        &self,
        query: &Map<String, serde_json::Value>,
        ((mut all, more), node): ((Vec<Holder>, bool), usize),
        tally: &Tally,
    ) -> Result<(Vec<Holder>, usize), Error> {
        let (Some(last), true) = (all.last(), more) else {
            return Ok((all, node));
        };
        let mut plan = Plan::after_first_page(&last.account, PAGE);
        let parallel = self.rpc.len() * self.cfg.per_node_in_flight.max(1);
        let mut running = FuturesUnordered::new();
        let mut pages = Pages::default();
        let mut in_order = true;
        // Requests still in flight when the plan is done read parts others finished: dropped.
        while !plan.is_done() {
            while running.len() < parallel {
                // A free slot with nothing new to read asks a page that is long overdue again.
                let Some((id, cursor)) = plan.next().or_else(|| pages.overdue()) else {
                    break;
                };
                tracing::debug!(id, ?cursor, "richlist page asked");
                pages.asked(id, &cursor);
                running.push(async move {
                    let page = self.failover(&self.rpc, None, |n| {
                        self.read_offset_page(n, query, &cursor, tally)
                    });
                    (id, page.await)
                });
            }
            let wake = pages.next_overdue().filter(|_| running.len() < parallel);
            let next = tokio::select! {
                next = running.next() => next,
                () = sleep_until(wake), if wake.is_some() => continue,
            };
            let Some((id, page)) = next else {
                let node = self.rpc.nodes[node].url.clone();
                let failure = Failure::Short("the walk stopped with names left unread".into());
                return Err(Error::Fatal(AttemptError { node, failure }));
            };
            let Some((answer, from)) = pages.answered(id, page)? else {
                continue;
            };
            let (rows, full) = match answer {
                Answer::Rows(rows, full) => (rows, full),
                Answer::OffsetRefused(max) => {
                    tracing::info!(max, "nodes refuse deep offsets: pages stay within");
                    plan.cap_offsets(max);
                    plan.refused(id);
                    continue;
                }
            };
            let read = PageRead {
                first: rows.first().map(|h| h.account.as_str()),
                last: rows.last().map(|h| h.account.as_str()),
                rows: rows.len(),
                full,
                node: from,
            };
            tracing::debug!(
                id,
                rows = read.rows,
                full,
                first = read.first,
                last = read.last,
                "richlist page read"
            );
            for liar in plan.read(id, &read) {
                // As a node found out by a second opinion: it rests, and the page is read again
                // elsewhere; a page that every node keeps dropping fails the walk.
                let failure = Failure::Short("answered [] where its neighbours hold rows".into());
                tracing::warn!(node = %self.rpc.nodes[liar].url, error = %failure, "read failed");
                let last = self.rpc.failed(liar, failure);
                if plan.most_dropped() > 2 * self.rpc.len() {
                    let attempts = u32::try_from(plan.most_dropped()).unwrap_or(u32::MAX);
                    return Err(Error::Exhausted {
                        nodes: self.rpc.len(),
                        attempts,
                        last,
                    });
                }
            }
            in_order &= insert_in_order(&mut all, rows);
        }
        if !in_order {
            all.sort_unstable_by(|a, b| a.account.cmp(&b.account));
        }
        all.dedup_by(|a, b| a.account == b.account);
        Ok((all, node))
    }

    /// A page of the walk on `node`; a node that will not skip that many rows says how many it
    /// will, which is an answer, not a failure of the node.
    async fn read_offset_page(
        &self,
        node: usize,
        query: &Map<String, serde_json::Value>,
        cursor: &Cursor,
        tally: &Tally,
    ) -> Result<Answer, Failure> {
        match self.read_page(node, query, cursor, tally, None).await {
            Ok((rows, full)) => Ok(Answer::Rows(rows, full)),
            Err(f) => match (f.stated_max_offset(), cursor.offset()) {
                (Some(max), offset) if offset > max => Ok(Answer::OffsetRefused(max)),
                _ => Err(f),
            },
        }
    }

    /// One page of the key space on `node`. An empty page that proves a range empty (one
    /// that skips nothing) is confirmed by another node once `token_known` says the token
    /// exists: a node that drops rows answers `[]`, is found out, rests, and the page is read
    /// again elsewhere. Returns the holders and whether the page was full.
    async fn read_page(
        &self,
        node: usize,
        query: &Map<String, serde_json::Value>,
        cursor: &Cursor,
        tally: &Tally,
        token_known: Option<&watch::Receiver<Option<bool>>>,
    ) -> Result<(Vec<Holder>, bool), Failure> {
        let table = ("tokens", "balances");
        let (rows, limit, params) = self
            .find_page(
                node,
                |limit| find_params(table, query, cursor, None, limit),
                typed::holders,
            )
            .await?;
        tally.page(rows.len());
        if rows.is_empty() && cursor.offset() == 0 && worth_confirming(token_known).await {
            self.confirm_end(node, &params).await?;
        }
        let full = rows.len() >= limit;
        Ok((rows, full))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Amount, Locked};

    fn page(names: &[&str]) -> Vec<Holder> {
        names
            .iter()
            .map(|n| Holder::new(n, Amount::ZERO, Amount::ZERO, Locked::default()))
            .collect()
    }

    fn names(all: &[Holder]) -> Vec<&str> {
        all.iter().map(|h| h.account.as_str()).collect()
    }

    #[test]
    fn pages_out_of_order_go_where_they_belong() {
        let mut all = page(&["a", "b"]);
        assert!(insert_in_order(&mut all, page(&["f", "g"])));
        assert!(insert_in_order(&mut all, page(&["b", "d", "f"])));
        assert!(insert_in_order(&mut all, page(&[])));
        all.dedup_by(|a, b| a.account == b.account);
        assert_eq!(names(&all), ["a", "b", "d", "f", "g"]);
    }

    #[test]
    fn a_page_reaching_past_its_neighbour_asks_for_a_sort() {
        let mut all = page(&["a", "c", "e"]);
        assert!(!insert_in_order(&mut all, page(&["b", "d"])));
    }
}
