//! The tokens table: only the visible rows are built, numbers right-aligned, dashes where a
//! token has no market, favorites marked.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::table::{draw_list, header, note_under_header};
use super::theme::Theme;
use super::{centered, status};
use crate::app::{App, SlotState, TokenRow};
use crate::cache::{Key, Payload};
use crate::format::{fixed, percent};

/// One format per column: prices exact (8 decimals on chain), HIVE totals to the hundredth.
const PRICE_DP: u32 = 8;
const HIVE_TOTAL_DP: u32 = 2;
use crate::layout::{self, TokenCell};
use crate::model::{HistoryRange, TokenColumn};

fn right(text: String) -> Cell<'static> {
    Cell::from(Line::from(text).alignment(Alignment::Right))
}

fn dash() -> Cell<'static> {
    right("–".to_owned())
}

/// A 7-day sparkline from the token's cached history, if any (asked for, and fetched at low
/// priority, as its row comes on screen).
fn spark(app: &App, symbol: &str) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let key = Key::History(symbol.to_owned(), HistoryRange::Month);
    let Some(Payload::History(candles)) = app.slots.payload(&key) else {
        return String::new();
    };
    let week: Vec<f64> = candles
        .iter()
        .rev()
        .take(7)
        .rev()
        .map(|c| c.close.to_f64_lossy())
        .collect();
    let (lo, hi) = week
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
    week.iter()
        .map(|&v| {
            let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
            BARS[((t * 7.0).round() as usize).min(7)]
        })
        .collect()
}

fn cell(app: &App, theme: &Theme, row: &TokenRow, c: TokenCell) -> Cell<'static> {
    let m = row.metrics.as_ref();
    match c {
        TokenCell::Favorite => Cell::from(if app.favorites.contains(&row.symbol) {
            "★"
        } else {
            " "
        }),
        TokenCell::Spark => Cell::from(spark(app, &row.symbol)),
        TokenCell::Data(col) => match col {
            TokenColumn::Symbol => Cell::from(row.symbol.clone()),
            TokenColumn::Name => Cell::from(row.name.clone()),
            TokenColumn::Supply => right(fixed(row.supply, row.precision)),
            TokenColumn::MarketCap => row
                .market_cap
                .map_or_else(dash, |c| right(fixed(c, HIVE_TOTAL_DP))),
            TokenColumn::Change => m.map_or_else(dash, |m| {
                let p = m.price_change_pct;
                let style = theme.change(p.0.is_sign_positive(), p.is_zero());
                Cell::from(Line::from(Span::styled(percent(p), style)).alignment(Alignment::Right))
            }),
            TokenColumn::Price => m.map_or_else(dash, |m| right(fixed(m.last_price, PRICE_DP))),
            TokenColumn::Volume => {
                m.map_or_else(dash, |m| right(fixed(m.volume_24h, HIVE_TOTAL_DP)))
            }
            TokenColumn::Bid => m.map_or_else(dash, |m| right(fixed(m.highest_bid, PRICE_DP))),
            TokenColumn::Ask => m.map_or_else(dash, |m| right(fixed(m.lowest_ask, PRICE_DP))),
        },
    }
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, body: Rect) {
    let view = &app.tokens;
    let table = body;
    if view.rows.is_empty() {
        let text = match app.slots.state(&Key::Tokens) {
            SlotState::Unknown => "Waiting for the token list…".to_owned(),
            s => status::body("Token list", &s, app.now, true).unwrap_or_default(),
        };
        centered(frame, table, text, theme.dim);
        return;
    }
    let columns = layout::token_columns(table.width);
    let head = Row::new(columns.iter().map(|(c, _)| match c {
        TokenCell::Favorite => Cell::from("★"),
        TokenCell::Spark => Cell::from("7d"),
        TokenCell::Data(d) => header(*d, &view.table),
    }))
    .style(theme.header);
    let widths = columns.iter().map(|(_, w)| *w);
    draw_list(
        frame,
        table,
        widths,
        head,
        &view.table.order,
        view.table.cursor,
        theme,
        |i| {
            Row::new(
                columns
                    .iter()
                    .map(|(c, _)| cell(app, theme, &view.rows[i as usize], *c)),
            )
        },
    );
    if view.table.is_empty() {
        let text = format!("No token matches {:?}", view.filter.input.value());
        note_under_header(frame, table, text, theme);
    }
}
