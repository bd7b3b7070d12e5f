//! Mouse input: the wheel scrolls, a click goes to the current screen (a row, a header).

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::App;
use crate::keymap::Command;
use crate::refresh::worker::Request;

impl App {
    pub(super) fn mouse(&mut self, mouse: MouseEvent) -> Vec<Request> {
        match mouse.kind {
            MouseEventKind::ScrollUp => self.screen_command(Command::Up),
            MouseEventKind::ScrollDown => self.screen_command(Command::Down),
            MouseEventKind::Down(MouseButton::Left) if self.overlay.is_none() => {
                let (view, ctx) = self.view_mut();
                view.click((mouse.column, mouse.row), &ctx);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}
