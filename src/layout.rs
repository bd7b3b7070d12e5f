//! Screen geometry shared by rendering and by mouse handling: where each area is, and which
//! table columns fit a width (columns drop out by priority as the terminal narrows).

use ratatui::layout::{Constraint, Layout, Rect};

use crate::holders::Column;
use crate::model::TokenColumn;
use crate::pools::{PoolColumn, ProviderColumn};
use crate::table::{fit, fit_strictly};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

/// Title line, body, status line.
pub fn frame(size: Rect) -> (Rect, Rect, Rect) {
    let title = Rect {
        height: 1.min(size.height),
        ..size
    };
    let status = Rect {
        y: size.bottom().saturating_sub(1),
        height: 1.min(size.height),
        ..size
    };
    let body = Rect {
        y: size.y + 1,
        height: size.height.saturating_sub(2),
        ..size
    };
    (title, body, status)
}

pub fn too_small(size: Rect) -> bool {
    size.width < MIN_WIDTH || size.height < MIN_HEIGHT
}

/// The tokens table (header row included).
pub fn tokens_table(size: Rect) -> Rect {
    frame(size).1
}

/// The richlist table, below its one-line summary.
pub fn richlist_table(size: Rect) -> Rect {
    below_lines(size, 1).1
}

/// The body split into its first `lines` lines (a summary) and the rest below them.
fn below_lines(size: Rect, lines: u16) -> (Rect, Rect) {
    let body = frame(size).1;
    let top = lines.min(body.height);
    (
        Rect {
            height: top,
            ..body
        },
        Rect {
            y: body.y + top,
            height: body.height - top,
            ..body
        },
    )
}

pub use crate::table::rows_in;

/// The pools table.
pub fn pools_table(size: Rect) -> Rect {
    frame(size).1
}

/// Lines of a pool's summary above its providers.
pub const POOL_SUMMARY: u16 = 3;

/// A pool's summary lines.
pub fn pool_summary(size: Rect) -> Rect {
    below_lines(size, POOL_SUMMARY).0
}

/// A pool's providers, below the summary.
pub fn pool_table(size: Rect) -> Rect {
    below_lines(size, POOL_SUMMARY).1
}

/// Lines above an account's table: its parts, its worth (wallet and pools), then what is not
/// counted in it and the portfolio's worth.
pub const ACCOUNT_HEADER: u16 = 3;

pub fn account_header(size: Rect) -> Rect {
    below_lines(size, ACCOUNT_HEADER).0
}

pub fn account_table(size: Rect) -> Rect {
    below_lines(size, ACCOUNT_HEADER).1
}

/// The four bordered panes of the market screen.
pub struct MarketPanes {
    pub facts: Rect,
    pub chart: Rect,
    pub book: Rect,
    pub trades: Rect,
}

/// Columns the trades pane takes at least while the book keeps half: a trade's time, price and a
/// quantity of up to 16 characters (123,456.12345678), with the book's four middle columns of
/// an integer token beside it at 80 columns.
const TRADES_WIDTH: u16 = 38;

pub fn market_panes(size: Rect) -> MarketPanes {
    let body = frame(size).1;
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(58), Constraint::Fill(1)]).areas(body);
    let [facts, chart] =
        Layout::horizontal([Constraint::Length(36), Constraint::Fill(1)]).areas(top);
    // 45% for the trades, or `TRADES_WIDTH` where that is more and leaves the book half.
    let trades_width = (bottom.width / 20 * 9).max(TRADES_WIDTH.min(bottom.width / 2));
    let [book, trades] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(trades_width)]).areas(bottom);
    MarketPanes {
        facts,
        chart,
        book,
        trades,
    }
}

/// An overlay of `lines` lines centred in the body, as tall as fits: `columns` wide (help is as
/// wide as its longest line), or when `None` all but a margin (the messages: whole errors are
/// long); never wider than the body.
pub fn overlay_area(size: Rect, lines: usize, columns: Option<u16>) -> Rect {
    let body = frame(size).1;
    let height = u16::try_from(lines + 2)
        .unwrap_or(u16::MAX)
        .min(body.height);
    let [_, mid, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(body);
    let width = columns.unwrap_or(body.width.saturating_sub(4));
    let [_, area, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width.min(body.width)),
        Constraint::Fill(1),
    ])
    .areas(mid);
    area
}

/// Inside a pane's border.
pub fn inner(pane: Rect) -> Rect {
    ratatui::widgets::Block::bordered().inner(pane)
}

/// Columns of the chart's price scale: a price of 8 decimals up to 999.99999999 HIVE.
pub const PRICE_SCALE: u16 = 12;

/// Rows a chart's plot needs for candles above volume bars; a lower plot shows a sparkline.
pub const CANDLE_ROWS: u16 = 5;

/// The chart's areas: up to two lines of figures on top, the price scale on the left, the date
/// line at the bottom, and the plot. A pane too small for a scale gives the plot all of its room;
/// a very low one keeps a single line of figures (or none) so the plot keeps three rows.
pub struct ChartAreas {
    pub info: Rect,
    pub scale: Rect,
    pub plot: Rect,
    pub dates: Rect,
}

pub fn chart_areas(chart_inner: Rect) -> ChartAreas {
    let info_lines = match chart_inner.height {
        0..=2 => 0,
        3..=6 => 1,
        _ => 2,
    };
    let [info, rest] =
        Layout::vertical([Constraint::Length(info_lines), Constraint::Fill(1)]).areas(chart_inner);
    if rest.width < PRICE_SCALE + 20 || rest.height < CANDLE_ROWS + 1 {
        let empty = Rect {
            width: 0,
            height: 0,
            ..rest
        };
        return ChartAreas {
            info,
            scale: empty,
            plot: rest,
            dates: empty,
        };
    }
    let [upper, dates] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(rest);
    let [scale, plot] =
        Layout::horizontal([Constraint::Length(PRICE_SCALE + 1), Constraint::Fill(1)]).areas(upper);
    let dates = Rect {
        x: plot.x,
        width: plot.width,
        ..dates
    };
    ChartAreas {
        info,
        scale,
        plot,
        dates,
    }
}

/// A tokens-view column, or the favorite mark and the sparkline around them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenCell {
    Favorite,
    Data(TokenColumn),
    Spark,
}

pub fn token_columns(width: u16) -> Vec<(TokenCell, u16)> {
    use TokenCell::{Data, Favorite, Spark};
    let priority = [
        (Favorite, 1),
        (Data(TokenColumn::Symbol), 10),
        (Data(TokenColumn::Price), 14),
        (Data(TokenColumn::Change), 8),
        (Data(TokenColumn::Volume), 14),
        (Data(TokenColumn::MarketCap), 16),
        (Data(TokenColumn::Name), 20),
        (Spark, 7),
        (Data(TokenColumn::Supply), 24),
        (Data(TokenColumn::Bid), 14),
        (Data(TokenColumn::Ask), 14),
    ];
    fit(width, &priority, |c| match c {
        Favorite => 0,
        Data(d) => 1 + TokenColumn::ALL.iter().position(|x| x == d).unwrap_or(0),
        Spark => 20,
    })
}

/// Richlist columns for `width`. `amount` is the widest an amount can be (the supply,
/// formatted), so numbers are never cut; the sorted column is always shown.
pub fn richlist_columns(width: u16, amount: u16, sort: Column) -> Vec<(Column, u16)> {
    let a = amount.max(8);
    let mut priority = vec![
        (Column::Rank, 7),
        (Column::Account, 16),
        (Column::Total, a),
        (Column::PctSupply, 8),
        (Column::Balance, a),
        (Column::Stake, a),
        (Column::PctCirculating, 8),
        (Column::DelegationsOut, a),
        (Column::DelegationsIn, a),
        (Column::PendingUnstake, a),
        (Column::PendingUndelegations, a),
    ];
    if let Some(pos) = priority.iter().position(|(c, _)| *c == sort) {
        let sorted = priority.remove(pos);
        priority.insert(2.min(priority.len()), sorted);
    }
    fit(width, &priority, |c| {
        Column::ALL.iter().position(|x| x == c).unwrap_or(0)
    })
}

/// Columns of `C` that fit `width` from `widths` (in `C::COLUMNS` order), taken strictly by
/// `priority` with the sorted column moved up to third, shown in table order.
fn by_priority<C: crate::table::Column>(
    width: u16,
    widths: &[u16],
    priority: &[C],
    sort: C,
) -> Vec<(C, u16)> {
    let width_of = |c: &C| {
        let i = C::COLUMNS.iter().position(|x| x == c).unwrap_or(0);
        widths
            .get(i)
            .copied()
            .unwrap_or_else(|| u16::try_from(c.title().chars().count() + 1).unwrap_or(8))
    };
    let mut order: Vec<C> = priority.to_vec();
    if let Some(pos) = order.iter().position(|c| *c == sort) {
        let sorted = order.remove(pos);
        order.insert(2.min(order.len()), sorted);
    }
    let cells: Vec<(C, u16)> = order.iter().map(|c| (*c, width_of(c))).collect();
    fit_strictly(width, &cells, |c| {
        C::COLUMNS.iter().position(|x| x == c).unwrap_or(0)
    })
}

/// The columns of any table that fit `width`, by its own column order, the sorted one kept.
pub fn columns_of<C: crate::table::Column>(
    table: &crate::table::Table<C>,
    widths: &[u16],
    width: u16,
) -> Vec<(C, u16)> {
    by_priority(width, widths, C::COLUMNS, table.sort)
}

/// The pools list's columns at `width`.
pub fn pool_columns(width: u16, widths: &[u16], sort: PoolColumn) -> Vec<(PoolColumn, u16)> {
    use PoolColumn::{Base, BaseVolume, Inverse, Pair, Price, Quote, QuoteVolume, Shares, Value};
    let priority = [
        Pair,
        Value,
        Price,
        Base,
        Quote,
        Inverse,
        Shares,
        BaseVolume,
        QuoteVolume,
    ];
    by_priority(width, widths, &priority, sort)
}

/// A pool's provider columns at `width`.
pub fn provider_columns(
    width: u16,
    widths: &[u16],
    sort: ProviderColumn,
) -> Vec<(ProviderColumn, u16)> {
    use ProviderColumn::{Account, Base, Quote, Rank, Share, Shares};
    by_priority(
        width,
        widths,
        &[Rank, Account, Share, Base, Quote, Shares],
        sort,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_terminals_keep_the_essential_columns() {
        let narrow = token_columns(60);
        assert!(
            narrow
                .iter()
                .any(|(c, _)| *c == TokenCell::Data(TokenColumn::Price))
        );
        assert!(
            !narrow
                .iter()
                .any(|(c, _)| *c == TokenCell::Data(TokenColumn::Ask))
        );
        assert_eq!(token_columns(400).len(), 11);
        let rich = richlist_columns(80, 20, Column::Total);
        assert_eq!(rich[0].0, Column::Rank);
        assert!(rich.iter().all(|(c, _)| *c != Column::PendingUndelegations));
        let by_stake = richlist_columns(80, 20, Column::PendingUndelegations);
        assert!(
            by_stake
                .iter()
                .any(|(c, _)| *c == Column::PendingUndelegations),
            "the sorted column stays"
        );
    }
}
