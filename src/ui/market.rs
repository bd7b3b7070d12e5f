//! The token market screen: facts, the chart with its range tabs and day cursor, the order book
//! with cumulative depth, and the last day's trades.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use super::chart::Chart;
use super::theme::Theme;
use super::{centered, status::describe};
use crate::app::{App, ChartMode, Pane};
use crate::cache::{Key, Payload};
use crate::format::{fit, fixed, percent, utc_date, utc_time};
use crate::layout;
use crate::model::{Amount, DAY_SECS, HistoryRange, Metrics, Side, Token, bars, chart_days};
use crate::sanitize::for_terminal;

fn pane_block<'a>(title: String, focused: bool, theme: &Theme) -> Block<'a> {
    let block = Block::bordered().title(title);
    if focused {
        block.border_style(theme.accent)
    } else {
        block.border_style(theme.dim)
    }
}

fn waiting(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, key: &Key, what: &str) {
    let text = describe(&app.slots.state(key), app.now)
        .map_or_else(|| format!("{what}…"), |s| format!("{what}: {s}"));
    centered(frame, area, text, theme.dim);
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, symbol: &str) {
    let panes = layout::market_panes(frame.area());
    render_facts(frame, app, theme, panes.facts, symbol);
    render_chart(frame, app, theme, panes.chart);
    render_book(frame, app, theme, panes.book, symbol);
    render_trades(frame, app, theme, panes.trades, symbol);
}

fn metrics<'a>(app: &'a App, symbol: &str) -> Option<&'a Metrics> {
    match app.slots.payload(&Key::Metrics) {
        Some(Payload::Metrics(m)) => m.iter().find(|m| m.symbol == symbol),
        _ => None,
    }
}

fn fact_lines<'a>(t: &Token, m: Option<&Metrics>, theme: &Theme) -> Vec<Line<'a>> {
    let p = t.precision;
    let kv = |k: &str, v: String| {
        Line::from(vec![
            Span::styled(format!("{k:<12}"), theme.dim),
            Span::raw(v),
        ])
    };
    let mut lines = vec![
        Line::from(Span::styled(
            for_terminal(&t.name).into_owned(),
            theme.header,
        )),
        kv("Issuer", for_terminal(&t.issuer).into_owned()),
        kv("Supply", fixed(t.supply, p)),
        kv("Circulating", fixed(t.circulating_supply, p)),
        kv("Burned", fixed(t.supply - t.circulating_supply, p)),
        kv("Max supply", fixed(t.max_supply, p)),
        kv("Precision", p.to_string()),
        kv(
            "Staking",
            if t.staking_enabled {
                format!("yes, {}d unstake", t.unstaking_cooldown_days)
            } else {
                "no".into()
            },
        ),
        kv(
            "Delegation",
            if t.delegation_enabled {
                format!("yes, {}d undelegate", t.undelegation_cooldown_days)
            } else {
                "no".into()
            },
        ),
    ];
    match m {
        Some(m) => {
            let change = m.price_change_pct;
            lines.push(kv("Last price", fit(m.last_price)));
            lines.push(Line::from(vec![
                Span::styled(format!("{:<12}", "24h change"), theme.dim),
                Span::styled(
                    percent(change),
                    theme.change(change.0.is_sign_positive(), change.is_zero()),
                ),
            ]));
            lines.push(kv("Volume 24h", format!("{} HIVE", fit(m.volume_24h))));
        }
        None => lines.push(kv("Market", "no trades yet".into())),
    }
    lines.push(kv("URL", for_terminal(&t.metadata.url).into_owned()));
    lines.push(Line::from(for_terminal(&t.metadata.desc).into_owned()));
    lines
}

fn render_facts(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, symbol: &str) {
    let key = Key::Token(symbol.to_owned());
    let block = pane_block(format!(" {symbol} "), false, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match app.slots.payload(&key) {
        Some(Payload::Token(t)) => {
            let text = fact_lines(t, metrics(app, symbol), theme);
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
        }
        _ => waiting(frame, app, theme, inner, &key, "facts"),
    }
}

fn render_chart(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let m = &app.market;
    let tabs: Vec<Span> = HistoryRange::ALL
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let label = format!(" {}:{} ", i + 1, r.label());
            if *r == m.range {
                Span::styled(label, theme.selected)
            } else {
                Span::raw(label)
            }
        })
        .collect();
    let mode = if m.mode == ChartMode::Candles {
        "candles"
    } else {
        "line"
    };
    let mut title = vec![Span::raw(" Price (HIVE) ")];
    title.extend(tabs);
    title.push(Span::styled(format!(" {mode} "), theme.dim));
    let block = pane_block(String::new(), m.pane == Pane::Chart, theme).title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let key = app.market.history_key();
    let Some(Payload::History(candles)) = app.slots.payload(&key) else {
        return waiting(frame, app, theme, inner, &key, "history");
    };
    if candles.is_empty() {
        return centered(frame, inner, "No trades in this range.".into(), theme.dim);
    }
    let (first, today) = chart_days(m.range, app.now, candles);
    let (info, plot) = layout::chart_plot(inner);
    let bars = bars(candles, first, today, usize::from(plot.width));
    let cursor = bars.len().checked_sub(1 + m.cursor_back.pos);
    let text = match cursor.and_then(|c| bars[c].as_ref()) {
        Some(bar) => {
            let b = &bar.candle;
            let days = if bar.days > 1 {
                format!("{}+{}d", utc_date(b.day), bar.days - 1)
            } else {
                utc_date(b.day)
            };
            format!(
                "{days} O {} H {} L {} C {}\nvolume {} HIVE, {} {}",
                fit(b.open),
                fit(b.high),
                fit(b.low),
                fit(b.close),
                fit(b.volume_hive),
                fit(b.volume_token),
                m.symbol
            )
        }
        None => cursor.map_or_else(String::new, |c| {
            format!("{}: no trades", utc_date(first + c as i64 * DAY_SECS))
        }),
    };
    frame.render_widget(Paragraph::new(text).style(theme.accent), info);
    frame.render_widget(
        Chart {
            bars: &bars,
            cursor,
            mode: m.mode,
            theme,
        },
        plot,
    );
}

fn right(text: String) -> Cell<'static> {
    Cell::from(Line::from(text).alignment(Alignment::Right))
}

fn render_book(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, symbol: &str) {
    let key = Key::Book(symbol.to_owned());
    let block = pane_block(" Order book ".into(), app.market.pane == Pane::Book, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(Payload::Book(book)) = app.slots.payload(&key) else {
        return waiting(frame, app, theme, inner, &key, "order book");
    };
    let rows_shown = usize::from(inner.height.saturating_sub(1));
    let depth = book.bids.len().max(book.asks.len());
    let start = app.market.book_scroll.pos;
    let cumulative = |orders: &[crate::model::Order]| -> Vec<Amount> {
        orders
            .iter()
            .scan(Amount::ZERO, |sum, o| {
                *sum = *sum + o.price * o.quantity;
                Some(*sum)
            })
            .collect()
    };
    let (bid_cum, ask_cum) = (cumulative(&book.bids), cumulative(&book.asks));
    // Depth columns only where the pane is wide enough for six numbers.
    let wide = inner.width >= 70;
    let rows = (start..depth).take(rows_shown).map(|i| {
        let side = |orders: &[crate::model::Order], cum: &[Amount]| match orders.get(i) {
            Some(o) => (
                right(fit(cum[i])),
                right(fit(o.quantity)),
                right(fit(o.price)),
            ),
            None => (Cell::from(""), Cell::from(""), Cell::from("")),
        };
        let (bc, bq, bp) = side(&book.bids, &bid_cum);
        let (ac, aq, ap) = side(&book.asks, &ask_cum);
        if wide {
            Row::new(vec![
                bc,
                bq,
                bp.style(theme.up),
                ap.style(theme.down),
                aq,
                ac,
            ])
        } else {
            Row::new(vec![bq, bp.style(theme.up), ap.style(theme.down), aq])
        }
    });
    let titles: &[&str] = if wide {
        &[
            "Depth HIVE",
            "Quantity",
            "Bid",
            "Ask",
            "Quantity",
            "Depth HIVE",
        ]
    } else {
        &["Quantity", "Bid", "Ask", "Quantity"]
    };
    let header = Row::new(titles.iter().map(|h| right((*h).into()))).style(theme.header);
    let price = Constraint::Length(10);
    let widths: Vec<Constraint> = if wide {
        vec![
            Constraint::Fill(1),
            Constraint::Fill(1),
            price,
            price,
            Constraint::Fill(1),
            Constraint::Fill(1),
        ]
    } else {
        vec![Constraint::Fill(1), price, price, Constraint::Fill(1)]
    };
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        inner,
    );
    if depth == 0 {
        centered(frame, inner, "No open orders.".into(), theme.dim);
    }
}

fn render_trades(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, symbol: &str) {
    let key = Key::Trades(symbol.to_owned());
    let block = pane_block(
        " Trades, last 24h ".into(),
        app.market.pane == Pane::Trades,
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(Payload::Trades(trades)) = app.slots.payload(&key) else {
        return waiting(frame, app, theme, inner, &key, "trades");
    };
    if trades.is_empty() {
        return centered(
            frame,
            inner,
            "No trades in the last 24 hours.".into(),
            theme.dim,
        );
    }
    let rows_shown = usize::from(inner.height.saturating_sub(1));
    let start = app.market.trades_scroll.pos;
    let rows = trades.iter().rev().skip(start).take(rows_shown).map(|t| {
        let (side, style) = if t.side == Side::Buy {
            ("buy", theme.up)
        } else {
            ("sell", theme.down)
        };
        Row::new([
            Cell::from(utc_time(t.timestamp)),
            Cell::from(side).style(style),
            right(fit(t.price)),
            right(fit(t.quantity)),
            right(fit(t.volume)),
        ])
    });
    let header = Row::new([
        Cell::from("Time UTC"),
        Cell::from("Side"),
        right("Price".into()),
        right("Quantity".into()),
        right("HIVE".into()),
    ])
    .style(theme.header);
    let widths = [
        Constraint::Length(8),
        Constraint::Length(4),
        Constraint::Length(10),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ];
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        inner,
    );
}
