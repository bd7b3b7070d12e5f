//! One pool: three summary lines (reserves and worth, prices both ways and shares, providers,
//! volumes and creator) over its providers, drawn like every other table.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row};

use super::table::{aligned, draw_list, header, note_under_header, titled};
use super::theme::Theme;
use super::{centered, fitting, status};
use crate::app::{
    App, PoolView, SlotState,
    pools::{SHARES_DP, VALUE_DP},
};
use crate::cache::Key;
use crate::format::{count, exact, fixed};
use crate::layout;
use crate::pools::ProviderColumn;
use crate::sanitize::for_terminal;
use crate::table::Column as _;

fn summary(view: &PoolView, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let Some(d) = view.detail() else {
        return Vec::new();
    };
    let p = &d.pool;
    let (base, quote) = (
        for_terminal(p.base()).into_owned(),
        for_terminal(p.quote()).into_owned(),
    );
    let worth = view.value.map_or_else(
        || "worth unknown (no price)".to_owned(),
        |v| format!("worth {} HIVE", fixed(v, VALUE_DP)),
    );
    let arrow = if view.table.descending { "▼" } else { "▲" };
    vec![
        fitting(
            vec![
                Span::styled(format!(" {} {base}", exact(p.base_quantity)), theme.accent),
                Span::styled(
                    format!(" + {} {quote}", exact(p.quote_quantity)),
                    theme.accent,
                ),
                Span::raw(format!(" · {worth}")),
            ],
            width,
        ),
        fitting(
            if p.has_price() {
                vec![
                    Span::raw(format!(" 1 {base} = {} {quote}", exact(p.base_price))),
                    Span::raw(format!(" · 1 {quote} = {} {base}", exact(p.quote_price))),
                    Span::raw(format!(" · {} shares", fixed(p.total_shares, SHARES_DP))),
                ]
            } else {
                vec![
                    Span::raw(" no price: the pool is empty"),
                    Span::raw(format!(" · {} shares", fixed(p.total_shares, SHARES_DP))),
                ]
            },
            width,
        ),
        fitting(
            vec![
                Span::raw(format!(" {}", count(d.positions.len(), "provider"))),
                Span::raw(format!(
                    " · volume {} {base} / {} {quote}",
                    exact(p.base_volume),
                    exact(p.quote_volume)
                )),
                Span::raw(format!(" · creator {}", for_terminal(&p.creator))),
                Span::styled(
                    format!(" · sort: {} {arrow}", view.table.sort.title()),
                    theme.dim,
                ),
            ],
            width,
        ),
    ]
}

/// The amount columns are headed by their token's symbol.
fn column_header(view: &PoolView, column: ProviderColumn) -> ratatui::widgets::Cell<'static> {
    let symbol = view.detail().map(|d| match column {
        ProviderColumn::Base => d.pool.base(),
        ProviderColumn::Quote => d.pool.quote(),
        _ => "",
    });
    match symbol.filter(|s| !s.is_empty()) {
        Some(s) => titled(column, &for_terminal(s), &view.table),
        None => header(column, &view.table),
    }
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, pair: &str) {
    let view = &app.pool;
    let table = layout::pool_table(frame.area());
    if view.detail().is_none() || view.pair != pair {
        let text = match app.slots.state(&Key::Pool(pair.to_owned())) {
            SlotState::Unknown => format!("Waiting for the pool {}…", for_terminal(pair)),
            s => status::body(&for_terminal(pair), &s, app.now, true).unwrap_or_default(),
        };
        centered(frame, layout::frame(frame.area()).1, text, theme.dim);
        return;
    }
    let area = layout::pool_summary(frame.area());
    frame.render_widget(Paragraph::new(summary(view, theme, area.width)), area);
    let columns = view.columns(table.width);
    let needle = view.search.needle();
    let head = Row::new(columns.iter().map(|(c, _)| column_header(view, *c))).style(theme.header);
    draw_list(
        frame,
        table,
        columns.iter().map(|(_, w)| *w),
        head,
        &view.table.order,
        view.table.cursor,
        theme,
        |i| {
            let found = !needle.is_empty()
                && view.rows[i as usize]
                    .account
                    .to_lowercase()
                    .contains(&needle);
            Row::new(columns.iter().map(|(c, _)| {
                let cell = aligned(view.text(*c, i as usize), c.numeric());
                if found && *c == ProviderColumn::Account {
                    cell.style(theme.accent)
                } else {
                    cell
                }
            }))
        },
    );
    if view.rows.is_empty() {
        let text = "No providers: the pool holds nothing.".to_owned();
        note_under_header(frame, table, text, theme);
    }
}
