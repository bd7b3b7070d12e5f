//! The generated world every fake node serves: which tokens exist and how big each is, tables
//! as partitions built on first use, and the helpers the contracts' row builders share. The
//! rows themselves are built beside each contract (`tokens`, `market`, `marketpools`,
//! `history`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use crate::history::history_rows;
use crate::market::{metrics_row, order_rows, trade_rows};
use crate::marketpools::{PoolSpec, pool_row, pool_specs, position_rows};
use crate::rng::Rng;
use crate::tokens::{balance_rows, token_row};

pub const DAY: i64 = 86_400;

/// Scale knobs of the generated world.
#[derive(Clone, Debug)]
pub struct Scale {
    pub seed: u64,
    pub tokens: usize,
    pub max_holders: usize,
    pub history_days: usize,
    /// Liquidity pools (`marketpools.pools` rows).
    pub pools: usize,
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
            pools: 200,
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
    indexes: Mutex<HashMap<IndexKey, Arc<Vec<u32>>>>,
}

/// A field and a direction (`true` = descending).
type IndexKey = (String, bool);

impl Partition {
    pub fn new(rows: Vec<Value>) -> Self {
        Self {
            rows,
            indexes: Mutex::new(HashMap::new()),
        }
    }

    /// Row positions sorted by `field` (descending or not; ties by `_id` ascending, as the
    /// node appends `_id` to every sort), built once per direction.
    pub fn order_by(&self, field: &str, descending: bool) -> Arc<Vec<u32>> {
        let mut map = self.indexes.lock().expect("index lock");
        map.entry((field.to_owned(), descending))
            .or_insert_with(|| {
                let mut order: Vec<u32> =
                    (0..u32::try_from(self.rows.len()).unwrap_or(0)).collect();
                // `sort_by` is stable and rows are in `_id` order: ties keep `_id` ascending.
                order.sort_by(|&a, &b| {
                    let o = crate::query::compare_values(
                        self.rows[a as usize].get(field),
                        self.rows[b as usize].get(field),
                    );
                    if descending { o.reverse() } else { o }
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
    pub pool_specs: Vec<PoolSpec>,
    by_symbol: HashMap<String, usize>,
    by_pair: HashMap<String, usize>,
    tokens: Arc<Partition>,
    metrics: Arc<Partition>,
    pools: Arc<Partition>,
    positions: Vec<OnceLock<Arc<Partition>>>,
    balances: Vec<OnceLock<Arc<Partition>>>,
    buy_books: Vec<OnceLock<Arc<Partition>>>,
    sell_books: Vec<OnceLock<Arc<Partition>>>,
    trades: Vec<OnceLock<Arc<Partition>>>,
    history: Vec<OnceLock<Arc<Vec<Value>>>>,
    /// Every account holding a balance row, built on the first account lookup.
    accounts: OnceLock<std::collections::HashSet<String>>,
    /// Rounds of balance moves applied so far (`POST /admin/move`).
    round: std::sync::atomic::AtomicU64,
    /// Each token's balances after the latest round, with the round they are at.
    moved: Mutex<HashMap<usize, (u64, Arc<Partition>)>>,
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
        let pool_specs = pool_specs(&scale, &specs);
        let pools = pool_specs.iter().map(|p| pool_row(&scale, p)).collect();
        Self {
            by_pair: pool_specs.iter().map(|p| (p.pair(), p.index)).collect(),
            positions: lazy(pool_specs.len()),
            pools: Arc::new(Partition::new(pools)),
            pool_specs,
            balances: lazy(n),
            buy_books: lazy(n),
            sell_books: lazy(n),
            trades: lazy(n),
            history: lazy(n),
            accounts: OnceLock::new(),
            round: std::sync::atomic::AtomicU64::new(0),
            moved: Mutex::new(HashMap::new()),
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

    /// Whether `table` is kept a partition per token: there, every row of the partition a
    /// query's `symbol` picks holds that symbol.
    pub fn per_token(table: &str) -> bool {
        matches!(
            table,
            "tokens_balances" | "market_buyBook" | "market_sellBook" | "market_tradesHistory"
        )
    }

    /// Partitions of `table` that can hold rows matching `query`: the one of the token (or
    /// pool) the query names by equality, else all of them.
    pub fn partitions(
        &self,
        table: &str,
        query: &serde_json::Map<String, Value>,
    ) -> Option<Vec<Arc<Partition>>> {
        let named = |field: &str| query.get(field).and_then(Value::as_str);
        let symbol = named("symbol");
        let per_token: &[OnceLock<Arc<Partition>>] = match table {
            "tokens_tokens" => return Some(vec![self.tokens.clone()]),
            "market_metrics" => return Some(vec![self.metrics.clone()]),
            "marketpools_pools" => return Some(vec![self.pools.clone()]),
            "marketpools_liquidityPositions" => {
                return Some(self.position_partitions(named("tokenPair")));
            }
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
        let build = |spec: &TokenSpec| -> Arc<Partition> {
            if table == "tokens_balances" {
                self.balances_now(spec, build(spec))
            } else {
                build(spec)
            }
        };
        Some(match symbol {
            Some(sym) => self.spec(sym).map(build).into_iter().collect(),
            None => self.specs.iter().map(build).collect(),
        })
    }

    /// Moves balances once more: every later read sees one more round of trades.
    pub fn move_balances(&self) -> u64 {
        self.round.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }

    /// `spec`'s balances at the current round, from the generated ones.
    fn balances_now(&self, spec: &TokenSpec, base: Arc<Partition>) -> Arc<Partition> {
        let round = self.round.load(std::sync::atomic::Ordering::SeqCst);
        if round == 0 {
            return base;
        }
        let mut moved = self.moved.lock().expect("moves lock");
        let (mut at, mut part) = moved.get(&spec.index).cloned().unwrap_or((0, base));
        while at < round {
            at += 1;
            part = Arc::new(Partition::new(crate::moves::moved(
                &part.rows,
                spec,
                self.scale.seed,
                at,
            )));
        }
        moved.insert(spec.index, (at, part.clone()));
        part
    }

    /// Whether `account` has a balance row in any token (the history API knows only those).
    pub fn has_account(&self, account: &str) -> bool {
        self.accounts
            .get_or_init(|| {
                let all = self
                    .partitions("tokens_balances", &serde_json::Map::new())
                    .unwrap_or_default();
                all.iter()
                    .flat_map(|p| p.rows.iter())
                    .filter_map(|r| r["account"].as_str().map(str::to_owned))
                    .collect()
            })
            .contains(account)
    }

    /// The one partition of `table` holding the rows of token or pool `name` (tests read it).
    pub fn partition_of(&self, table: &str, name: &str) -> Option<Arc<Partition>> {
        let field = if table.starts_with("marketpools") {
            "tokenPair"
        } else {
            "symbol"
        };
        let query = serde_json::Map::from_iter([(field.to_owned(), Value::from(name))]);
        self.partitions(table, &query)?.into_iter().next()
    }

    fn position_partitions(&self, pair: Option<&str>) -> Vec<Arc<Partition>> {
        let build = |spec: &PoolSpec| -> Arc<Partition> {
            self.positions[spec.index]
                .get_or_init(|| Arc::new(Partition::new(position_rows(&self.scale, spec))))
                .clone()
        };
        match pair {
            Some(pair) => self
                .by_pair
                .get(pair)
                .map(|&i| build(&self.pool_specs[i]))
                .into_iter()
                .collect(),
            None => self.pool_specs.iter().map(build).collect(),
        }
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

/// Holders of these ranks are the same accounts in every token and every pool (whales hold
/// everything, which is what an account's wallet across tokens needs).
pub const SHARED_ACCOUNTS: usize = 20;

/// The holder of rank `rank` in the token or pool `label`: one of the shared accounts for the
/// first ranks, else an account of that token's own.
pub fn holder_name(label: &str, rank: usize, seed: u64) -> String {
    if rank < SHARED_ACCOUNTS {
        account_name("shared", rank, seed)
    } else {
        account_name(label, rank, seed)
    }
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
