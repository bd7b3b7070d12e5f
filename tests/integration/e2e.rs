//! End to end: the real binary in tmux against the fake network, driven by keys, read off the
//! screen at each step, as a user would.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use fake_node::FakeNet;

use crate::support::bin;

pub(crate) struct Tmux {
    session: String,
}

impl Tmux {
    pub(crate) fn start(command: &str) -> Self {
        Self::start_sized(command, 120, 32)
    }

    pub(crate) fn start_sized(command: &str, width: u16, height: u16) -> Self {
        assert!(
            Command::new("tmux")
                .arg("-V")
                .output()
                .is_ok_and(|o| o.status.success()),
            "tmux is not installed: run ./scripts/test, which installs it"
        );
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let session = format!("market-tui-e2e-{}-{n}", std::process::id());
        let ok = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                command,
            ])
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux new-session failed");
        Self { session }
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        for k in keys {
            Command::new("tmux")
                .args(["send-keys", "-t", &self.session, k])
                .status()
                .unwrap();
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// `#{alternate_on} #{cursor_flag} #{mouse_any_flag}`: "0 1 0" is a terminal given back.
    pub(crate) fn flags(&self) -> String {
        let out = Command::new("tmux")
            .args([
                "display",
                "-p",
                "-t",
                &self.session,
                "#{alternate_on} #{cursor_flag} #{mouse_any_flag}",
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    pub(crate) fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text`; fails with the screen if it never does.
    pub(crate) async fn wait_for(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "never saw {text:?}; screen:\n{screen}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

/// The UI against `net` with its data in `dir`, then its exit code on screen.
pub(crate) fn ui_command(net: &FakeNet, dir: &Path) -> String {
    let nodes: String = net.urls().iter().map(|u| format!(" --node {u}")).collect();
    format!(
        "{} --data-dir {}{nodes} --history-url {}; echo EXITED $?; sleep 30",
        bin(),
        shell_quote(dir),
        net.urls()[0]
    )
}

fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display())
}

#[tokio::test]
async fn browse_filter_open_chart_richlist_sort_export_quit() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let command = ui_command(&net, dir.path());
    let t = Tmux::start(&command);

    let screen = t.wait_for("Tokens (40)").await;
    assert!(
        screen.contains("BEE") && screen.contains("fresh"),
        "{screen}"
    );

    t.keys(&["/", "l", "e", "o"]);
    let screen = t.wait_for("filter: leo").await;
    assert!(
        screen.contains("Tokens (1)") && screen.contains("LeoFinance"),
        "{screen}"
    );

    t.keys(&["Enter", "Enter"]);
    t.wait_for("LEO market").await;
    let screen = t.wait_for("Quantity").await;
    assert!(
        screen.contains("Price (HIVE)") && screen.contains("LeoFinance"),
        "{screen}"
    );
    t.wait_for("Time UTC").await;

    let before = net.requests("history/marketHistory");
    t.keys(&["3"]);
    let started = Instant::now();
    while net.requests("history/marketHistory") == before {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the 90d range was never fetched"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    t.wait_for(" O ").await;

    t.keys(&["R"]);
    t.wait_for("LEO richlist").await;
    let screen = t.wait_for("holders").await;
    assert!(screen.contains("sort: Total ▼"), "{screen}");
    t.keys(&["4"]);
    let screen = t.wait_for("sort: Stake ▼").await;
    assert!(screen.contains("Stake▼"), "{screen}");

    let upstream = net.requests("");
    t.keys(&["e"]);
    let screen = t.wait_for("exported to").await;
    assert_eq!(
        net.requests(""),
        upstream,
        "the export made no upstream request"
    );
    let exports: Vec<_> = std::fs::read_dir(dir.path().join("exports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(exports.len(), 1, "{screen}");
    let rows = csv::Reader::from_path(&exports[0])
        .unwrap()
        .records()
        .count();
    assert!(rows > 10, "{rows} rows exported");

    t.keys(&["q"]);
    let screen = t.wait_for("EXITED 0").await;
    assert!(
        !screen.contains("LEO richlist"),
        "the terminal was restored: {screen}"
    );
}

#[tokio::test]
async fn a_panic_leaves_the_terminal_usable() {
    let dir = tempfile::tempdir().unwrap();
    let command = format!(
        "MARKET_TUI_PANIC_FOR_TEST=1 RUST_BACKTRACE=0 {} --offline --data-dir {}; echo EXITED $?; sleep 30",
        bin(),
        shell_quote(dir.path())
    );
    let t = Tmux::start(&command);
    let screen = t.wait_for("EXITED").await;
    assert!(screen.contains("EXITED 101"), "{screen}");
    assert!(
        screen.contains("panic requested"),
        "the panic message is readable: {screen}"
    );
    assert!(
        !screen.contains("market-tui │"),
        "the UI screen is gone: {screen}"
    );
    let out = std::process::Command::new("tmux")
        .args(["display", "-p", "-t", &t.session, "#{alternate_on}"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "0",
        "left the alternate screen"
    );
}

#[tokio::test]
async fn a_signal_restores_the_terminal_and_exits_with_its_code() {
    for (signal, code) in [("TERM", 143), ("INT", 130), ("HUP", 129), ("QUIT", 131)] {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let command = format!(
            "sh -c 'echo $$ > {}; exec {} --offline --data-dir {}'; echo EXITED $?; sleep 30",
            shell_quote(&pid_file),
            bin(),
            shell_quote(dir.path())
        );
        let t = Tmux::start(&command);
        t.wait_for("Tokens").await;
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        assert!(
            Command::new("kill")
                .args([format!("-{signal}"), pid.trim().to_owned()])
                .status()
                .unwrap()
                .success()
        );
        let screen = t.wait_for("EXITED").await;
        assert!(
            screen.contains(&format!("EXITED {code}")),
            "{signal}: {screen}"
        );
        assert_eq!(
            t.flags(),
            "0 1 0",
            "{signal}: main screen, cursor shown, mouse reporting off"
        );
        // Cooked mode: the terminal echoes what is typed again.
        t.keys(&["echoed"]);
        t.wait_for("echoed").await;
    }
}

/// The pid of the UI whose data dir is `dir` (started by a shell typed into, so not known).
fn pid_of_ui(dir: &Path) -> String {
    let out = Command::new("pgrep")
        .args(["-f", "--", &format!("--data-dir {}", dir.display())])
        .output()
        .unwrap();
    let pids = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(!pids.is_empty() && !pids.contains('\n'), "pids: {pids:?}");
    pids
}

/// Waits until `count` job-stopped notices are on the shell's screen, then checks that the
/// terminal was given back before the stop.
async fn wait_until_stopped(t: &Tmux, count: usize) {
    let started = Instant::now();
    while t.screen().matches("Stopped").count() < count {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never stopped: {}",
            t.screen()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        t.flags(),
        "0 1 0",
        "stopped on the main screen, cursor shown, mouse off"
    );
}

/// After `fg`: the whole UI is on the alternate screen again before any key is pressed, mouse
/// reporting on, and a key acts without Enter (raw mode).
async fn assert_resumed_whole_and_raw(t: &Tmux) {
    t.keys(&["fg", "Enter"]);
    let screen = t.wait_for("OFFLINE: cached data only").await;
    assert!(
        screen.contains("market-tui │ Tokens (0)") && screen.contains("Token list: not cached"),
        "title, table and status line redrawn: {screen}"
    );
    assert_eq!(
        t.flags(),
        "1 0 1",
        "alternate screen, cursor hidden, mouse on"
    );
    t.keys(&["?"]);
    t.wait_for("j/k scroll").await;
    t.keys(&["?"]);
    let started = Instant::now();
    while t.screen().contains("j/k scroll") {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "help never closed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn ctrl_z_and_sigtstp_stop_with_the_terminal_given_back_and_fg_redraws_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let t = Tmux::start("env PS1='$ ' bash --norc --noprofile -i");
    t.keys(&[
        &format!("{} --offline --data-dir {}", bin(), shell_quote(dir.path())),
        "Enter",
    ]);
    t.wait_for("OFFLINE: cached data only").await;
    let pid = pid_of_ui(dir.path());

    // Ctrl-Z arrives as a key in raw mode.
    t.keys(&["C-z"]);
    wait_until_stopped(&t, 1).await;
    // Cooked mode while stopped: the shell echoes what is typed.
    t.keys(&["echoed"]);
    t.wait_for("$ echoed").await;
    t.keys(&["C-u"]);
    assert_resumed_whole_and_raw(&t).await;

    // SIGTSTP sent from outside does the same.
    assert!(
        Command::new("kill")
            .args(["-TSTP", &pid])
            .status()
            .unwrap()
            .success()
    );
    wait_until_stopped(&t, 2).await;
    assert_resumed_whole_and_raw(&t).await;

    t.keys(&["q"]);
    t.wait_for("$ ").await;
    t.keys(&["echo EXITED $?", "Enter"]);
    t.wait_for("EXITED 0").await;
}

#[tokio::test]
async fn help_find_and_field_editing_at_80x24() {
    let net = FakeNet::small().await;
    let dir = tempfile::tempdir().unwrap();
    let command = ui_command(&net, dir.path());
    let t = Tmux::start_sized(&command, 80, 24);
    t.wait_for("Tokens (40)").await;

    // Ctrl-u clears the filter instead of typing a u; Esc clears an applied filter.
    t.keys(&["/", "l", "e", "o"]);
    t.wait_for("filter: leo").await;
    t.keys(&["C-u"]);
    let screen = t.wait_for("filter: ▏").await;
    assert!(screen.contains("Tokens (40)"), "{screen}");
    t.keys(&["b", "e", "e", "Enter"]);
    t.wait_for("Esc clears").await;
    t.keys(&["Escape"]);
    t.wait_for("Tokens (40)").await;

    // Help fits by scrolling: its last line is reachable at 80x24.
    t.keys(&["?"]);
    let screen = t.wait_for("j/k scroll").await;
    assert!(!screen.contains("wheel scrolls"), "{screen}");
    t.keys(&["G"]);
    t.wait_for("wheel scrolls").await;
    t.keys(&["?"]);

    // Find says when nothing matches, then steps through matches with n.
    t.keys(&["R"]);
    t.wait_for("holders").await;
    t.keys(&["/", "q", "q", "q", "q", "q"]);
    t.wait_for("no match").await;
    t.keys(&["Escape", "/", "a", "Enter"]);
    let which = |screen: &str| -> usize {
        let after = screen.split("find: a (").nth(1).unwrap_or_default();
        after
            .split('/')
            .next()
            .unwrap_or_default()
            .parse()
            .unwrap_or(0)
    };
    let first = which(&t.wait_for("n/N)").await);
    assert!(first > 0);
    t.keys(&["n"]);
    t.wait_for(&format!("find: a ({}/", first + 1)).await;

    t.keys(&["q"]);
    t.wait_for("EXITED 0").await;
}
