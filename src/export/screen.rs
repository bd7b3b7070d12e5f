//! What a screen exports on its key: the rows it shows, in the order shown, from the very data
//! it drew them from (never a fresh pull), written off the UI task.

use std::path::PathBuf;
use std::sync::Arc;

use super::{atomic_write, tables, write_csv};
use crate::accounts::{Part, ShareRow, WalletRow};
use crate::cache::Payload;
use crate::model::{Operation, Timestamp};
use crate::pools::Provider;

/// The rows of one screen, as shown.
#[derive(Debug)]
pub enum Shown {
    Richlist {
        payload: Arc<Payload>,
        order: Vec<u32>,
        ranks: Vec<u32>,
    },
    /// A pool's providers; `precisions` are the base and quote tokens' decimals.
    Providers {
        pair: String,
        rows: Arc<Vec<Provider>>,
        order: Vec<u32>,
        precisions: (u32, u32),
    },
    /// A richlist's changes since a baseline.
    Changes {
        symbol: String,
        rows: Vec<crate::changes::Change>,
        order: Vec<u32>,
    },
    /// One part of an account; `order` is that part's rows in the order shown.
    Account {
        part: Part,
        payload: Arc<Payload>,
        wallet: Vec<WalletRow>,
        shares: Vec<ShareRow>,
        ops: Vec<Operation>,
        order: Vec<u32>,
    },
}

/// The table of one part of `account`, from rows already computed.
pub fn account_part<'a>(
    part: Part,
    account: &'a crate::model::Account,
    (wallet, shares, ops): (&'a [WalletRow], &'a [ShareRow], &'a [Operation]),
    order: &'a [u32],
) -> super::Table<'a> {
    match part {
        Part::Wallet => tables::wallet(wallet, order),
        Part::Orders => tables::orders(&account.orders, order),
        Part::Pools => tables::shares(shares, order),
        Part::Activity => tables::activity(ops, order, &account.name),
    }
}

/// A screen's rows to write as CSV into `dir`, named by what they are and when.
#[derive(Debug)]
pub struct ScreenExport {
    pub shown: Shown,
    pub dir: PathBuf,
    pub at: Timestamp,
}

/// `BEE-richlist-20261122T201500Z.csv`: the subject (a pair's `:` becomes `_`, anything but
/// letters, digits and dots becomes `-`), what it is, and the UTC time.
pub fn file_name(subject: &str, what: &str, at: Timestamp) -> String {
    let stamp = jiff::Timestamp::from_second(at).map_or_else(
        |_| at.to_string(),
        |t| t.strftime("%Y%m%dT%H%M%SZ").to_string(),
    );
    let subject: String = subject
        .chars()
        .map(|c| match c {
            ':' => '_',
            c if c.is_ascii_alphanumeric() || c == '.' => c,
            _ => '-',
        })
        .collect();
    format!("{subject}-{what}-{stamp}.csv")
}

impl ScreenExport {
    /// Writes the CSV and returns its path, or the error in words.
    pub fn write(self) -> Result<PathBuf, String> {
        let (name, table) = match &self.shown {
            Shown::Richlist {
                payload,
                order,
                ranks,
            } => {
                let Payload::Richlist(r) = &**payload else {
                    return Err("no richlist to export".into());
                };
                (
                    file_name(&r.symbol, "richlist", self.at),
                    tables::richlist(r, order, ranks),
                )
            }
            Shown::Providers {
                pair,
                rows,
                order,
                precisions,
            } => (
                file_name(pair, "providers", self.at),
                tables::providers(rows, order, *precisions),
            ),
            Shown::Changes {
                symbol,
                rows,
                order,
            } => (
                file_name(symbol, "changes", self.at),
                tables::changes(rows, order),
            ),
            Shown::Account {
                part,
                payload,
                wallet,
                shares,
                ops,
                order,
            } => {
                let Payload::Account(a) = &**payload else {
                    return Err("no account to export".into());
                };
                (
                    file_name(&a.name, part.name(), self.at),
                    account_part(*part, a, (wallet, shares, ops), order),
                )
            }
        };
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
        let path = self.dir.join(name);
        atomic_write(&path, |w| write_csv(w, table).map(|_| ()))
            .map_err(|e| format!("could not write {}: {e}", path.display()))?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_carry_utc_time_and_no_path_characters() {
        assert_eq!(
            file_name("BEE", "richlist", 0),
            "BEE-richlist-19700101T000000Z.csv"
        );
        assert_eq!(
            file_name("SWAP.HIVE:BEE", "providers", 0),
            "SWAP.HIVE_BEE-providers-19700101T000000Z.csv"
        );
        assert_eq!(
            file_name("../\u{1b}x:Y", "providers", 0),
            "..--x_Y-providers-19700101T000000Z.csv"
        );
    }
}
