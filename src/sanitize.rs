//! Untrusted text (token names, metadata, account names) made safe: no escape sequences or
//! control characters for the terminal or a file, and in CSV no formulas for spreadsheets.

use std::borrow::Cow;

/// Removes escape sequences (CSI, OSC, and other ESC forms), C0/C1 control characters and
/// bidirectional overrides; tabs and newlines become spaces.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_care) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' => skip_osc(&mut chars),
            '\t' | '\n' | '\r' => out.push(' '),
            c if needs_care(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_care(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | '_' | '^' | 'X') => skip_osc(chars),
        // Two-character sequences such as ESC c or ESC ( B: the next char is part of it.
        Some('(' | ')' | '#' | '%') => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI: parameters and intermediates, then one final byte in @..~.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

/// OSC and string sequences end at BEL or ST (ESC \).
fn skip_osc(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        if c == '\u{7}' || c == '\u{9c}' {
            break;
        }
        if c == '\u{1b}' && chars.peek() == Some(&'\\') {
            chars.next();
            break;
        }
    }
}

/// A CSV cell a spreadsheet would run as a formula gets a leading apostrophe: text (already
/// made safe by `for_terminal`) that starts with `=`, `+`, `-` or `@`, or with a blank (a tab
/// or a return before a formula, made a space). Only the CSV writer applies it: JSON carries
/// the text as it is.
pub fn for_csv(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', ' ', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_and_controls() {
        assert_eq!(for_terminal("\u{1b}[31mRED\u{1b}[0m"), "RED");
        assert_eq!(
            for_terminal("a\u{1b}]8;;http://x\u{7}link\u{1b}]8;;\u{1b}\\b"),
            "alinkb"
        );
        assert_eq!(for_terminal("bell\u{7}\u{0}nul"), "bellnul");
        assert_eq!(for_terminal("two\r\nlines\there"), "two  lines here");
        assert_eq!(for_terminal("\u{202e}desrever"), "desrever");
        assert_eq!(for_terminal("全角 🚀 مرحبا"), "全角 🚀 مرحبا");
        assert_eq!(for_terminal("\u{1b}[2J\u{1b}[H"), "");
        assert!(matches!(for_terminal("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn neutralizes_formulas() {
        let csv = |text: &str| for_csv(&for_terminal(text)).into_owned();
        assert_eq!(csv("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(csv("+1"), "'+1");
        assert_eq!(csv("-1"), "'-1");
        assert_eq!(csv("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv("\tx"), "' x");
        assert_eq!(csv("alice"), "alice");
    }
}
