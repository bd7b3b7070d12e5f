//! `export tokens`: every token joined with its market figures.

use super::{Job, emit};
use crate::cache::{Key, Payload};
use crate::cli::ExportOptions;
use crate::export::tables;

pub fn job(opts: &ExportOptions) -> Job<'_> {
    Job {
        key: Key::Tokens,
        joined: Some(Key::Metrics),
        opts,
        write: Box::new(move |entry, metrics| {
            let Payload::Tokens(t) = &*entry.payload else {
                return Err(std::io::Error::other("cached data of another kind"));
            };
            let metrics = match metrics.map(|e| &*e.payload) {
                Some(Payload::Metrics(m)) => m.as_slice(),
                _ => &[],
            };
            emit(opts, tables::tokens(t, metrics))
        }),
    }
}
