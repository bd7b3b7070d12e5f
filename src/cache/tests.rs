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
fn stats_and_clear() {
    let cache = Cache::in_memory();
    cache.put(
        &Key::Book("BEE".into()),
        Payload::Book(crate::model::OrderBook::default()),
        Provenance::default(),
        5,
    );
    cache.put(
        &Key::Book("LEO".into()),
        Payload::Book(crate::model::OrderBook::default()),
        Provenance::default(),
        9,
    );
    let stats: HashMap<DataKind, KindStats> = cache.stats().into_iter().collect();
    assert_eq!(stats[&DataKind::Book].keys, 2);
    assert_eq!(
        (stats[&DataKind::Book].oldest, stats[&DataKind::Book].newest),
        (Some(5), Some(9))
    );
    cache.clear(&[DataKind::Book]).unwrap();
    assert!(cache.get(&Key::Book("BEE".into())).is_none());
}
