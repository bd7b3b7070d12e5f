//! What market-tui prints without any set-up (no config, data dir, log, cache or network): the
//! default config, shell completions and the manual page. All of it comes from what the program
//! itself uses: the clap definitions (`cli.rs`), the help overlay's list of keys with the shipped
//! bindings, the exit codes of `commands.rs` and the names of the files the program writes.

mod page;

use clap::CommandFactory;

pub use page::page;

use crate::cli::{Cli, Command};

const NAME: &str = "market-tui";

/// The bytes to print for `--print-default-config`, `completions SHELL` or `man`; `None` for a
/// command that needs the set-up.
pub fn without_setup(cli: &Cli) -> Option<Vec<u8>> {
    if cli.print_default_config {
        return Some(crate::config::DEFAULT_CONFIG.as_bytes().to_vec());
    }
    match cli.command {
        Some(Command::Completions { shell }) => Some(completions(shell)),
        Some(Command::Man) => Some(page()),
        _ => None,
    }
}

/// The completion script for `shell`: subcommands, flags and the values each one offers.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), NAME, &mut out);
    if shell != clap_complete::Shell::Bash {
        return out;
    }
    // clap_complete's bash script spells the state of a subcommand of a program with a `-` in
    // its name one way where it walks the words and another where it completes
    // (`market__tui__subcmd__export` and `market__subcmd__tui__subcmd__export`), so nothing
    // past the first word completed (clap-rs/clap#6421). The walk's spelling is kept.
    let completed = format!("{}__subcmd__", NAME.replace('-', "__subcmd__"));
    let walked = format!("{}__subcmd__", NAME.replace('-', "__"));
    String::from_utf8_lossy(&out)
        .replace(&completed, &walked)
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn text(bytes: &[u8]) -> String {
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn completions_offer_commands_kinds_and_values() {
        let bash = text(&completions(clap_complete::Shell::Bash));
        for word in [
            "export",
            "cache",
            "completions",
            "man",
            "richlist",
            "tokens",
            "history",
            "book",
            "trades",
            "pools",
            "pool",
            "changes",
            "account",
            "stats",
            "clear",
            "warm",
            "--format",
            "csv json",
            "wallet orders pools activity",
            "previous oldest 24h",
            "pct_circulating",
            "--data-dir",
        ] {
            assert!(bash.contains(word), "{word}");
        }
        for shell in [
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
            clap_complete::Shell::Elvish,
            clap_complete::Shell::PowerShell,
        ] {
            // Elvish's script offers the options but not their values; fish's names them
            // without dashes.
            let script = text(&completions(shell));
            assert!(
                script.contains("richlist") && script.contains("format"),
                "{shell}"
            );
        }
    }

    #[test]
    fn only_these_commands_skip_the_set_up() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).unwrap();
        assert!(without_setup(&parse(&[NAME, "man"])).is_some());
        assert!(without_setup(&parse(&[NAME, "completions", "fish"])).is_some());
        assert!(without_setup(&parse(&[NAME, "--print-default-config"])).is_some());
        assert!(without_setup(&parse(&[NAME, "cache", "stats"])).is_none());
        assert!(without_setup(&parse(&[NAME])).is_none());
    }
}
