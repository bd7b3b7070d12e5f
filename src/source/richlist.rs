//! The full richlist, fast: the account key space is split into ranges walked concurrently
//! across the available nodes (each range on one node), instead of one cursor walk.

use futures::{StreamExt, TryStreamExt};
use serde_json::{Map, json};

use super::paging::{Cursor, Tally};
use super::{Error, Fetched, HiveEngine, ProgressFn, wire};
use crate::model::{Amount, Holder, Richlist};

/// Range boundaries: one range per initial letter (Hive account names start with a letter;
/// the first and last ranges are open, so nothing falls between them).
fn ranges() -> Vec<Cursor> {
    let mut bounds: Vec<String> = vec![String::new()];
    bounds.extend((b'b'..=b'z').map(|c| char::from(c).to_string()));
    bounds
        .iter()
        .enumerate()
        .map(|(i, from)| Cursor::Accounts {
            from: from.clone(),
            to: bounds.get(i + 1).cloned(),
        })
        .collect()
}

impl HiveEngine {
    /// Every holder of `symbol`, with the `null` account reported as burned. An empty list for a
    /// token with a supply is confirmed by a second node before it is believed.
    pub async fn richlist(
        &self,
        symbol: &str,
        progress: Option<ProgressFn>,
    ) -> Result<Fetched<Richlist>, Error> {
        let token = self.token(symbol).await?;
        let tally = Tally::new(progress);
        let (mut rows, node) = self.walk_ranges(symbol, &tally).await?;
        if rows.is_empty() && !token.value.supply.is_zero() {
            let (again, other) = self.walk_ranges(symbol, &tally).await?;
            if again.is_empty() && other == node {
                return Err(Error::SuspiciousEmpty {
                    node: self.rpc.nodes[node].url.clone(),
                    symbol: symbol.to_owned(),
                    supply: token.value.supply.to_string(),
                });
            }
            rows = again;
        }
        let mut burned = Amount::ZERO;
        let mut holders: Vec<Holder> = Vec::with_capacity(rows.len());
        for h in rows {
            if h.account == "null" {
                burned = burned + h.balance;
            } else if h.holds_anything() {
                holders.push(h);
            }
        }
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

    /// All ranges, as many at once as the nodes' in-flight caps allow; fails as a whole.
    async fn walk_ranges(
        &self,
        symbol: &str,
        tally: &Tally,
    ) -> Result<(Vec<Holder>, usize), Error> {
        let parallel = self.rpc.len() * self.cfg.per_node_in_flight.max(1);
        let query: Map<String, serde_json::Value> =
            [("symbol".to_owned(), json!(symbol))].into_iter().collect();
        let parts: Vec<(Vec<Holder>, usize)> = futures::stream::iter(ranges())
            .map(|cursor| {
                let query = query.clone();
                async move {
                    self.paged("tokens", "balances", query, cursor, tally, wire::holder)
                        .await
                }
            })
            .buffer_unordered(parallel)
            .try_collect()
            .await?;
        let node = parts.iter().map(|(_, n)| *n).min().unwrap_or(0);
        let mut all: Vec<Holder> = parts.into_iter().flat_map(|(rows, _)| rows).collect();
        all.sort_by(|a, b| a.account.cmp(&b.account));
        all.dedup_by(|a, b| a.account == b.account);
        Ok((all, node))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_the_whole_key_space_without_overlap() {
        let r = ranges();
        assert_eq!(r.len(), 26);
        let Cursor::Accounts { from, to } = &r[0] else {
            panic!()
        };
        assert_eq!((from.as_str(), to.as_deref()), ("", Some("b")));
        let Cursor::Accounts { to, .. } = &r[25] else {
            panic!()
        };
        assert_eq!(*to, None);
    }
}
