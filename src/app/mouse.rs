//! Mouse input: the wheel scrolls, a click selects a row or sorts by a column header.

use ratatui::crossterm::event::MouseEvent;

use super::{App, Screen};
use crate::keymap::Command;
use crate::layout;
use crate::refresh::worker::Request;

impl App {
    pub(super) fn mouse(&mut self, mouse: MouseEvent) -> Vec<Request> {
        use ratatui::crossterm::event::{MouseButton, MouseEventKind};
        let command = match mouse.kind {
            MouseEventKind::ScrollUp => Some(Command::Up),
            MouseEventKind::ScrollDown => Some(Command::Down),
            _ => None,
        };
        if let Some(c) = command {
            return match self.screen.clone() {
                Screen::Tokens => self.tokens_command(c),
                Screen::Market(s) => self.market_command(c, &s),
                Screen::Richlist(s) => self.richlist_command(c, &s),
            };
        }
        if mouse.kind != MouseEventKind::Down(MouseButton::Left) || self.help {
            return Vec::new();
        }
        match self.screen {
            Screen::Tokens => {
                let table = layout::tokens_table(self.size);
                if mouse.row == table.y {
                    if let Some(layout::TokenCell::Data(c)) =
                        layout::column_at(&layout::token_columns(table.width), mouse.column)
                    {
                        self.tokens.sort_by(c);
                    }
                } else {
                    let (len, h) = (self.tokens.visible.len(), self.list_height());
                    self.tokens.cursor.click(table, mouse.row, len, h);
                }
            }
            Screen::Richlist(_) => {
                let table = layout::richlist_table(self.size);
                if mouse.row == table.y {
                    if let Some(c) =
                        layout::column_at(&self.richlist.columns(table.width), mouse.column)
                    {
                        self.richlist.sort_by(c);
                    }
                } else {
                    let (len, h) = (self.richlist.order.len(), self.richlist_height());
                    self.richlist.cursor.click(table, mouse.row, len, h);
                }
            }
            Screen::Market(_) => {}
        }
        Vec::new()
    }
}
