//! Colours, or none: the monochrome theme (config `theme = "mono"` or `NO_COLOR`) keeps meaning
//! in bold, reverse and dim only.

use ratatui::style::{Color, Modifier, Style};

use crate::config::Theme as Choice;

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub title: Style,
    pub header: Style,
    pub selected: Style,
    pub up: Style,
    pub down: Style,
    pub dim: Style,
    pub warn: Style,
    pub error: Style,
    pub accent: Style,
}

impl Theme {
    pub fn new(choice: &Choice) -> Self {
        match choice {
            Choice::Default => Self {
                title: Style::new()
                    .fg(Color::Black)
                    .bg(Color::Cyan)
                    .add_modifier(Modifier::BOLD),
                header: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                selected: Style::new().add_modifier(Modifier::REVERSED),
                up: Style::new().fg(Color::Green),
                down: Style::new().fg(Color::Red),
                dim: Style::new().fg(Color::DarkGray),
                warn: Style::new().fg(Color::Yellow),
                error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                accent: Style::new().fg(Color::Cyan),
            },
            Choice::Mono => Self {
                title: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
                header: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                selected: Style::new().add_modifier(Modifier::REVERSED),
                up: Style::new(),
                down: Style::new(),
                dim: Style::new().add_modifier(Modifier::DIM),
                warn: Style::new().add_modifier(Modifier::BOLD),
                error: Style::new().add_modifier(Modifier::BOLD),
                accent: Style::new().add_modifier(Modifier::BOLD),
            },
        }
    }

    /// Green for up, red for down, plain for flat.
    pub fn change(&self, positive: bool, zero: bool) -> Style {
        if zero {
            Style::new()
        } else if positive {
            self.up
        } else {
            self.down
        }
    }
}
