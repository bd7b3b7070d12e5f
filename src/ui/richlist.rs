//! The richlist: a summary line (holders, burned, concentration, sort, search) over a table
//! that builds only its visible rows, so 200000 holders scroll as fast as 20.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Row};

use super::table::{aligned, draw_list, header, note_under_header};
use super::theme::Theme;
use super::{centered, fitting, status};
use crate::app::{App, SlotState};
use crate::cache::Key;
use crate::format::{count, fixed, share};
use crate::holders::{Column, percent};
use crate::layout;
use crate::model::Holder;
use crate::sanitize::for_terminal;
use crate::table::Column as _;

fn value(c: Column, h: &Holder, rank: u32, r: &crate::model::Richlist) -> String {
    let p = r.precision;
    match c {
        Column::Rank => rank.to_string(),
        Column::Account => for_terminal(&h.account).into_owned(),
        Column::Balance
        | Column::Stake
        | Column::PendingUnstake
        | Column::DelegationsIn
        | Column::DelegationsOut
        | Column::PendingUndelegations
        | Column::Total => fixed(c.amount(h), p),
        Column::PctSupply => share(percent(h.total(), r.supply, 2)),
        Column::PctCirculating => share(percent(h.total(), r.circulating_supply, 2)),
    }
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, body: Rect, symbol: &str) {
    let view = &app.richlist;
    let summary_area = Rect { height: 1, ..body };
    let table = layout::richlist_table(frame.area());
    let Some(r) = view.richlist().filter(|_| view.symbol == symbol) else {
        let state = app.slots.state(&Key::Richlist(symbol.to_owned()));
        let text = match state {
            SlotState::Unknown => format!("Waiting for the {symbol} richlist…"),
            s => status::body(&format!("{symbol} richlist"), &s, app.now, true).unwrap_or_default(),
        };
        centered(frame, table, text, theme.dim);
        return;
    };
    let mut parts = vec![Span::styled(
        format!(" {}", count(r.holders.len(), "holder")),
        theme.accent,
    )];
    if let Some(s) = &view.summary {
        parts.extend([
            Span::raw(format!(" · burned {}", fixed(s.burned, r.precision))),
            Span::raw(format!(" · top 10: {}", share(s.top10_pct))),
            Span::raw(format!(" · top 100: {}", share(s.top100_pct))),
        ]);
    }
    let arrow = if view.table.descending { "▼" } else { "▲" };
    parts.push(Span::styled(
        format!(" · sort: {} {arrow}", view.table.sort.title()),
        theme.dim,
    ));
    frame.render_widget(
        Paragraph::new(fitting(parts, summary_area.width)),
        summary_area,
    );

    let columns = view.columns(table.width);
    let needle = view.search.needle();
    let head = Row::new(columns.iter().map(|(c, _)| header(*c, &view.table))).style(theme.header);
    let widths = columns.iter().map(|(_, w)| *w);
    draw_list(
        frame,
        table,
        widths,
        head,
        &view.table.order,
        view.table.cursor,
        theme,
        |i| {
            let h = &r.holders[i as usize];
            let rank = view.ranks.get(i as usize).copied().unwrap_or(0);
            let found = !needle.is_empty() && h.account.to_lowercase().contains(&needle);
            Row::new(columns.iter().map(|(c, _)| {
                let cell = aligned(value(*c, h, rank, r), c.numeric());
                if found && *c == Column::Account {
                    cell.style(theme.accent)
                } else {
                    cell
                }
            }))
        },
    );
    if r.holders.is_empty() {
        note_under_header(frame, table, "No holders.".into(), theme);
    }
}
