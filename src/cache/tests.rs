//! Unit tests of the sled store: generations, misses of garbage and old schemas, stats.

use super::*;
use crate::model::Token;

fn richlist(n: usize) -> Payload {
    Payload::Richlist(crate::fixtures::richlist(n))
}

#[test]
fn a_big_value_is_chunked_and_read_back_as_one_generation() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    assert!(cache.on_disk());
    let key = Key::Richlist("BEE".into());
    let first = cache.put(&key, richlist(20_000), Provenance::default(), 100);
    assert!(first.meta.chunks > 5);
    let second = cache.put(&key, richlist(10), Provenance::default(), 200);
    let got = cache.get(&key).unwrap();
    assert_eq!(got.meta, second.meta);
    assert_eq!(*got.payload, richlist(10));
    let tree = &cache.trees[&DataKind::Richlist];
    assert_eq!(
        tree.scan_prefix(chunk_prefix(&key)).count(),
        1,
        "old generation's chunks are gone"
    );
    drop(cache);
    let reopened = Cache::open(dir.path());
    assert_eq!(reopened.get(&key).unwrap().meta.fetched_at, 200);
}

#[test]
fn garbage_and_old_schemas_are_misses() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    let key = Key::Token("BEE".into());
    let token = Payload::Token(Token {
        symbol: "BEE".into(),
        name: String::new(),
        issuer: String::new(),
        precision: 8,
        max_supply: crate::model::Amount::ZERO,
        supply: crate::model::Amount::ZERO,
        circulating_supply: crate::model::Amount::ZERO,
        staking_enabled: false,
        unstaking_cooldown_days: 0,
        delegation_enabled: false,
        undelegation_cooldown_days: 0,
        total_staked: crate::model::Amount::ZERO,
        metadata: crate::model::TokenMetadata::default(),
    });
    let e = cache.put(&key, token, Provenance::default(), 1);
    let tree = &cache.trees[&DataKind::Token];
    tree.insert(
        chunk_key(&key, e.meta.generation, 0),
        b"\xff\xfe\xfd".as_slice(),
    )
    .unwrap();
    assert!(cache.get(&key).is_none(), "an undecodable value is a miss");
    let mut old = e.meta.clone();
    old.schema = SCHEMA + 1;
    tree.insert(meta_key(&key), postcard::to_allocvec(&old).unwrap())
        .unwrap();
    assert!(cache.get(&key).is_none(), "another schema is a miss");
}

#[test]
fn stats_and_clear_say_how_many_values_went() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    let book = || Payload::Book(crate::model::OrderBook::default());
    cache.put(&Key::Book("BEE".into()), book(), Provenance::default(), 5);
    cache.put(&Key::Book("LEO".into()), book(), Provenance::default(), 9);
    let stats: HashMap<DataKind, KindStats> = cache.stats().into_iter().collect();
    assert_eq!(stats[&DataKind::Book].keys, 2);
    assert_eq!(
        (stats[&DataKind::Book].oldest, stats[&DataKind::Book].newest),
        (Some(5), Some(9))
    );
    let cleared = cache.clear(&[DataKind::Book, DataKind::Trades]);
    assert_eq!(
        cleared,
        vec![(DataKind::Book, Ok(2)), (DataKind::Trades, Ok(0))]
    );
    assert!(cache.get(&Key::Book("BEE".into())).is_none());
}

/// A cache read from a copy (another process holds it) keeps nothing and clears nothing, and
/// says why for each value.
#[test]
fn a_copy_keeps_and_clears_nothing_on_disk_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let first = Cache::open(dir.path());
    let key = Key::Richlist("BEE".into());
    first.put(&key, richlist(3), Provenance::default(), 1);
    assert_eq!(first.kept(&key), Ok(()));
    let copy = Cache::open(dir.path());
    let why = copy.not_on_disk().expect("a copy does not write");
    assert!(
        why.to_string().contains("in use by another market-tui"),
        "{why}"
    );
    copy.put(&key, richlist(5), Provenance::default(), 2);
    assert_eq!(copy.kept(&key), Err(why.clone()));
    assert_eq!(
        copy.clear(&[DataKind::Richlist]),
        vec![(DataKind::Richlist, Err(why))]
    );
    drop(copy);
    assert_eq!(
        *first.get(&key).unwrap().payload,
        richlist(3),
        "the original stays"
    );
}
