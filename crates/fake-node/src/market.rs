//! The `market` contract's tables: `market.metrics`, the two order books and `tradesHistory`
//! (the last day of trades).

use serde_json::{Value, json};

use crate::dataset::{DAY, Scale, TokenSpec, fixed, holder_name};
use crate::rng::Rng;

pub(crate) fn metrics_row(scale: &Scale, spec: &TokenSpec) -> Value {
    let mut rng = Rng::new(scale.seed, &spec.symbol, 9);
    let last = spec.price_units;
    let prev = (last as f64 * (0.8 + 0.4 * rng.unit())) as i64;
    let change = last - prev;
    let pct = if prev == 0 {
        0.0
    } else {
        change as f64 * 100.0 / prev as f64
    };
    // One token in seven has not traded for two days: its volume and change have expired.
    let expired = spec.index % 7 == 4;
    let expiration = if expired {
        scale.now - 2 * DAY
    } else {
        scale.now + DAY / 2
    };
    json!({
        "_id": spec.index + 1,
        "symbol": spec.symbol,
        "volume": fixed(i128::from(rng.below(10_000_000_000)), 8),
        "volumeExpiration": expiration,
        "lastPrice": fixed(i128::from(last), 8),
        "lowestAsk": fixed(i128::from(last + 1 + last / 50), 8),
        "highestBid": fixed(i128::from((last - 1 - last / 50).max(1)), 8),
        "lastDayPrice": fixed(i128::from(prev), 8),
        "lastDayPriceExpiration": expiration,
        "priceChangeHive": fixed(i128::from(change), 8),
        "priceChangePercent": format!("{pct:.2}%"),
    })
}

pub(crate) fn order_rows(scale: &Scale, spec: &TokenSpec, buy: bool) -> Vec<Value> {
    let base_id = (spec.index as i64 + 1) * 100_000 + if buy { 0 } else { 50_000 };
    (0..spec.orders)
        .map(|i| {
            let mut rng = Rng::new(scale.seed, &spec.symbol, 20_000_000 + i as u64 * 2 + u64::from(buy));
            let spread = 1 + rng.below(spec.price_units as u64 / 5 + 2) as i64;
            let price = if buy { (spec.price_units - spread).max(1) } else { spec.price_units + spread };
            let qty = 1 + i128::from(rng.below(1_000_000)) * 10_i128.pow(spec.precision) / 100;
            let ts = scale.now - rng.below(20 * DAY as u64) as i64;
            let price_s = fixed(i128::from(price), 8);
            let mut row = json!({
                "_id": base_id + i as i64, "txId": format!("{:016x}{:08x}", rng.next(), i),
                "timestamp": ts, "account": holder_name(&spec.symbol, rng.below(500) as usize, scale.seed),
                "symbol": spec.symbol, "quantity": fixed(qty, spec.precision), "price": price_s,
                "priceDec": {"$numberDecimal": price_s}, "expiration": ts + 2_592_000,
            });
            if buy {
                let locked = qty * i128::from(price) / 10_i128.pow(spec.precision);
                row["tokensLocked"] = json!(fixed(locked, 8));
            }
            row
        })
        .collect()
}

pub(crate) fn trade_rows(scale: &Scale, spec: &TokenSpec) -> Vec<Value> {
    let base_id = (spec.index as i64 + 1) * 10_000;
    let mut times: Vec<i64> = (0..spec.trades)
        .map(|i| {
            scale.now
                - Rng::new(scale.seed, &spec.symbol, 30_000_000 + i as u64).below(DAY as u64 - 60)
                    as i64
        })
        .collect();
    times.sort_unstable();
    times
        .into_iter()
        .enumerate()
        .map(|(i, ts)| {
            let mut rng = Rng::new(scale.seed, &spec.symbol, 40_000_000 + i as u64);
            let price = (spec.price_units as f64 * (0.95 + 0.1 * rng.unit())) as i128;
            let qty = 1 + i128::from(rng.below(100_000)) * 10_i128.pow(spec.precision) / 10;
            let volume = qty * price / 10_i128.pow(spec.precision);
            json!({
                "_id": base_id + i as i64, "type": if rng.below(2) == 0 { "buy" } else { "sell" },
                "buyer": holder_name(&spec.symbol, rng.below(300) as usize, scale.seed),
                "seller": holder_name(&spec.symbol, rng.below(300) as usize + 1, scale.seed),
                "symbol": spec.symbol, "quantity": fixed(qty, spec.precision),
                "price": fixed(price.max(1), 8), "timestamp": ts, "volume": fixed(volume, 8),
                "buyTxId": format!("{:x}", rng.next()), "sellTxId": format!("{:x}", rng.next()),
            })
        })
        .collect()
}
