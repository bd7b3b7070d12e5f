//! `Cursor`: the selected row of a long list and the first row on screen.

use ratatui::layout::Rect;

use crate::keymap::Command;

/// A cursor into a long list, with the first visible row kept so the cursor stays in view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    pub fn moved(&mut self, delta: isize, len: usize, height: usize) {
        let target = self.selected.saturating_add_signed(delta);
        self.selected = target.min(len.saturating_sub(1));
        self.clamp(len, height);
    }

    pub fn to(&mut self, index: usize, len: usize, height: usize) {
        self.selected = index.min(len.saturating_sub(1));
        self.clamp(len, height);
    }

    pub fn clamp(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }

    /// Selects the data row under a click at screen row `y` of `table` (header on its first row).
    pub fn click(&mut self, table: Rect, y: u16, len: usize, height: usize) {
        if y > table.y && y < table.bottom() {
            let index = self.offset + usize::from(y - table.y - 1);
            if index < len {
                self.to(index, len, height);
            }
        }
    }

    /// Applies a movement command; returns false when the command is not a movement.
    pub fn navigate(&mut self, command: Command, len: usize, height: usize) -> bool {
        let page = isize::try_from(height.max(1)).unwrap_or(1);
        match command {
            Command::Up => self.moved(-1, len, height),
            Command::Down => self.moved(1, len, height),
            Command::PageUp => self.moved(-page, len, height),
            Command::PageDown => self.moved(page, len, height),
            Command::Top => self.to(0, len, height),
            Command::Bottom => self.to(len, len, height),
            _ => return false,
        }
        true
    }
}
