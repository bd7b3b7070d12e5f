//! `Holder`: one account's holding of a token, in 64 bytes: a richlist keeps 200000 of them.

use std::borrow::Cow;

use compact_str::CompactString;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Amount;

/// One account's holding of a token. The account name is stored inline (Hive names have at
/// most 16 characters) and the rarely set amounts only when one of them is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    pub account: CompactString,
    pub balance: Amount,
    pub stake: Amount,
    locked: Option<Box<Locked>>,
}

/// What a holder has unstaking or delegated; most holders have none of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Locked {
    pub pending_unstake: Amount,
    pub delegations_in: Amount,
    pub delegations_out: Amount,
    pub pending_undelegations: Amount,
}

impl Locked {
    fn is_zero(&self) -> bool {
        [
            self.pending_unstake,
            self.delegations_in,
            self.delegations_out,
            self.pending_undelegations,
        ]
        .iter()
        .all(|a| a.is_zero())
    }
}

impl Holder {
    pub fn new(account: &str, balance: Amount, stake: Amount, locked: Locked) -> Self {
        Self {
            account: CompactString::from(account),
            balance,
            stake,
            locked: (!locked.is_zero()).then(|| Box::new(locked)),
        }
    }

    /// Unstaking and delegations (all zero for most holders).
    pub fn locked(&self) -> Locked {
        self.locked.as_deref().copied().unwrap_or_default()
    }

    /// Balance plus stake, as Market-Viewr and Tribaldex rank holders (delegated-out excluded).
    pub fn total(&self) -> Amount {
        self.balance + self.stake
    }

    pub fn holds_anything(&self) -> bool {
        !self.balance.is_zero() || !self.stake.is_zero() || self.locked.is_some()
    }
}

// Stored as the seven fields it always had, in that order: caches written before keep reading.
impl Serialize for Holder {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let l = self.locked();
        let mut s = serializer.serialize_struct("Holder", 7)?;
        s.serialize_field("account", self.account.as_str())?;
        s.serialize_field("balance", &self.balance)?;
        s.serialize_field("stake", &self.stake)?;
        s.serialize_field("pending_unstake", &l.pending_unstake)?;
        s.serialize_field("delegations_in", &l.delegations_in)?;
        s.serialize_field("delegations_out", &l.delegations_out)?;
        s.serialize_field("pending_undelegations", &l.pending_undelegations)?;
        s.end()
    }
}

#[derive(Deserialize)]
#[serde(rename = "Holder")]
struct Stored<'a> {
    #[serde(borrow)]
    account: Cow<'a, str>,
    balance: Amount,
    stake: Amount,
    pending_unstake: Amount,
    delegations_in: Amount,
    delegations_out: Amount,
    pending_undelegations: Amount,
}

impl<'de> Deserialize<'de> for Holder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = Stored::deserialize(deserializer)?;
        let locked = Locked {
            pending_unstake: s.pending_unstake,
            delegations_in: s.delegations_in,
            delegations_out: s.delegations_out,
            pending_undelegations: s.pending_undelegations,
        };
        Ok(Self::new(&s.account, s.balance, s.stake, locked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(text: &str) -> Amount {
        Amount::parse(text).unwrap()
    }

    #[test]
    fn a_holder_takes_64_bytes_and_no_heap_for_a_plain_holding() {
        assert!(size_of::<Holder>() <= 64, "{}", size_of::<Holder>());
        let plain = Holder::new("a-sixteen-chars.", a("1"), a("2"), Locked::default());
        assert!(!plain.account.is_heap_allocated() && plain.locked.is_none());
        assert_eq!(plain.locked(), Locked::default());
    }

    #[test]
    fn it_is_stored_as_the_seven_fields_it_always_had() {
        let locked = Locked {
            delegations_out: a("0.5"),
            ..Locked::default()
        };
        let h = Holder::new("alice", a("12.5"), a("3"), locked);
        let before = (
            "alice".to_owned(),
            a("12.5"),
            a("3"),
            Amount::ZERO,
            Amount::ZERO,
            a("0.5"),
            Amount::ZERO,
        );
        let bytes = postcard::to_allocvec(&h).unwrap();
        assert_eq!(bytes, postcard::to_allocvec(&before).unwrap());
        assert_eq!(postcard::from_bytes::<Holder>(&bytes).unwrap(), h);
        assert!(h.holds_anything());
        let nothing = Holder::new("bob", Amount::ZERO, Amount::ZERO, Locked::default());
        assert!(!nothing.holds_anything());
    }
}
