//! Bad input of every class answered in one or two plain lines and exit code 2: no report, no
//! location, no backtrace (even with `RUST_BACKTRACE=1`), no colour when stderr is no terminal.

use std::path::Path;
use std::process::Output;

use fake_node::FakeNet;

use crate::support::{Tmpfs, cmd, run, text};

struct Case {
    name: &'static str,
    config: Option<&'static str>,
    /// The data dir to give, when it is what the case is about.
    data: Option<std::path::PathBuf>,
    args: Vec<String>,
    /// Environment variables set for the run.
    env: &'static [(&'static str, &'static str)],
    code: i32,
    words: &'static [&'static str],
}

fn case(name: &'static str, args: &[&str], code: i32, words: &'static [&'static str]) -> Case {
    Case {
        name,
        config: None,
        data: None,
        args: args.iter().map(|s| (*s).to_owned()).collect(),
        env: &[],
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
        .env_remove("MARKET_TUI_SHARED_CACHE")
        .envs(c.env.iter().copied())
        .output()
        .unwrap();
    plain_answer(c.name, &out, c.code, c.words);
}

/// `out` exited with `code`, saying `words` on stderr in at most four lines, with no report,
/// location, backtrace or colour.
fn plain_answer(name: &str, out: &Output, code: i32, words: &[&str]) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{name}: {err}");
    for w in words {
        assert!(err.contains(w), "{name}: {w:?} not in {err:?}");
    }
    for noise in [
        "Location:",
        "RUST_BACKTRACE",
        "BACKTRACE",
        "\u{1b}[",
        "\n   0: ",
        "Error: ",
    ] {
        assert!(!err.contains(noise), "{name}: {noise:?} in {err:?}");
    }
    let lines = err.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(lines <= 4, "{name}: {lines} lines: {err}");
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
fn numbers_out_of_range_empty_node_lists_bad_shared_caches_names_and_dates_are_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let shared = |name, args: &[&str], words| {
        let mut all = args.to_vec();
        all.extend(["--offline", "cache", "stats"]);
        case(name, &all, 2, words)
    };
    let cases = vec![
        with_config(
            "in flight out of range",
            "[network]\nper_node_in_flight = 1000000",
            &[
                "in-flight-out-of-range.toml",
                "[network] per_node_in_flight = 1000000: must be between 1 and 16",
            ],
        ),
        with_config(
            "negative ttl",
            "[ttl]\nbook = -1",
            &["[ttl] book = -1: must be between 5 and 2592000"],
        ),
        with_config(
            "retention out of range",
            "[snapshots]\nkeep_weekly_days = 100000",
            &["[snapshots] keep_weekly_days = 100000: must be between 0 and 36500"],
        ),
        with_config(
            "no nodes",
            "nodes = []",
            &["node list", "is empty", "--node URL"],
        ),
        shared(
            "shared cache not a url",
            &["--shared-cache", "notaurl"],
            &[
                "--shared-cache \"notaurl\" is not a Redis address",
                "redis://",
            ],
        ),
        shared(
            "shared cache of another scheme",
            &["--shared-cache", "http://localhost:6379/"],
            &["the scheme is \"http\"", "rediss://"],
        ),
        Case {
            env: &[("MARKET_TUI_SHARED_CACHE", "localhost:6379")],
            ..shared(
                "shared cache from the environment",
                &[],
                &["MARKET_TUI_SHARED_CACHE \"localhost:6379\" is not a Redis address"],
            )
        },
        with_config(
            "shared cache in the config",
            "[shared_cache]\nurl = \"memcached://cache.example\"",
            &["[shared_cache] url in the config", "memcached"],
        ),
        case(
            "account name with an empty part",
            &["--offline", "export", "account", "a..b"],
            2,
            &[
                "\"a..b\" is not a Hive account name",
                "each part at least 3 characters",
            ],
        ),
        case(
            "account name ending with a dash",
            &["--offline", "export", "account", "alice-"],
            2,
            &["\"alice-\" is not a Hive account name"],
        ),
        case(
            "since in the future",
            &[
                "--offline",
                "export",
                "changes",
                "BEE",
                "--since",
                "2999-01-01",
            ],
            2,
            &["--since 2999-01-01", "in the future"],
        ),
    ];
    for c in &cases {
        check(dir.path(), c);
    }
}

#[tokio::test]
async fn changes_of_a_token_that_does_not_exist_is_bad_input() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let mut nosuch = cmd(Some(&net), dir.path(), &["export", "changes", "NOSUCH"]);
    nosuch.env("RUST_BACKTRACE", "1");
    let out = tokio::task::spawn_blocking(move || nosuch.output().unwrap())
        .await
        .unwrap();
    plain_answer("changes NOSUCH", &out, 2, &["no token called \"NOSUCH\""]);
    // A token that exists but has no snapshot yet is a wait, not a mistake.
    let out = run(Some(&net), dir.path(), &["export", "changes", "BEE"]).await;
    plain_answer(
        "changes BEE",
        &out,
        4,
        &["no snapshot of BEE", "cache warm"],
    );
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
