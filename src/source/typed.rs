//! Balance pages decoded straight from the response body into holders, without building a JSON
//! tree first: a richlist page is a thousand rows, and the tree cost more than the holders.
//! Anything unusual (an error, a batch, a field of an unexpected type) takes the general path,
//! so both read every page alike.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::error::Failure;
use super::paging::decode_all;
use super::{transport, wire};
use crate::model::{Amount, Holder, Locked};

/// The rows of one `find` on `tokens.balances`, decoded.
pub fn holders(body: &[u8]) -> Result<Vec<Holder>, Failure> {
    if let Ok(envelope) = serde_json::from_slice::<Envelope<'_>>(body) {
        return envelope.result.iter().map(BalanceRow::holder).collect();
    }
    decode_all(&transport::find_rows(body)?, wire::holder)
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    result: Vec<BalanceRow<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BalanceRow<'a> {
    #[serde(rename = "_id")]
    id: Option<i64>,
    #[serde(borrow)]
    account: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    balance: Raw<'a>,
    #[serde(borrow, default)]
    stake: Raw<'a>,
    #[serde(borrow, default)]
    pending_unstake: Raw<'a>,
    #[serde(borrow, default)]
    delegations_in: Raw<'a>,
    #[serde(borrow, default)]
    delegations_out: Raw<'a>,
    #[serde(borrow, default)]
    pending_undelegations: Raw<'a>,
}

impl BalanceRow<'_> {
    fn holder(&self) -> Result<Holder, Failure> {
        // In the words of the JSON-tree path.
        let garbled = |field: &'static str, problem: String| {
            let row = self.id.map_or_else(|| "?".to_owned(), |id| id.to_string());
            Failure::Garbled(
                wire::DecodeError {
                    row,
                    field,
                    problem,
                }
                .to_string(),
            )
        };
        let amount = |raw: &Raw<'_>, field: &'static str| {
            raw.amount().map_err(|problem| garbled(field, problem))
        };
        let account = self
            .account
            .as_deref()
            .ok_or_else(|| garbled("account", "missing".into()))?;
        Ok(Holder::new(
            account,
            amount(&self.balance, "balance")?,
            amount(&self.stake, "stake")?,
            Locked {
                pending_unstake: amount(&self.pending_unstake, "pendingUnstake")?,
                delegations_in: amount(&self.delegations_in, "delegationsIn")?,
                delegations_out: amount(&self.delegations_out, "delegationsOut")?,
                pending_undelegations: amount(&self.pending_undelegations, "pendingUndelegations")?,
            },
        ))
    }
}

/// An amount as the node wrote it: a string, a number, `{"$numberDecimal": "…"}`, or nothing.
#[derive(Default)]
enum Raw<'a> {
    #[default]
    Absent,
    Text(Cow<'a, str>),
    Number(String),
}

impl Raw<'_> {
    fn amount(&self) -> Result<Amount, String> {
        match self {
            Raw::Absent => Ok(Amount::ZERO),
            Raw::Text(s) => Amount::parse_quantity(s).map_err(|e| e.to_string()),
            Raw::Number(n) => Amount::parse_quantity(n).map_err(|e| e.to_string()),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Raw<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an amount")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Raw::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Raw::Text(Cow::Owned(v.to_owned())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Raw::Number(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Raw::Number(v.to_string()))
    }

    // Written as the JSON tree would print it, so both paths parse the same text.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        serde_json::Number::from_f64(v)
            .map(|n| Raw::Number(n.to_string()))
            .ok_or_else(|| E::custom("not a finite number"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Raw::Absent)
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut decimal = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == "$numberDecimal" && decimal.is_none() {
                decimal = Some(map.next_value::<Cow<'de, str>>()?);
            } else {
                return Err(de::Error::custom("an object that is not a $numberDecimal"));
            }
        }
        decimal
            .map(Raw::Text)
            .ok_or_else(|| de::Error::custom("an object that is not a $numberDecimal"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn both(rows: &Value) -> (Result<Vec<Holder>, Failure>, Result<Vec<Holder>, Failure>) {
        let body = json!({"jsonrpc": "2.0", "id": 1, "result": rows}).to_string();
        let fast = holders(body.as_bytes());
        let slow = decode_all(
            &transport::find_rows(body.as_bytes()).unwrap(),
            wire::holder,
        );
        (fast, slow)
    }

    #[test]
    fn every_shape_of_amount_reads_as_the_json_tree_reads_it() {
        let rows = json!([
            {"_id": 1, "account": "alice", "symbol": "BEE", "balance": "12.5", "stake": "0"},
            {"_id": 2, "account": "b\u{1b}ob", "balance": 0, "stake": 1.25e-3,
             "pendingUnstake": {"$numberDecimal": "3.00000001"}, "delegationsIn": null},
            {"_id": 3, "account": "carol", "balance": "", "delegationsOut": "7",
             "pendingUndelegations": 123_456_789_u64}
        ]);
        let (fast, slow) = both(&rows);
        assert_eq!(fast.unwrap(), slow.unwrap());
    }

    #[test]
    fn broken_rows_fail_with_the_same_words_on_both_paths() {
        for rows in [
            json!([{"_id": 7, "account": "a", "balance": "12x"}]),
            json!([{"_id": 8, "balance": "1"}]),
            json!([{"_id": 9, "account": "a", "stake": {"$gt": 1}}]),
            json!([{"_id": 9, "account": "a", "stake": true}]),
        ] {
            let (fast, slow) = both(&rows);
            assert_eq!(
                fast.unwrap_err().to_string(),
                slow.unwrap_err().to_string(),
                "{rows}"
            );
        }
    }

    #[test]
    fn errors_and_null_results_take_the_general_path() {
        let null = json!({"id": 1, "result": null}).to_string();
        assert!(matches!(holders(null.as_bytes()), Err(Failure::NullResult)));
        let err = json!({"id": 1, "error": {"code": 400, "message": "limit is too high"}});
        assert!(matches!(
            holders(err.to_string().as_bytes()),
            Err(Failure::Rpc { code: 400, .. })
        ));
        let batch = json!([{"id": 1, "result": [{"_id": 1, "account": "a", "balance": "1"}]}]);
        assert_eq!(holders(batch.to_string().as_bytes()).unwrap().len(), 1);
    }
}
