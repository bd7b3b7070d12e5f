//! `export history|book|trades SYMBOL`: a token's market, as the market view shows it.

use super::{Job, emit};
use crate::cache::{Key, Payload};
use crate::cli::ExportOptions;
use crate::export::tables;
use crate::model::HistoryRange;

fn job(key: Key, opts: &ExportOptions) -> Job<'_> {
    Job {
        key,
        joined: None,
        opts,
        write: Box::new(move |entry, _| match &*entry.payload {
            Payload::History(c) => emit(opts, tables::history(c)),
            Payload::Book(b) => emit(opts, tables::book(b)),
            Payload::Trades(t) => emit(opts, tables::trades(t)),
            _ => Err(std::io::Error::other("cached data of another kind")),
        }),
    }
}

pub fn history<'a>(symbol: &str, range: &str, opts: &'a ExportOptions) -> Job<'a> {
    let range = HistoryRange::parse(range).unwrap_or(HistoryRange::Month);
    job(Key::History(symbol.to_owned(), range), opts)
}

pub fn book<'a>(symbol: &str, opts: &'a ExportOptions) -> Job<'a> {
    job(Key::Book(symbol.to_owned()), opts)
}

pub fn trades<'a>(symbol: &str, opts: &'a ExportOptions) -> Job<'a> {
    job(Key::Trades(symbol.to_owned()), opts)
}
