//! What a new answer must hold against the cached copy: how long each list was (a walk that
//! ends much shorter has its end confirmed by another node), and what is refused outright.

use crate::cache::{Key, Payload};
use crate::model::{DAY_SECS, Side, Timestamp};

use super::RefreshError;

/// The rows each table's list held in `cached`, for a read of `key` again at `now`: only rows
/// still inside the read's window count (a day of trades).
pub(super) fn expected(key: &Key, cached: &Payload, now: Timestamp) -> Vec<(&'static str, usize)> {
    match (key, cached) {
        (Key::Tokens, Payload::Tokens(tokens)) => vec![("tokens", tokens.len())],
        (Key::Metrics, Payload::Metrics(metrics)) => vec![("metrics", metrics.len())],
        (Key::Book(_), Payload::Book(book)) => {
            vec![("buyBook", book.bids.len()), ("sellBook", book.asks.len())]
        }
        (Key::Trades(_), Payload::Trades(trades)) => {
            let recent = trades.iter().filter(|t| t.timestamp > now - DAY_SECS);
            vec![("tradesHistory", recent.count())]
        }
        (Key::Pools, Payload::Pools(pools)) => vec![("pools", pools.len())],
        (Key::Pool(_), Payload::Pool(pool)) => {
            vec![("liquidityPositions", pool.positions.len())]
        }
        (Key::Account(_), Payload::Account(account)) => {
            let buys = account.orders.iter().filter(|o| o.side == Side::Buy);
            let buys = buys.count();
            vec![
                ("balances", account.balances.len()),
                ("buyBook", buys),
                ("sellBook", account.orders.len() - buys),
                ("liquidityPositions", account.pools.len()),
            ]
        }
        _ => Vec::new(),
    }
}

/// Rows of a history API answer for `key` at `now` that a new answer must hold again: candles
/// still inside the range's window; every operation of a page.
fn history_rows(key: &Key, payload: &Payload, now: Timestamp) -> usize {
    match (key, payload) {
        (Key::History(_, range), Payload::History(candles)) => {
            let today = now.div_euclid(DAY_SECS) * DAY_SECS;
            let first_day = range
                .days()
                .map_or(Timestamp::MIN, |days| today - (days - 1) * DAY_SECS);
            candles.iter().filter(|c| c.day >= first_day).count()
        }
        _ => payload.rows(),
    }
}

/// Why `fresh`, a new answer for `key`, must not replace `cached`: the history API has one
/// source, so fewer rows than cached for the same window cannot be out-voted; a list that never
/// empties out (tokens, metrics, a richlist, pools) answered empty is not believed, however
/// many nodes agree.
pub(super) fn refused(
    key: &Key,
    (cached, fresh): (&Payload, &Payload),
    now: Timestamp,
) -> Option<RefreshError> {
    if key.has_one_source() {
        let (had, got) = (
            history_rows(key, cached, now),
            history_rows(key, fresh, now),
        );
        return (got < had).then_some(RefreshError::Shrunk { had, got });
    }
    let never_empty = matches!(
        key,
        Key::Tokens | Key::Metrics | Key::Richlist(_) | Key::Pools
    );
    let had = cached.rows();
    (never_empty && fresh.rows() == 0 && had > 0).then_some(RefreshError::Emptied { had })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Amount, Candle, HistoryRange, OrderBook, Trade};

    fn trade(timestamp: Timestamp) -> Trade {
        Trade {
            timestamp,
            side: Side::Buy,
            buyer: "a".into(),
            seller: "b".into(),
            quantity: Amount::ZERO,
            price: Amount::ZERO,
            volume: Amount::ZERO,
        }
    }

    fn candles(days: std::ops::RangeInclusive<i64>) -> Payload {
        let candle = |day| Candle {
            day,
            open: Amount::ZERO,
            high: Amount::ZERO,
            low: Amount::ZERO,
            close: Amount::ZERO,
            volume_hive: Amount::ZERO,
            volume_token: Amount::ZERO,
        };
        Payload::History(days.map(|d| candle(d * DAY_SECS)).collect())
    }

    #[test]
    fn each_list_is_expected_by_its_table_and_only_rows_in_the_window_count() {
        let now = 100 * DAY_SECS + 50;
        let trades = Payload::Trades(vec![trade(now - DAY_SECS - 1), trade(now - 10)]);
        let key = Key::Trades("BEE".into());
        assert_eq!(expected(&key, &trades, now), [("tradesHistory", 1)]);
        let book = Payload::Book(OrderBook {
            bids: Vec::new(),
            asks: Vec::new(),
        });
        let key = Key::Book("BEE".into());
        assert_eq!(
            expected(&key, &book, now),
            [("buyBook", 0), ("sellBook", 0)]
        );
    }

    #[test]
    fn the_history_api_may_not_shrink_a_window_and_old_days_do_not_count() {
        let now = 100 * DAY_SECS + 50;
        let week = Key::History("BEE".into(), HistoryRange::Week);
        let cached = candles(90..=100);
        assert_eq!(refused(&week, (&cached, &candles(94..=100)), now), None);
        assert_eq!(
            refused(&week, (&cached, &candles(95..=100)), now),
            Some(RefreshError::Shrunk { had: 7, got: 6 })
        );
        let all = Key::History("BEE".into(), HistoryRange::All);
        assert!(refused(&all, (&cached, &candles(94..=100)), now).is_some());
    }

    #[test]
    fn a_token_list_never_empties_out_but_a_book_may() {
        let tokens = Payload::Tokens(Vec::new());
        let had = Payload::Metrics(Vec::new());
        assert_eq!(
            refused(&Key::Tokens, (&had, &tokens), 0),
            None,
            "nothing cached"
        );
        let trades = Payload::Trades(vec![trade(0)]);
        let none = Payload::Trades(Vec::new());
        let key = Key::Trades("BEE".into());
        assert_eq!(refused(&key, (&trades, &none), 0), None);
        assert_eq!(
            refused(&Key::Pools, (&trades, &Payload::Pools(Vec::new())), 0),
            Some(RefreshError::Emptied { had: 1 })
        );
    }
}
