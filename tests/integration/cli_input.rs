//! Bad input of every class answered in one or two plain lines and exit code 2: no report, no
//! location, no backtrace (even with `RUST_BACKTRACE=1`), no colour when stderr is no terminal.

use std::path::Path;

use crate::support::{Tmpfs, cmd, text};

struct Case {
    name: &'static str,
    config: Option<&'static str>,
    /// The data dir to give, when it is what the case is about.
    data: Option<std::path::PathBuf>,
    args: Vec<String>,
    code: i32,
    words: &'static [&'static str],
}

fn case(name: &'static str, args: &[&str], code: i32, words: &'static [&'static str]) -> Case {
    Case {
        name,
        config: None,
        data: None,
        args: args.iter().map(|s| (*s).to_owned()).collect(),
        code,
        words,
    }
}

fn with_config(name: &'static str, toml: &'static str, words: &'static [&'static str]) -> Case {
    Case {
        config: Some(toml),
        ..case(name, &["--offline", "cache", "stats"], 2, words)
    }
}

fn check(dir: &Path, c: &Case) {
    let mut args = c.args.clone();
    if let Some(toml) = c.config {
        let file = dir.join(format!("{}.toml", c.name.replace(' ', "-")));
        std::fs::write(&file, toml).unwrap();
        args.splice(0..0, ["--config".to_owned(), file.display().to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let data = c.data.clone().unwrap_or_else(|| dir.join("data"));
    let out = cmd(None, &data, &args)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(c.code), "{}: {err}", c.name);
    for w in c.words {
        assert!(err.contains(w), "{}: {w:?} not in {err:?}", c.name);
    }
    for noise in [
        "Location:",
        "RUST_BACKTRACE",
        "BACKTRACE",
        "\u{1b}[",
        "\n   0: ",
        "Error: ",
    ] {
        assert!(!err.contains(noise), "{}: {noise:?} in {err:?}", c.name);
    }
    let lines = err.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(lines <= 4, "{}: {lines} lines: {err}", c.name);
}

#[test]
fn every_mistake_is_one_plain_answer_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let missing = dir.path().join("no/such/dir/out.csv");
    let folder = dir.path().display().to_string();
    let cases = vec![
        with_config("bad toml", "nodes = [", &["config", "bad-toml.toml"]),
        with_config("unknown key", "colour = 1", &["colour", "unknown-key.toml"]),
        with_config(
            "wrong type",
            "[ttl]\ntokens = \"soon\"",
            &["ttl", "wrong-type.toml"],
        ),
        with_config(
            "bad url in config",
            "nodes = [\"ftp://x.example\"]",
            &["node in the config", "ftp"],
        ),
        case(
            "bad url",
            &["--node", "notaurl", "export", "tokens"],
            2,
            &["--node", "notaurl", "not a node address"],
        ),
        case(
            "bad history url",
            &["--history-url", "http://", "export", "tokens"],
            2,
            &["--history-url"],
        ),
        Case {
            data: Some(file.clone()),
            ..case(
                "data dir is a file",
                &["cache", "stats"],
                2,
                &["is a file", "--data-dir"],
            )
        },
        Case {
            data: Some("/proc/market-tui/x".into()),
            ..case(
                "data dir cannot be made",
                &["cache", "stats"],
                2,
                &["cannot create data dir /proc/market-tui/x"],
            )
        },
        case(
            "out into a missing folder",
            &[
                "--offline",
                "export",
                "tokens",
                "--out",
                missing.to_str().unwrap(),
            ],
            2,
            &["does not exist"],
        ),
        case(
            "out is a folder",
            &["--offline", "export", "tokens", "--out", &folder],
            2,
            &["is a folder"],
        ),
        case(
            "unknown option",
            &["export", "tokens", "--frobnicate"],
            2,
            &["--frobnicate"],
        ),
        case(
            "bad duration",
            &["--offline", "export", "tokens", "--max-age", "soon"],
            2,
            &["--max-age", "soon"],
        ),
        case(
            "bad sort",
            &["--offline", "export", "richlist", "BEE", "--sort", "nope"],
            2,
            &["--sort", "nope"],
        ),
        case(
            "bad symbol",
            &["--offline", "export", "book", "bee;rm"],
            2,
            &["not a valid token symbol"],
        ),
    ];
    for c in &cases {
        check(dir.path(), c);
    }
}

#[test]
fn a_read_only_data_dir_runs_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_ro) = Tmpfs::mount_read_only(dir.path()) else {
        return;
    };
    let out = cmd(None, dir.path(), &["--offline", "cache", "stats"])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("is not writable"), "{err}");
}
