//! The token market view: facts, a daily chart with ranges and a day cursor, the order book and
//! the last day's trades, with Tab moving between panes.

use super::Screen;
use super::screen::{Ctx, Outcome, View};
use crate::cache::{Key, Payload};
use crate::keymap::Command;
use crate::layout;
use crate::model::{HistoryRange, bars, chart_days};
use crate::table::{Cursor, Scroll};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ChartMode {
    #[default]
    Candles,
    Line,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pane {
    #[default]
    Chart,
    Book,
    Trades,
}

impl Pane {
    fn next(self) -> Self {
        match self {
            Self::Chart => Self::Book,
            Self::Book => Self::Trades,
            Self::Trades => Self::Chart,
        }
    }

    fn prev(self) -> Self {
        self.next().next()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarketView {
    pub symbol: String,
    pub range: HistoryRange,
    pub mode: ChartMode,
    pub pane: Pane,
    /// Bars back from the newest one (0 = the latest day).
    pub cursor_back: Scroll,
    pub book_scroll: Scroll,
    /// The selected trade (newest first) and the first one on screen.
    pub trades: Cursor,
}

impl Default for MarketView {
    fn default() -> Self {
        Self::for_symbol(String::new(), HistoryRange::Month)
    }
}

impl MarketView {
    pub fn for_symbol(symbol: String, range: HistoryRange) -> Self {
        Self {
            symbol,
            range,
            mode: ChartMode::Candles,
            pane: Pane::Chart,
            cursor_back: Scroll::default(),
            book_scroll: Scroll::default(),
            trades: Cursor::default(),
        }
    }

    /// The history key the chart shows now.
    pub fn history_key(&self) -> Key {
        Key::History(self.symbol.clone(), self.range)
    }

    /// Every scroll position back in range for the data and the panes as they are now.
    fn clamp(&mut self, ctx: &Ctx) {
        let s = self.sizes(ctx);
        self.cursor_back.clamp(s.bars, 1);
        self.book_scroll.clamp(s.book, s.book_page);
        self.trades.clamp(s.trades, s.trades_page);
    }

    /// Rows of each pane and how many fit: bars of the chart, depth of the book, trades.
    fn sizes(&self, ctx: &Ctx) -> Sizes {
        let panes = layout::market_panes(ctx.size);
        let page = |pane| usize::from(layout::inner(pane).height.saturating_sub(1));
        let bars = match ctx.slots.payload(&self.history_key()) {
            Some(Payload::History(candles)) => {
                let (first, today) = chart_days(self.range, ctx.now, candles);
                let plot = layout::chart_areas(layout::inner(panes.chart)).plot;
                bars(candles, first, today, usize::from(plot.width)).len()
            }
            _ => 0,
        };
        let book = match ctx.slots.payload(&Key::Book(self.symbol.clone())) {
            Some(Payload::Book(b)) => b.bids.len().max(b.asks.len()),
            _ => 0,
        };
        let trades = match ctx.slots.payload(&Key::Trades(self.symbol.clone())) {
            Some(Payload::Trades(t)) => t.len(),
            _ => 0,
        };
        Sizes {
            bars,
            book,
            book_page: page(panes.book),
            trades,
            trades_page: page(panes.trades),
        }
    }
}

impl MarketView {
    /// The selected trade of the trades pane (newest first).
    fn selected_trade<'a>(&self, ctx: &'a Ctx) -> Option<&'a crate::model::Trade> {
        match ctx.slots.payload(&Key::Trades(self.symbol.clone())) {
            Some(Payload::Trades(t)) => t.iter().rev().nth(self.trades.selected),
            _ => None,
        }
    }
}

struct Sizes {
    bars: usize,
    book: usize,
    book_page: usize,
    trades: usize,
    trades_page: usize,
}

impl View for MarketView {
    fn watched(&self) -> Vec<Key> {
        let s = &self.symbol;
        vec![
            Key::Token(s.clone()),
            self.history_key(),
            Key::Book(s.clone()),
            Key::Trades(s.clone()),
            Key::Metrics,
        ]
    }

    fn status_keys(&self) -> (Key, Vec<(&'static str, Key)>) {
        let s = &self.symbol;
        (
            self.history_key(),
            vec![
                ("facts", Key::Token(s.clone())),
                ("book", Key::Book(s.clone())),
                ("trades", Key::Trades(s.clone())),
            ],
        )
    }

    fn title(&self) -> String {
        format!("{} market", self.symbol)
    }

    fn hints(&self) -> &'static [(Command, &'static str)] {
        &[
            (Command::NextPane, "pane"),
            (Command::NextRange, "range"),
            (Command::ChartMode, "candles/line"),
            (Command::Richlist, "richlist"),
            (Command::Pools, "pools"),
        ]
    }

    fn command(&mut self, command: Command, ctx: &Ctx) -> Outcome {
        let range_index = HistoryRange::ALL
            .iter()
            .position(|r| *r == self.range)
            .unwrap_or(1);
        let new_range = match command {
            Command::Digit(d @ 1..=5) => Some(HistoryRange::ALL[usize::from(d - 1)]),
            Command::NextRange => HistoryRange::ALL.get(range_index + 1).copied(),
            Command::PrevRange => range_index.checked_sub(1).map(|i| HistoryRange::ALL[i]),
            _ => None,
        };
        if let Some(range) = new_range {
            self.range = range;
            self.cursor_back = Scroll::default();
            return Outcome::default();
        }
        let s = self.sizes(ctx);
        match command {
            Command::NextPane => self.pane = self.pane.next(),
            Command::PrevPane => self.pane = self.pane.prev(),
            Command::ChartMode => {
                self.mode = match self.mode {
                    ChartMode::Candles => ChartMode::Line,
                    ChartMode::Line => ChartMode::Candles,
                };
            }
            // The chart cursor counts bars back from today: left goes further back.
            Command::Left => {
                self.cursor_back.apply(Command::Down, s.bars, 1);
            }
            Command::Right => {
                self.cursor_back.apply(Command::Up, s.bars, 1);
            }
            // On a trade: its buyer (Enter) or seller (S).
            Command::Open | Command::Seller if self.pane == Pane::Trades => {
                return Outcome {
                    go: self
                        .selected_trade(ctx)
                        .map(|t| {
                            if command == Command::Open {
                                &t.buyer
                            } else {
                                &t.seller
                            }
                        })
                        .map(|a| Screen::Account(a.clone())),
                    ..Outcome::default()
                };
            }
            Command::Richlist | Command::Open => {
                return Outcome {
                    go: Some(Screen::Richlist(self.symbol.clone())),
                    ..Outcome::default()
                };
            }
            Command::Pools => {
                return Outcome {
                    go: Some(Screen::Pools(Some(self.symbol.clone()))),
                    ..Outcome::default()
                };
            }
            c => {
                let _ = match (self.pane, c) {
                    (Pane::Chart, Command::Top) => {
                        self.cursor_back.apply(Command::Bottom, s.bars, 1)
                    }
                    (Pane::Chart, Command::Bottom) => {
                        self.cursor_back.apply(Command::Top, s.bars, 1)
                    }
                    (Pane::Chart, _) => false,
                    (Pane::Book, c) => self.book_scroll.apply(c, s.book, s.book_page),
                    (Pane::Trades, c) => self.trades.navigate(c, s.trades, s.trades_page),
                };
            }
        }
        Outcome::default()
    }

    /// A click focuses the pane under it; on a trade, it selects that trade.
    fn click(&mut self, (x, y): (u16, u16), ctx: &Ctx) {
        let panes = layout::market_panes(ctx.size);
        let at = ratatui::layout::Position { x, y };
        if panes.trades.contains(at) {
            self.pane = Pane::Trades;
            let s = self.sizes(ctx);
            self.trades
                .click(layout::inner(panes.trades), y, s.trades, s.trades_page);
        } else if panes.book.contains(at) {
            self.pane = Pane::Book;
        } else if panes.chart.contains(at) {
            self.pane = Pane::Chart;
        }
    }

    fn open(&mut self, screen: &Screen, ctx: &Ctx) {
        if let Screen::Market(symbol) = screen
            && *symbol != self.symbol
        {
            *self = Self::for_symbol(symbol.clone(), self.range);
        }
        self.clamp(ctx);
    }

    fn loaded(&mut self, _key: &Key, ctx: &Ctx) {
        self.clamp(ctx);
    }

    fn resized(&mut self, ctx: &Ctx) {
        self.clamp(ctx);
    }
}
