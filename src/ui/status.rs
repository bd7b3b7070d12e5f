//! The words for a key's state, in one place for every screen: the status line (the shown
//! data's state and cause, its age, the next try and source node, then the other keys, the
//! offline, shared-tier and cache warnings and the last message), a pane's border ("stale 4m")
//! and the body of a view that has nothing to show yet. Causes are the error types' own short
//! words (`RefreshError::short_cause`); the whole error is kept for the messages list (`m`).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::{App, Failure, SlotState};
use crate::cache::Key;
use crate::format::{age, count, countdown};
use crate::refresh::worker::NOT_CACHED;
use crate::sanitize::for_terminal;

fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.trim_end_matches('/')
}

/// The state in a few whole words, the cause right after it: "stale · node refused",
/// "failed · no network", "fresh", "loading… 12,000 rows, 13 pages". `None` for nothing asked.
pub fn state_words(state: &SlotState) -> Option<String> {
    Some(match state {
        SlotState::Unknown => return None,
        SlotState::Fresh { .. } => "fresh".to_owned(),
        SlotState::FreshFailed(f) => format!("fresh · {}", f.cause),
        SlotState::Stale { .. } => "stale".to_owned(),
        SlotState::StaleFailed(f) => format!("stale · {}", f.cause),
        SlotState::Loading { progress: Some(p) } => {
            let n = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
            format!(
                "loading… {}, {}",
                count(n(p.rows), "row"),
                count(n(p.pages), "page")
            )
        }
        SlotState::Loading { progress: None } => "loading…".to_owned(),
        SlotState::Failed(f) => format!("failed · {}", f.cause),
    })
}

/// What comes next: "refreshing" while a refresh runs, or the one time of the next try.
pub fn next_words(state: &SlotState, now: i64) -> Option<String> {
    let failed = |f: &Failure| match (f.retrying, f.retry_at) {
        (true, _) => Some("refreshing".to_owned()),
        (false, Some(t)) => Some(countdown(t - now)),
        (false, None) => None,
    };
    match state {
        SlotState::Fresh { refreshing: true } | SlotState::Stale { refreshing: true } => {
            Some("refreshing".to_owned())
        }
        SlotState::FreshFailed(f) | SlotState::StaleFailed(f) | SlotState::Failed(f) => failed(f),
        _ => None,
    }
}

/// The state and what comes next, in one phrase: "stale · node refused · retry in 12s".
pub fn describe(state: &SlotState, now: i64) -> Option<String> {
    let words = state_words(state)?;
    Some(match next_words(state, now) {
        Some(next) => format!("{words} · {next}"),
        None => words,
    })
}

/// The body of a view (or a pane) that has nothing to show for `key`, `None` before anything
/// was asked. A failure says what failed and when the next try is, and, where `hint` and a
/// try will come (or nothing is cached offline), that `--offline` shows only the cache:
/// "Token list: no network, retry in 25s. --offline shows only what is cached."
pub fn body(what: &str, state: &SlotState, now: i64, hint: bool) -> Option<String> {
    let SlotState::Failed(f) = state else {
        return describe(state, now).map(|d| format!("{what}: {d}"));
    };
    let next = next_words(state, now).map_or_else(String::new, |n| format!(", {n}"));
    let offline = if hint && (f.retrying || f.retry_at.is_some() || f.cause == NOT_CACHED) {
        " --offline shows only what is cached."
    } else {
        ""
    };
    Some(format!("{what}: {}{next}.{offline}", f.cause))
}

/// The age of `key`'s data, counted from when it was fetched: "just now", "42s", "4m".
fn data_age(app: &App, key: &Key) -> Option<String> {
    app.slots
        .get(key)
        .and_then(|s| s.entry.as_ref())
        .map(|e| age(app.now - e.meta.fetched_at))
}

/// A pane's border when its data is not fresh: the state and the age only ("stale 4m"); the
/// cause is the status line's and the whole error the messages list's.
pub fn border(app: &App, key: &Key) -> Option<String> {
    let old = || {
        data_age(app, key)
            .filter(|a| a != "just now")
            .map_or_else(String::new, |a| format!(" {a}"))
    };
    match app.slots.state(key) {
        SlotState::Stale { .. } | SlotState::StaleFailed(_) => Some(format!(" stale{} ", old())),
        SlotState::FreshFailed(_) => Some(" refresh failed ".to_owned()),
        _ => None,
    }
}

/// One part of the status line: its words, what goes before it, its style, and how long it is
/// kept when the line is too narrow (parts with a lower `keep` go first, whole).
struct Part {
    text: String,
    sep: &'static str,
    style: Style,
    keep: u8,
}

pub fn line<'a>(app: &App, theme: &Theme) -> Paragraph<'a> {
    let (main, others) = app.view().status_keys();
    let state = app.slots.state(&main);
    let style = match state {
        SlotState::Fresh { .. } => theme.up,
        SlotState::FreshFailed { .. }
        | SlotState::StaleFailed { .. }
        | SlotState::Failed { .. } => theme.error,
        SlotState::Stale { .. } | SlotState::Loading { .. } => theme.warn,
        SlotState::Unknown => theme.dim,
    };
    let raw = Style::default();
    let mut parts: Vec<Part> = Vec::new();
    let mut part = |text: String, sep: &'static str, style: Style, keep: u8| {
        parts.push(Part {
            text,
            sep,
            style,
            keep,
        });
    };
    if let Some(words) = state_words(&state) {
        part(words, " · ", style, 9);
    }
    let entry = app.slots.get(&main).and_then(|s| s.entry.as_ref());
    if let Some(when) = data_age(app, &main) {
        let when = if when == "just now" {
            when
        } else {
            format!("{when} old")
        };
        part(when, " · ", raw, 6);
    }
    if let Some(next) = next_words(&state, app.now) {
        part(next, " · ", raw, 5);
    }
    if let Some(entry) = entry {
        let node = for_terminal(host(&entry.meta.provenance.node)).into_owned();
        part(node, " · ", raw, 1);
    }
    let main_cause = match &state {
        SlotState::FreshFailed(f) | SlotState::StaleFailed(f) | SlotState::Failed(f) => {
            Some(f.cause)
        }
        _ => None,
    };
    for (name, key) in others {
        let words = match app.slots.state(&key) {
            SlotState::Loading { .. } => "loading…",
            // The same cause as the main data's is said once.
            SlotState::FreshFailed(f) | SlotState::StaleFailed(f) | SlotState::Failed(f)
                if Some(f.cause) != main_cause =>
            {
                f.cause
            }
            _ => continue,
        };
        part(format!("{name}: {words}"), " │ ", theme.warn, 2);
    }
    if app.opts.offline {
        part("OFFLINE: cached data only".to_owned(), " │ ", theme.warn, 8);
    }
    if let Some(n) = &app.shared_note {
        part(for_terminal(n).into_owned(), " │ ", theme.warn, 3);
    }
    if let Some(w) = &app.cache_warning {
        part(for_terminal(w).into_owned(), " │ ", theme.warn, 3);
    }
    if let Some(m) = &app.message {
        part(for_terminal(m).into_owned(), " │ ", theme.accent, 7);
    }
    let spans = fit(parts, usize::from(app.size.width))
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let sep = if i == 0 { " " } else { p.sep };
            Span::styled(format!("{sep}{}", p.text), p.style)
        })
        .collect::<Vec<_>>();
    Paragraph::new(Line::from(spans))
}

/// Leaves out whole parts, the least kept first (the rightmost of equals), until the line fits
/// `width`; nothing is cut mid-word. A first part that is too long alone ends at a word, `…`.
fn fit(mut parts: Vec<Part>, width: usize) -> Vec<Part> {
    let len = |parts: &[Part]| {
        parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let sep = if i == 0 { 1 } else { p.sep.chars().count() };
                sep + p.text.chars().count()
            })
            .sum::<usize>()
    };
    while len(&parts) > width && parts.len() > 1 {
        let least = parts
            .iter()
            .enumerate()
            .rev()
            .min_by_key(|(_, p)| p.keep)
            .map_or(0, |(i, _)| i);
        let part = parts.remove(least);
        // A sentence (a warning, a message) that has room for its first words keeps them.
        let room = width.saturating_sub(len(&parts) + part.sep.chars().count());
        if least > 0 && room >= 24 && part.text.contains(' ') {
            let text = words_within(&part.text, room);
            parts.insert(least, Part { text, ..part });
            break;
        }
    }
    if let Some(first) = parts.first_mut() {
        first.text = words_within(&first.text, width.saturating_sub(1));
    }
    parts
}

/// `text` whole if it fits `max` characters, else its first words that fit with `…`.
pub fn words_within(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let room = max.saturating_sub(1);
        let more = if out.is_empty() {
            word.chars().count()
        } else {
            out.chars().count() + 1 + word.chars().count()
        };
        if more > room {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    let out = out.trim_end_matches([' ', '·', ',', ':']).to_owned();
    if max == 0 { String::new() } else { out + "…" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_left_whole() {
        assert_eq!(
            words_within("stale · node refused", 40),
            "stale · node refused"
        );
        assert_eq!(words_within("stale · node refused", 13), "stale · node…");
        assert_eq!(words_within("stale · node refused", 12), "stale…");
        assert_eq!(words_within("stale · node refused", 9), "stale…");
        assert_eq!(words_within("averyveryverylongword", 5), "…");
    }
}
