//! The token market screen: facts, the chart with its range tabs and day cursor, the order book
//! with cumulative depth, and the last day's trades.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

mod panes;

use super::chart::{Chart, volume_rows};
use super::theme::Theme;
use super::{centered, status};
use crate::app::{App, ChartMode, MarketView, Pane};
use crate::cache::{Key, Payload};
use crate::format::{fit, fixed, percent, utc_date};
use crate::layout;
use crate::model::{DAY_SECS, HistoryRange, Metrics, Token, bars, chart_days, days_per_bar};
use crate::sanitize::for_terminal;

/// A pane's frame: its title on top, and at the bottom, when its data is not fresh, how old it
/// is and, when its refresh fails, the reason in a few words.
pub(super) fn pane_block<'a>(
    title: impl Into<Line<'a>>,
    (app, key): (&App, &Key),
    focused: bool,
    theme: &Theme,
) -> Block<'a> {
    let mut block = Block::bordered().title(title);
    if let Some(words) = status::border(app, key) {
        block = block.title_bottom(Line::from(Span::styled(words, theme.warn)));
    }
    if focused {
        block.border_style(theme.accent)
    } else {
        block.border_style(theme.dim)
    }
}

/// Whole `items` laid out on at most `lines` lines of `width`, a space between; from the first
/// item that does not fit on, the rest are left out rather than cut (or shown out of context).
fn flow(items: &[String], width: usize, lines: usize) -> String {
    let mut out: Vec<String> = vec![String::new()];
    for item in items {
        let before = out.iter().map(String::len).sum::<usize>() + out.len();
        let len = item.chars().count();
        let last = out.last().map_or(0, |l| l.chars().count());
        if last > 0 && last + 1 + len <= width {
            if let Some(l) = out.last_mut() {
                l.push(' ');
                l.push_str(item);
            }
        } else if last == 0 && len <= width {
            if let Some(l) = out.last_mut() {
                l.push_str(item);
            }
        } else if out.len() < lines && len <= width {
            out.push(item.clone());
        }
        if out.iter().map(String::len).sum::<usize>() + out.len() == before {
            break;
        }
    }
    out.join("\n")
}

pub(super) fn waiting(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    area: Rect,
    key: &Key,
    what: &str,
) {
    let text = status::body(what, &app.slots.state(key), app.now, false)
        .unwrap_or_else(|| format!("{what}…"));
    centered(frame, area, text, theme.dim);
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, symbol: &str) {
    let panes = layout::market_panes(frame.area());
    render_facts(frame, app, theme, panes.facts, symbol);
    render_chart(frame, app, theme, panes.chart);
    panes::render_book(frame, app, theme, panes.book, symbol);
    panes::render_trades(frame, app, theme, panes.trades, symbol);
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
    // The market's figures first: a low pane shows the last price before the token's facts.
    let mut lines = vec![Line::from(Span::styled(
        for_terminal(&t.name).into_owned(),
        theme.header,
    ))];
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
    lines.extend([
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
    ]);
    lines.push(kv("URL", for_terminal(&t.metadata.url).into_owned()));
    lines.push(Line::from(for_terminal(&t.metadata.desc).into_owned()));
    lines
}

fn render_facts(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, symbol: &str) {
    let key = Key::Token(symbol.to_owned());
    let block = pane_block(
        format!(" {symbol} "),
        (app, &Key::Token(symbol.to_owned())),
        false,
        theme,
    );
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

/// The chart's title: the active range always, then the other ranges, the name and the mode
/// while each fits whole, shown in that usual order (name, ranges, mode).
fn chart_title(m: &MarketView, width: u16, theme: &Theme) -> Line<'static> {
    let name = Span::raw(" Price (HIVE) ");
    let tabs: Vec<(bool, Span)> = HistoryRange::ALL
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let label = format!(" {}:{} ", i + 1, r.label());
            if *r == m.range {
                (true, Span::styled(label, theme.selected))
            } else {
                (false, Span::raw(label))
            }
        })
        .collect();
    let mode = Span::styled(
        if m.mode == ChartMode::Candles {
            " candles "
        } else {
            " line "
        },
        theme.dim,
    );
    let others: usize = tabs.iter().filter(|t| !t.0).map(|t| t.1.width()).sum();
    let active: usize = tabs.iter().filter(|t| t.0).map(|t| t.1.width()).sum();
    let mut room = usize::from(width).saturating_sub(active);
    let mut fits = |wide: usize| {
        let kept = wide <= room;
        if kept {
            room -= wide;
        }
        kept
    };
    let (with_others, with_name, with_mode) =
        (fits(others), fits(name.width()), fits(mode.width()));
    let mut spans = Vec::new();
    if with_name {
        spans.push(name);
    }
    spans.extend(
        tabs.into_iter()
            .filter(|(on, _)| *on || with_others)
            .map(|(_, s)| s),
    );
    if with_mode {
        spans.push(mode);
    }
    Line::from(spans)
}

fn render_chart(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let m = &app.market;
    let title = chart_title(m, area.width.saturating_sub(2), theme);
    let block = pane_block(title, (app, &m.history_key()), m.pane == Pane::Chart, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let key = app.market.history_key();
    let Some(Payload::History(candles)) = app.slots.payload(&key) else {
        return waiting(frame, app, theme, inner, &key, "history");
    };
    if candles.is_empty() {
        return centered(frame, inner, "No trades in this range.".into(), theme.dim);
    }
    let (first, last) = chart_days(m.range, app.now, candles);
    let areas = layout::chart_areas(inner);
    let (info, plot) = (areas.info, areas.plot);
    let bars = bars(candles, first, last, usize::from(plot.width));
    let cursor = bars.len().checked_sub(1 + m.cursor_back.pos);
    let text = match cursor.and_then(|c| bars[c].as_ref()) {
        Some(bar) => {
            let b = &bar.candle;
            let days = if bar.days > 1 {
                format!("{}+{}d", utc_date(b.day), bar.days - 1)
            } else {
                utc_date(b.day)
            };
            let items = [
                days,
                format!("O {}", fit(b.open)),
                format!("H {}", fit(b.high)),
                format!("L {}", fit(b.low)),
                format!("C {}", fit(b.close)),
                format!("volume {} HIVE,", fit(b.volume_hive)),
                format!("{} {}", fit(b.volume_token), m.symbol),
            ];
            flow(&items, usize::from(info.width), usize::from(info.height))
        }
        None => cursor.map_or_else(String::new, |c| {
            let per = days_per_bar(first, last, usize::from(plot.width));
            format!("{}: no trades", utc_date(first + c as i64 * per * DAY_SECS))
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
    draw_axes(frame, &bars, (first, last), &areas, theme);
}

/// The price scale (the highest high at the top of the plot, the lowest low where prices end)
/// and the first and last day under it; a label that would not fit whole is left out.
fn draw_axes(
    frame: &mut Frame,
    bars: &[Option<crate::model::Bar>],
    (first, last): (i64, i64),
    areas: &layout::ChartAreas,
    theme: &Theme,
) {
    if areas.scale.width == 0 {
        return;
    }
    let present = || bars.iter().flatten().map(|b| &b.candle);
    let (Some(high), Some(low)) = (
        present().map(|c| c.high).max(),
        present().map(|c| c.low).min(),
    ) else {
        return;
    };
    // The chart keeps its bottom quarter for volume: prices end above it.
    let price_rows = areas.plot.height - volume_rows(areas.plot.height);
    let scale = usize::from(layout::PRICE_SCALE);
    for (price, row) in [(high, 0), (low, price_rows.saturating_sub(1))] {
        let label = fixed(price, 8);
        if label.chars().count() <= scale {
            let at = Rect {
                y: areas.scale.y + row,
                height: 1,
                width: layout::PRICE_SCALE,
                ..areas.scale
            };
            frame.render_widget(
                Paragraph::new(label)
                    .alignment(Alignment::Right)
                    .style(theme.dim),
                at,
            );
        }
    }
    let (from, to) = (utc_date(first), utc_date(last));
    if usize::from(areas.dates.width) > from.len() + to.len() {
        frame.render_widget(Paragraph::new(from).style(theme.dim), areas.dates);
        frame.render_widget(
            Paragraph::new(to)
                .alignment(Alignment::Right)
                .style(theme.dim),
            areas.dates,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::flow;

    #[test]
    fn items_flow_whole_onto_the_lines_there_are() {
        let items: Vec<String> = ["2026-11-24", "O 0.01524859", "H 0.01532325", "L 0.01400000"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(
            flow(&items, 40, 2),
            "2026-11-24 O 0.01524859 H 0.01532325\nL 0.01400000"
        );
        assert_eq!(
            flow(&items, 25, 1),
            "2026-11-24 O 0.01524859",
            "the rest left out whole"
        );
        let after_a_gap = ["volume 456.6053 HIVE,", "31,051 AAIO"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(
            flow(&after_a_gap, 15, 1),
            "",
            "nothing shown out of its context"
        );
    }
}
