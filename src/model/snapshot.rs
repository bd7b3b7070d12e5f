//! Richlist snapshots over time: what is stored for each (a whole richlist, or what changed
//! since the one before), and which one a comparison starts from.

use serde::{Deserialize, Serialize};

use super::{Amount, Holder, Richlist, Timestamp};

/// One stored snapshot: whole, or the holders that changed since the previous one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SnapshotRecord {
    Full(Richlist),
    Delta(Delta),
}

/// A richlist as changes to the one before: holders new or changed, accounts gone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delta {
    pub supply: Amount,
    pub circulating_supply: Amount,
    pub burned: Amount,
    pub precision: u32,
    pub changed: Vec<Holder>,
    pub left: Vec<String>,
}

/// Where a comparison starts: the snapshot before the newest, the nearest one at or before a
/// time (the oldest kept when none is that old), or the oldest kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Since {
    Previous,
    Ago(i64),
    At(Timestamp),
    Oldest,
}

impl Since {
    /// The baselines the richlist's changes view steps through.
    pub const CHOICES: [Self; 5] = [
        Self::Previous,
        Self::Ago(86_400),
        Self::Ago(7 * 86_400),
        Self::Ago(30 * 86_400),
        Self::Oldest,
    ];

    /// `previous`, `oldest`, a duration (`24h`, `7d`, `30d`, `90m`) or a date (`2026-11-01`).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "previous" => return Some(Self::Previous),
            "oldest" => return Some(Self::Oldest),
            _ => {}
        }
        if let Ok(date) = text.parse::<jiff::civil::Date>() {
            return date
                .to_zoned(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|z| Self::At(z.timestamp().as_second()));
        }
        let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit())?);
        let n: i64 = number.parse().ok()?;
        let secs = match unit {
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            "w" => 7 * 86_400,
            _ => return None,
        };
        Some(Self::Ago(n.checked_mul(secs)?))
    }

    pub fn label(self) -> String {
        match self {
            Self::Previous => "previous".into(),
            Self::Oldest => "oldest".into(),
            Self::Ago(s) if s % 86_400 == 0 => format!("{}d", s / 86_400),
            Self::Ago(s) => format!("{}h", s / 3_600),
            Self::At(t) => jiff::Timestamp::from_second(t)
                .map_or_else(|_| t.to_string(), |t| t.strftime("%Y-%m-%d").to_string()),
        }
    }
}

/// The snapshot a comparison starts from, and what the view needs to say about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// When the chosen snapshot was taken, and the snapshot itself; `None` with fewer than
    /// two snapshots.
    pub then: Option<(Timestamp, Richlist)>,
    /// When the newest snapshot was taken.
    pub newest: Option<Timestamp>,
    /// How many snapshots of the token are kept.
    pub kept: usize,
    /// Snapshots that could not be read and were skipped, in words.
    pub skipped: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baselines_parse_from_words_durations_and_dates() {
        assert_eq!(Since::parse("previous"), Some(Since::Previous));
        assert_eq!(Since::parse("24h"), Some(Since::Ago(86_400)));
        assert_eq!(Since::parse("7d"), Some(Since::Ago(604_800)));
        assert_eq!(Since::parse("2026-11-01"), Some(Since::At(1_793_491_200)));
        for bad in ["", "soon", "7x", "2026-13-01", "d"] {
            assert_eq!(Since::parse(bad), None, "{bad}");
        }
        assert_eq!(Since::Ago(604_800).label(), "7d");
    }
}
