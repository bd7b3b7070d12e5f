//! The values every number of the config may take, in one table, checked in one place before
//! any of them is used.

/// One number of the config: where it is and its smallest and largest values.
pub struct Range {
    pub table: &'static str,
    pub key: &'static str,
    pub min: i64,
    pub max: i64,
}

const fn range(table: &'static str, key: &'static str, min: i64, max: i64) -> Range {
    Range {
        table,
        key,
        min,
        max,
    }
}

/// Longer than this, data is no longer "fresh" in any useful sense; shorter than the minimum,
/// a screen would ask the nodes all the time.
const TTL: (i64, i64) = (5, 30 * 86_400);

/// Every number of `assets/default-config.toml`; its comments state the same ranges (a test
/// holds the two together).
pub const RANGES: &[Range] = &[
    range("ttl", "tokens", TTL.0, TTL.1),
    range("ttl", "metrics", TTL.0, TTL.1),
    range("ttl", "token", TTL.0, TTL.1),
    range("ttl", "richlist", TTL.0, TTL.1),
    range("ttl", "history", TTL.0, TTL.1),
    range("ttl", "book", TTL.0, TTL.1),
    range("ttl", "trades", TTL.0, TTL.1),
    range("ttl", "pools", TTL.0, TTL.1),
    range("ttl", "pool", TTL.0, TTL.1),
    range("ttl", "account", TTL.0, TTL.1),
    range("ttl", "activity", TTL.0, TTL.1),
    range("snapshots", "keep_all_days", 0, 365),
    range("snapshots", "keep_daily_days", 0, 3_650),
    range("snapshots", "keep_weekly_days", 0, 36_500),
    range("shared_cache", "lease_secs", 1, 600),
    // More in flight per node only earns a node's rate limit and memory for queued answers.
    range("network", "per_node_in_flight", 1, 16),
    range("network", "connect_timeout_secs", 1, 60),
    range("network", "attempt_timeout_secs", 1, 300),
    range("network", "deadline_secs", 1, 3_600),
];

/// A number of the config outside its range, in the words the user reads.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("[{table}] {key} = {value}: must be between {min} and {max}")]
pub struct OutOfRange {
    pub table: &'static str,
    pub key: &'static str,
    pub value: i64,
    pub min: i64,
    pub max: i64,
}

/// The first number of `config` (the merged tables) outside its range. A value that is no
/// integer is left to the type check, which names it.
pub fn check(config: &toml::Table) -> Result<(), OutOfRange> {
    for r in RANGES {
        let value = config
            .get(r.table)
            .and_then(toml::Value::as_table)
            .and_then(|t| t.get(r.key))
            .and_then(toml::Value::as_integer);
        if let Some(value) = value
            && !(r.min..=r.max).contains(&value)
        {
            return Err(OutOfRange {
                table: r.table,
                key: r.key,
                value,
                min: r.min,
                max: r.max,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DEFAULT_CONFIG;

    fn table(text: &str) -> toml::Table {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn every_number_of_the_shipped_config_has_a_range_its_comment_states() {
        let defaults = table(DEFAULT_CONFIG);
        let mut numbers = 0;
        for (name, section) in &defaults {
            let Some(section) = section.as_table() else {
                continue;
            };
            for (key, value) in section {
                let Some(value) = value.as_integer() else {
                    continue;
                };
                numbers += 1;
                let r = RANGES
                    .iter()
                    .find(|r| r.table == name && r.key == key)
                    .unwrap_or_else(|| panic!("[{name}] {key} has no range"));
                assert!((r.min..=r.max).contains(&value), "[{name}] {key} = {value}");
                let line = DEFAULT_CONFIG
                    .lines()
                    .find(|l| l.starts_with(&format!("{key} = ")))
                    .unwrap();
                let stated = format!("# {} to {}", r.min, r.max);
                assert!(line.contains(&stated), "{line:?} states {stated:?}");
            }
        }
        assert_eq!(
            numbers,
            RANGES.len(),
            "every range is of a number that exists"
        );
        assert_eq!(check(&defaults), Ok(()));
    }

    #[test]
    fn a_number_outside_its_range_is_named_with_its_value_and_range() {
        let e = check(&table("[network]\nper_node_in_flight = 1000000")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "[network] per_node_in_flight = 1000000: must be between 1 and 16"
        );
        for (text, key) in [
            ("[network]\nper_node_in_flight = 0", "per_node_in_flight"),
            ("[network]\ndeadline_secs = -1", "deadline_secs"),
            ("[ttl]\nbook = 4", "book"),
            ("[ttl]\ntokens = 2592001", "tokens"),
            ("[snapshots]\nkeep_all_days = -2", "keep_all_days"),
            ("[shared_cache]\nlease_secs = 0", "lease_secs"),
        ] {
            assert_eq!(check(&table(text)).map_err(|e| e.key), Err(key), "{text}");
        }
        for edge in [
            "[network]\nper_node_in_flight = 16",
            "[network]\nper_node_in_flight = 1",
            "[ttl]\nbook = 5",
            "[snapshots]\nkeep_all_days = 0",
            // Not an integer: the type check's to name.
            "[ttl]\nbook = \"soon\"",
        ] {
            assert_eq!(check(&table(edge)), Ok(()), "{edge}");
        }
    }
}
