//! Rows as the node sends them (amounts as strings, fields missing from old rows, percentages
//! with a `%`, `priceDec` as `$numberDecimal`) decoded into the exact domain types.

use serde_json::Value;

use crate::model::{
    Amount, Balance, Candle, Holder, Locked, Metrics, OpenOrder, Operation, Order, Pool, PoolShare,
    Position, Side, Timestamp, Token, TokenMetadata, Trade,
};

/// A row that could not be decoded: a broken response, never data.
#[derive(Debug, thiserror::Error)]
#[error("row {row}: field {field}: {problem}")]
pub struct DecodeError {
    pub row: String,
    pub field: &'static str,
    pub problem: String,
}

type Result<T> = std::result::Result<T, DecodeError>;

fn err(row: &Value, field: &'static str, problem: impl Into<String>) -> DecodeError {
    let id = row
        .get("_id")
        .map_or_else(|| "?".to_owned(), ToString::to_string);
    DecodeError {
        row: id,
        field,
        problem: problem.into(),
    }
}

/// A quantity field (a balance, stake, price, volume or share count), never below zero; absent
/// or `null` means zero (old rows lack the staking fields).
fn amount(row: &Value, field: &'static str) -> Result<Amount> {
    decimal(row, field, Amount::parse_quantity)
}

/// A field that may be below zero (a change in percent).
fn signed(row: &Value, field: &'static str) -> Result<Amount> {
    decimal(row, field, Amount::parse)
}

fn decimal(
    row: &Value,
    field: &'static str,
    parse: fn(&str) -> std::result::Result<Amount, crate::model::AmountError>,
) -> Result<Amount> {
    let parsed = match row.get(field) {
        None | Some(Value::Null) => return Ok(Amount::ZERO),
        Some(Value::String(s)) => parse(s),
        Some(Value::Number(n)) => parse(&n.to_string()),
        Some(Value::Object(o)) => match o.get("$numberDecimal").and_then(Value::as_str) {
            Some(s) => parse(s),
            None => return Err(err(row, field, "an object that is not a $numberDecimal")),
        },
        Some(other) => return Err(err(row, field, format!("unexpected {other}"))),
    };
    parsed.map_err(|e| err(row, field, e.to_string()))
}

fn text(row: &Value, field: &'static str) -> String {
    match row.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn required_text(row: &Value, field: &'static str) -> Result<String> {
    row.get(field)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| err(row, field, "missing"))
}

fn int(row: &Value, field: &'static str) -> i64 {
    row.get(field)
        .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
        .unwrap_or(0)
}

fn small(row: &Value, field: &'static str) -> u32 {
    u32::try_from(int(row, field).max(0)).unwrap_or(u32::MAX)
}

/// Metadata is JSON inside a string, often invalid: anything unreadable gives empty fields.
pub fn metadata(raw: &str) -> TokenMetadata {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(raw) else {
        return TokenMetadata::default();
    };
    let field = |k: &str| {
        map.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    TokenMetadata {
        url: field("url"),
        icon: field("icon"),
        desc: field("desc"),
    }
}

pub fn token(row: &Value) -> Result<Token> {
    Ok(Token {
        symbol: required_text(row, "symbol")?,
        name: text(row, "name"),
        issuer: text(row, "issuer"),
        precision: small(row, "precision").min(8),
        max_supply: amount(row, "maxSupply")?,
        supply: amount(row, "supply")?,
        circulating_supply: amount(row, "circulatingSupply")?,
        staking_enabled: row
            .get("stakingEnabled")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        unstaking_cooldown_days: small(row, "unstakingCooldown"),
        delegation_enabled: row
            .get("delegationEnabled")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        undelegation_cooldown_days: small(row, "undelegationCooldown"),
        total_staked: amount(row, "totalStaked")?,
        metadata: metadata(&text(row, "metadata")),
    })
}

/// 24h volume and change are rewritten only on the next trade: past their expiry they are zero.
pub fn metrics(row: &Value, now: Timestamp) -> Result<Metrics> {
    let live = |expiry: &'static str| int(row, expiry) >= now;
    let change = match row.get("priceChangePercent") {
        Some(Value::String(s)) => {
            Amount::parse_percent(s).map_err(|e| err(row, "priceChangePercent", e.to_string()))?
        }
        _ => signed(row, "priceChangePercent")?,
    };
    Ok(Metrics {
        symbol: required_text(row, "symbol")?,
        last_price: amount(row, "lastPrice")?,
        lowest_ask: amount(row, "lowestAsk")?,
        highest_bid: amount(row, "highestBid")?,
        volume_24h: if live("volumeExpiration") {
            amount(row, "volume")?
        } else {
            Amount::ZERO
        },
        price_change_pct: if live("lastDayPriceExpiration") {
            change
        } else {
            Amount::ZERO
        },
        last_day_price: amount(row, "lastDayPrice")?,
    })
}

pub fn order(row: &Value) -> Result<Order> {
    Ok(Order {
        account: text(row, "account"),
        quantity: amount(row, "quantity")?,
        price: amount(row, "price")?,
        timestamp: int(row, "timestamp"),
    })
}

pub fn trade(row: &Value) -> Result<Trade> {
    Ok(Trade {
        timestamp: int(row, "timestamp"),
        side: if text(row, "type") == "sell" {
            Side::Sell
        } else {
            Side::Buy
        },
        buyer: text(row, "buyer"),
        seller: text(row, "seller"),
        quantity: amount(row, "quantity")?,
        price: amount(row, "price")?,
        volume: amount(row, "volume")?,
    })
}

pub fn holder(row: &Value) -> Result<Holder> {
    Ok(Holder::new(
        &required_text(row, "account")?,
        amount(row, "balance")?,
        amount(row, "stake")?,
        Locked {
            pending_unstake: amount(row, "pendingUnstake")?,
            delegations_in: amount(row, "delegationsIn")?,
            delegations_out: amount(row, "delegationsOut")?,
            pending_undelegations: amount(row, "pendingUndelegations")?,
        },
    ))
}

pub fn candle(row: &Value) -> Result<Candle> {
    Ok(Candle {
        day: int(row, "timestamp"),
        open: amount(row, "openPrice")?,
        high: amount(row, "highestPrice")?,
        low: amount(row, "lowestPrice")?,
        close: amount(row, "closePrice")?,
        volume_hive: amount(row, "volumeHive")?,
        volume_token: amount(row, "volumeToken")?,
    })
}

/// A pool row; a freshly created pool holds the number `0` where later ones hold strings.
pub fn pool(row: &Value) -> Result<Pool> {
    Ok(Pool {
        pair: required_text(row, "tokenPair")?,
        base_quantity: amount(row, "baseQuantity")?,
        quote_quantity: amount(row, "quoteQuantity")?,
        base_price: amount(row, "basePrice")?,
        quote_price: amount(row, "quotePrice")?,
        base_volume: amount(row, "baseVolume")?,
        quote_volume: amount(row, "quoteVolume")?,
        total_shares: amount(row, "totalShares")?,
        precision: small(row, "precision").min(8),
        creator: text(row, "creator"),
    })
}

pub fn position(row: &Value) -> Result<Position> {
    Ok(Position {
        account: required_text(row, "account")?,
        shares: amount(row, "shares")?,
        time_factor: int(row, "timeFactor"),
    })
}

/// A balance row read by account: the token it is of, and the amounts.
pub fn balance(row: &Value) -> Result<Balance> {
    Ok(Balance {
        symbol: required_text(row, "symbol")?,
        holder: holder(row)?,
    })
}

pub fn open_order(row: &Value, side: Side) -> Result<OpenOrder> {
    Ok(OpenOrder {
        symbol: required_text(row, "symbol")?,
        side,
        price: amount(row, "price")?,
        quantity: amount(row, "quantity")?,
        timestamp: int(row, "timestamp"),
        expiration: int(row, "expiration"),
    })
}

pub fn pool_share(row: &Value) -> Result<PoolShare> {
    Ok(PoolShare {
        pair: required_text(row, "tokenPair")?,
        shares: amount(row, "shares")?,
    })
}

/// An operation of the history API; which fields exist depends on the operation.
pub fn operation(row: &Value) -> Result<Operation> {
    let first = |fields: &[&'static str]| -> Result<Option<Amount>> {
        for &f in fields {
            if row.get(f).is_some_and(|v| !v.is_null()) {
                return amount(row, f).map(Some);
            }
        }
        Ok(None)
    };
    Ok(Operation {
        timestamp: int(row, "timestamp"),
        operation: required_text(row, "operation")?,
        symbol: text(row, "symbol"),
        quantity: first(&["quantity", "quantityTokens", "quantityLocked"])?,
        hive: first(&["quantityHive", "price"])?,
        from: text(row, "from"),
        to: text(row, "to"),
        memo: text(row, "memo"),
        transaction: text(row, "transactionId"),
    })
}

/// The node's own row id, used as the pagination cursor and to drop duplicates.
pub fn row_id(row: &Value) -> Option<i64> {
    row.get("_id").and_then(Value::as_i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn old_rows_without_stake_fields_read_as_zero() {
        let h = holder(&json!({"_id": 1, "account": "alice", "balance": "0"})).unwrap();
        assert_eq!(h.total(), Amount::ZERO);
        assert!(!h.holds_anything());
    }

    #[test]
    fn invalid_metadata_gives_empty_fields() {
        assert_eq!(
            metadata("{\"desc\": \"unterminated"),
            TokenMetadata::default()
        );
        assert_eq!(
            metadata("{\"desc\": \"d\", \"description\": \"x\"}").desc,
            "d"
        );
    }

    #[test]
    fn expired_metrics_read_as_zero() {
        let row = json!({"symbol": "LEO", "volume": "15.5", "volumeExpiration": 100,
            "lastPrice": "0.055", "priceChangePercent": "3.77%", "lastDayPriceExpiration": 100});
        let fresh = metrics(&row, 50).unwrap();
        assert_eq!(fresh.volume_24h.to_string(), "15.5");
        assert_eq!(fresh.price_change_pct.to_string(), "3.77");
        let expired = metrics(&row, 200).unwrap();
        assert!(expired.volume_24h.is_zero() && expired.price_change_pct.is_zero());
    }

    #[test]
    fn a_fresh_pool_reads_its_number_zeros_and_shares_keep_every_digit() {
        let fresh = pool(
            &json!({"_id": 4, "tokenPair": "SWAP.HIVE:NEW", "baseQuantity": 0,
            "quoteQuantity": 0, "basePrice": 0, "quotePrice": 0, "baseVolume": 0,
            "quoteVolume": 0, "totalShares": 0, "precision": 8, "creator": "a"}),
        )
        .unwrap();
        assert!(fresh.total_shares.is_zero() && fresh.base_price.is_zero());
        let p = position(&json!({"_id": 9, "account": "bob", "tokenPair": "A:B",
            "shares": "1234.56789012345678901234", "timeFactor": 1_700_000_000_000_i64}))
        .unwrap();
        assert_eq!(p.shares.to_string(), "1234.56789012345678901234");
    }

    #[test]
    fn a_quantity_below_zero_is_garbled_and_a_change_may_be() {
        let e = holder(&json!({"_id": 7, "account": "a", "balance": "-5.000"})).unwrap_err();
        assert_eq!(
            (e.field, e.problem.contains("below zero")),
            ("balance", true)
        );
        for field in ["quantity", "price"] {
            let mut row = json!({"_id": 8, "account": "a", "quantity": "1", "price": "1"});
            row[field] = json!("-0.1");
            assert_eq!(order(&row).unwrap_err().field, field);
        }
        let p = json!({"_id": 9, "account": "b", "shares": {"$numberDecimal": "-1"}});
        assert_eq!(position(&p).unwrap_err().field, "shares");
        let falling =
            json!({"symbol": "LEO", "priceChangePercent": -3.5, "lastDayPriceExpiration": 9});
        assert_eq!(
            metrics(&falling, 1).unwrap().price_change_pct.to_string(),
            "-3.5"
        );
    }

    #[test]
    fn a_garbled_amount_is_an_error_not_zero() {
        let e = holder(&json!({"_id": 7, "account": "a", "balance": "12x"})).unwrap_err();
        assert_eq!(e.field, "balance");
    }
}
