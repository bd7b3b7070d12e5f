//! The order book and the last day's trades: every number whole, each column as wide as its
//! widest value, columns dropped by priority when the pane narrows, and a pane too narrow for
//! its first columns says so instead of showing fragments.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Row, Table};

use super::super::table::aligned;
use super::super::theme::Theme;
use super::{pane_block, waiting};
use crate::app::{App, Pane};
use crate::cache::{Key, Payload};
use crate::format::{fixed, utc_date, utc_time};
use crate::model::{Amount, DAY_SECS, Order, Side, Timestamp};
use crate::sanitize::for_terminal;
use crate::ui::centered;

/// HIVE amounts (prices, depth, volume) have 8 decimals on chain; shown so, whole.
const HIVE_DP: u32 = 8;

/// The columns kept, in table order, with their widths: each as wide as its widest cell, taken
/// by `priority` while they fit. Empty when not even the first fits.
fn whole_columns(
    width: u16,
    titles: &[&str],
    rows: &[Vec<String>],
    priority: &[usize],
) -> Vec<(usize, u16)> {
    let widest = |c: usize| {
        rows.iter()
            .map(|r| r[c].chars().count())
            .chain(std::iter::once(titles[c].chars().count()))
            .max()
            .unwrap_or(0)
    };
    let by_priority: Vec<(usize, u16)> = priority
        .iter()
        .map(|&c| (c, u16::try_from(widest(c)).unwrap_or(u16::MAX)))
        .collect();
    // The buyer never takes the place of the HIVE amount. A space follows each column but the
    // last, which needs none.
    let kept = crate::table::fit_strictly(width.saturating_add(1), &by_priority, |c| *c);
    if kept.iter().any(|(c, _)| *c == priority[0]) {
        kept
    } else {
        Vec::new()
    }
}

/// Draws `rows` of text under `titles` in the columns `whole_columns` keeps; numbers are
/// right-aligned, the `text_columns` left.
fn draw_whole(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    (titles, rows): (&[&str], &[Vec<String>]),
    (priority, text_columns): (&[usize], &[usize]),
    selected: Option<usize>,
) {
    let kept = whole_columns(area.width, titles, rows, priority);
    if kept.is_empty() {
        return centered(
            frame,
            area,
            "Too narrow to show whole numbers; widen the terminal.".into(),
            theme.dim,
        );
    }
    let numeric = |c: usize| !text_columns.contains(&c);
    let header = Row::new(
        kept.iter()
            .map(|&(c, _)| aligned(titles[c].to_owned(), numeric(c))),
    )
    .style(theme.header);
    let body = rows.iter().enumerate().map(|(i, r)| {
        let row = Row::new(kept.iter().map(|&(c, _)| aligned(r[c].clone(), numeric(c))));
        if selected == Some(i) {
            row.style(theme.selected)
        } else {
            row
        }
    });
    let widths: Vec<Constraint> = kept.iter().map(|&(_, w)| Constraint::Length(w)).collect();
    frame.render_widget(
        Table::new(body, widths).header(header).column_spacing(1),
        area,
    );
}

/// The token's precision for quantities, from its facts when they are loaded.
fn precision(app: &App, symbol: &str) -> u32 {
    match app.slots.payload(&Key::Token(symbol.to_owned())) {
        Some(Payload::Token(t)) => t.precision,
        _ => HIVE_DP,
    }
}

/// Draws `pane`'s frame titled `title` and returns its inside with `key`'s data, or says
/// inside that `what` is not there yet (or why).
fn framed<'a>(
    frame: &mut Frame,
    (app, theme): (&'a App, &Theme),
    (area, pane, title): (Rect, Pane, &str),
    (key, what): (&Key, &str),
) -> Option<(Rect, &'a Payload)> {
    let block = pane_block(
        format!(" {title} "),
        (app, key),
        app.market.pane == pane,
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let payload = app.slots.payload(key);
    if payload.is_none() {
        waiting(frame, app, theme, inner, key, what);
    }
    payload.map(|p| (inner, p))
}

pub fn render_book(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, symbol: &str) {
    let key = Key::Book(symbol.to_owned());
    let Some((inner, Payload::Book(book))) = framed(
        frame,
        (app, theme),
        (area, Pane::Book, "Order book"),
        (&key, "order book"),
    ) else {
        return;
    };
    let depth = book.bids.len().max(book.asks.len());
    if depth == 0 {
        return centered(frame, inner, "No open orders.".into(), theme.dim);
    }
    let cumulative = |orders: &[Order]| -> Vec<Amount> {
        orders
            .iter()
            .scan(Amount::ZERO, |sum, o| {
                *sum = *sum + o.price * o.quantity;
                Some(*sum)
            })
            .collect()
    };
    let (bid_cum, ask_cum) = (cumulative(&book.bids), cumulative(&book.asks));
    let p = precision(app, symbol);
    let shown = usize::from(inner.height.saturating_sub(1));
    let rows: Vec<Vec<String>> = (app.market.book_scroll.pos..depth)
        .take(shown)
        .map(|i| {
            let side = |orders: &[Order], cum: &[Amount]| match orders.get(i) {
                Some(o) => [
                    fixed(cum[i], HIVE_DP),
                    fixed(o.quantity, p),
                    fixed(o.price, HIVE_DP),
                ],
                None => [String::new(), String::new(), String::new()],
            };
            let [bc, bq, bp] = side(&book.bids, &bid_cum);
            let [ac, aq, ap] = side(&book.asks, &ask_cum);
            vec![bc, bq, bp, ap, aq, ac]
        })
        .collect();
    let titles = [
        "Depth HIVE",
        "Quantity",
        "Bid",
        "Ask",
        "Quantity",
        "Depth HIVE",
    ];
    // Prices first, then the quantities beside them, then the depth.
    draw_whole(
        frame,
        inner,
        theme,
        (&titles, &rows),
        (&[2, 3, 1, 4, 0, 5], &[]),
        None,
    );
}

/// A trade's time: the clock for one of the last 24 hours (the list is newest first, so one
/// from yesterday reads as such below midnight's), the date and minute for an older one.
fn when(ts: Timestamp, now: Timestamp) -> String {
    if now - ts < DAY_SECS {
        utc_time(ts)
    } else {
        format!("{} {}", &utc_date(ts)[5..], &utc_time(ts)[..5])
    }
}

pub fn render_trades(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, symbol: &str) {
    let key = Key::Trades(symbol.to_owned());
    let Some((inner, Payload::Trades(trades))) = framed(
        frame,
        (app, theme),
        (area, Pane::Trades, "Trades, newest first"),
        (&key, "trades"),
    ) else {
        return;
    };
    if trades.is_empty() {
        return centered(
            frame,
            inner,
            "No trades in the last 24 hours.".into(),
            theme.dim,
        );
    }
    let p = precision(app, symbol);
    let shown = usize::from(inner.height.saturating_sub(1));
    let rows: Vec<Vec<String>> = trades
        .iter()
        .rev()
        .skip(app.market.trades.offset)
        .take(shown)
        .map(|t| {
            let side = if t.side == Side::Buy { "buy" } else { "sell" };
            vec![
                when(t.timestamp, app.now),
                side.to_owned(),
                fixed(t.price, HIVE_DP),
                fixed(t.quantity, p),
                fixed(t.volume, HIVE_DP),
                for_terminal(&t.buyer).into_owned(),
                for_terminal(&t.seller).into_owned(),
            ]
        })
        .collect();
    let titles = [
        "Time UTC", "Side", "Price", "Quantity", "HIVE", "Buyer", "Seller",
    ];
    // The selected trade is the one Enter (buyer) and S (seller) open, while the pane has focus.
    let focused = (app.market.pane == Pane::Trades).then(|| {
        app.market
            .trades
            .selected
            .saturating_sub(app.market.trades.offset)
    });
    draw_whole(
        frame,
        inner,
        theme,
        (&titles, &rows),
        (&[2, 0, 3, 1, 4, 5, 6], &[0, 1, 5, 6]),
        focused,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_whole_or_absent() {
        let titles = ["A", "Price", "Quantity"];
        let rows = vec![vec![
            "x".to_owned(),
            "0.01587664".to_owned(),
            "620.5000".to_owned(),
        ]];
        let all = whole_columns(40, &titles, &rows, &[1, 2, 0]);
        assert_eq!(all, vec![(0, 1), (1, 10), (2, 8)]);
        let narrow = whole_columns(19, &titles, &rows, &[1, 2, 0]);
        assert_eq!(
            narrow,
            vec![(1, 10), (2, 8)],
            "the last by priority goes first"
        );
        assert!(
            whole_columns(9, &titles, &rows, &[1, 2, 0]).is_empty(),
            "not even the price"
        );
    }

    #[test]
    fn older_trades_carry_their_date() {
        let now = 1_767_225_600 + 20 * 3600;
        assert_eq!(when(now - 60, now), "19:59:00");
        assert_eq!(
            when(now - 22 * 3600, now),
            "22:00:00",
            "within the last 24 hours"
        );
        assert_eq!(when(now - 26 * 3600, now), "12-31 18:00");
    }
}
