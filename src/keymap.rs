//! Key bindings: what a key press means, as a `Command` a user can rebind in the config file.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can be bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Help,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    NextPane,
    PrevPane,
    Refresh,
    Filter,
    Favorite,
    Richlist,
    Pools,
    Account,
    Seller,
    Changes,
    Flip,
    Export,
    ChartMode,
    NextRange,
    PrevRange,
    NextMatch,
    PrevMatch,
    Messages,
    /// Digits pick a sort column in lists and a range in the chart; not rebindable.
    Digit(u8),
}

const NAMES: &[(&str, Command)] = &[
    ("quit", Command::Quit),
    ("help", Command::Help),
    ("up", Command::Up),
    ("down", Command::Down),
    ("left", Command::Left),
    ("right", Command::Right),
    ("page_up", Command::PageUp),
    ("page_down", Command::PageDown),
    ("top", Command::Top),
    ("bottom", Command::Bottom),
    ("open", Command::Open),
    ("back", Command::Back),
    ("next_pane", Command::NextPane),
    ("prev_pane", Command::PrevPane),
    ("refresh", Command::Refresh),
    ("filter", Command::Filter),
    ("favorite", Command::Favorite),
    ("richlist", Command::Richlist),
    ("pools", Command::Pools),
    ("account", Command::Account),
    ("seller", Command::Seller),
    ("changes", Command::Changes),
    ("flip", Command::Flip),
    ("export", Command::Export),
    ("chart_mode", Command::ChartMode),
    ("next_range", Command::NextRange),
    ("prev_range", Command::PrevRange),
    ("next_match", Command::NextMatch),
    ("prev_match", Command::PrevMatch),
    ("messages", Command::Messages),
];

impl Command {
    /// The name the config's `[keys]` table binds it by (none for the digits).
    pub fn name(self) -> Option<&'static str> {
        NAMES.iter().find(|(_, c)| *c == self).map(|(n, _)| *n)
    }
}

/// A key with its modifiers, as written in the config (`"j"`, `"ctrl-d"`, `"pgup"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Binding {
    code: KeyCode,
    ctrl: bool,
}

impl Binding {
    pub fn parse(text: &str) -> Result<Self, String> {
        let (ctrl, name) = match text.strip_prefix("ctrl-") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let code = match name {
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" => KeyCode::PageUp,
            "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') => KeyCode::F(
                f[1..]
                    .parse()
                    .map_err(|_| format!("unknown key {text:?}"))?,
            ),
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next().unwrap_or(' ')),
            _ => return Err(format!("unknown key {text:?}")),
        };
        Ok(Self { code, ctrl })
    }

    pub fn of(event: &KeyEvent) -> Self {
        Self {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        }
    }

    /// How the help overlay writes the key.
    pub fn label(self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{name}")
        } else {
            name
        }
    }
}

/// The shipped configuration, whose `[keys]` are the default bindings.
const SHIPPED: &str = include_str!("../assets/default-config.toml");

#[derive(Clone, Debug, Default)]
pub struct Keymap {
    map: HashMap<Binding, Command>,
}

impl Keymap {
    /// The keys market-tui ships with (`[keys]` of `assets/default-config.toml`).
    pub fn shipped() -> Self {
        let file: Option<toml::Table> = toml::from_str(SHIPPED).ok();
        file.as_ref()
            .and_then(|f| f.get("keys")?.as_table())
            .and_then(|keys| Self::from_table(keys).ok())
            .unwrap_or_default()
    }

    /// Reads the `[keys]` table: `command = ["key", …]`.
    pub fn from_table(table: &toml::Table) -> Result<Self, String> {
        let mut map = HashMap::new();
        for (name, keys) in table {
            let command = NAMES
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, c)| *c)
                .ok_or_else(|| format!("unknown command {name:?}"))?;
            let keys = keys
                .as_array()
                .ok_or_else(|| format!("{name}: expected a list of keys"))?;
            for key in keys {
                let text = key
                    .as_str()
                    .ok_or_else(|| format!("{name}: keys are strings"))?;
                let binding = Binding::parse(text).map_err(|e| format!("{name}: {e}"))?;
                if let Some(other) = map.insert(binding, command).filter(|c| *c != command) {
                    let other = other.name().unwrap_or("another command");
                    return Err(format!(
                        "{text:?} is bound to both {other} and {name}; give each key one command"
                    ));
                }
            }
        }
        Ok(Self { map })
    }

    pub fn command(&self, event: &KeyEvent) -> Option<Command> {
        if let KeyCode::Char(c @ '0'..='9') = event.code
            && event.modifiers.is_empty()
        {
            return u8::try_from(c.to_digit(10).unwrap_or(0))
                .ok()
                .map(Command::Digit);
        }
        let b = Binding::of(event);
        // Shifted letters arrive as uppercase chars, sometimes with SHIFT set: ignore SHIFT.
        self.map.get(&b).copied()
    }

    /// Keys bound to `command`, for the help overlay.
    pub fn keys_for(&self, command: Command) -> Vec<String> {
        let mut keys: Vec<String> = self
            .map
            .iter()
            .filter(|(_, c)| **c == command)
            .map(|(b, _)| b.label())
            .collect();
        keys.sort_by_key(|k| (k.chars().count() > 1, k.clone()));
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_map() -> Keymap {
        let k = Keymap::shipped();
        assert!(!k.map.is_empty(), "the shipped keys parse");
        k
    }

    #[test]
    fn vim_keys_arrows_and_ctrl() {
        let k = default_map();
        let press = |code, mods| KeyEvent::new(code, mods);
        assert_eq!(
            k.command(&press(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Command::Down)
        );
        assert_eq!(
            k.command(&press(KeyCode::Down, KeyModifiers::NONE)),
            Some(Command::Down)
        );
        assert_eq!(
            k.command(&press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Command::Quit)
        );
        assert_eq!(
            k.command(&press(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Command::Bottom)
        );
        assert_eq!(
            k.command(&press(KeyCode::Char('3'), KeyModifiers::NONE)),
            Some(Command::Digit(3))
        );
        assert_eq!(
            k.command(&press(KeyCode::Char('z'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn bad_bindings_are_named() {
        let t: toml::Table = toml::from_str("jump = [\"j\"]").unwrap();
        assert!(Keymap::from_table(&t).unwrap_err().contains("jump"));
        let t: toml::Table = toml::from_str("up = [\"ctrl-\"]").unwrap();
        assert!(Keymap::from_table(&t).unwrap_err().contains("ctrl-"));
    }

    #[test]
    fn help_labels() {
        assert_eq!(
            default_map().keys_for(Command::PageDown),
            vec!["Ctrl-d", "PgDn"]
        );
    }
}
