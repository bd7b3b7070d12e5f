//! An account: its parts as tabs, its worth and the portfolio's, then the part's table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row};

use super::table::{aligned, draw_list, header, note_under_header};
use super::theme::Theme;
use super::{centered, fitting, status};
use crate::accounts::Part;
use crate::app::{AccountView, App, SlotState, favorite_name};
use crate::cache::Key;
use crate::format::fixed;
use crate::layout;
use crate::table::{Column, Table};

fn header_lines(app: &App, view: &AccountView, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let mut tabs: Vec<Span> = vec![Span::raw(" ")];
    if app.favorites.contains(&favorite_name(&view.name)) {
        tabs.push(Span::styled("★ ", theme.accent));
    }
    for part in Part::ALL {
        let name = format!(" {} ", part.name());
        tabs.push(if part == view.part {
            Span::styled(name, theme.selected)
        } else {
            Span::styled(name, theme.dim)
        });
    }
    let mut parts: Vec<Span<'static>> = Vec::new();
    let unpriced = view.worth.map_or(0, |(_, n)| n);
    if let Some((total, _)) = view.worth {
        parts.push(Span::styled(
            format!(" worth {} HIVE", fixed(total, 2)),
            theme.accent,
        ));
    }
    if !view.portfolio.is_empty() {
        let (total, missing) = view.portfolio_worth;
        let n = view.portfolio.len();
        let s = if n == 1 { "" } else { "s" };
        parts.push(Span::raw(format!(
            " · portfolio of {n} favorite account{s}: {} HIVE",
            fixed(total, 2)
        )));
        if missing > 0 {
            parts.push(Span::raw(format!(" ({missing} still loading)")));
        }
    }
    if unpriced > 0 {
        let s = if unpriced == 1 { "" } else { "s" };
        parts.push(Span::styled(
            format!(" · {unpriced} token{s} without a price, not counted"),
            theme.dim,
        ));
    }
    vec![Line::from(tabs), fitting(parts, width)]
}

/// Where a part's table goes: its area, its columns' widths, and what to say when it is empty.
struct Place<'a> {
    area: Rect,
    widths: &'a [u16],
    empty: &'a str,
}

/// Draws one part's table, or says in words why it is empty.
fn part<C: Column>(
    frame: &mut Frame,
    theme: &Theme,
    &Place {
        area,
        widths,
        empty,
    }: &Place,
    table: &Table<C>,
    text: impl Fn(C, usize) -> String,
) {
    let columns = layout::columns_of(table, widths, area.width);
    let head = Row::new(columns.iter().map(|(c, _)| header(*c, table))).style(theme.header);
    draw_list(
        frame,
        area,
        columns.iter().map(|(_, w)| *w),
        head,
        &table.order,
        table.cursor,
        theme,
        |i| {
            Row::new(
                columns
                    .iter()
                    .map(|(c, _)| aligned(text(*c, i as usize), c.numeric())),
            )
        },
    );
    if table.is_empty() {
        note_under_header(frame, area, empty.to_owned(), theme);
    }
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, name: &str) {
    let view = &app.account;
    let area = layout::account_table(frame.area());
    let key = match view.part {
        Part::Activity => Key::Activity(name.to_owned(), 0),
        _ => Key::Account(name.to_owned()),
    };
    let shown = match view.part {
        Part::Activity => !view.ops.is_empty() || app.slots.payload(&key).is_some(),
        _ => view.account().is_some(),
    };
    let head = layout::account_header(frame.area());
    frame.render_widget(
        Paragraph::new(header_lines(app, view, theme, head.width)),
        head,
    );
    if view.name != name || !shown {
        let text = match app.slots.state(&key) {
            SlotState::Unknown => format!("Waiting for @{name}'s {}…", view.part.name()),
            s => status::body(&format!("@{name}"), &s, app.now, true).unwrap_or_default(),
        };
        centered(frame, area, text, theme.dim);
        return;
    }
    let widths = &view.widths[view.part as usize];
    let empty = match view.part {
        Part::Wallet => format!("@{name} holds no token."),
        Part::Orders => format!("@{name} has no open order."),
        Part::Pools => format!("@{name} provides to no pool."),
        Part::Activity => format!("@{name} has no recorded operation."),
    };
    let at = Place {
        area,
        widths,
        empty: &empty,
    };
    match view.part {
        Part::Wallet => part(frame, theme, &at, &view.wallet, |c, i| {
            view.wallet_text(c, i)
        }),
        Part::Orders => part(frame, theme, &at, &view.orders, |c, i| {
            view.order_text(c, i)
        }),
        Part::Pools => part(frame, theme, &at, &view.shares, |c, i| {
            view.share_text(c, i)
        }),
        Part::Activity => part(frame, theme, &at, &view.activity, |c, i| view.op_text(c, i)),
    }
}
