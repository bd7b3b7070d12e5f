//! What an installed binary offers besides the UI: shell completions and the man page, which
//! need no config, data dir, log, cache or network.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::support::{bin, text};

/// The binary with `args`, a data dir and config that cannot be used, and no home to find
/// the default ones in: anything that needed the set-up would fail.
fn without_setup(dir: &Path, args: &[&str]) -> Output {
    let data_dir = dir.join("a-file");
    std::fs::write(&data_dir, "not a folder").unwrap();
    let out = Command::new(bin())
        .args(args)
        .env("MARKET_TUI_DATA_DIR", &data_dir)
        .env("MARKET_TUI_SHARED_CACHE", "not a url")
        .env("HOME", dir.join("no-home"))
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_DATA_HOME")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {:?} {}",
        out.status,
        text(&out.stderr)
    );
    assert!(!out.stdout.is_empty(), "{args:?}");
    assert_eq!(
        std::fs::read_dir(dir).unwrap().count(),
        1,
        "{args:?} wrote nothing"
    );
    out
}

#[test]
fn completions_and_the_man_page_need_no_set_up() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        without_setup(dir.path(), &["completions", shell]);
    }
    without_setup(dir.path(), &["man"]);
    // The same with a config file that does not exist, which any other command refuses.
    let missing = dir.path().join("missing.toml");
    let missing = missing.to_str().unwrap();
    without_setup(dir.path(), &["--config", missing, "man"]);
    let refused = Command::new(bin())
        .args(["--config", missing, "--data-dir"])
        .arg(dir.path())
        .args(["cache", "stats"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
}

/// Sources the bash script and completes `words` (the last one being typed), as bash does
/// on TAB.
fn complete_in_bash(script: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        r#"source '{}'
fn=$(complete -p market-tui | sed -E 's/.* -F ([^ ]+) .*/\1/')
COMP_WORDS=({})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
"$fn" market-tui "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        script.display(),
        quoted.join(" ")
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).lines().map(str::to_owned).collect()
}

#[test]
fn bash_completes_commands_kinds_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("market-tui.bash");
    std::fs::write(
        &script,
        without_setup(dir.path(), &["completions", "bash"]).stdout,
    )
    .unwrap();
    let complete = |words: &[&str]| complete_in_bash(&script, words);
    assert_eq!(complete(&["market-tui", "ex"]), ["export"]);
    let kinds = complete(&["market-tui", "export", ""]);
    for kind in [
        "richlist", "tokens", "history", "book", "trades", "pools", "pool", "changes", "account",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind}: {kinds:?}");
    }
    assert_eq!(
        complete(&["market-tui", "cache", "w"]),
        ["warm"],
        "nested commands"
    );
    assert_eq!(
        complete(&["market-tui", "export", "tokens", "--format", ""]),
        ["csv", "json"]
    );
    assert_eq!(
        complete(&["market-tui", "export", "account", "bob", "--part", ""]),
        ["wallet", "orders", "pools", "activity"]
    );
    assert_eq!(
        complete(&["market-tui", "export", "changes", "BEE", "--since", ""]),
        ["previous", "oldest", "24h", "7d", "30d"]
    );
    assert_eq!(
        complete(&["market-tui", "export", "richlist", "BEE", "--sort", "pct"]),
        ["pct_supply", "pct_circulating"]
    );
    assert!(complete(&["market-tui", "cache", "clear", ""]).contains(&"snapshot".to_owned()));
    assert!(
        complete(&["market-tui", "export", "richlist", "BEE", "--"])
            .contains(&"--max-age".to_owned())
    );
}

#[test]
fn the_man_page_names_every_command_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let page = text(&without_setup(dir.path(), &["man"]).stdout);
    for command in [
        "cache",
        "cache stats",
        "cache clear",
        "cache warm",
        "export",
        "export richlist",
        "export tokens",
        "export history",
        "export book",
        "export trades",
        "export pools",
        "export pool",
        "export changes",
        "export account",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!(".SS \"market-tui {command}\"")),
            "{command}"
        );
    }
    let exit_status = &page[page.find(".SH \"EXIT STATUS\"").unwrap()..];
    for code in ["0", "2", "3", "4"] {
        assert!(exit_status.contains(&format!("\\fB{code}\\fR")), "{code}");
    }
    for section in ["KEYS", "ENVIRONMENT", "FILES"] {
        assert!(page.contains(&format!(".SH {section}")), "{section}");
    }
}

/// `man --warnings` reads the page as a user's `man` would: not a word of complaint. Runs
/// where man is installed (`scripts/test` installs it).
#[test]
fn the_man_page_renders_without_warnings() {
    if Command::new("man").arg("--version").output().is_err() {
        eprintln!("man is not installed: rendering not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("market-tui.1");
    std::fs::write(&page, without_setup(dir.path(), &["man"]).stdout).unwrap();
    let read = |width: &str| {
        Command::new("man")
            .args(["--warnings", "-l"])
            .arg(&page)
            .env("MANWIDTH", width)
            .env_remove("MANPAGER")
            .env("PAGER", "cat")
            .output()
            .unwrap()
    };
    for width in ["60", "120"] {
        let out = read(width);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stderr), "", "warnings at {width} columns");
    }
    let out = read("80");
    assert_eq!(text(&out.stderr), "", "warnings at 80 columns");
    // Bold is a character, a backspace and the character again.
    let mut shown = String::new();
    for c in text(&out.stdout).chars() {
        if c == '\u{8}' {
            shown.pop();
        } else {
            shown.push(c);
        }
    }
    assert!(shown.contains("EXIT STATUS") && shown.contains("export richlist"));
}
