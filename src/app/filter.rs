//! A list's filter (tokens, pools): `/` starts typing, every change filters again from the
//! top, Enter keeps the text, Esc while typing drops it, and Esc afterwards clears it.

use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;

use super::input::{self, Edit};

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub input: Input,
    /// Keys go into the field.
    pub typing: bool,
}

impl Filter {
    /// The text, lower-cased, that shown rows contain.
    pub fn needle(&self) -> String {
        self.input.value().to_lowercase()
    }

    pub fn is_empty(&self) -> bool {
        self.input.value().is_empty()
    }

    /// A key typed into the field; true when the text changed and the list must be filtered
    /// again.
    pub fn edit(&mut self, key: KeyEvent) -> bool {
        match input::edit(&mut self.input, key) {
            Edit::Done => {
                self.typing = false;
                false
            }
            Edit::Cancel => {
                self.typing = false;
                true
            }
            Edit::Changed => true,
            Edit::Ignored => false,
        }
    }

    /// Clears an applied filter (Esc); false when there was none.
    pub fn clear(&mut self) -> bool {
        if self.is_empty() {
            return false;
        }
        self.input.reset();
        true
    }

    /// `shown` (the list's name and count) with the filter as the title line says it.
    pub fn title(&self, shown: String) -> String {
        match (self.typing, self.is_empty()) {
            (true, _) => format!("{shown} │ filter: {}", input::with_caret(&self.input)),
            (false, false) => format!("{shown} │ filter: {} (Esc clears)", self.input.value()),
            (false, true) => shown,
        }
    }
}
