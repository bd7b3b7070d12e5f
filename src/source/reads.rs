//! The typed reads the app needs: token list, metrics, one token, books, trades and history.

use serde_json::{Map, Value, json};

use super::paging::{Cursor, Ends, Tally, decode_all};
use super::{Error, Failure, Fetched, HiveEngine, transport, wire};
use crate::model::{
    Candle, DAY_SECS, HistoryRange, Metrics, OrderBook, Provenance, Timestamp, Token, Trade,
    valid_symbol,
};

/// 2020-03-25 00:00 UTC, the first Hive-Engine block: no history exists before it.
pub const GENESIS: Timestamp = 1_585_094_400;
/// Rows the history API returns at most per request; windows this many days long never hit it.
const HISTORY_WINDOW_DAYS: i64 = 500;

fn query(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

impl HiveEngine {
    /// Every token, paginated past 1000.
    pub async fn tokens(&self) -> Result<Fetched<Vec<Token>>, Error> {
        let (tokens, node) = self
            .paged(
                ("tokens", "tokens"),
                Map::new(),
                Cursor::Id,
                Ends::NeverEmpty,
                &Tally::default(),
                wire::token,
            )
            .await?;
        Ok(Fetched {
            value: tokens,
            provenance: self.provenance(node),
        })
    }

    /// Market metrics of every token that ever had an order; `now` decides expiry.
    pub async fn metrics(&self, now: Timestamp) -> Result<Fetched<Vec<Metrics>>, Error> {
        let decode = |r: &Value| wire::metrics(r, now);
        let (metrics, node) = self
            .paged(
                ("market", "metrics"),
                Map::new(),
                Cursor::Id,
                Ends::NeverEmpty,
                &Tally::default(),
                decode,
            )
            .await?;
        Ok(Fetched {
            value: metrics,
            provenance: self.provenance(node),
        })
    }

    /// One token's facts. `null` from one node is checked with a second before it means
    /// "no such token".
    pub async fn token(&self, symbol: &str) -> Result<Fetched<Token>, Error> {
        if !valid_symbol(symbol) {
            return Err(Error::InvalidSymbol(symbol.to_owned()));
        }
        let params = json!({"contract": "tokens", "table": "tokens", "query": {"symbol": symbol}});
        let find_one = |avoid| {
            let params = params.clone();
            self.contracts(("findOne", params), avoid, transport::envelope_result)
        };
        let (row, node) = find_one(None).await?;
        let (row, node) = if row.is_null() {
            let confirm = find_one(Some(node)).await?;
            if confirm.0.is_null() {
                return Err(Error::UnknownToken(symbol.to_owned()));
            }
            confirm
        } else {
            (row, node)
        };
        let token = wire::token(&row).map_err(|e| self.garbled(node, &e))?;
        Ok(Fetched {
            value: token,
            provenance: self.provenance(node),
        })
    }

    fn garbled(&self, node: usize, e: &wire::DecodeError) -> Error {
        Error::Undecodable(super::AttemptError {
            node: self.rpc.nodes[node].url.clone(),
            failure: Failure::Garbled(e.to_string()),
        })
    }

    /// The complete order book: bids by price descending, asks ascending.
    pub async fn book(&self, symbol: &str) -> Result<Fetched<OrderBook>, Error> {
        if !valid_symbol(symbol) {
            return Err(Error::InvalidSymbol(symbol.to_owned()));
        }
        let q = query(&[("symbol", json!(symbol))]);
        let tally = Tally::default();
        let (bids, asks) = tokio::try_join!(
            self.paged(
                ("market", "buyBook"),
                q.clone(),
                Cursor::Id,
                Ends::Confirmed,
                &tally,
                wire::order
            ),
            self.paged(
                ("market", "sellBook"),
                q,
                Cursor::Id,
                Ends::Confirmed,
                &tally,
                wire::order
            ),
        )?;
        let node = bids.1;
        let (mut bids, mut asks) = (bids.0, asks.0);
        bids.sort_by(|a, b| b.price.cmp(&a.price).then(a.timestamp.cmp(&b.timestamp)));
        asks.sort_by(|a, b| a.price.cmp(&b.price).then(a.timestamp.cmp(&b.timestamp)));
        Ok(Fetched {
            value: OrderBook { bids, asks },
            provenance: self.provenance(node),
        })
    }

    /// Trades of the last 24 hours, oldest first (an idle token keeps older ones on chain).
    pub async fn trades(&self, symbol: &str, now: Timestamp) -> Result<Fetched<Vec<Trade>>, Error> {
        if !valid_symbol(symbol) {
            return Err(Error::InvalidSymbol(symbol.to_owned()));
        }
        let q = query(&[("symbol", json!(symbol))]);
        let (mut trades, node) = self
            .paged(
                ("market", "tradesHistory"),
                q,
                Cursor::Id,
                Ends::Confirmed,
                &Tally::default(),
                wire::trade,
            )
            .await?;
        trades.retain(|t| t.timestamp > now - DAY_SECS);
        Ok(Fetched {
            value: trades,
            provenance: self.provenance(node),
        })
    }

    /// Daily candles over `range`, oldest first. "All" walks back in windows short enough that
    /// the history API's 500-row cap never cuts one.
    pub async fn history(
        &self,
        symbol: &str,
        range: HistoryRange,
        now: Timestamp,
    ) -> Result<Fetched<Vec<Candle>>, Error> {
        if !valid_symbol(symbol) {
            return Err(Error::InvalidSymbol(symbol.to_owned()));
        }
        let today = now.div_euclid(DAY_SECS) * DAY_SECS;
        let first_day = match range.days() {
            Some(days) => today - (days - 1) * DAY_SECS,
            None => GENESIS - DAY_SECS,
        };
        let mut candles: Vec<Candle> = Vec::new();
        let mut end = now.max(today);
        while end >= first_day {
            let start = (end - HISTORY_WINDOW_DAYS * DAY_SECS + 1)
                .max(first_day)
                .max(1);
            candles.extend(self.history_window(symbol, start, end).await?);
            end = start - 1;
        }
        candles.sort_by_key(|c| c.day);
        candles.dedup_by_key(|c| c.day);
        let provenance = Provenance {
            node: self.history.nodes[0].url.clone(),
            block: None,
        };
        Ok(Fetched {
            value: candles,
            provenance,
        })
    }

    async fn history_window(
        &self,
        symbol: &str,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<Vec<Candle>, Error> {
        let query =
            format!("marketHistory?symbol={symbol}&timestampStart={start}&timestampEnd={end}");
        let (candles, _) = self.history_rows(&query, wire::candle).await?;
        Ok(candles)
    }

    /// `GET {history}{query}`, a list of rows decoded with `decode`, with failover across the
    /// history nodes; and the node that answered.
    pub(super) async fn history_rows<T>(
        &self,
        query: &str,
        decode: impl Fn(&Value) -> Result<T, wire::DecodeError>,
    ) -> Result<(Vec<T>, usize), Error> {
        let decode = &decode;
        self.failover(&self.history, None, |i| async move {
            let url = format!("{}{query}", self.history.nodes[i].url);
            let _permit = self.history.nodes[i]
                .permits
                .acquire()
                .await
                .map_err(|e| Failure::Transport(e.to_string()))?;
            match self.transport.get(&url).await? {
                Value::Array(rows) => decode_all(&rows, decode),
                _ => Err(Failure::Garbled(format!("{query} did not return a list"))),
            }
        })
        .await
    }
}
