//! An account across Hive-Engine: every token it holds, its open orders, its pool shares, and
//! its recent operations from the history API.

use serde::{Deserialize, Serialize};

use super::{Amount, Holder, Side, Timestamp};

/// Hive's rules for an account name, in the words every refusal of one uses.
pub const ACCOUNT_RULES: &str = "3 to 16 characters in parts split by '.', each part at least 3 \
    characters of a-z, 0-9 and '-', starting with a letter, ending with a letter or digit, \
    without '--'";

/// Whether `name` can be a Hive account (`ACCOUNT_RULES`): each part between dots matches
/// `^[a-z][a-z0-9-]+[a-z0-9]$` and holds no `--`, 3 to 16 characters in all.
pub fn valid_account(name: &str) -> bool {
    (3..=16).contains(&name.len()) && name.split('.').all(valid_part)
}

fn valid_part(part: &str) -> bool {
    let b = part.as_bytes();
    b.len() >= 3
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && b[b.len() - 1] != b'-'
        && !part.contains("--")
}

/// One token of a wallet: the account's balance row of that token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub symbol: String,
    pub holder: Holder,
}

impl Balance {
    /// What the account owns of the token: liquid, staked, delegated out (still its own) and
    /// coming back from delegation. Delegations in are someone else's; a pending unstake is
    /// still counted in the stake it leaves in installments.
    pub fn owned(&self) -> Amount {
        let h = &self.holder;
        let l = h.locked();
        h.balance + h.stake + l.delegations_out + l.pending_undelegations
    }
}

/// An order the account has open on one side of a token's book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenOrder {
    pub symbol: String,
    pub side: Side,
    pub price: Amount,
    pub quantity: Amount,
    pub timestamp: Timestamp,
    pub expiration: Timestamp,
}

/// The account's shares of one pool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolShare {
    pub pair: String,
    pub shares: Amount,
}

/// An account's contract data, read together.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub name: String,
    pub balances: Vec<Balance>,
    pub orders: Vec<OpenOrder>,
    pub pools: Vec<PoolShare>,
}

/// One operation from the history API, with the fields the screen and the exports show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    pub timestamp: Timestamp,
    /// `<contract>_<action>`, e.g. `tokens_transfer`.
    pub operation: String,
    pub symbol: String,
    /// Tokens moved: `quantity`, or `quantityTokens` of a fill, or `quantityLocked` of an order.
    pub quantity: Option<Amount>,
    /// HIVE moved by a fill, or an order's price.
    pub hive: Option<Amount>,
    pub from: String,
    pub to: String,
    pub memo: String,
    pub transaction: String,
}

/// Rows the history API returns at most per request: one page of activity.
pub const ACTIVITY_PAGE: u32 = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_follow_hive_rules() {
        for ok in [
            "abc",
            "alice",
            "hive-engine",
            "a1b.c-d",
            "x1234567890abcde",
            "bee.swap",
            "abc.def.ghi",
            "a-b-c",
        ] {
            assert!(valid_account(ok), "{ok}");
        }
        for bad in [
            "ab",
            "Alice",
            "a b",
            "x12345678901234567",
            "al\u{1b}[2J",
            "",
            "a_b",
            // Every part at least 3 characters: no empty part, no short one.
            "a..b",
            "abc..def",
            ".abc",
            "abc.",
            "abc.de",
            "a.b-c",
            // A letter first, a letter or digit last, one dash at a time.
            "1abc",
            "-abc",
            "abc-",
            "abc-.def",
            "ab--c",
            "abc.1de",
        ] {
            assert!(!valid_account(bad), "{bad:?}");
        }
    }
}
