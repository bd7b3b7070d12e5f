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
        ((mut all, more), node): ((Vec<Holder>, bool), usize),
        tally: &Tally,
    ) -> Result<(Vec<Holder>, usize), Error> {
        let (Some(first), Some(last), true) = (all.first(), all.last(), more) else {
            return Ok((all, node));
        };
        let mut plan = Plan::after_first_page((&first.account, &last.account), all.len(), PAGE);
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
            let ((rows, full), _) = page?;
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
            all.extend(rows);
        }
        // In place: one list grows as pages arrive, and is never held twice.
        all.sort_unstable_by(|a, b| a.account.cmp(&b.account));
        all.dedup_by(|a, b| a.account == b.account);
        Ok((all, node))
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
