//! The full richlist, fast: the account key space is split into ranges walked concurrently
//! across the available nodes (each range on one node), instead of one cursor walk.

use futures::{StreamExt, TryStreamExt};
use serde_json::{Map, json};

use super::paging::{Cursor, PAGE, Tally, decode_all};
use super::{Error, Fetched, HiveEngine, ProgressFn, wire};
use crate::model::{Amount, Holder, Richlist};

/// The account key space after `last` (the end of the first page), split at each initial letter
/// (Hive account names start with a letter; the last range is open, so nothing falls outside).
fn ranges_after(last: &str) -> Vec<Cursor> {
    let bounds: Vec<String> = (b'b'..=b'z')
        .map(|c| char::from(c).to_string())
        .filter(|b| b.as_str() > last)
        .collect();
    let mut ranges = vec![Cursor::Accounts {
        from: last.to_owned(),
        inclusive: false,
        to: bounds.first().cloned(),
    }];
    ranges.extend(bounds.iter().enumerate().map(|(i, from)| Cursor::Accounts {
        from: from.clone(),
        inclusive: true,
        to: bounds.get(i + 1).cloned(),
    }));
    ranges
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
        let (mut rows, mut node) = self.walk_ranges(symbol, &tally, None).await?;
        if rows.is_empty() && !token.value.supply.is_zero() {
            // Believe "no holders" only when another node says it too.
            let (again, other) = self.walk_ranges(symbol, &tally, Some(node)).await?;
            if again.is_empty() && other == node {
                return Err(Error::SuspiciousEmpty {
                    node: self.rpc.nodes[node].url.clone(),
                    symbol: symbol.to_owned(),
                    supply: token.value.supply.to_string(),
                });
            }
            (rows, node) = (again, other);
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

    /// Every balance row of `symbol`. The first page comes alone: most tokens fit in it, and
    /// then one request is all it costs. A bigger token's remaining key space is split into
    /// ranges walked at once, as many as the nodes' in-flight caps allow; fails as a whole.
    async fn walk_ranges(
        &self,
        symbol: &str,
        tally: &Tally,
        avoid: Option<usize>,
    ) -> Result<(Vec<Holder>, usize), Error> {
        let first_page = Cursor::Accounts {
            from: String::new(),
            inclusive: true,
            to: None,
        };
        let query: Map<String, serde_json::Value> =
            [("symbol".to_owned(), json!(symbol))].into_iter().collect();
        let (first, node) = self
            .failover(&self.rpc, true, avoid, |n| {
                let (query, cursor) = (&query, &first_page);
                async move {
                    let rows = self
                        .walk(n, ("tokens", "balances"), query, cursor, tally, Some(1))
                        .await?;
                    decode_all(&rows, wire::holder)
                }
            })
            .await?;
        let Some(last) = first
            .last()
            .map(|h| h.account.clone())
            .filter(|_| first.len() >= PAGE)
        else {
            return Ok((first, node));
        };
        let parallel = self.rpc.len() * self.cfg.per_node_in_flight.max(1);
        let parts: Vec<(Vec<Holder>, usize)> = futures::stream::iter(ranges_after(&last))
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
        let mut all = first;
        all.extend(parts.into_iter().flat_map(|(rows, _)| rows));
        all.sort_by(|a, b| a.account.cmp(&b.account));
        all.dedup_by(|a, b| a.account == b.account);
        Ok((all, node))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_the_rest_of_the_key_space_without_overlap() {
        let r = ranges_after("mab");
        let Cursor::Accounts {
            from,
            inclusive,
            to,
        } = &r[0]
        else {
            panic!()
        };
        assert_eq!(
            (from.as_str(), *inclusive, to.as_deref()),
            ("mab", false, Some("n"))
        );
        let Cursor::Accounts {
            from,
            inclusive,
            to,
        } = &r[1]
        else {
            panic!()
        };
        assert_eq!(
            (from.as_str(), *inclusive, to.as_deref()),
            ("n", true, Some("o"))
        );
        let Cursor::Accounts { to, .. } = r.last().unwrap() else {
            panic!()
        };
        assert_eq!(*to, None);
        assert_eq!(r.len(), 14);
        assert_eq!(
            ranges_after("zz").len(),
            1,
            "past the last letter: one open range"
        );
    }
}
