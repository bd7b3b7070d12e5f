//! The chart's bars, slots and drawing: gaps, grouping, every range filling the plot, the line
//! connected, the sparkline of a low plot.

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

/// The columns of `area` where anything is drawn in its top `rows`: (leftmost, rightmost).
fn drawn_span(buf: &Buffer, rows: u16) -> (u16, u16) {
    let area = buf.area;
    let drawn: Vec<u16> = (area.left()..area.right())
        .filter(|&x| (area.top()..area.top() + rows).any(|y| buf[(x, y)].symbol() != " "))
        .collect();
    (drawn[0], drawn[drawn.len() - 1])
}

#[test]
fn every_range_spans_the_plot_at_140x40() {
    use crate::fixtures::{NOW, candles};
    use crate::model::{HistoryRange, chart_days};
    let theme = Theme::new(&crate::config::Theme::Default);
    let size = Rect::new(0, 0, 140, 40);
    let plot = layout::chart_areas(layout::inner(layout::market_panes(size).chart)).plot;
    let history = candles(800);
    for range in HistoryRange::ALL {
        let (first, last) = chart_days(range, NOW, &history);
        let b = bars(&history, first, last, usize::from(plot.width));
        for mode in [ChartMode::Candles, ChartMode::Line] {
            let mut buf = Buffer::empty(Rect::new(0, 0, plot.width, plot.height));
            Chart {
                bars: &b,
                cursor: None,
                mode,
                theme: &theme,
            }
            .render(buf.area, &mut buf);
            let price_rows = plot.height - volume_rows(plot.height);
            let (left, right) = drawn_span(&buf, price_rows);
            let span = right - left + 1;
            assert!(
                span * 10 >= plot.width * 8,
                "{range:?} {mode:?}: {span} of {} columns ({left}..={right})",
                plot.width
            );
        }
    }
}

#[test]
fn the_line_is_connected() {
    let theme = Theme::new(&crate::config::Theme::Default);
    // Seven days, one in the middle without trades, prices up and down.
    let days: Vec<Candle> = [(0, "1"), (1, "3"), (2, "2"), (4, "5"), (5, "1"), (6, "4")]
        .iter()
        .map(|(d, p)| candle(*d, p))
        .collect();
    let b = bars(&days, 0, 6 * DAY_SECS, 60);
    let mut buf = Buffer::empty(Rect::new(0, 0, 60, 16));
    Chart {
        bars: &b,
        cursor: None,
        mode: ChartMode::Line,
        theme: &theme,
    }
    .render(buf.area, &mut buf);
    let (left, right) = drawn_span(&buf, 12);
    let gaps = (left..=right)
        .filter(|&x| (0..12).all(|y| buf[(x, y)].symbol() == " "))
        .count();
    assert_eq!(gaps, 0, "a column without the line between its ends");
    assert!(
        right - left > 40,
        "from the first slot's middle to the last's"
    );
}

#[test]
fn a_low_plot_is_a_sparkline_across_its_width() {
    let theme = Theme::new(&crate::config::Theme::Default);
    let days: Vec<Candle> = (0..30)
        .map(|d| candle(d, &format!("{}", d % 7 + 1)))
        .collect();
    let b = bars(&days, 0, 29 * DAY_SECS, 22);
    let mut buf = Buffer::empty(Rect::new(0, 0, 22, 3));
    Chart {
        bars: &b,
        cursor: Some(b.len() - 1),
        mode: ChartMode::Candles,
        theme: &theme,
    }
    .render(buf.area, &mut buf);
    let bottom: String = (0..22).map(|x| buf[(x, 2)].symbol().to_owned()).collect();
    assert!(
        !bottom.contains(' '),
        "every column has its bar: {bottom:?}"
    );
    assert_eq!(buf[(21, 2)].modifier, theme.selected.add_modifier);
}

#[test]
fn candles_are_as_wide_as_a_third_less_than_their_slot() {
    assert_eq!(body(0, 7, 89), (2, 8), "slots of 12 or 13, candles of 8");
    assert_eq!(body(6, 7, 89), (78, 8));
    assert_eq!(body(10, 45, 89), (20, 1), "slots of 1 or 2 columns");
    assert_eq!(
        (body(0, 45, 89).0, body(1, 45, 89).0),
        (0, 2),
        "an even pace"
    );
    assert_eq!(body(88, 89, 89), (88, 1), "one column each");
    assert_eq!(slot(44, 45, 89), (87, 89));
}
