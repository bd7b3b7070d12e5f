//! An account across every token: its balance rows, open orders on both books and pool shares
//! (each an indexed `account` query, paginated), and its operations from the history API.

use serde_json::{Map, json};

use super::paging::{Cursor, Ends, Tally};
use super::{Error, Fetched, HiveEngine, wire};
use crate::model::{ACTIVITY_PAGE, Account, Operation, Provenance, Side, valid_account};

const POSITIONS: (&str, &str) = ("marketpools", "liquidityPositions");

impl HiveEngine {
    /// Everything `name` holds and has open. A valid name with nothing is an empty account,
    /// once a second node says so too.
    pub async fn account(&self, name: &str) -> Result<Fetched<Account>, Error> {
        if !valid_account(name) {
            return Err(Error::InvalidAccount(name.to_owned()));
        }
        let q = Map::from_iter([("account".to_owned(), json!(name))]);
        let tally = Tally::default();
        // An account that holds nothing is plausible, and so is a node that answers `[]` for
        // it: an empty part is believed only when another node agrees.
        let (ends, t) = (Ends::Confirmed, &tally);
        let ((balances, node), (mut orders, _), (asks, _), (pools, _)) = tokio::try_join!(
            self.paged(
                ("tokens", "balances"),
                q.clone(),
                Cursor::Id,
                ends,
                t,
                wire::balance
            ),
            self.paged(("market", "buyBook"), q.clone(), Cursor::Id, ends, t, |r| {
                wire::open_order(r, Side::Buy)
            }),
            self.paged(
                ("market", "sellBook"),
                q.clone(),
                Cursor::Id,
                ends,
                t,
                |r| { wire::open_order(r, Side::Sell) }
            ),
            self.paged(POSITIONS, q.clone(), Cursor::Id, ends, t, wire::pool_share),
        )?;
        orders.extend(asks);
        let account = Account {
            name: name.to_owned(),
            balances,
            orders,
            pools,
        };
        Ok(Fetched {
            value: account,
            provenance: self.provenance(node),
        })
    }

    /// Page `page` (0 = the newest) of `name`'s operations, newest first.
    pub async fn activity(&self, name: &str, page: u32) -> Result<Fetched<Vec<Operation>>, Error> {
        if !valid_account(name) {
            return Err(Error::InvalidAccount(name.to_owned()));
        }
        let offset = u64::from(page) * u64::from(ACTIVITY_PAGE);
        let query = format!("accountHistory?account={name}&limit={ACTIVITY_PAGE}&offset={offset}");
        let (ops, node) = self.history_rows(&query, wire::operation).await?;
        Ok(Fetched {
            value: ops,
            provenance: Provenance {
                node: self.history.nodes[node].url.clone(),
                block: None,
            },
        })
    }
}
