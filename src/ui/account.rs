//! An account: its parts as tabs, its worth and the portfolio's, then the part's table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row};

use super::table::{aligned, draw_list, header, note_under_header};
use super::theme::Theme;
use super::{centered, fitting, status};
use crate::accounts::{Part, Worth};
use crate::app::pools::VALUE_DP;
use crate::app::{AccountView, App, SlotState, favorite_name};
use crate::cache::Key;
use crate::format::fixed;
use crate::layout;
use crate::table::{Column, Table};

fn header_lines(app: &App, view: &AccountView, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let mut tabs: Vec<Span<'static>> = vec![Span::raw(" ")];
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
    let has_pools = view.account().is_some_and(|a| !a.pools.is_empty());
    let worth = view
        .worth
        .map(|w| worth_parts(w, has_pools, theme, width))
        .unwrap_or_default();
    // The caveat comes first on the line below: it shows at any width.
    let mut notes: Vec<Span<'static>> = Vec::new();
    if let Some(n) = view.worth.map(|w| w.unpriced).filter(|n| *n > 0) {
        let s = if n == 1 { "" } else { "s" };
        notes.push(Span::styled(
            format!(" {n} token{s} without a price, not counted"),
            theme.dim,
        ));
    }
    // The portfolio goes on the first line with room for it: beside the worth, after the
    // caveat, or beside the tabs.
    let mut lines = [worth, notes, tabs];
    for line in &mut lines {
        let lead = if line.is_empty() { " " } else { " · " };
        let portfolio = portfolio_parts(view, lead);
        let used = Line::from(line.clone()).width() + Line::from(portfolio.clone()).width();
        if used <= usize::from(width) {
            line.extend(portfolio);
            break;
        }
    }
    let [worth, notes, tabs] = lines;
    vec![
        Line::from(tabs),
        fitting(worth, width),
        fitting(notes, width),
    ]
}

/// " worth 7,391.54 HIVE · wallet 538.34 HIVE · pools 6,853.20 HIVE"; where that does not fit
/// `width`, the parts' units are left out, then the wallet (the total less the pools); the total
/// alone for an account without pool shares.
fn worth_parts(w: Worth, has_pools: bool, theme: &Theme, width: u16) -> Vec<Span<'static>> {
    let total = Span::styled(
        format!(" worth {} HIVE", fixed(w.total(), VALUE_DP)),
        theme.accent,
    );
    if !has_pools {
        return vec![total];
    }
    let pools = |unit: &str| {
        Span::raw(w.pools.map_or_else(
            || " · pools still loading".to_owned(),
            |p| format!(" · pools {}{unit}", fixed(p, VALUE_DP)),
        ))
    };
    let wallet = |unit: &str| Span::raw(format!(" · wallet {}{unit}", fixed(w.wallet, VALUE_DP)));
    let choices = [
        vec![total.clone(), wallet(" HIVE"), pools(" HIVE")],
        vec![total.clone(), wallet(""), pools("")],
        vec![total, pools("")],
    ];
    let fits = |parts: &Vec<Span>| Line::from(parts.clone()).width() <= usize::from(width);
    let last = choices[2].clone();
    choices.into_iter().find(fits).unwrap_or(last)
}

/// "portfolio of 2 favorites: 1,234.56 HIVE (1 still loading)" after `lead`, or nothing.
fn portfolio_parts(view: &AccountView, lead: &str) -> Vec<Span<'static>> {
    if view.portfolio.is_empty() {
        return Vec::new();
    }
    let (total, missing) = view.portfolio_worth;
    let n = view.portfolio.len();
    let s = if n == 1 { "" } else { "s" };
    let mut parts = vec![Span::raw(format!(
        "{lead}portfolio of {n} favorite{s}: {} HIVE",
        fixed(total, VALUE_DP)
    ))];
    if missing > 0 {
        parts.push(Span::raw(format!(" ({missing} still loading)")));
    }
    parts
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
