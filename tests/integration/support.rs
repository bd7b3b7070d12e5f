//! Shared helpers: a fast-failing client configuration for tests against the fake network.

use std::time::Duration;

use market_tui::source::{ClientConfig, HealthConfig, HiveEngine, TransportConfig};

use crate::fake_node::FakeNet;

/// Millisecond backoffs and short timeouts, so fault tests run quickly.
pub fn test_config(urls: Vec<String>, history: String) -> ClientConfig {
    ClientConfig {
        nodes: urls,
        history_url: history,
        transport: TransportConfig {
            connect_timeout: Duration::from_millis(500),
            attempt_timeout: Duration::from_millis(1500),
            body_cap: 64 * 1024 * 1024,
            same_node_retries: 2,
            min_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        },
        health: HealthConfig {
            base_cooldown: Duration::from_millis(300),
            max_cooldown: Duration::from_secs(2),
            ..HealthConfig::default()
        },
        deadline: Duration::from_secs(20),
        ..ClientConfig::default()
    }
}

pub fn client(net: &FakeNet) -> HiveEngine {
    HiveEngine::new(test_config(net.urls(), net.urls()[0].clone())).unwrap()
}

pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}
