//! The status line: the shown data's cache state in words, its age and source node, the refresh
//! error and next retry, and warnings for offline and memory-only modes.

use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::{App, Failure, SlotState};
use crate::format::{age, countdown, grouped, shorten_middle};
use crate::sanitize::for_terminal;

fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.trim_end_matches('/')
}

/// The words for one state; `None` when there is nothing to say.
pub fn describe(state: &SlotState, now: i64) -> Option<String> {
    let failed = |what: &str, f: &Failure| {
        let when = match (f.retrying, f.retry_at) {
            (true, _) => " (retrying now)".to_owned(),
            (false, Some(t)) => format!(" ({})", countdown(t - now)),
            (false, None) => String::new(),
        };
        format!("{what}{when}: {}", for_terminal(&f.error))
    };
    Some(match state {
        SlotState::Unknown => return None,
        SlotState::Fresh { refreshing: false } => "fresh".to_owned(),
        SlotState::Fresh { refreshing: true } => "fresh · refreshing…".to_owned(),
        SlotState::FreshFailed(f) => failed("fresh · refresh failed", f),
        SlotState::Stale { refreshing: true } => "stale · refreshing…".to_owned(),
        SlotState::Stale { refreshing: false } => "stale".to_owned(),
        SlotState::StaleFailed(f) => failed("stale · refresh failed", f),
        SlotState::Loading { progress: Some(p) } => {
            format!(
                "loading… {} rows, {} pages",
                grouped(&p.rows.to_string()),
                p.pages
            )
        }
        SlotState::Loading { progress: None } => "loading…".to_owned(),
        SlotState::Failed(f) => failed("failed", f),
    })
}

pub fn line<'a>(app: &App, theme: &Theme) -> Paragraph<'a> {
    let (main, others) = app.view().status_keys();
    let mut spans: Vec<Span> = Vec::new();
    let state = app.slots.state(&main);
    let style = match state {
        SlotState::Fresh { .. } => theme.up,
        SlotState::FreshFailed { .. }
        | SlotState::StaleFailed { .. }
        | SlotState::Failed { .. } => theme.error,
        SlotState::Stale { .. } | SlotState::Loading { .. } => theme.warn,
        SlotState::Unknown => theme.dim,
    };
    if let Some(words) = describe(&state, app.now) {
        spans.push(Span::styled(format!(" {words}"), style));
    }
    if let Some(entry) = app.slots.get(&main).and_then(|s| s.entry.as_ref()) {
        let when = age(app.now - entry.meta.fetched_at);
        let when = if when == "just now" {
            when
        } else {
            format!("{when} old")
        };
        spans.push(Span::raw(format!(
            " · {when} · {}",
            for_terminal(host(&entry.meta.provenance.node))
        )));
    }
    for (name, key) in others {
        let s = app.slots.state(&key);
        if !matches!(
            s,
            SlotState::Fresh { .. } | SlotState::Unknown | SlotState::Stale { .. }
        ) && let Some(words) = describe(&s, app.now)
        {
            spans.push(Span::styled(format!(" │ {name}: {words}"), theme.warn));
        }
    }
    if app.opts.offline {
        spans.push(Span::styled(" │ OFFLINE: cached data only", theme.warn));
    }
    if let Some(n) = &app.shared_note {
        spans.push(Span::styled(format!(" │ {}", for_terminal(n)), theme.warn));
    }
    if let Some(w) = &app.cache_warning {
        spans.push(Span::styled(format!(" │ {}", for_terminal(w)), theme.warn));
    }
    if let Some(m) = &app.message {
        spans.push(Span::styled(
            format!(" │ {}", for_terminal(m)),
            theme.accent,
        ));
    }
    fit(&mut spans, usize::from(app.size.width));
    Paragraph::new(Line::from(spans))
}

/// Shortens the longest parts in their middle until the line fits `width`: every part keeps its
/// start and its end, nothing is cut off at the edge.
fn fit(spans: &mut [Span], width: usize) {
    let len = |spans: &[Span]| {
        spans
            .iter()
            .map(|s| s.content.chars().count())
            .sum::<usize>()
    };
    while len(spans) > width {
        let Some(longest) = (0..spans.len()).max_by_key(|&i| spans[i].content.chars().count())
        else {
            return;
        };
        let own = spans[longest].content.chars().count();
        let excess = len(spans) - width;
        // Parts shorter than this are left whole: a few letters say nothing once shortened.
        let target = own.saturating_sub(excess).max(12.min(own));
        if target >= own {
            return;
        }
        let shorter = shorten_middle(&spans[longest].content, target);
        spans[longest].content = shorter.into();
    }
}
