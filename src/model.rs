//! Plain domain types shared by the client, the cache, the UI and the exports; no I/O here.

mod account;
mod amount;
mod history;
mod holder;
mod pool;
mod snapshot;
mod token_column;

use serde::{Deserialize, Serialize};

pub use account::{
    ACCOUNT_RULES, ACTIVITY_PAGE, Account, Balance, OpenOrder, Operation, PoolShare, valid_account,
};
pub use amount::{Amount, AmountError, push_with_point, with_point};
pub use history::{Bar, Candle, DAY_SECS, HistoryRange, bars, chart_days, days_per_bar};
pub use holder::{Holder, Locked};
pub use pool::{HIVE, HIVE_PRECISION, Pool, PoolDetail, Position, holding};
pub use snapshot::{Baseline, Delta, Since, SnapshotRecord};
pub use token_column::TokenColumn;

/// Unix seconds.
pub type Timestamp = i64;

/// The current time in Unix seconds.
pub fn now() -> Timestamp {
    jiff::Timestamp::now().as_second()
}

/// Whether `symbol` can be a Hive-Engine symbol: `^[A-Z]+(\.[A-Z]+)?$`, at most 10 characters.
pub fn valid_symbol(symbol: &str) -> bool {
    let parts: Vec<&str> = symbol.split('.').collect();
    symbol.len() <= 10
        && parts.len() <= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_uppercase()))
}

/// What a token's free-form metadata JSON says, read leniently (invalid JSON gives empty fields).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenMetadata {
    pub url: String,
    pub icon: String,
    pub desc: String,
}

/// A row of `tokens.tokens`. Text fields are raw; the UI and the CSV writer sanitize them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub symbol: String,
    pub name: String,
    pub issuer: String,
    pub precision: u32,
    pub max_supply: Amount,
    pub supply: Amount,
    pub circulating_supply: Amount,
    pub staking_enabled: bool,
    pub unstaking_cooldown_days: u32,
    pub delegation_enabled: bool,
    pub undelegation_cooldown_days: u32,
    pub total_staked: Amount,
    pub metadata: TokenMetadata,
}

/// A row of `market.metrics`, with expired 24h figures already read as zero.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metrics {
    pub symbol: String,
    pub last_price: Amount,
    pub lowest_ask: Amount,
    pub highest_bid: Amount,
    pub volume_24h: Amount,
    pub price_change_pct: Amount,
    pub last_day_price: Amount,
}

/// One open order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub account: String,
    pub quantity: Amount,
    pub price: Amount,
    pub timestamp: Timestamp,
}

/// Both sides of a book: bids by price descending, asks ascending.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderBook {
    pub bids: Vec<Order>,
    pub asks: Vec<Order>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    Buy,
    Sell,
}

/// One fill from `market.tradesHistory` (the node keeps about 24 hours of them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trade {
    pub timestamp: Timestamp,
    pub side: Side,
    pub buyer: String,
    pub seller: String,
    pub quantity: Amount,
    pub price: Amount,
    pub volume: Amount,
}

/// Every holder of a token, with the `null` account taken out and reported as burned.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Richlist {
    pub symbol: String,
    pub precision: u32,
    pub supply: Amount,
    pub circulating_supply: Amount,
    /// Holders in the node's account order; views sort their own copy of the order.
    pub holders: Vec<Holder>,
    pub burned: Amount,
}

/// Where a piece of data came from, kept with it in the cache.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub node: String,
    pub block: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_follow_the_contract_rules() {
        for ok in ["BEE", "SWAP.HIVE", "A"] {
            assert!(valid_symbol(ok), "{ok}");
        }
        for bad in [
            "",
            "bee",
            "SWAP.",
            ".X",
            "A.B.C",
            "TOOLONGSYMB",
            "BEE\u{1b}[2J",
            "BE E",
        ] {
            assert!(!valid_symbol(bad), "{bad:?}");
        }
    }
}
