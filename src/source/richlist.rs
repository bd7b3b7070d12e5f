//! The full richlist, fast: the account key space is split into ranges walked concurrently
//! across the available nodes (each range on one node), instead of one cursor walk.

use futures::{StreamExt, TryStreamExt};
use serde_json::{Map, json};

use super::paging::{Cursor, Ends, Tally, decode_all};
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
    /// Every holder of `symbol`, with the `null` account reported as burned. Every range that
    /// ended empty was confirmed by a second node; a single node's "no holders" for a token
    /// with a supply is not believed.
    pub async fn richlist(
        &self,
        symbol: &str,
        progress: Option<ProgressFn>,
    ) -> Result<Fetched<Richlist>, Error> {
        let token = self.token(symbol).await?;
        let tally = Tally::new(progress);
        let (rows, node) = self.walk_ranges(symbol, &tally).await?;
        if rows.is_empty() && !token.value.supply.is_zero() && self.rpc.len() < 2 {
            return Err(Error::SuspiciousEmpty {
                node: self.rpc.nodes[node].url.clone(),
                symbol: symbol.to_owned(),
                supply: token.value.supply.to_string(),
            });
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
    ) -> Result<(Vec<Holder>, usize), Error> {
        let first_page = Cursor::Accounts {
            from: String::new(),
            inclusive: true,
            to: None,
        };
        let query: Map<String, serde_json::Value> =
            [("symbol".to_owned(), json!(symbol))].into_iter().collect();
        let ((first, more), node) = self.read_range(&query, &first_page, Some(1), tally).await?;
        let Some(last) = first.last().map(|h| h.account.clone()).filter(|_| more) else {
            return Ok((first, node));
        };
        let parallel = self.rpc.len() * self.cfg.per_node_in_flight.max(1);
        let parts: Vec<((Vec<Holder>, bool), usize)> = futures::stream::iter(ranges_after(&last))
            .map(|cursor| {
                let query = &query;
                async move { self.read_range(query, &cursor, None, tally).await }
            })
            .buffer_unordered(parallel)
            .try_collect()
            .await?;
        let mut all = first;
        all.extend(parts.into_iter().flat_map(|((rows, _), _)| rows));
        all.sort_by(|a, b| a.account.cmp(&b.account));
        all.dedup_by(|a, b| a.account == b.account);
        Ok((all, node))
    }

    /// One range of the key space, read on one node. An empty page ending it is confirmed by
    /// another node (`Ends::Confirmed`): a node that drops rows answers `[]`, is found out,
    /// rests, and the range is read again elsewhere. Returns the holders and whether more may
    /// follow its last page.
    async fn read_range(
        &self,
        query: &Map<String, serde_json::Value>,
        cursor: &Cursor,
        max_pages: Option<usize>,
        tally: &Tally,
    ) -> Result<((Vec<Holder>, bool), usize), Error> {
        self.failover(&self.rpc, None, |n| async move {
            let walked = self
                .confirmed_walk(
                    n,
                    ("tokens", "balances"),
                    (query, cursor),
                    (Ends::Confirmed, max_pages),
                    tally,
                )
                .await?;
            let holders = decode_all(&walked.rows, wire::holder)?;
            Ok((holders, walked.more))
        })
        .await
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
