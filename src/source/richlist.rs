//! The full richlist, fast: after the first page, the rest of the account key space is read
//! in parallel across the available nodes, as `keyspace::Plan` lays it out.

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde_json::{Map, json};
use tokio::sync::watch;

use super::keyspace::{PageRead, Plan};
use super::paging::{Cursor, PAGE, Tally, find_params};
use super::{Error, Fetched, HiveEngine, ProgressFn, typed};
use crate::model::{Holder, Richlist, valid_symbol};

/// The start of the key space, ascending: the first page of every richlist.
const FIRST_PAGE: Cursor = Cursor::Accounts {
    from: String::new(),
    inclusive: true,
    to: None,
    descending: false,
};

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
        let query: Map<String, serde_json::Value> =
            [("symbol".to_owned(), json!(symbol))].into_iter().collect();
        let start = FIRST_PAGE;
        // The first page is read beside the token's facts: a real token saves a round trip,
        // an unknown one costs that page and never a walk nor a second opinion on it.
        let (known, gate) = watch::channel(None);
        let token = async {
            let token = self.token(symbol).await;
            known.send_replace(Some(token.is_ok()));
            token
        };
        let (token, first) =
            tokio::join!(token, self.read_range(&query, &start, &tally, Some(&gate)));
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
    /// as the nodes' in-flight caps allow) reads the page the plan finds most useful, on the
    /// best node at that moment; fails as a whole.
    async fn walk_ranges(
        &self,
        query: &Map<String, serde_json::Value>,
        ((first_page, more), node): ((Vec<Holder>, bool), usize),
        tally: &Tally,
    ) -> Result<(Vec<Holder>, usize), Error> {
        let (Some(first), Some(last), true) = (first_page.first(), first_page.last(), more) else {
            return Ok((first_page, node));
        };
        let mut plan =
            Plan::after_first_page((&first.account, &last.account), first_page.len(), PAGE);
        let mut pages = vec![first_page];
        let parallel = self.rpc.len() * self.cfg.per_node_in_flight.max(1);
        let mut running = FuturesUnordered::new();
        // Requests still in flight when the plan is done read parts others finished: dropped.
        while !plan.is_done() {
            while running.len() < parallel {
                let Some((id, cursor)) = plan.next() else {
                    break;
                };
                tracing::debug!(id, ?cursor, "richlist page asked");
                running.push(async move {
                    let page = self.read_range(query, &cursor, tally, None);
                    (id, page.await)
                });
            }
            let Some((id, page)) = running.next().await else {
                break;
            };
            let ((mut rows, full), _) = page?;
            let read = PageRead {
                first: rows.first().map(|h| h.account.as_str()),
                last: rows.last().map(|h| h.account.as_str()),
                rows: rows.len(),
                full,
            };
            tracing::debug!(
                id,
                rows = read.rows,
                full,
                first = read.first,
                last = read.last,
                "richlist page read"
            );
            plan.read(id, &read);
            if rows.first().map(|h| &h.account) > rows.last().map(|h| &h.account) {
                rows.reverse();
            }
            pages.push(rows);
        }
        Ok((merge(pages), node))
    }

    /// One page of the key space, read on one node (another when it fails). An empty page
    /// is confirmed by another node (once `token_known` says the token exists): a node that
    /// drops rows answers `[]`, is found out, rests, and the page is read again elsewhere.
    /// Returns the holders and whether the page was full.
    async fn read_range(
        &self,
        query: &Map<String, serde_json::Value>,
        cursor: &Cursor,
        tally: &Tally,
        token_known: Option<&watch::Receiver<Option<bool>>>,
    ) -> Result<((Vec<Holder>, bool), usize), Error> {
        self.failover(&self.rpc, None, |n| async move {
            let table = ("tokens", "balances");
            let (rows, limit, params) = self
                .find_page(
                    n,
                    |limit| find_params(table, query, cursor, None, limit),
                    typed::holders,
                )
                .await?;
            tally.page(rows.len());
            if rows.is_empty() && worth_confirming(token_known).await {
                self.confirm_end(n, &params).await?;
            }
            let full = rows.len() >= limit;
            Ok((rows, full))
        })
        .await
    }
}

/// One list in account order from pages that each hold every name between their first and
/// last (ascending): in order of their first name, a page's names up to the last one taken are
/// the overlap of two pages that met, and are skipped. Linear, where sorting was not.
fn merge(mut pages: Vec<Vec<Holder>>) -> Vec<Holder> {
    pages.retain(|p| !p.is_empty());
    pages.sort_unstable_by(|a, b| a[0].account.cmp(&b[0].account));
    let mut all: Vec<Holder> = Vec::with_capacity(pages.iter().map(Vec::len).sum());
    for page in pages {
        for holder in page {
            if all.last().is_none_or(|l| holder.account > l.account) {
                all.push(holder);
            }
        }
    }
    all
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

    #[test]
    fn pages_that_met_or_repeat_merge_into_one_list_in_order() {
        let pages = vec![
            page(&["m", "n", "o"]),
            page(&["a", "b", "c"]),
            page(&["c", "d", "e", "f"]),
            page(&[]),
            page(&["d", "e"]),
            page(&["g", "h"]),
        ];
        let names: Vec<String> = merge(pages).iter().map(|h| h.account.to_string()).collect();
        let expected = ["a", "b", "c", "d", "e", "f", "g", "h", "m", "n", "o"];
        assert_eq!(names, expected);
    }
}
