//! Small hand-made data for unit and snapshot tests.

use std::sync::Arc;

use crate::cache::{Entry, Key, Meta, Payload, SCHEMA};
use crate::model::{
    Account, Amount, Balance, Candle, DAY_SECS, Holder, Locked, Metrics, OpenOrder, Operation,
    Order, OrderBook, Pool, PoolDetail, PoolShare, Position, Provenance, Richlist, Side, Token,
    TokenMetadata, Trade,
};
use crate::refresh::worker::Report;

/// 2026-11-22 12:00 UTC: every fixture's "now".
pub const NOW: i64 = 1_795_348_800;

pub fn a(s: &str) -> Amount {
    Amount::parse(s).unwrap_or_default()
}

pub fn token(symbol: &str, name: &str, precision: u32) -> Token {
    Token {
        symbol: symbol.into(),
        name: name.into(),
        issuer: "issuer".into(),
        precision,
        max_supply: a("1000000"),
        supply: a("500000"),
        circulating_supply: a("450000"),
        staking_enabled: true,
        unstaking_cooldown_days: 7,
        delegation_enabled: false,
        undelegation_cooldown_days: 0,
        total_staked: a("1000"),
        metadata: TokenMetadata {
            url: "https://x.example".into(),
            icon: String::new(),
            desc: "A token.".into(),
        },
    }
}

pub fn tokens() -> Vec<Token> {
    let mut evil = token("EVIL", "Evil \u{1b}[31mred\u{1b}[0m", 3);
    evil.metadata.desc = "=cmd|' /C calc'!A0 \u{1b}]8;;x\u{7}link".into();
    vec![
        token("BEE", "Hive Engine Token", 8),
        token("LEO", "LeoFinance", 3),
        evil,
        token("NOMKT", "No Market", 0),
    ]
}

pub fn metrics(symbol: &str, price: &str, change: &str, volume: &str) -> Metrics {
    Metrics {
        symbol: symbol.into(),
        last_price: a(price),
        lowest_ask: a(price) + a("0.001"),
        highest_bid: a(price) - a("0.001"),
        volume_24h: a(volume),
        price_change_pct: a(change),
        last_day_price: a(price),
    }
}

pub fn all_metrics() -> Vec<Metrics> {
    vec![
        metrics("BEE", "0.25", "3.77", "15000.5"),
        metrics("LEO", "0.055", "-10.89", "1523.4"),
        metrics("EVIL", "0.001", "0", "0"),
    ]
}

pub fn holder(account: &str, balance: &str, stake: &str) -> Holder {
    Holder::new(
        account,
        a(balance),
        a(stake),
        Locked {
            delegations_out: a("1"),
            ..Locked::default()
        },
    )
}

pub fn richlist(n: usize) -> Richlist {
    let holders = (0..n)
        .map(|i| {
            holder(
                &format!("acct{i:04}"),
                &format!("{}.5", (i * 37) % 1000),
                &format!("{}", (i * 53) % 700),
            )
        })
        .collect();
    Richlist {
        symbol: "BEE".into(),
        precision: 8,
        supply: a("500000"),
        circulating_supply: a("450000"),
        holders,
        burned: a("50000"),
    }
}

pub fn candles(days: i64) -> Vec<Candle> {
    let today = NOW.div_euclid(DAY_SECS) * DAY_SECS;
    (0..days)
        .filter(|d| d % 5 != 3)
        .map(|d| {
            let base = 100 + (d * 7) % 23;
            let p = |x: i64| a(&format!("0.{:04}", base + x));
            Candle {
                day: today - (days - 1 - d) * DAY_SECS,
                open: p(0),
                high: p(4),
                low: p(-3),
                close: p(if d % 2 == 0 { 2 } else { -2 }),
                volume_hive: a(&format!("{}", 10 + d % 9)),
                volume_token: a("100"),
            }
        })
        .collect()
}

pub fn book() -> OrderBook {
    let order = |account: &str, price: &str, qty: &str| Order {
        account: account.into(),
        quantity: a(qty),
        price: a(price),
        timestamp: NOW - 60,
    };
    OrderBook {
        bids: vec![
            order("bob", "0.2490", "100"),
            order("carol", "0.2480", "250.5"),
        ],
        asks: vec![
            order("dave", "0.2510", "40"),
            order("erin", "0.2600", "1000"),
        ],
    }
}

pub fn trades() -> Vec<Trade> {
    let trade = |t: i64, side, price: &str| Trade {
        timestamp: NOW - t,
        side,
        buyer: "bob".into(),
        seller: "dave".into(),
        quantity: a("10"),
        price: a(price),
        volume: a(price) * a("10"),
    };
    vec![
        trade(3600, Side::Buy, "0.25"),
        trade(600, Side::Sell, "0.249"),
    ]
}

pub fn pool(pair: &str, base: &str, quote: &str, shares: &str) -> Pool {
    Pool {
        pair: pair.into(),
        base_quantity: a(base),
        quote_quantity: a(quote),
        base_price: (a(quote).0.checked_div(a(base).0))
            .map_or(Amount::ZERO, |p| Amount(p).round_down(8)),
        quote_price: (a(base).0.checked_div(a(quote).0))
            .map_or(Amount::ZERO, |p| Amount(p).round_down(8)),
        base_volume: a(base) * a("37"),
        quote_volume: a(quote) * a("41"),
        total_shares: a(shares),
        precision: 8,
        creator: "maker".into(),
    }
}

/// A HIVE pool, a cross pool with market prices, a fresh pool, a pool of unknown tokens (no
/// worth) and one with hostile text in a token name.
pub fn pools() -> Vec<Pool> {
    vec![
        pool(
            "SWAP.HIVE:BEE",
            "274538.56796034",
            "2965308.18177309",
            "1841175.04887081846516654204",
        ),
        pool(
            "LEO:BEE",
            "26709.369",
            "3809645.75181320",
            "1805724.50723570679237586798",
        ),
        pool("SWAP.HIVE:NOMKT", "0", "0", "0"),
        pool("GHOST:PHANTOM", "120.5", "99", "109.2"),
        pool(
            "=EV\u{1b}[2JIL:SWAP.HIVE",
            "5000.000",
            "12.00000000",
            "244.94897427831780981973",
        ),
    ]
}

/// SWAP.HIVE:BEE with `n` providers whose shares fall off with their rank.
pub fn pool_detail(n: usize) -> PoolDetail {
    let positions: Vec<Position> = (0..n)
        .map(|i| Position {
            account: format!("lp{i:03}"),
            shares: a(&format!("{}.12345678901234567", 100_000 / (i + 1))),
            time_factor: 0,
        })
        .collect();
    let total: Amount = positions.iter().map(|p| p.shares).sum();
    let mut pool = pools().swap_remove(0);
    pool.total_shares = total;
    PoolDetail { pool, positions }
}

/// `name`'s wallet (a priced token, HIVE, a token without a market, a hostile one), an open
/// order on each side and a share of SWAP.HIVE:BEE.
pub fn account(name: &str) -> Account {
    let balance = |symbol: &str, balance: &str, stake: &str| Balance {
        symbol: symbol.into(),
        holder: holder(name, balance, stake),
    };
    let order = |symbol: &str, side, price: &str, quantity: &str| OpenOrder {
        symbol: symbol.into(),
        side,
        price: a(price),
        quantity: a(quantity),
        timestamp: NOW - 3_600,
        expiration: NOW + 20 * DAY_SECS,
    };
    Account {
        name: name.into(),
        balances: vec![
            balance("BEE", "1500.12345678", "250.00000000"),
            balance("SWAP.HIVE", "99.50000000", "0"),
            balance("NOMKT", "42", "0"),
            balance("EVIL", "1.000", "0.000"),
            balance("LEO", "0", "0"),
        ],
        orders: vec![
            order("BEE", Side::Buy, "0.24", "100.00000000"),
            order("LEO", Side::Sell, "0.06", "2500.500"),
        ],
        pools: vec![PoolShare {
            pair: "SWAP.HIVE:BEE".into(),
            shares: a("18411.7504887081846516654204"),
        }],
    }
}

/// `n` operations of `name`, newest first, an hour apart.
pub fn operations(name: &str, n: usize) -> Vec<Operation> {
    (0..n)
        .map(|i| Operation {
            timestamp: NOW - 3_600 * (i as i64 + 1),
            operation: ["tokens_transfer", "market_buy", "tokens_stake"][i % 3].into(),
            symbol: if i % 2 == 0 { "BEE" } else { "LEO" }.into(),
            quantity: Some(a(&format!("{}.5", 10 + i))),
            hive: (i % 3 == 1).then(|| a("2.50000000")),
            from: if i % 3 == 0 {
                name.into()
            } else {
                String::new()
            },
            to: if i % 3 == 0 {
                format!("friend{i}")
            } else {
                String::new()
            },
            memo: if i == 3 {
                "=cmd \u{1b}[31mred".into()
            } else {
                String::new()
            },
            transaction: format!("{i:040x}"),
        })
        .collect()
}

pub fn entry(payload: Payload, fetched_at: i64) -> Entry {
    let meta = Meta {
        schema: SCHEMA,
        generation: fetched_at as u64,
        chunks: 1,
        bytes: 1,
        fetched_at,
        provenance: Provenance {
            node: "https://api.example.com/rpc/".into(),
            block: Some(1),
        },
    };
    Entry {
        meta,
        payload: Arc::new(payload),
    }
}

/// Hands the app the fixture token list and metrics, fresh.
/// An app with the shipped keys and no data yet, `width`×`height` cells.
pub fn app(width: u16, height: u16) -> crate::app::App {
    let opts = crate::app::Options {
        export_dir: "/tmp/x".into(),
        ..crate::app::Options::default()
    };
    crate::app::App::new(opts, NOW, ratatui::layout::Rect::new(0, 0, width, height))
}

pub fn with_token_list(app: &mut crate::app::App) {
    use crate::app::Action;
    app.update(Action::Report(loaded(
        Key::Tokens,
        Payload::Tokens(tokens()),
        true,
    )));
    app.update(Action::Report(loaded(
        Key::Metrics,
        Payload::Metrics(all_metrics()),
        true,
    )));
}

/// Data fetched 30 s before `NOW`; fresh for another hour, or stale already.
pub fn loaded(key: Key, payload: Payload, fresh: bool) -> Report {
    Report::Loaded {
        key,
        entry: entry(payload, NOW - 30),
        fresh,
        fresh_until: if fresh { NOW + 3600 } else { NOW - 1 },
    }
}
