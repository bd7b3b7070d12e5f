//! Runs the fake Hive-Engine network by hand: `cargo run --release -p fake-node -- --port 18080`.

use clap::Parser;
use fake_node::{FakeNet, Knobs, Scale};

/// A local Hive-Engine node (JSON-RPC and history API) serving deterministic data.
#[derive(Parser)]
struct Args {
    /// First port; further nodes take the next ones.
    #[arg(long, default_value_t = 18080)]
    port: u16,
    /// How many nodes to serve, each with its own knobs and the same data.
    #[arg(long, default_value_t = 1)]
    nodes: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long, default_value_t = 300)]
    tokens: usize,
    /// Holders of the biggest token; the others follow a long tail.
    #[arg(long, default_value_t = 5_000)]
    max_holders: usize,
    #[arg(long, default_value_t = 800)]
    history_days: usize,
    /// Liquidity pools; the first, SWAP.HIVE:BEE, has 3000 providers.
    #[arg(long, default_value_t = 200)]
    pools: usize,
    /// Latency added to every request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Extra microseconds per row skipped by `offset`.
    #[arg(long, default_value_t = 0)]
    offset_cost_us: u64,
    /// Requests per second per node before answering 429.
    #[arg(long)]
    rate_limit: Option<u32>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let scale = Scale {
        seed: args.seed,
        tokens: args.tokens,
        max_holders: args.max_holders,
        history_days: args.history_days,
        pools: args.pools,
        ..Scale::default()
    };
    let net = FakeNet::start(scale, args.nodes, args.port).await?;
    let knobs = Knobs {
        latency_ms: args.latency_ms,
        offset_cost_us: args.offset_cost_us,
        rate_limit_per_sec: args.rate_limit,
        ..Knobs::default()
    };
    for node in &net.nodes {
        node.set_knobs(knobs.clone());
        println!(
            "fake Hive-Engine node at {}  (history API at the same URL; admin at {}admin/)",
            node.url(),
            node.url()
        );
    }
    tokio::signal::ctrl_c().await?;
    Ok(())
}
