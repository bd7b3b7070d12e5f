//! Deterministic Hive-Engine data: tokens, balances, metrics, books, trades and daily history,
//! shaped like the real node's rows (amounts as strings, irregular old rows, hostile metadata).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Value, json};

use super::rng::Rng;

pub const DAY: i64 = 86_400;
/// Large enough that every token's balance `_id`s form one increasing block.
const BALANCE_ID_STRIDE: i64 = 10_000_000;

/// Scale knobs of the generated world.
#[derive(Clone, Debug)]
pub struct Scale {
    pub seed: u64,
    pub tokens: usize,
    pub max_holders: usize,
    pub history_days: usize,
    /// Unix seconds taken as "now"; the data is laid out relative to it.
    pub now: i64,
}

impl Default for Scale {
    fn default() -> Self {
        Self {
            seed: 42,
            tokens: 300,
            max_holders: 5_000,
            history_days: 800,
            now: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0)),
        }
    }
}

/// One token's generation parameters; rows are derived from these on demand.
#[derive(Clone, Debug)]
pub struct TokenSpec {
    pub index: usize,
    pub symbol: String,
    pub precision: u32,
    pub holders: usize,
    pub has_market: bool,
    pub trades: usize,
    pub orders: usize,
    pub price_units: i64,
    /// Older balance rows of this token keep fewer decimals (precision was raised later).
    pub old_precision: Option<u32>,
}

/// A partition of a table: rows in `_id` order plus lazily built index orders.
pub struct Partition {
    pub rows: Vec<Value>,
    indexes: Mutex<HashMap<String, Arc<Vec<u32>>>>,
}

impl Partition {
    pub fn new(rows: Vec<Value>) -> Self {
        Self {
            rows,
            indexes: Mutex::new(HashMap::new()),
        }
    }

    /// Row positions sorted by `field` ascending (ties by `_id`), built once.
    pub fn order_by(&self, field: &str) -> Arc<Vec<u32>> {
        let mut map = self.indexes.lock().expect("index lock");
        map.entry(field.to_owned())
            .or_insert_with(|| {
                let mut order: Vec<u32> =
                    (0..u32::try_from(self.rows.len()).unwrap_or(0)).collect();
                order.sort_by(|&a, &b| {
                    super::query::compare_values(
                        self.rows[a as usize].get(field),
                        self.rows[b as usize].get(field),
                    )
                });
                Arc::new(order)
            })
            .clone()
    }
}

/// The whole generated world, shared by every fake node.
pub struct Dataset {
    pub scale: Scale,
    pub specs: Vec<TokenSpec>,
    by_symbol: HashMap<String, usize>,
    tokens: Arc<Partition>,
    metrics: Arc<Partition>,
    balances: Vec<OnceLock<Arc<Partition>>>,
    buy_books: Vec<OnceLock<Arc<Partition>>>,
    sell_books: Vec<OnceLock<Arc<Partition>>>,
    trades: Vec<OnceLock<Arc<Partition>>>,
    history: Vec<OnceLock<Arc<Vec<Value>>>>,
}

const FIXED: &[&str] = &[
    "BEE",
    "SWAP.HIVE",
    "LEO",
    "DEC",
    "SPS",
    "BUDS",
    "POB",
    "STARBITS",
    "ARCHON",
    "CTP",
    "EVIL",
    "WIDE",
    "BADMETA",
    "LONGDESC",
    "NOMKT",
    "NOTRADE",
    "NEWTOK",
    "PRECUP",
];

impl Dataset {
    pub fn generate(scale: Scale) -> Self {
        let specs = token_specs(&scale);
        let by_symbol = specs.iter().map(|s| (s.symbol.clone(), s.index)).collect();
        let tokens = specs.iter().map(|s| token_row(&scale, s)).collect();
        let metrics = specs
            .iter()
            .filter(|s| s.has_market)
            .map(|s| metrics_row(&scale, s))
            .collect();
        let n = specs.len();
        Self {
            balances: lazy(n),
            buy_books: lazy(n),
            sell_books: lazy(n),
            trades: lazy(n),
            history: lazy(n),
            tokens: Arc::new(Partition::new(tokens)),
            metrics: Arc::new(Partition::new(metrics)),
            scale,
            specs,
            by_symbol,
        }
    }

    pub fn spec(&self, symbol: &str) -> Option<&TokenSpec> {
        self.by_symbol.get(symbol).map(|&i| &self.specs[i])
    }

    /// Partitions of `table` that can hold rows for `symbol` (all of them when `None`).
    pub fn partitions(&self, table: &str, symbol: Option<&str>) -> Option<Vec<Arc<Partition>>> {
        let per_token: &[OnceLock<Arc<Partition>>] = match table {
            "tokens_tokens" => return Some(vec![self.tokens.clone()]),
            "market_metrics" => return Some(vec![self.metrics.clone()]),
            "tokens_balances" => &self.balances,
            "market_buyBook" => &self.buy_books,
            "market_sellBook" => &self.sell_books,
            "market_tradesHistory" => &self.trades,
            _ => return None,
        };
        let build = |spec: &TokenSpec| -> Arc<Partition> {
            per_token[spec.index]
                .get_or_init(|| {
                    let rows = match table {
                        "tokens_balances" => balance_rows(&self.scale, spec),
                        "market_buyBook" => order_rows(&self.scale, spec, true),
                        "market_sellBook" => order_rows(&self.scale, spec, false),
                        _ => trade_rows(&self.scale, spec),
                    };
                    Arc::new(Partition::new(rows))
                })
                .clone()
        };
        Some(match symbol {
            Some(sym) => self.spec(sym).map(build).into_iter().collect(),
            None => self.specs.iter().map(build).collect(),
        })
    }

    /// Daily market history rows of `symbol`, oldest first.
    pub fn history(&self, symbol: &str) -> Arc<Vec<Value>> {
        match self.spec(symbol) {
            Some(spec) => self.history[spec.index]
                .get_or_init(|| Arc::new(history_rows(&self.scale, spec)))
                .clone(),
            None => Arc::new(Vec::new()),
        }
    }
}

fn lazy<T>(n: usize) -> Vec<OnceLock<T>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

fn token_specs(scale: &Scale) -> Vec<TokenSpec> {
    let mut symbols: Vec<String> = FIXED
        .iter()
        .take(scale.tokens)
        .map(|s| (*s).to_owned())
        .collect();
    let mut n = 26 * 26 * 26;
    while symbols.len() < scale.tokens {
        let sym = bijective_letters(n);
        n += 7;
        if !FIXED.contains(&sym.as_str()) {
            symbols.push(sym);
        }
    }
    symbols
        .into_iter()
        .enumerate()
        .map(|(index, symbol)| {
            let mut rng = Rng::new(scale.seed, &symbol, 0);
            let holders = match symbol.as_str() {
                "NEWTOK" => 0,
                _ if index == 0 => scale.max_holders,
                _ => {
                    let f = (scale.max_holders as f64) / ((index + 1) as f64).powf(1.1);
                    (f as usize)
                        .max(3 + rng.below(20) as usize)
                        .min(scale.max_holders)
                }
            };
            let has_market = !matches!(symbol.as_str(), "NOMKT" | "NEWTOK") && rng.below(10) < 8;
            let trades = match symbol.as_str() {
                "NOTRADE" => 0,
                "BEE" => 1_200,
                _ if has_market => rng.below(40) as usize,
                _ => 0,
            };
            let orders = if symbol == "BEE" {
                1_500
            } else if has_market {
                rng.below(60) as usize
            } else {
                0
            };
            let precision = match symbol.as_str() {
                "BEE" | "SWAP.HIVE" | "PRECUP" => 8,
                "LEO" | "DEC" | "SPS" => 3,
                _ => rng.below(9) as u32,
            };
            TokenSpec {
                index,
                precision,
                holders,
                has_market: has_market || symbol == "BEE",
                trades,
                orders,
                price_units: 1 + rng.below(5_000_000) as i64,
                old_precision: (symbol == "PRECUP").then_some(3),
                symbol,
            }
        })
        .collect()
}

fn bijective_letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
        n -= 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Formats `units` (an integer count of 10^-precision) as the node does with `toFixed`.
pub fn fixed(units: i128, precision: u32) -> String {
    if precision == 0 {
        return units.to_string();
    }
    let scale = 10_i128.pow(precision);
    let sign = if units < 0 { "-" } else { "" };
    let u = units.abs();
    format!(
        "{sign}{}.{:0width$}",
        u / scale,
        u % scale,
        width = precision as usize
    )
}

pub fn account_name(token: &str, i: usize, seed: u64) -> String {
    const SYLLABLES: &[&str] = &[
        "al", "be", "ca", "da", "el", "fa", "go", "ha", "il", "jo", "ka", "lu", "ma", "ne", "ol",
        "pa", "qu", "ra", "sa", "ta", "ul", "vi", "wa", "xe", "yo", "ze", "st", "mi", "sh", "cr",
    ];
    let mut rng = Rng::new(seed, token, i as u64 + 1);
    let mut name = String::new();
    for _ in 0..2 {
        name.push_str(SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize]);
    }
    name.push_str(&radix36(i));
    name
}

fn radix36(mut n: usize) -> String {
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = vec![digits[n % 36]];
    n /= 36;
    while n > 0 {
        out.push(digits[n % 36]);
        n /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Units held by holder `rank` (0 = biggest whale): a long-tailed distribution.
fn holding_units(scale: &Scale, spec: &TokenSpec, rank: usize) -> i128 {
    let mut rng = Rng::new(scale.seed, &spec.symbol, 1_000_000 + rank as u64);
    let whole = 5_000_000.0 / ((rank + 1) as f64).powf(1.15) * (0.5 + rng.unit());
    let units = whole * 10_f64.powi(spec.precision as i32);
    (units as i128).max(1)
}

fn burned_units(scale: &Scale, spec: &TokenSpec) -> i128 {
    if spec.index.is_multiple_of(2) && spec.holders > 0 {
        holding_units(scale, spec, 3) / 2
    } else {
        0
    }
}

fn supply_units(scale: &Scale, spec: &TokenSpec) -> i128 {
    (0..spec.holders)
        .map(|r| holding_units(scale, spec, r))
        .sum::<i128>()
        + burned_units(scale, spec)
}

fn metadata(symbol: &str) -> String {
    let long = "x".repeat(900);
    match symbol {
        "EVIL" => json!({"url": "https://evil.example/\u{1b}]8;;http://x\u{7}", "icon": "javascript:alert(1)",
            "desc": "=cmd|' /C calc'!A0 \u{1b}[31mRED\u{1b}[0m \u{1b}[2J cleared \r\n\t\u{7}bell\u{0}"})
        .to_string(),
        "WIDE" => json!({"url": "https://wide.example", "desc": "全角テキスト 🚀🚀 مرحبا بالعالم \u{202e}desrever"}).to_string(),
        "BADMETA" => "{\"url\": \"https://bad.example\", \"desc\": \"unterminated".to_owned(),
        "LONGDESC" => json!({"url": "https://long.example", "desc": long}).to_string(),
        _ => json!({"url": format!("https://{}.example", symbol.to_lowercase()), "icon": "",
            "desc": format!("The {symbol} token.")})
        .to_string(),
    }
}

fn token_row(scale: &Scale, spec: &TokenSpec) -> Value {
    let p = spec.precision;
    let supply = supply_units(scale, spec);
    let circulating = supply - burned_units(scale, spec);
    let max_supply = if spec.symbol == "BEE" {
        "9007199254740991.00000000".to_owned()
    } else {
        fixed(supply.max(1) * 10, p)
    };
    let staking = spec.index % 3 != 2;
    let mut row = json!({
        "_id": spec.index + 1,
        "issuer": if spec.index == 0 { "null".to_owned() } else { account_name("issuer", spec.index, scale.seed) },
        "symbol": spec.symbol,
        "name": token_name(&spec.symbol),
        "metadata": metadata(&spec.symbol),
        "precision": p,
        "maxSupply": max_supply,
        "supply": fixed(supply, p),
        "circulatingSupply": fixed(circulating, p),
        "stakingEnabled": staking,
        "unstakingCooldown": if staking { 1 + spec.index % 40 } else { 1 },
        "delegationEnabled": staking && spec.index.is_multiple_of(2),
        "undelegationCooldown": if staking { 7 } else { 0 },
    });
    if staking {
        row["numberTransactions"] = json!(4);
        row["totalStaked"] = json!(fixed(supply / 3, p));
    }
    row
}

fn token_name(symbol: &str) -> String {
    match symbol {
        "BEE" => "Hive Engine Token".to_owned(),
        "SWAP.HIVE" => "HIVE Pegged".to_owned(),
        "LEO" => "LeoFinance".to_owned(),
        _ => {
            let lower = symbol.replace('.', " ").to_lowercase();
            let mut c = lower.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
                + " Token"
        }
    }
}

fn balance_rows(scale: &Scale, spec: &TokenSpec) -> Vec<Value> {
    let h = spec.holders;
    let p = spec.precision;
    let base_id = (spec.index as i64 + 1) * BALANCE_ID_STRIDE;
    let mut rows = Vec::with_capacity(h + 1);
    // A permutation so that `_id` order is neither account nor amount order.
    let step = (1..)
        .map(|k| 7919 * k + 1)
        .find(|s| gcd(*s, h.max(1)) == 1)
        .unwrap_or(1);
    for i in 0..h {
        let rank = (i * step + 13) % h;
        let units = holding_units(scale, spec, rank);
        let mut rng = Rng::new(scale.seed, &spec.symbol, 5_000_000 + rank as u64);
        let precision_of_row = match spec.old_precision {
            Some(old) if i % 2 == 0 => old,
            _ => p,
        };
        let row_units = if precision_of_row < p {
            let f = 10_i128.pow(p - precision_of_row);
            (units / f) * f
        } else {
            units
        };
        let shown = |u: i128| fixed(u / 10_i128.pow(p - precision_of_row), precision_of_row);
        let id = base_id + i as i64;
        let account = account_name(&spec.symbol, rank, scale.seed);
        let mut row = json!({"_id": id, "account": account, "symbol": spec.symbol});
        match rng.below(20) {
            // A brand-new row: nothing held yet.
            0 => {
                row["balance"] = json!("0");
                for f in [
                    "stake",
                    "pendingUnstake",
                    "delegationsIn",
                    "delegationsOut",
                    "pendingUndelegations",
                ] {
                    row[f] = json!("0");
                }
                rows.push(row);
                continue;
            }
            // An old row from before staking: no stake fields at all.
            1 | 2 => {
                row["balance"] = json!(shown(row_units));
                rows.push(row);
                continue;
            }
            _ => {}
        }
        let staked = if spec.index % 3 != 2 {
            row_units * i128::from(rng.below(90)) / 100
        } else {
            0
        };
        let delegated_out = if rng.below(5) == 0 { staked / 4 } else { 0 };
        let pending_unstake = if rng.below(8) == 0 { staked / 10 } else { 0 };
        let delegations_in = if rng.below(10) == 0 { row_units / 5 } else { 0 };
        row["balance"] = json!(shown(row_units - staked));
        row["stake"] = json!(shown(staked - delegated_out));
        row["pendingUnstake"] = json!(shown(pending_unstake));
        row["delegationsIn"] = json!(shown(delegations_in));
        row["delegationsOut"] = json!(shown(delegated_out));
        row["pendingUndelegations"] = json!(shown(0));
        rows.push(row);
    }
    let burned = burned_units(scale, spec);
    if burned > 0 {
        rows.push(
            json!({"_id": base_id + h as i64, "account": "null", "symbol": spec.symbol,
            "balance": fixed(burned, p), "stake": fixed(0, p), "pendingUnstake": "0",
            "delegationsIn": "0", "delegationsOut": "0", "pendingUndelegations": "0"}),
        );
    }
    rows
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn metrics_row(scale: &Scale, spec: &TokenSpec) -> Value {
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

fn order_rows(scale: &Scale, spec: &TokenSpec, buy: bool) -> Vec<Value> {
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
                "timestamp": ts, "account": account_name(&spec.symbol, rng.below(500) as usize, scale.seed),
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

fn trade_rows(scale: &Scale, spec: &TokenSpec) -> Vec<Value> {
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
                "buyer": account_name(&spec.symbol, rng.below(300) as usize, scale.seed),
                "seller": account_name(&spec.symbol, rng.below(300) as usize + 1, scale.seed),
                "symbol": spec.symbol, "quantity": fixed(qty, spec.precision),
                "price": fixed(price.max(1), 8), "timestamp": ts, "volume": fixed(volume, 8),
                "buyTxId": format!("{:x}", rng.next()), "sellTxId": format!("{:x}", rng.next()),
            })
        })
        .collect()
}

fn history_rows(scale: &Scale, spec: &TokenSpec) -> Vec<Value> {
    if !spec.has_market {
        return Vec::new();
    }
    let today = scale.now.div_euclid(DAY) * DAY;
    let days = if spec.index == 0 {
        scale.history_days
    } else {
        scale.history_days / (1 + spec.index % 4)
    };
    let mut rng = Rng::new(scale.seed, &spec.symbol, 50_000_000);
    // Walk backwards from today's last price, so the chart ends where the metrics are.
    let mut walk = vec![spec.price_units as f64];
    for _ in 1..days {
        let prev = *walk.last().unwrap_or(&1.0);
        walk.push((prev / (1.0 + (rng.unit() - 0.5) * 0.1)).max(1.0));
    }
    walk.reverse();
    let mut price = walk.first().copied().unwrap_or(1.0);
    let mut rows = Vec::new();
    for (k, d) in (0..days).rev().enumerate() {
        let open = price;
        let close = walk[k];
        price = close;
        // About one day in seven has no order-book trade: it is simply absent.
        if rng.below(7) == 0 {
            continue;
        }
        let high = open.max(close) * (1.0 + rng.unit() * 0.03);
        let low = (open.min(close) * (1.0 - rng.unit() * 0.03)).max(1.0);
        let vol_token = 1 + i128::from(rng.below(10_000_000)) * 10_i128.pow(spec.precision) / 100;
        let vol_hive = vol_token * close as i128 / 10_i128.pow(spec.precision);
        rows.push(json!({
            "_id": format!("{:024x}", (u128::from(rng.next()) << 32) ^ d as u128),
            "timestamp": today - d as i64 * DAY, "symbol": spec.symbol,
            "volumeHive": fixed(vol_hive, 8), "volumeToken": fixed(vol_token, spec.precision),
            "lowestPrice": fixed(low as i128, 8), "highestPrice": fixed(high as i128, 8),
            "openPrice": fixed(open as i128, 8), "closePrice": fixed(close as i128, 8),
        }));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_formats_like_to_fixed() {
        assert_eq!(fixed(123_456, 3), "123.456");
        assert_eq!(fixed(5, 0), "5");
        assert_eq!(fixed(5, 3), "0.005");
    }
}
