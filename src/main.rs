//! The `market-tui` binary: command line in, the UI or a headless command out. A mistake of
//! the user's (a bad config, flag or path) is one plain line and exit code 2; a full report
//! with location and backtrace is for bugs only.

use std::io::{IsTerminal, Write};

use clap::Parser;
use color_eyre::eyre::WrapErr;
use market_tui::cli::{Cli, Command};
use market_tui::{commands, logging, manual, run, setup};

/// color-eyre for bugs, in colour only on a terminal without `NO_COLOR`.
fn install_error_reports() -> color_eyre::Result<()> {
    let plain = !std::io::stderr().is_terminal()
        || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let hooks = color_eyre::config::HookBuilder::default();
    let hooks = if plain {
        hooks.theme(color_eyre::config::Theme::new())
    } else {
        hooks
    };
    hooks.install()
}

fn main() -> color_eyre::Result<()> {
    market_tui::allocator::return_big_buffers_when_freed();
    install_error_reports()?;
    let cli = Cli::parse();
    if let Some(page) = manual::without_setup(&cli) {
        // A reader that stops early (`market-tui man | head`) is not an error.
        let mut out = std::io::stdout().lock();
        return match out.write_all(&page).and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(e).wrap_err("cannot write to standard output")
            }
            _ => Ok(()),
        };
    }
    let (config, data_dir) = match setup::config(&cli).and_then(|c| Ok((c, setup::data_dir(&cli)?)))
    {
        Ok(found) => found,
        Err(mistake) => {
            eprintln!("market-tui: {mistake}");
            std::process::exit(commands::EXIT_BAD_INPUT);
        }
    };
    let log_file = setup::log_file(&data_dir)
        .inspect_err(|why| {
            if cli.command.is_some() {
                eprintln!("warning: {why}");
            }
        })
        .ok();
    let log = log_file
        .as_ref()
        .and_then(|_| logging::init(&data_dir, &cli.log_level));
    let runtime = tokio::runtime::Runtime::new().wrap_err("cannot start the async runtime")?;
    let (code, compact) = runtime.block_on(async {
        let setup = setup::setup(&cli, config, data_dir.clone(), log_file)?;
        let cache = setup.swr.cache().clone();
        let code = match cli.command {
            None => run::run(setup).await.wrap_err("the terminal UI failed")?,
            Some(command) => {
                tokio::spawn(commands::stop_on_signal(cache.clone()));
                match command {
                    Command::Cache { action } => commands::cache(&setup, action).await,
                    Command::Export { what } => commands::export(&setup, what).await,
                    Command::Completions { .. } | Command::Man => {
                        unreachable!("printed by manual::without_setup")
                    }
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
