//! The token market view: facts, a daily chart with ranges and a day cursor, the order book and
//! the last day's trades, with Tab moving between panes.

use super::{App, Screen};
use crate::cache::Key;
use crate::keymap::Command;
use crate::model::HistoryRange;
use crate::refresh::worker::Request;

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
    pub cursor_back: usize,
    pub book_scroll: usize,
    pub trades_scroll: usize,
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
            cursor_back: 0,
            book_scroll: 0,
            trades_scroll: 0,
        }
    }

    fn set_range(&mut self, range: HistoryRange) -> bool {
        let changed = self.range != range;
        self.range = range;
        self.cursor_back = 0;
        changed
    }
}

fn scroll(pos: &mut usize, command: Command, page: usize) {
    match command {
        Command::Up => *pos = pos.saturating_sub(1),
        Command::Down => *pos += 1,
        Command::PageUp => *pos = pos.saturating_sub(page),
        Command::PageDown => *pos += page,
        Command::Top => *pos = 0,
        Command::Bottom => *pos = usize::MAX / 2,
        _ => {}
    }
}

impl App {
    pub(super) fn market_command(&mut self, command: Command, symbol: &str) -> Vec<Request> {
        let m = &mut self.market;
        let page = usize::from(self.size.height / 3).max(1);
        let range_index = HistoryRange::ALL
            .iter()
            .position(|r| *r == m.range)
            .unwrap_or(1);
        let new_range = match command {
            Command::Digit(d @ 1..=5) => Some(HistoryRange::ALL[usize::from(d - 1)]),
            Command::NextRange => HistoryRange::ALL.get(range_index + 1).copied(),
            Command::PrevRange => range_index.checked_sub(1).map(|i| HistoryRange::ALL[i]),
            _ => None,
        };
        if let Some(range) = new_range {
            return if m.set_range(range) {
                vec![Request::Watch(self.watched())]
            } else {
                Vec::new()
            };
        }
        match command {
            Command::NextPane => m.pane = m.pane.next(),
            Command::PrevPane => m.pane = m.pane.prev(),
            Command::ChartMode => {
                m.mode = if m.mode == ChartMode::Candles {
                    ChartMode::Line
                } else {
                    ChartMode::Candles
                };
            }
            Command::Left => m.cursor_back += 1,
            Command::Right => m.cursor_back = m.cursor_back.saturating_sub(1),
            Command::Richlist | Command::Open => {
                return self.go(Screen::Richlist(symbol.to_owned()));
            }
            c => match m.pane {
                Pane::Chart => match c {
                    Command::Top => m.cursor_back = usize::MAX / 2,
                    Command::Bottom => m.cursor_back = 0,
                    _ => {}
                },
                Pane::Book => scroll(&mut m.book_scroll, c, page),
                Pane::Trades => scroll(&mut m.trades_scroll, c, page),
            },
        }
        Vec::new()
    }

    /// The history key the chart shows now.
    pub fn history_key(&self) -> Key {
        Key::History(self.market.symbol.clone(), self.market.range)
    }
}
