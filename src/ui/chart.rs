//! The daily price chart: candles or a connected line over volume bars, each bar given an equal
//! share of the plot's width (one day, or a group of days when the range is wider than the
//! plot), so every range fills the plot. A plot too low for candles shows a sparkline of the
//! closes. Days without trades stay empty.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::widgets::canvas::{Canvas, Line, Points};
use ratatui::widgets::{Sparkline, SparklineBar, Widget};

use super::theme::Theme;
use crate::app::ChartMode;
use crate::layout;
use crate::model::{Amount, Bar};

pub struct Chart<'a> {
    pub bars: &'a [Option<Bar>],
    pub cursor: Option<usize>,
    pub mode: ChartMode,
    pub theme: &'a Theme,
}

/// Rows of the plot kept for volume at the bottom; prices are drawn above them.
pub fn volume_rows(plot_height: u16) -> u16 {
    (plot_height / 4).max(1)
}

/// The columns of bar `i` of `n` across `width`: every bar an equal share (give or take one).
pub fn slot(i: usize, n: usize, width: u16) -> (u16, u16) {
    let at = |k: usize| u16::try_from(k * usize::from(width) / n.max(1)).unwrap_or(width);
    (at(i), at(i + 1))
}

/// Where bar `i`'s candle (and its volume) is drawn, as `(first column, columns)`: centred in its
/// slot, the same width for every bar, with about a third of the narrowest slot left as a gap.
pub fn body(i: usize, n: usize, width: u16) -> (u16, u16) {
    let narrowest = u16::try_from(usize::from(width) / n.max(1)).unwrap_or(width);
    let wide = if narrowest < 2 {
        1
    } else {
        narrowest - (narrowest / 3).max(1)
    };
    // From the slot's exact middle, so candles keep an even pace where slots differ by one.
    let middle = (2 * i + 1) * usize::from(width) / (2 * n.max(1));
    let start = u16::try_from(middle)
        .unwrap_or(width)
        .saturating_sub(wide / 2)
        .min(width.saturating_sub(wide));
    (start, wide)
}

const EIGHTHS: [char; 8] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇'];

/// The lowest low and highest high of the bars shown.
fn price_range(bars: &[Option<Bar>]) -> (f64, f64) {
    bars.iter()
        .flatten()
        .map(|b| &b.candle)
        .fold((f64::MAX, f64::MIN), |(l, h), b| {
            (l.min(b.low.to_f64_lossy()), h.max(b.high.to_f64_lossy()))
        })
}

impl Widget for Chart<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.is_empty() || self.bars.is_empty() {
            return;
        }
        if area.height < layout::CANDLE_ROWS {
            return self.sparkline(area, buf);
        }
        let prices = Rect {
            height: area.height - volume_rows(area.height),
            ..area
        };
        if self.mode == ChartMode::Line {
            self.line(prices, buf);
        }
        let (lo, hi) = price_range(self.bars);
        let span = if hi > lo { hi - lo } else { 1.0 };
        let last_row = f64::from(prices.height - 1);
        let row = |p: Amount| -> u16 {
            let t = (hi - p.to_f64_lossy()) / span;
            prices.y + (t * last_row).round().clamp(0.0, last_row) as u16
        };
        let vmax = self
            .bars
            .iter()
            .flatten()
            .map(|b| b.candle.volume_hive.to_f64_lossy())
            .fold(0.0, f64::max);
        let n = self.bars.len();
        for (i, bar) in self.bars.iter().enumerate() {
            let (x, wide) = body(i, n, area.width);
            let columns = (area.x + x)..(area.x + x + wide).min(area.right());
            if self.cursor == Some(i) {
                for x in columns.clone() {
                    for y in area.y..area.bottom() {
                        buf[(x, y)].set_style(self.theme.selected);
                    }
                }
            }
            let Some(Bar { candle: b, .. }) = bar else {
                continue;
            };
            let up = b.close >= b.open;
            let style = if up { self.theme.up } else { self.theme.down };
            if self.mode == ChartMode::Candles {
                for y in row(b.high)..=row(b.low) {
                    put(buf, columns.start + wide / 2, y, '│', style);
                }
                let (top, bottom) = (row(b.open.max(b.close)), row(b.open.min(b.close)));
                for x in columns.clone() {
                    for y in top..=bottom {
                        put(buf, x, y, if up { '█' } else { '░' }, style);
                    }
                }
            }
            if vmax > 0.0 {
                let rows = area.bottom() - prices.bottom();
                let eighths =
                    (b.volume_hive.to_f64_lossy() / vmax * f64::from(rows) * 8.0).round() as u16;
                for level in 0..rows {
                    let filled = eighths.saturating_sub(level * 8).min(8);
                    let c = if filled >= 8 {
                        '█'
                    } else {
                        EIGHTHS[usize::from(filled)]
                    };
                    if c != ' ' {
                        for x in columns.clone() {
                            put(buf, x, area.bottom() - 1 - level, c, self.theme.dim);
                        }
                    }
                }
            }
        }
    }
}

impl Chart<'_> {
    /// The closes joined by a line in braille dots, through each slot's middle; days without
    /// trades are crossed by the line from the close before them to the close after.
    fn line(&self, area: Rect, buf: &mut Buffer) {
        let (lo, hi) = price_range(self.bars);
        let (bottom, top) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, hi + 1.0)
        };
        let n = self.bars.len();
        let points: Vec<(f64, f64)> = self
            .bars
            .iter()
            .enumerate()
            .filter_map(|(i, bar)| {
                let (start, end) = slot(i, n, area.width);
                let x = f64::midpoint(f64::from(start), f64::from(end));
                bar.as_ref().map(|b| (x, b.candle.close.to_f64_lossy()))
            })
            .collect();
        let color = self.theme.accent.fg.unwrap_or(Color::Reset);
        Canvas::default()
            .marker(Marker::Braille)
            .x_bounds([0.0, f64::from(area.width)])
            .y_bounds([bottom, top])
            .paint(|ctx| {
                for pair in points.windows(2) {
                    let [(x1, y1), (x2, y2)] = [pair[0], pair[1]];
                    ctx.draw(&Line::new(x1, y1, x2, y2, color));
                }
                if let [only] = points.as_slice() {
                    ctx.draw(&Points::new(&[*only], color));
                }
            })
            .render(area, buf);
    }

    /// The closes as a sparkline, each bar's height its close between the lowest and the highest,
    /// across the whole width; the cursor's bar in the selection's style.
    fn sparkline(&self, area: Rect, buf: &mut Buffer) {
        let closes = self
            .bars
            .iter()
            .flatten()
            .map(|b| b.candle.close.to_f64_lossy());
        let (lo, hi) = closes.fold((f64::MAX, f64::MIN), |(l, h), c| (l.min(c), h.max(c)));
        let n = self.bars.len();
        // Heights in eighths of a row: the lowest close keeps one, so a trading day never looks
        // like a day without trades.
        let top = u64::from(area.height) * 8;
        let mut data: Vec<SparklineBar> = Vec::with_capacity(usize::from(area.width));
        for (i, bar) in self.bars.iter().enumerate() {
            let (start, end) = slot(i, n, area.width);
            let height = bar.as_ref().map(|b| {
                let c = b.candle.close.to_f64_lossy();
                if hi > lo {
                    1 + ((c - lo) / (hi - lo) * (top - 1) as f64).round() as u64
                } else {
                    top / 2
                }
            });
            let style = (self.cursor == Some(i)).then_some(self.theme.selected);
            for _ in start..end {
                data.push(SparklineBar::from(height).style(style));
            }
        }
        Sparkline::default()
            .data(data)
            .max(top)
            .style(self.theme.accent)
            .render(area, buf);
    }
}

fn put(buf: &mut Buffer, x: u16, y: u16, c: char, style: Style) {
    let cell = &mut buf[(x, y)];
    cell.set_char(c);
    cell.set_fg(style.fg.unwrap_or(Color::Reset));
    if !style.add_modifier.is_empty() {
        cell.modifier.insert(style.add_modifier);
    }
}

#[cfg(test)]
mod tests;
