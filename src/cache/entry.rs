//! What the cache stores: a typed payload plus its metadata, encoded with postcard and cut into
//! chunks well under sled's blob threshold.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::{
    Account, Baseline, Candle, Metrics, Operation, OrderBook, Pool, PoolDetail, Provenance,
    Richlist, SnapshotRecord, Timestamp, Token, Trade,
};

/// Bump when a stored type changes: older values then read as misses and are refetched.
pub const SCHEMA: u32 = 2;
/// Values larger than sled's ~128 KiB blob threshold go to blob files and balloon the disk.
pub const CHUNK: usize = 6 * 1024;

/// The data of one key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Payload {
    Tokens(Vec<Token>),
    Metrics(Vec<Metrics>),
    Token(Token),
    Richlist(Richlist),
    History(Vec<Candle>),
    Book(OrderBook),
    Trades(Vec<Trade>),
    Pools(Vec<Pool>),
    Pool(PoolDetail),
    Account(Account),
    Activity(Vec<Operation>),
    Snapshot(SnapshotRecord),
    Baseline(Baseline),
}

impl Payload {
    /// Rows in the payload, to spot a suspiciously empty refresh.
    pub fn rows(&self) -> usize {
        match self {
            Self::Tokens(v) => v.len(),
            Self::Metrics(v) => v.len(),
            Self::Token(_) => 1,
            Self::Richlist(r) | Self::Snapshot(SnapshotRecord::Full(r)) => r.holders.len(),
            Self::History(v) => v.len(),
            Self::Book(b) => b.bids.len() + b.asks.len(),
            Self::Trades(v) => v.len(),
            Self::Pools(v) => v.len(),
            Self::Pool(p) => p.positions.len(),
            Self::Account(a) => a.balances.len() + a.orders.len() + a.pools.len(),
            Self::Activity(v) => v.len(),
            Self::Snapshot(SnapshotRecord::Delta(d)) => d.changed.len() + d.left.len(),
            Self::Baseline(b) => b.then.as_ref().map_or(0, |(_, r)| r.holders.len()),
        }
    }
}

/// Stored next to the chunks; a reader follows it to exactly one generation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub schema: u32,
    pub generation: u64,
    pub chunks: u32,
    pub bytes: u64,
    pub fetched_at: Timestamp,
    pub provenance: Provenance,
}

/// A cached value as readers see it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub meta: Meta,
    pub payload: Arc<Payload>,
}

pub fn encode(payload: &Payload) -> Vec<u8> {
    // postcard only fails on writer errors, and a Vec writer has none.
    postcard::to_allocvec(payload).unwrap_or_default()
}

/// `Payload::Snapshot(SnapshotRecord::Full(r))` encoded from a borrowed richlist: the same
/// bytes (postcard writes an enum as its variant's index, then its content) without a copy of
/// a list of 200000 holders. The test below holds it to `encode`.
pub fn encode_full_snapshot(r: &Richlist) -> Vec<u8> {
    const SNAPSHOT: u8 = 11;
    const FULL: u8 = 0;
    // Written straight after the two tags: a second buffer of the whole list would double it.
    postcard::to_extend(r, vec![SNAPSHOT, FULL]).unwrap_or_default()
}

pub fn decode(bytes: &[u8]) -> Option<Payload> {
    postcard::from_bytes(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Amount, Holder, Locked};

    #[test]
    fn payload_round_trips() {
        let holder = Holder::new(
            "alice",
            Amount::parse("1.5").unwrap(),
            Amount::ZERO,
            Locked::default(),
        );
        let p = Payload::Richlist(Richlist {
            symbol: "BEE".into(),
            holders: vec![holder],
            ..Richlist::default()
        });
        assert_eq!(decode(&encode(&p)), Some(p.clone()));
        assert_eq!(decode(b"\xff\xff garbage"), None);
        let Payload::Richlist(r) = p else {
            unreachable!()
        };
        let whole = Payload::Snapshot(SnapshotRecord::Full(r.clone()));
        assert_eq!(
            encode_full_snapshot(&r),
            encode(&whole),
            "the same bytes, borrowed"
        );
    }
}
