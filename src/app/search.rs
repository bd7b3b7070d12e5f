//! Finding an account in a long list (a richlist, a pool's providers): typing jumps to the
//! first account that starts with the text (else contains it), `n`/`N` step through every
//! match, and the title says which match of how many.

use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;

use super::input::{self, Edit};
use crate::keymap::Command;

#[derive(Clone, Debug, Default)]
pub struct Search {
    pub input: Input,
    /// Keys go into the field.
    pub typing: bool,
    /// Positions, in the order shown, of the accounts containing the text.
    pub matches: Vec<usize>,
}

impl Search {
    /// Starts a new search (the find key).
    pub fn start(&mut self) {
        self.typing = true;
        self.input.reset();
        self.matches.clear();
    }

    /// The text, lower-cased, to mark matching rows with.
    pub fn needle(&self) -> String {
        self.input.value().to_lowercase()
    }

    /// Finds the matches again among `len` rows whose account at position `p` is `account(p)`.
    pub fn refind<'a>(&mut self, len: usize, account: impl Fn(usize) -> &'a str) {
        let needle = self.needle();
        self.matches = if needle.is_empty() {
            Vec::new()
        } else {
            (0..len)
                .filter(|&p| account(p).to_lowercase().contains(&needle))
                .collect()
        };
    }

    /// A key typed into the field; returns the position to move to when the text changed and
    /// something matches.
    pub fn edit<'a>(
        &mut self,
        key: KeyEvent,
        len: usize,
        account: impl Fn(usize) -> &'a str,
    ) -> Option<usize> {
        match input::edit(&mut self.input, key) {
            Edit::Done => self.typing = false,
            Edit::Cancel => {
                self.typing = false;
                self.matches.clear();
            }
            Edit::Changed => {
                self.refind(len, &account);
                let needle = self.needle();
                return self
                    .matches
                    .iter()
                    .copied()
                    .find(|&p| account(p).to_lowercase().starts_with(&needle))
                    .or_else(|| self.matches.first().copied());
            }
            Edit::Ignored => {}
        }
        None
    }

    /// The find keys (start, next and previous match) on a list whose cursor is at
    /// `selected`; false for any other command.
    pub fn command(&mut self, command: Command, selected: &mut usize) -> bool {
        match command {
            Command::Filter => self.start(),
            Command::NextMatch | Command::PrevMatch => {
                if let Some(p) = self.step(command == Command::NextMatch, *selected) {
                    *selected = p;
                }
            }
            _ => return false,
        }
        true
    }

    /// The next (or previous) match after position `here`, round the end.
    pub fn step(&self, forward: bool, here: usize) -> Option<usize> {
        let next = if forward {
            self.matches
                .iter()
                .find(|&&p| p > here)
                .or(self.matches.first())
        } else {
            self.matches
                .iter()
                .rev()
                .find(|&&p| p < here)
                .or(self.matches.last())
        };
        next.copied()
    }

    /// The search as a title shows it: the text, and which match of how many, or none.
    pub fn words(&self, selected: usize) -> Option<String> {
        let text = if self.typing {
            input::with_caret(&self.input)
        } else {
            self.input.value().to_owned()
        };
        if text.is_empty() {
            return None;
        }
        let which = self
            .matches
            .iter()
            .position(|&p| p == selected)
            .map_or_else(String::new, |i| format!("{}/", i + 1));
        Some(if self.input.value().is_empty() {
            format!("find: {text}")
        } else if self.matches.is_empty() {
            format!("find: {text} no match")
        } else {
            format!("find: {text} ({which}{}, n/N)", self.matches.len())
        })
    }
}
