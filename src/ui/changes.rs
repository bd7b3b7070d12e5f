//! A richlist's changes since a baseline: one line of how concentration moved and who came and
//! went, then the holders whose holdings changed; with one snapshot, how to get a second.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Row};

use super::table::{aligned, draw_list, header, note_under_header};
use super::theme::Theme;
use super::{centered, fitting};
use crate::app::{App, ChangesView};
use crate::format::{count, share, utc_minute};
use crate::layout;
use crate::model::Timestamp;
use crate::table::Column;

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, body: Rect, symbol: &str) {
    let Some(c) = app.richlist.changes.as_ref() else {
        return;
    };
    let summary = Rect { height: 1, ..body };
    let area = layout::richlist_table(frame.area());
    match (c.kept, c.then) {
        (None, _) => {
            return centered(frame, area, "Reading the snapshots kept…".into(), theme.dim);
        }
        (Some(kept), None) => {
            let text = format!(
                "{kept} snapshot{} of {symbol} kept: changes need two. Another is kept each time \
                 this richlist is fetched again (r), or unattended with: market-tui cache warm \
                 --richlists {symbol}",
                if kept == 1 { "" } else { "s" },
            );
            return centered(frame, area, text, theme.dim);
        }
        (Some(_), Some(then)) => {
            frame.render_widget(
                Paragraph::new(fitting(parts(c, then, theme), summary.width)),
                summary,
            );
        }
    }
    let columns = layout::columns_of(&c.table, &c.widths, area.width);
    let head = Row::new(columns.iter().map(|(col, _)| header(*col, &c.table))).style(theme.header);
    draw_list(
        frame,
        area,
        columns.iter().map(|(_, w)| *w),
        head,
        &c.table.order,
        c.table.cursor,
        theme,
        |i| {
            Row::new(
                columns
                    .iter()
                    .map(|(col, _)| aligned(c.text(*col, i as usize), col.numeric())),
            )
        },
    );
    if c.rows.is_empty() {
        note_under_header(frame, area, "No holder changed.".into(), theme);
    }
}

fn parts(c: &ChangesView, then: Timestamp, theme: &Theme) -> Vec<Span<'static>> {
    let m = &c.movement;
    let moved = |(a, b): (Option<rust_decimal::Decimal>, Option<rust_decimal::Decimal>)| {
        format!("{} → {}", share(a), share(b))
    };
    let mut parts = vec![
        Span::styled(
            format!(
                " {} → {}",
                utc_minute(then),
                c.newest.map_or_else(|| "now".into(), utc_minute)
            ),
            theme.accent,
        ),
        Span::raw(format!(" · {} arrived, {} left", m.arrived, m.left)),
        Span::raw(format!(" · top 10: {}", moved(m.top10))),
        Span::raw(format!(" · top 100: {}", moved(m.top100))),
    ];
    if !c.skipped.is_empty() {
        parts.push(Span::styled(
            format!(
                " · {} unreadable, skipped",
                count(c.skipped.len(), "snapshot")
            ),
            theme.dim,
        ));
    }
    parts
}
