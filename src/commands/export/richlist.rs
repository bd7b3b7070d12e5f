//! `export richlist SYMBOL`: every holder, in the order of `--sort`, ranked by total.

use super::{Job, emit};
use crate::cache::{Key, Payload};
use crate::cli::ExportOptions;
use crate::export::tables;
use crate::holders::{self, Column};

/// `(asc, desc)`: neither means the column's natural direction.
pub fn job<'a>(
    symbol: &str,
    sort: &str,
    (asc, desc): (bool, bool),
    opts: &'a ExportOptions,
) -> Result<Job<'a>, String> {
    let column =
        Column::parse(sort).ok_or_else(|| format!("--sort {sort:?}: not a richlist column"))?;
    let descending = if asc || desc {
        desc
    } else {
        column.descends_by_default()
    };
    Ok(Job {
        key: Key::Richlist(symbol.to_owned()),
        joined: None,
        opts,
        write: Box::new(move |entry, _| {
            let Payload::Richlist(r) = &*entry.payload else {
                return Err(std::io::Error::other("cached data of another kind"));
            };
            let ranks = holders::ranks(&holders::by_total(r));
            let order = holders::sort_order(r, column, descending, Some(&ranks));
            emit(opts, tables::richlist(r, &order, &ranks))
        }),
    })
}
