//! `export account NAME [--part wallet|orders|pools|activity]`: one part of an account, in the
//! order the screen starts with (the wallet and the pools by worth, operations newest first); pool shares
//! valued at the tokens' last prices, as the screen values them.

use std::collections::HashMap;
use std::time::Duration;

use super::pools::pool_list;
use super::{Job, Refusal, emit};
use crate::accounts::{self, Part};
use crate::cache::{Key, Payload};
use crate::cli::ExportOptions;
use crate::commands::EXIT_BAD_INPUT;
use crate::export::account_part;
use crate::model::{Account, valid_account};
use crate::pools::last_prices;
use crate::setup::Setup;
use crate::source::Error;

pub async fn job<'a>(
    setup: &Setup,
    name: &str,
    part: Part,
    opts: &'a ExportOptions,
    max_age: Option<Duration>,
) -> Result<Job<'a>, Refusal> {
    if !valid_account(name) {
        return Err(Refusal {
            words: Error::InvalidAccount(name.to_owned()).to_string(),
            code: EXIT_BAD_INPUT,
        });
    }
    let (key, joined) = match part {
        Part::Wallet | Part::Pools => (Key::Account(name.to_owned()), Some(Key::Metrics)),
        Part::Orders => (Key::Account(name.to_owned()), None),
        Part::Activity => (Key::Activity(name.to_owned(), 0), None),
    };
    // The pools are read first: the prices are the one key joined to the rows.
    let pools = match part {
        Part::Pools => pool_list(setup, max_age)
            .await
            .map(|(list, _)| list)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let name = name.to_owned();
    Ok(Job {
        key,
        joined,
        opts,
        write: Box::new(move |entry, joined| {
            let prices = match joined.map(|e| &*e.payload) {
                Some(Payload::Metrics(m)) => last_prices(m),
                _ => HashMap::new(),
            };
            let empty = Account {
                name: name.clone(),
                ..Account::default()
            };
            let (account, operations) = match &*entry.payload {
                Payload::Account(a) => (a, &[][..]),
                Payload::Activity(list) => (&empty, list.as_slice()),
                _ => return Err(std::io::Error::other("cached data of another kind")),
            };
            let price = |s: &str| prices.get(s).copied();
            let wallet = accounts::wallet(account, price, None);
            let shares = accounts::shares(account, &pools, price, None);
            let order: Vec<u32> = match part {
                Part::Wallet => crate::table::order_by(&wallet, true, |r| r.value),
                Part::Orders => (0..u32::try_from(account.orders.len()).unwrap_or(0)).collect(),
                Part::Pools => crate::table::order_by(&shares, true, |r| r.value),
                Part::Activity => (0..u32::try_from(operations.len()).unwrap_or(0)).collect(),
            };
            if order.is_empty() {
                eprintln!("@{name} has nothing in its {}", part.name());
            }
            let rows = (&wallet[..], &shares[..], operations);
            emit(opts, account_part(part, account, rows, &order))
        }),
    })
}
