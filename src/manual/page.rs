//! The manual page: `clap_mangen`'s sections of the top command, a section per subcommand,
//! then the keys, exit codes, environment and files.

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use super::NAME;
use crate::cli::Cli;
use crate::keymap::Keymap;

/// The manual page, in roff: `clap_mangen`'s sections of the top command, then one section per
/// subcommand (nested ones too) with its synopsis and options, then the keys, exit codes,
/// environment and files.
pub fn page() -> Vec<u8> {
    let top = Cli::command().disable_help_subcommand(true);
    let man = Man::new(compact_values(top.clone())).manual("User Commands");
    let mut page = Roff::new().render();
    page += &rendered(|w| man.render_title(w));
    // Paths and options are not to be broken at a hyphen.
    page += &roff(|r| {
        r.control("nh", []);
    });
    page += &rendered(|w| man.render_name_section(w));
    page += &rendered(|w| man.render_synopsis_section(w));
    page += &roff(|r| description(r, &top));
    page += &rendered(|w| man.render_options_section(w));
    page += &roff(|r| {
        r.control("SH", ["COMMANDS"]);
        let globals: Vec<String> = top
            .get_arguments()
            .filter(|a| a.is_global_set())
            .filter_map(|a| Some(format!("--{}", a.get_long()?)))
            .collect();
        r.text([roman(format!(
            "Every command also takes the global options: {}.",
            globals.join(", ")
        ))]);
    });
    for sub in top.get_subcommands() {
        page += &command_section(sub, NAME, &[]);
    }
    page += &roff(keys);
    page += &roff(exit_status);
    page += &roff(|r| environment(r, &top));
    page += &roff(files);
    page.into_bytes()
}

/// A section `clap_mangen` rendered, without the preamble every render repeats.
fn rendered(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    // Writing to memory does not fail.
    let _ = render(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let preamble = Roff::new().render();
    text.strip_prefix(&preamble).unwrap_or(&text).to_owned()
}

fn roff(write: impl FnOnce(&mut Roff)) -> String {
    let mut r = Roff::new();
    write(&mut r);
    rendered(|w| r.to_writer(w))
}

/// An option's values on one line after its help (`clap_mangen` would give each value a
/// bulleted paragraph of its own).
fn compact_values(cmd: clap::Command) -> clap::Command {
    cmd.mut_args(|arg| {
        if arg.is_hide_possible_values_set() || !arg.get_action().takes_values() {
            return arg;
        }
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_owned())
            .collect();
        if values.is_empty() {
            return arg;
        }
        let help = match arg.get_help() {
            Some(help) => format!("{help}; one of: {}", values.join(", ")),
            None => format!("One of: {}", values.join(", ")),
        };
        arg.help(help).hide_possible_values(true)
    })
}

/// What market-tui shows; then what the command line's own help says after the options.
fn description(r: &mut Roff, top: &clap::Command) {
    r.control("SH", ["DESCRIPTION"]);
    r.text([roman(
        "market-tui shows every Hive-Engine token with its price, 24h change, volume and \
         market cap; a token's facts, daily candles, order book and last-24h trades; the full \
         richlist of any token, and who accumulated, sold, arrived and left since a baseline \
         (every richlist fetched is kept as a dated snapshot); every liquidity pool with each \
         provider's position; and any account's wallet valued in HIVE, its open orders, pool \
         shares and recent operations.",
    )]);
    r.control("PP", []);
    r.text([roman(
        "Everything is drawn from a local cache at once, even when it is old, and refreshed in \
         the background. When a node fails, the data stays on screen, marked stale with its \
         age and the error in words, and the refresh is retried on other nodes.",
    )]);
    if let Some(after) = top.get_after_help() {
        r.control("PP", []);
        r.text([roman(format!(
            "{after} The commands below run without the UI, for scripts."
        ))]);
    }
}

/// Ids of the options that every subcommand of `cmd` takes (`export`'s `--format`, `--out`,
/// `--max-age`): shown once, in `cmd`'s own section.
fn common_options(cmd: &clap::Command) -> Vec<clap::Id> {
    let mut subs = cmd.get_subcommands();
    let Some(first) = subs.next() else {
        return Vec::new();
    };
    let rest: Vec<&clap::Command> = subs.collect();
    if rest.is_empty() {
        return Vec::new();
    }
    first
        .get_arguments()
        .filter(|a| !a.is_positional())
        .map(|a| a.get_id().clone())
        .filter(|id| {
            rest.iter()
                .all(|s| s.get_arguments().any(|a| a.get_id() == id))
        })
        .collect()
}

/// `cmd` ready for `clap_mangen`: named by its whole path, without the help flag and
/// subcommand every command gets, values compact, the `hidden` options left out.
fn for_page(cmd: &clap::Command, path: &str, hidden: &[clap::Id]) -> Man {
    let cmd = cmd
        .clone()
        .bin_name(path)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .mut_args(|a| {
            let hide = hidden.contains(a.get_id());
            a.hide(hide)
        });
    Man::new(compact_values(cmd))
}

/// A rendered section's lines without its `.SH` heading: here it belongs to a command.
fn without_heading(text: &str) -> String {
    let mut kept = String::new();
    for line in text.lines().filter(|l| !l.starts_with(".SH ")) {
        kept += line;
        kept.push('\n');
    }
    kept
}

/// `.SS market-tui PATH…`: what the command does, its synopsis and options (those `shared`
/// with its siblings are in its parent's section); then its subcommands, each its own section.
fn command_section(cmd: &clap::Command, parent: &str, shared: &[clap::Id]) -> String {
    let path = format!("{parent} {}", cmd.get_name());
    let mut text = roff(|r| {
        r.control("SS", [path.as_str()]);
        if let Some(about) = cmd.get_long_about().or_else(|| cmd.get_about()) {
            r.text([roman(about.to_string())]);
        }
    });
    if cmd.has_subcommands() {
        let common = common_options(cmd);
        if let Some(first) = cmd.get_subcommands().next()
            && !common.is_empty()
        {
            let others: Vec<clap::Id> = first
                .get_arguments()
                .map(|a| a.get_id().clone())
                .filter(|id| !common.contains(id))
                .collect();
            let man = for_page(first, &path, &others);
            text += &roff(|r| {
                r.control("PP", []);
                r.text([roman(format!("Every {path} command takes:"))]);
            });
            text += &without_heading(&rendered(|w| man.render_options_section(w)));
        }
        for sub in cmd.get_subcommands() {
            text += &command_section(sub, &path, &common);
        }
        return text;
    }
    text += &roff(|r| {
        r.control("PP", []);
    });
    text += &without_heading(&rendered(|w| {
        for_page(cmd, &path, &[]).render_synopsis_section(w)
    }));
    text += &without_heading(&rendered(|w| {
        for_page(cmd, &path, shared).render_options_section(w)
    }));
    text
}

/// The help overlay's commands with the shipped keys and the `[keys]` name each is bound by.
fn keys(r: &mut Roff) {
    r.control("SH", ["KEYS"]);
    r.text([roman(
        "In the terminal UI, ? shows the keys of the screen in view first, then all of them. \
         These are the shipped keys; each command can be bound to other keys in the config \
         file's [keys] table, under the name in parentheses.",
    )]);
    let keymap = Keymap::shipped();
    for (command, what) in crate::app::DESCRIBED {
        let shown: Vec<String> = keymap.keys_for(*command).iter().map(|k| plain(k)).collect();
        r.control("TP", []);
        let mut header = Vec::new();
        for (i, key) in shown.into_iter().enumerate() {
            if i > 0 {
                header.push(roman(", "));
            }
            header.push(bold(key));
        }
        if let Some(name) = command.name() {
            header.push(roman(format!(" ({name})")));
        }
        r.text(header);
        r.text([roman(*what)]);
    }
    for (keys, what) in crate::app::FIXED {
        r.control("TP", []);
        r.text([bold(*keys)]);
        r.text([roman(*what)]);
    }
}

/// A key's label in ASCII: a terminal reading the page may have no arrows.
fn plain(label: &str) -> String {
    label
        .replace('↑', "Up")
        .replace('↓', "Down")
        .replace('←', "Left")
        .replace('→', "Right")
}

fn exit_status(r: &mut Roff) {
    r.control("SH", ["EXIT STATUS"]);
    for (code, what) in crate::commands::EXIT_CODES {
        r.control("TP", []);
        r.text([bold(*code)]);
        r.text([roman(*what)]);
    }
}

/// The variables the options read (from their clap definitions), then the others.
fn environment(r: &mut Roff, top: &clap::Command) {
    r.control("SH", ["ENVIRONMENT"]);
    for arg in top.get_arguments() {
        let (Some(env), Some(long)) = (arg.get_env(), arg.get_long()) else {
            continue;
        };
        r.control("TP", []);
        r.text([bold(env.to_string_lossy().into_owned())]);
        let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
        let mut chars = help.chars();
        let help: String = chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default();
        r.text([roman(format!("The default of --{long}: {help}."))]);
    }
    r.control("TP", []);
    r.text([bold("NO_COLOR")]);
    r.text([roman(
        "When set and not empty: no colours in the UI (as theme = \"mono\" in the config) \
         and plain error reports.",
    )]);
}

fn files(r: &mut Roff) {
    r.control("SH", ["FILES"]);
    let entry = |r: &mut Roff, name: &str, what: &str| {
        r.control("TP", []);
        r.text([italic(name)]);
        r.text([roman(what)]);
    };
    entry(
        r,
        "~/.config/market-tui/config.toml",
        "The config file, read when it exists, unless --config names another. \
         $XDG_CONFIG_HOME, when set, stands for ~/.config; other systems have a config folder \
         of their own. market-tui --print-default-config prints the defaults: nodes, TTLs per \
         view, network limits, snapshot retention, keys and theme.",
    );
    entry(
        r,
        "~/.local/share/market-tui/",
        "The data dir, unless --data-dir or MARKET_TUI_DATA_DIR names another. \
         $XDG_DATA_HOME, when set, stands for ~/.local/share; other systems have a data folder \
         of their own. It holds the files below. A data dir that cannot be written still runs: without a log file, \
         reading the cache from a copy and keeping new data in memory.",
    );
    let in_data_dir = [
        (
            crate::cache::DIR,
            "/",
            "The cache (a sled database): every view's data and the richlist snapshots kept as \
             history.",
        ),
        (crate::logging::LOG_FILE, "", "The log (see --log-level)."),
        (
            crate::setup::EXPORT_DIR,
            "/",
            "Where the UI's e writes its CSV files, unless the config's export_dir names \
             another folder.",
        ),
        (
            crate::setup::FAVORITES_FILE,
            "",
            "The favorite tokens, pools and accounts, kept across runs.",
        ),
    ];
    for (name, slash, what) in in_data_dir {
        entry(r, &format!("<data dir>/{name}{slash}"), what);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    /// Every command's path, nested ones too: `cache`, `cache stats`, …
    fn paths(cmd: &clap::Command, parent: &str) -> Vec<String> {
        cmd.get_subcommands()
            .flat_map(|sub| {
                let path = format!("{parent} {}", sub.get_name());
                let mut all = vec![path.clone()];
                all.extend(paths(sub, &path));
                all
            })
            .collect()
    }

    #[test]
    fn the_page_has_a_section_for_every_command() {
        let page = text(&page());
        let all = paths(&Cli::command(), NAME);
        assert!(all.len() > 10, "{all:?}");
        for path in &all {
            assert!(page.contains(&format!(".SS \"{path}\"")), "{path}");
            // A command without subcommands shows its synopsis.
            let leaf = !all.iter().any(|p| p.starts_with(&format!("{path} ")));
            let synopsis = format!("\\fB{}\\fR", path.replace('-', "\\-"));
            assert!(!leaf || page.contains(&synopsis), "{path}");
        }
        assert_eq!(page.matches(".TH ").count(), 1);
        assert_eq!(page.matches(".ie \\n(.g").count(), 1, "one preamble");
    }

    #[test]
    fn the_page_lists_keys_exit_codes_variables_and_files() {
        let page = text(&page());
        for (code, _) in crate::commands::EXIT_CODES {
            assert!(page.contains(&format!("\\fB{code}\\fR")), "{code}");
        }
        for code in [
            crate::commands::EXIT_OK,
            crate::commands::EXIT_BAD_INPUT,
            crate::commands::EXIT_STALE,
            crate::commands::EXIT_FAILED,
        ] {
            assert!(
                crate::commands::EXIT_CODES
                    .iter()
                    .any(|(c, _)| *c == code.to_string()),
                "{code}"
            );
        }
        for section in ["KEYS", "EXIT STATUS", "ENVIRONMENT", "FILES", "OPTIONS"] {
            assert!(
                page.contains(&format!(".SH \"{section}\""))
                    || page.contains(&format!(".SH {section}")),
                "{section}"
            );
        }
        for word in [
            "MARKET_TUI_DATA_DIR",
            "MARKET_TUI_SHARED_CACHE",
            "NO_COLOR",
            "config.toml",
            "market\\-tui.log",
            "favorites.txt",
            "exports/",
            "cache/",
            "(page_down)",
            "\\fBCtrl\\-d\\fR, \\fBPgDn\\fR",
            "\\fBk\\fR, \\fBUp\\fR (up)",
        ] {
            assert!(page.contains(word), "{word}");
        }
        assert!(page.is_ascii(), "no character a plain terminal lacks");
    }
}
