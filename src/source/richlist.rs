//! The full richlist, fast: the account key space is split into ranges walked concurrently
//! across the available nodes (each range on one node), instead of one cursor walk.

use std::collections::VecDeque;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde_json::{Map, json};

use super::paging::{Cursor, Ends, Tally};
use super::{Error, Fetched, HiveEngine, ProgressFn, wire};
use crate::model::{Holder, Richlist};

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

/// The characters of Hive account names, in byte order.
const ALPHABET: &[u8] = b"-.0123456789abcdefghijklmnopqrstuvwxyz";
/// Characters of a name that a midpoint looks at.
const DEPTH: u32 = 6;

/// A name as a number: each of its first `DEPTH` characters a digit (0 = the name has ended).
fn name_value(name: &str) -> u64 {
    let base = ALPHABET.len() as u64 + 1;
    let mut bytes = name.bytes();
    (0..DEPTH).fold(0, |acc, _| {
        let digit = bytes
            .next()
            .and_then(|b| ALPHABET.iter().position(|&a| a == b))
            .map_or(0, |p| p as u64 + 1);
        acc * base + digit
    })
}

fn value_name(mut value: u64) -> String {
    let base = ALPHABET.len() as u64 + 1;
    let mut out = Vec::new();
    for _ in 0..DEPTH {
        out.push(value % base);
        value /= base;
    }
    out.iter()
        .rev()
        .take_while(|&&d| d > 0)
        .map(|&d| char::from(ALPHABET[(d - 1) as usize]))
        .collect()
}

/// A name halfway between `from` and `to` (the end of the key space when `None`), strictly
/// between them; `None` when they are too close to split.
fn midpoint(from: &str, to: Option<&str>) -> Option<String> {
    let base = ALPHABET.len() as u64 + 1;
    let lo = name_value(from);
    let hi = to.map_or(base.pow(DEPTH) - 1, name_value);
    let mid = value_name(lo + hi.checked_sub(lo)? / 2);
    (mid.as_str() > from && to.is_none_or(|t| mid.as_str() < t)).then_some(mid)
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
        // In place: a big richlist is never held twice.
        let mut holders = rows;
        let burned = holders
            .iter()
            .filter(|h| h.account == "null")
            .map(|h| h.balance)
            .sum();
        holders.retain(|h| h.account != "null" && h.holds_anything());
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
        // One page per request, each on the best node at that moment: a slow node takes fewer
        // pages, a failing one's page is read elsewhere, and no range waits behind another.
        let mut queue: VecDeque<Cursor> = ranges_after(&last).into();
        let mut running = FuturesUnordered::new();
        let mut parts = vec![first];
        loop {
            while running.len() < parallel {
                let Some(cursor) = queue.pop_front() else {
                    break;
                };
                let query = &query;
                running.push(async move {
                    let page = self.read_range(query, &cursor, Some(1), tally).await;
                    (page, cursor)
                });
            }
            let Some((page, cursor)) = running.next().await else {
                break;
            };
            let ((rows, more), _) = page?;
            if let (true, Some(last), Cursor::Accounts { to, .. }) = (more, rows.last(), cursor) {
                let from = last.account.clone();
                // Work stealing: with slots idle and nothing queued, the rest of a busy range
                // is split in two, so the tail of the walk keeps every slot busy.
                let idle = queue.is_empty() && running.len() + 1 < parallel;
                match midpoint(&from, to.as_deref()).filter(|_| idle) {
                    Some(mid) => {
                        queue.push_back(Cursor::Accounts {
                            from,
                            inclusive: false,
                            to: Some(mid.clone()),
                        });
                        queue.push_back(Cursor::Accounts {
                            from: mid,
                            inclusive: true,
                            to,
                        });
                    }
                    None => queue.push_back(Cursor::Accounts {
                        from,
                        inclusive: false,
                        to,
                    }),
                }
            }
            parts.push(rows);
        }
        let total = parts.iter().map(Vec::len).sum();
        let mut all = Vec::with_capacity(total);
        for rows in parts {
            all.extend(rows);
        }
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
                    (tally, &wire::holder),
                )
                .await?;
            Ok((walked.rows, walked.more))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_range_splits_between_its_ends() {
        let mid = midpoint("alice", Some("b")).unwrap();
        assert!(mid.as_str() > "alice" && mid.as_str() < "b", "{mid}");
        let open = midpoint("x", None).unwrap();
        assert!(open.as_str() > "x", "{open}");
        assert_eq!(midpoint("abc", Some("abc")), None);
        assert_eq!(
            midpoint("abcdefg", Some("abcdefh")),
            None,
            "too close to split"
        );
        assert_eq!(value_name(name_value("hive-engine")), "hive-e");
    }

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
