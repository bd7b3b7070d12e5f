//! The richlist: a summary line (holders, burned, concentration, sort, search) over a table
//! that builds only its visible rows, so 200000 holders scroll as fast as 20.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};

use super::theme::Theme;
use super::{centered, draw_list, status::describe};
use crate::app::{App, SlotState};
use crate::cache::Key;
use crate::format::{fixed, grouped, share};
use crate::holders::{Column, percent};
use crate::layout;
use crate::model::Holder;
use crate::sanitize::for_terminal;

fn title(c: Column) -> &'static str {
    match c {
        Column::Rank => "#",
        Column::Account => "Account",
        Column::Balance => "Balance",
        Column::Stake => "Stake",
        Column::PendingUnstake => "Unstaking",
        Column::DelegationsIn => "Deleg. in",
        Column::DelegationsOut => "Deleg. out",
        Column::PendingUndelegations => "Undelegating",
        Column::Total => "Total",
        Column::PctSupply => "% supply",
        Column::PctCirculating => "% circ.",
    }
}

fn value(c: Column, h: &Holder, rank: u32, r: &crate::model::Richlist) -> String {
    let p = r.precision;
    match c {
        Column::Rank => rank.to_string(),
        Column::Account => for_terminal(&h.account).into_owned(),
        Column::Balance => fixed(h.balance, p),
        Column::Stake => fixed(h.stake, p),
        Column::PendingUnstake => fixed(h.pending_unstake, p),
        Column::DelegationsIn => fixed(h.delegations_in, p),
        Column::DelegationsOut => fixed(h.delegations_out, p),
        Column::PendingUndelegations => fixed(h.pending_undelegations, p),
        Column::Total => fixed(h.total(), p),
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
            s => format!(
                "{symbol} richlist: {}",
                describe(&s, app.now).unwrap_or_default()
            ),
        };
        centered(frame, table, text, theme.dim);
        return;
    };
    let mut parts = vec![Span::styled(
        format!(" {} holders", grouped(&r.holders.len().to_string())),
        theme.accent,
    )];
    if let Some(s) = &view.summary {
        parts.push(Span::raw(format!(
            " · burned {} · top 10: {} · top 100: {}",
            fixed(s.burned, r.precision),
            share(s.top10_pct),
            share(s.top100_pct)
        )));
    }
    let arrow = if view.descending { "▼" } else { "▲" };
    parts.push(Span::styled(
        format!(" · sort: {} {arrow}", title(view.sort)),
        theme.dim,
    ));
    if view.searching || !view.search.is_empty() {
        let caret = if view.searching { "▏" } else { "" };
        parts.push(Span::styled(
            format!(" · find: {}{caret}", view.search),
            theme.warn,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(parts)), summary_area);

    let columns = view.columns(table.width);
    let numeric = |c: Column| !matches!(c, Column::Account);
    let align = |c: Column, text: String| {
        if numeric(c) {
            Cell::from(Line::from(text).alignment(Alignment::Right))
        } else {
            Cell::from(text)
        }
    };
    let header = Row::new(columns.iter().map(|(c, _)| {
        let mark = if *c == view.sort { arrow } else { "" };
        align(*c, format!("{}{mark}", title(*c)))
    }))
    .style(theme.header);
    let widths = columns.iter().map(|(_, w)| *w);
    draw_list(
        frame,
        table,
        widths,
        header,
        &view.order,
        view.cursor,
        theme,
        |i| {
            let h = &r.holders[i as usize];
            let rank = view.ranks.get(i as usize).copied().unwrap_or(0);
            Row::new(
                columns
                    .iter()
                    .map(|(c, _)| align(*c, value(*c, h, rank, r))),
            )
        },
    );
    if r.holders.is_empty() {
        centered(
            frame,
            Rect {
                y: table.y + 1,
                height: table.height.saturating_sub(1),
                ..table
            },
            "No holders.".into(),
            theme.dim,
        );
    }
}
