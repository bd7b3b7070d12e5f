//! Reading a key from the network: one client call per kind of data.

use super::{HiveEngine, Key, Payload, ProgressFn, Timestamp, source};

/// Reads `key` from the network.
pub(super) async fn fetch(
    client: &HiveEngine,
    key: &Key,
    now: Timestamp,
    progress: Option<ProgressFn>,
) -> Result<(Payload, crate::model::Provenance), source::Error> {
    let fetched = fetch_rows(client, key, now, progress).await?;
    // Nodes answer `[]` for a symbol that does not exist: say so rather than show an empty table.
    if fetched.0.rows() == 0
        && matches!(key, Key::History(..) | Key::Book(_) | Key::Trades(_))
        && let Some(symbol) = key.symbol()
    {
        client.token(symbol).await?;
    }
    Ok(fetched)
}

async fn fetch_rows(
    client: &HiveEngine,
    key: &Key,
    now: Timestamp,
    progress: Option<ProgressFn>,
) -> Result<(Payload, crate::model::Provenance), source::Error> {
    Ok(match key {
        Key::Tokens => client
            .tokens()
            .await
            .map(|f| (Payload::Tokens(f.value), f.provenance))?,
        Key::Metrics => client
            .metrics(now)
            .await
            .map(|f| (Payload::Metrics(f.value), f.provenance))?,
        Key::Token(s) => client
            .token(s)
            .await
            .map(|f| (Payload::Token(f.value), f.provenance))?,
        Key::Richlist(s) => client
            .richlist(s, progress)
            .await
            .map(|f| (Payload::Richlist(f.value), f.provenance))?,
        Key::History(s, r) => client
            .history(s, *r, now)
            .await
            .map(|f| (Payload::History(f.value), f.provenance))?,
        Key::Book(s) => client
            .book(s)
            .await
            .map(|f| (Payload::Book(f.value), f.provenance))?,
        Key::Trades(s) => client
            .trades(s, now)
            .await
            .map(|f| (Payload::Trades(f.value), f.provenance))?,
        Key::Pools => client
            .pools()
            .await
            .map(|f| (Payload::Pools(f.value), f.provenance))?,
        Key::Pool(pair) => client
            .pool(pair)
            .await
            .map(|f| (Payload::Pool(f.value), f.provenance))?,
        // Four walks at once make a large future: it lives on the heap.
        Key::Account(name) => Box::pin(client.account(name))
            .await
            .map(|f| (Payload::Account(f.value), f.provenance))?,
        Key::Activity(name, page) => client
            .activity(name, *page)
            .await
            .map(|f| (Payload::Activity(f.value), f.provenance))?,
        Key::Snapshot(..) | Key::Baseline(..) => {
            unreachable!("worked out locally before any fetch")
        }
    })
}
