//! `Scroll`: the first shown row of a pane of `len` rows of which `page` fit, kept in range
//! whenever it changes or the data or the terminal does.

use crate::keymap::Command;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scroll {
    pub pos: usize,
}

impl Scroll {
    /// The furthest `pos` can go: the last page starts there.
    fn max(len: usize, page: usize) -> usize {
        len.saturating_sub(page.max(1))
    }

    /// Applies a movement command; false when the command is not one.
    pub fn apply(&mut self, command: Command, len: usize, page: usize) -> bool {
        let max = Self::max(len, page);
        self.pos = match command {
            Command::Up => self.pos.saturating_sub(1),
            Command::Down => self.pos + 1,
            Command::PageUp => self.pos.saturating_sub(page.max(1)),
            Command::PageDown => self.pos + page.max(1),
            Command::Top => 0,
            Command::Bottom => max,
            _ => return false,
        }
        .min(max);
        true
    }

    pub fn clamp(&mut self, len: usize, page: usize) {
        self.pos = self.pos.min(Self::max(len, page));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scroll_never_leaves_its_range() {
        let mut s = Scroll::default();
        s.apply(Command::Bottom, 100, 10);
        assert_eq!(s.pos, 90);
        s.apply(Command::Down, 100, 10);
        assert_eq!(s.pos, 90, "at the end, down stays");
        s.apply(Command::Up, 100, 10);
        assert_eq!(s.pos, 89, "and up moves at once");
        s.clamp(20, 10);
        assert_eq!(s.pos, 10, "the data shrank");
        assert!(!s.apply(Command::Open, 20, 10));
    }
}
