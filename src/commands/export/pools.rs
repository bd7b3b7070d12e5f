//! `export pools [SYMBOL]` and `export pool BASE:QUOTE`: the pools list, and one pool's
//! providers in rank order. A pair is looked up in the pools list in either orientation first,
//! so that it names the cached pool however it was typed.

use std::time::Duration;

use super::{Job, Refusal, emit};
use crate::cache::{Key, Payload};
use crate::cli::ExportOptions;
use crate::commands::EXIT_BAD_INPUT;
use crate::export::tables;
use crate::model::Pool;
use crate::pools::{self, ProviderColumn};
use crate::refresh::RefreshError;
use crate::setup::Setup;
use crate::source::{Error, orientations};

fn bad(words: String) -> Refusal {
    Refusal {
        words,
        code: EXIT_BAD_INPUT,
    }
}

/// The pools list, cache first, and whether it was read just now or within its age.
pub(super) async fn pool_list(
    setup: &Setup,
    max_age: Option<Duration>,
) -> Option<(Vec<Pool>, bool)> {
    let got = setup.swr.get(&Key::Pools, max_age, None).await;
    match got.entry.as_ref().map(|e| &*e.payload) {
        Some(Payload::Pools(p)) => Some((p.clone(), got.fresh)),
        _ => None,
    }
}

pub async fn pools<'a>(
    setup: &Setup,
    symbol: Option<&str>,
    opts: &'a ExportOptions,
    max_age: Option<Duration>,
) -> Result<Job<'a>, Refusal> {
    if let Some(s) = symbol {
        let in_none = pool_list(setup, max_age)
            .await
            .is_some_and(|(list, _)| !list.iter().any(|p| p.has(s)));
        if in_none {
            // A token in no pool is an empty table; a token that does not exist is an error.
            let token = setup
                .swr
                .get(&Key::Token(s.to_owned()), max_age, None)
                .await;
            if let Some(RefreshError::Source(e)) = token.error
                && e.is_user_error()
            {
                return Err(bad(e.to_string()));
            }
            eprintln!("{s} is in no liquidity pool");
        }
    }
    let symbol = symbol.map(str::to_owned);
    Ok(Job {
        key: Key::Pools,
        joined: Some(Key::Metrics),
        opts,
        write: Box::new(move |entry, metrics| {
            let Payload::Pools(list) = &*entry.payload else {
                return Err(std::io::Error::other("cached data of another kind"));
            };
            let prices = match metrics.map(|e| &*e.payload) {
                Some(Payload::Metrics(m)) => pools::last_prices(m),
                _ => std::collections::HashMap::default(),
            };
            let shown = list
                .iter()
                .filter(|p| symbol.as_deref().is_none_or(|s| p.has(s)));
            emit(
                opts,
                tables::pools(shown, |p| p.value_in_hive(|s| prices.get(s).copied())),
            )
        }),
    })
}

pub async fn pool<'a>(
    setup: &Setup,
    pair: &str,
    opts: &'a ExportOptions,
    max_age: Option<Duration>,
) -> Result<Job<'a>, Refusal> {
    if orientations(pair).is_none() {
        return Err(bad(Error::InvalidPair(pair.to_owned()).to_string()));
    }
    let pair = match pool_list(setup, max_age).await {
        Some((list, fresh)) => match list.iter().find(|p| p.is(pair)) {
            Some(p) => p.pair.clone(),
            None if fresh => return Err(bad(Error::UnknownPool(pair.to_owned()).to_string())),
            // An old list may predate the pool: the node is asked.
            None => pair.to_owned(),
        },
        None => pair.to_owned(),
    };
    Ok(Job {
        key: Key::Pool(pair),
        joined: Some(Key::Tokens),
        opts,
        write: Box::new(move |entry, tokens| {
            let Payload::Pool(detail) = &*entry.payload else {
                return Err(std::io::Error::other("cached data of another kind"));
            };
            let tokens = match tokens.map(|e| &*e.payload) {
                Some(Payload::Tokens(t)) => Some(t.as_slice()),
                _ => None,
            };
            let precisions = pools::precisions(&detail.pool, tokens);
            let rows = pools::providers(detail, precisions);
            let order = pools::order(&rows, ProviderColumn::Rank, false);
            emit(opts, tables::providers(&rows, &order, precisions))
        }),
    })
}
