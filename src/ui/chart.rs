//! The daily price chart: candles or a line over volume bars, one column per day (or per group
//! of days when the range is wider than the screen). Days without trades stay empty.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::theme::Theme;
use crate::app::ChartMode;
use crate::model::{Amount, Bar};

pub struct Chart<'a> {
    pub bars: &'a [Option<Bar>],
    pub cursor: Option<usize>,
    pub mode: ChartMode,
    pub theme: &'a Theme,
}

const EIGHTHS: [char; 8] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇'];

impl Widget for Chart<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height < 3 {
            return;
        }
        let vol_h = (area.height / 4).max(1);
        let price_h = area.height - vol_h;
        let present = self.bars.iter().flatten().map(|b| &b.candle);
        let (lo, hi) = present.fold((f64::MAX, f64::MIN), |(l, h), b| {
            (l.min(b.low.to_f64_lossy()), h.max(b.high.to_f64_lossy()))
        });
        let vmax = self
            .bars
            .iter()
            .flatten()
            .map(|b| b.candle.volume_hive.to_f64_lossy())
            .fold(0.0, f64::max);
        let span = if hi > lo { hi - lo } else { 1.0 };
        let row = |p: Amount| -> u16 {
            let t = (hi - p.to_f64_lossy()) / span;
            area.y
                + ((t * f64::from(price_h - 1))
                    .round()
                    .clamp(0.0, f64::from(price_h - 1)) as u16)
        };
        // Fewer bars than columns: each bar gets an equal slot and is drawn in its middle.
        let slot = (usize::from(area.width) / self.bars.len().max(1)).max(1);
        let mut previous: Option<u16> = None;
        for (i, bar) in self.bars.iter().enumerate().take(usize::from(area.width)) {
            let Ok(x) = u16::try_from(i * slot + slot / 2) else {
                break;
            };
            if x >= area.width {
                break;
            }
            let x = area.x + x;
            if self.cursor == Some(i) {
                for y in area.y..area.bottom() {
                    buf[(x, y)].set_style(self.theme.selected);
                }
            }
            let Some(Bar { candle: b, .. }) = bar else {
                previous = None;
                continue;
            };
            let up = b.close >= b.open;
            let style = if up { self.theme.up } else { self.theme.down };
            match self.mode {
                ChartMode::Candles => {
                    for y in row(b.high)..=row(b.low) {
                        put(buf, x, y, '│', style);
                    }
                    let (top, bottom) = (row(b.open.max(b.close)), row(b.open.min(b.close)));
                    for y in top..=bottom {
                        put(buf, x, y, if up { '█' } else { '░' }, style);
                    }
                }
                ChartMode::Line => {
                    let y = row(b.close);
                    if let Some(p) = previous {
                        for fill in p.min(y)..=p.max(y) {
                            put(buf, x, fill, '│', self.theme.accent);
                        }
                    }
                    put(buf, x, y, '•', self.theme.accent);
                    previous = Some(y);
                }
            }
            if vmax > 0.0 {
                let eighths =
                    (b.volume_hive.to_f64_lossy() / vmax * f64::from(vol_h) * 8.0).round() as u16;
                for level in 0..vol_h {
                    let y = area.bottom() - 1 - level;
                    let filled = eighths.saturating_sub(level * 8).min(8);
                    let c = if filled >= 8 {
                        '█'
                    } else {
                        EIGHTHS[usize::from(filled)]
                    };
                    if c != ' ' {
                        put(buf, x, y, c, self.theme.dim);
                    }
                }
            }
        }
    }
}

fn put(buf: &mut Buffer, x: u16, y: u16, c: char, style: Style) {
    let cell = &mut buf[(x, y)];
    cell.set_char(c);
    cell.set_fg(style.fg.unwrap_or(ratatui::style::Color::Reset));
    if !style.add_modifier.is_empty() {
        cell.modifier.insert(style.add_modifier);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Candle, DAY_SECS, bars};

    fn candle(day: i64, close: &str) -> Candle {
        let a = Amount::parse(close).unwrap();
        Candle {
            day: day * DAY_SECS,
            open: a,
            high: a,
            low: a,
            close: a,
            volume_hive: a,
            volume_token: a,
        }
    }

    #[test]
    fn days_without_trades_are_gaps() {
        let b = bars(
            &[candle(10, "1"), candle(12, "2")],
            10 * DAY_SECS,
            13 * DAY_SECS,
            100,
        );
        assert_eq!(b.len(), 4);
        assert!(b[0].is_some() && b[1].is_none() && b[2].is_some() && b[3].is_none());
    }

    #[test]
    fn wide_ranges_group_days() {
        let candles: Vec<Candle> = (0..100).map(|d| candle(d, &format!("{}", d + 1))).collect();
        let b = bars(&candles, 0, 99 * DAY_SECS, 10);
        assert_eq!(b.len(), 10);
        let first = b[0].as_ref().unwrap();
        let c = &first.candle;
        assert_eq!(
            (first.days, c.day, c.open.to_string(), c.close.to_string()),
            (10, 0, "1".into(), "10".into())
        );
        assert_eq!(c.volume_hive.to_string(), "55");
    }

    #[test]
    fn the_last_bucket_says_the_days_it_really_holds() {
        // 10 days in 4 columns: buckets of 3, the last holding only today.
        let candles: Vec<Candle> = (0..10).map(|d| candle(d, "1")).collect();
        let b = bars(&candles, 0, 9 * DAY_SECS, 4);
        let days: Vec<i64> = b.iter().map(|x| x.as_ref().unwrap().days).collect();
        assert_eq!(days, [3, 3, 3, 1]);
    }

    #[test]
    fn tiny_areas_do_not_panic() {
        let theme = Theme::new(&crate::config::Theme::Default);
        let b = bars(&[candle(1, "1")], DAY_SECS, DAY_SECS, 5);
        for (w, h) in [(0, 0), (1, 1), (3, 2), (1, 3)] {
            let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
            Chart {
                bars: &b,
                cursor: Some(0),
                mode: ChartMode::Candles,
                theme: &theme,
            }
            .render(buf.area, &mut buf);
        }
    }
}
