//! The `market-tui` binary: command line in, the UI or a headless command out.

use clap::Parser;
use color_eyre::eyre::WrapErr;
use market_tui::cli::{Cli, Command};
use market_tui::{commands, config, logging, run, setup};

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    if cli.print_default_config {
        print!("{}", config::DEFAULT_CONFIG);
        return Ok(());
    }
    let config = setup::config(&cli)?;
    let data_dir = setup::data_dir(&cli)?;
    let log = logging::init(&data_dir, &cli.log_level);
    let runtime = tokio::runtime::Runtime::new().wrap_err("cannot start the async runtime")?;
    let (code, compact) = runtime.block_on(async {
        let setup = setup::setup(&cli, config, data_dir.clone())?;
        let cache = setup.swr.cache().clone();
        let code = match cli.command {
            None => run::run(setup).await.wrap_err("the terminal UI failed")?,
            Some(command) => {
                tokio::spawn(commands::stop_on_signal(cache.clone()));
                match command {
                    Command::Cache { action } => commands::cache(&setup, action).await,
                    Command::Export { what } => commands::export(&setup, what).await,
                }
            }
        };
        Ok::<_, color_eyre::Report>((code, cache.needs_compaction()))
    })?;
    // The database must be closed (every task gone with the runtime) before it is rewritten.
    drop(runtime);
    if compact && let Err(why) = market_tui::cache::compact(&data_dir) {
        tracing::warn!(%why, "cache compaction skipped");
    }
    drop(log);
    std::process::exit(code);
}
