//! Liquidity pools: every pool, and one pool with every position, read on one node so that the
//! shares add up to the pool's total they are divided by.

use serde_json::{Map, Value, json};

use super::paging::{Cursor, Ends, Tally};
use super::{Error, Failure, Fetched, HiveEngine, wire};
use crate::model::{Pool, PoolDetail};

const POOLS: (&str, &str) = ("marketpools", "pools");
const POSITIONS: (&str, &str) = ("marketpools", "liquidityPositions");

/// `BASE:QUOTE` as typed, and the other orientation; `None` unless both sides are there.
pub fn orientations(pair: &str) -> Option<[String; 2]> {
    let (base, quote) = pair.split_once(':')?;
    let ok = |s: &str| !s.is_empty() && !s.contains(':') && s.len() <= 64;
    (ok(base) && ok(quote)).then(|| [pair.to_owned(), format!("{quote}:{base}")])
}

fn by_pair(pair: &str) -> Map<String, Value> {
    Map::from_iter([("tokenPair".to_owned(), json!(pair))])
}

impl HiveEngine {
    /// Every pool, paginated past 1000; an empty table is believed only when a second node
    /// agrees.
    pub async fn pools(&self) -> Result<Fetched<Vec<Pool>>, Error> {
        let (pools, node) = self
            .paged(
                POOLS,
                Map::new(),
                Cursor::Id,
                Ends::Confirmed,
                &Tally::default(),
                wire::pool,
            )
            .await?;
        Ok(Fetched {
            value: pools,
            provenance: self.provenance(node),
        })
    }

    /// One pool, named in either orientation, and every one of its positions (not the first
    /// page by `_id`: a busy pool has thousands). A pool that one node does not know is looked
    /// up on another before it is called unknown.
    pub async fn pool(&self, pair: &str) -> Result<Fetched<PoolDetail>, Error> {
        let pairs = orientations(pair).ok_or_else(|| Error::InvalidPair(pair.to_owned()))?;
        let tally = Tally::default();
        let (detail, node) = self
            .on_rpc_nodes(|node| {
                let (pairs, tally) = (&pairs, &tally);
                async move {
                    for p in pairs {
                        let found = self
                            .walk(
                                node,
                                POOLS,
                                (&by_pair(p), &Cursor::Id),
                                (tally, Some(1)),
                                &wire::pool,
                            )
                            .await?;
                        if let Some(pool) = found.rows.into_iter().next() {
                            return self.positions(node, pool, tally).await.map(Some);
                        }
                        if found.ended_empty {
                            self.confirm_end(node, &found.past_end).await?;
                        }
                    }
                    Ok(None)
                }
            })
            .await?;
        let detail = detail.ok_or_else(|| Error::UnknownPool(pair.to_owned()))?;
        Ok(Fetched {
            value: detail,
            provenance: self.provenance(node),
        })
    }

    /// Every position of `pool`, on the node that answered the pool's row. A pool with
    /// shares and no positions on this node is asked of another.
    async fn positions(
        &self,
        node: usize,
        pool: Pool,
        tally: &Tally,
    ) -> Result<PoolDetail, Failure> {
        let walked = self
            .confirmed_walk(
                node,
                (POSITIONS.0, POSITIONS.1),
                (&by_pair(&pool.pair), &Cursor::Id),
                Ends::Confirmed,
                (tally, &wire::position),
            )
            .await?;
        Ok(PoolDetail {
            pool,
            positions: walked.rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_need_two_sides() {
        assert_eq!(
            orientations("SWAP.HIVE:LEO"),
            Some(["SWAP.HIVE:LEO".to_owned(), "LEO:SWAP.HIVE".to_owned()])
        );
        for bad in ["LEO", ":LEO", "LEO:", "A:B:C"] {
            assert_eq!(orientations(bad), None, "{bad}");
        }
    }
}
