//! A one-line text field (the token filter, the account search): editing keys as in a shell
//! (Ctrl-u clears, Ctrl-w deletes a word, arrows and Home/End move) from tui-input.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

/// What a key did to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Enter: keep the text, stop typing.
    Done,
    /// Esc: drop the text, stop typing.
    Cancel,
    Changed,
    Ignored,
}

pub fn edit(field: &mut Input, key: KeyEvent) -> Edit {
    match key.code {
        KeyCode::Enter => Edit::Done,
        KeyCode::Esc => {
            field.reset();
            Edit::Cancel
        }
        _ => match to_input_request(&Event::Key(key)).and_then(|r| field.handle(r)) {
            Some(changed) if changed.value || changed.cursor => Edit::Changed,
            _ => Edit::Ignored,
        },
    }
}

/// The text with a caret where the cursor is, for a title line.
pub fn with_caret(field: &Input) -> String {
    let cursor = field.cursor();
    let mut out: String = field.value().chars().take(cursor).collect();
    out.push('▏');
    out.extend(field.value().chars().skip(cursor));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn press(field: &mut Input, code: KeyCode, mods: KeyModifiers) -> Edit {
        edit(field, KeyEvent::new(code, mods))
    }

    #[test]
    fn shell_keys_edit_and_do_not_type_letters() {
        let mut f = Input::default();
        for c in "swap hive".chars() {
            press(&mut f, KeyCode::Char(c), KeyModifiers::NONE);
        }
        press(&mut f, KeyCode::Char('w'), KeyModifiers::CONTROL);
        assert_eq!(f.value(), "swap ");
        press(&mut f, KeyCode::Home, KeyModifiers::NONE);
        press(&mut f, KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(with_caret(&f), "x▏swap ");
        press(&mut f, KeyCode::Char('u'), KeyModifiers::CONTROL);
        press(&mut f, KeyCode::End, KeyModifiers::NONE);
        assert!(!f.value().contains('u'), "Ctrl-u edits: {:?}", f.value());
        assert_eq!(
            press(&mut f, KeyCode::Esc, KeyModifiers::NONE),
            Edit::Cancel
        );
        assert_eq!(f.value(), "");
    }
}
