//! The account prompt (`a`, from any screen): a name is typed, checked against Hive's rules
//! when Enter is pressed, and opened; a name that cannot be an account is said so, in words.

use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;

use super::input::{self, Edit};
use super::{App, Screen};
use crate::model::valid_account;
use crate::refresh::worker::Request;

impl App {
    pub(super) fn open_prompt(&mut self) {
        self.prompt = Some(Input::default());
    }

    pub(super) fn prompt_key(&mut self, key: KeyEvent) -> Vec<Request> {
        let Some(field) = self.prompt.as_mut() else {
            return Vec::new();
        };
        match input::edit(field, key) {
            Edit::Cancel => self.prompt = None,
            Edit::Done => {
                let name = field.value().trim().trim_start_matches('@').to_lowercase();
                if valid_account(&name) {
                    self.prompt = None;
                    return self.go(Screen::Account(name));
                }
                self.say(crate::source::Error::InvalidAccount(name).to_string());
            }
            Edit::Changed | Edit::Ignored => {}
        }
        Vec::new()
    }

    /// The prompt as the title line shows it.
    pub fn prompt_title(&self) -> Option<String> {
        self.prompt
            .as_ref()
            .map(|f| format!("open account: @{}", input::with_caret(f)))
    }
}
