//! The terminal UI loop. This task owns the terminal: it draws when something changed, feeds
//! input, ticks and worker reports to `App::update`, and forwards the requests it returns; it
//! gives the terminal back on the way out and while the job is stopped (Ctrl-Z, SIGTSTP).

use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tokio::sync::mpsc;

use crate::app::{Action, App, Options};
use crate::model::now;
use crate::refresh::worker::{self, Request};
use crate::setup::Setup;
use crate::signals::{Job, JobControl};
use crate::{terminal, ui};

/// Reports applied before one redraw at most, so a burst of results costs one frame.
const DRAIN: usize = 64;

fn load_favorites(path: &std::path::Path) -> std::collections::BTreeSet<String> {
    std::fs::read_to_string(path)
        .map(|t| {
            t.lines()
                .map(str::trim)
                // Tokens, pools (a pair holds a `:`) and accounts (`@name`).
                .filter(|s| {
                    crate::model::valid_symbol(s)
                        || s.contains(':')
                        || s.strip_prefix('@').is_some_and(crate::model::valid_account)
                })
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Reads terminal events on a plain thread (crossterm's read blocks) and hands them over.
fn spawn_input(tx: mpsc::UnboundedSender<std::io::Result<Event>>) {
    std::thread::spawn(move || {
        loop {
            let e = event::read();
            let failed = e.is_err();
            if tx.send(e).is_err() || failed {
                break;
            }
        }
    });
}

/// Ctrl-Z: in raw mode the terminal sends it as a key, not as SIGTSTP; it stops the job all
/// the same, whatever screen or field is open.
fn is_suspend(e: &Event) -> bool {
    matches!(e, Event::Key(KeyEvent { code: KeyCode::Char('z'), modifiers, kind, .. })
        if modifiers.contains(KeyModifiers::CONTROL) && *kind != KeyEventKind::Release)
}

#[allow(clippy::needless_pass_by_value)]
fn to_action(e: Event) -> Option<Action> {
    match e {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Action::Key(k)),
        Event::Mouse(m) => Some(Action::Mouse(m)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

/// Runs the UI until the user quits (exit code 0) or a signal asks the process to stop (128 +
/// its number). The terminal is restored and the cache flushed on every way out.
pub async fn run(setup: Setup) -> std::io::Result<i32> {
    let mut terminal = terminal::start()?;
    let result = event_loop(&mut terminal, &setup).await;
    terminal::give_back(&mut terminal);
    setup.swr.cache().flush();
    result
}

/// The terminal may have changed size while the job was stopped.
fn resized(app: &mut App, terminal: &ratatui::DefaultTerminal) -> std::io::Result<Vec<Request>> {
    let size = terminal.size()?;
    Ok(app.update(Action::Resize(size.width, size.height)))
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    setup: &Setup,
) -> std::io::Result<i32> {
    let opts = Options {
        keymap: setup.config.keymap.clone(),
        favorites: load_favorites(&setup.favorites_file()),
        export_dir: setup.export_dir(),
        offline: setup.offline,
        theme: setup.config.theme.clone(),
        log_file: setup.log_file.clone(),
    };
    let size = terminal.size()?;
    let mut app = App::new(
        opts,
        now(),
        ratatui::layout::Rect::new(0, 0, size.width, size.height),
    );
    let (requests, request_rx) = mpsc::channel::<Request>(256);
    // Unbounded is safe: the worker runs at most one fetch per key and reports a few messages each.
    let (report_tx, mut reports) = mpsc::unbounded_channel();
    let worker = tokio::spawn(worker::run(
        setup.swr.clone(),
        Some(setup.favorites_file()),
        request_rx,
        report_tx,
    ));
    let (input_tx, mut input) = mpsc::unbounded_channel();
    spawn_input(input_tx);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut pending = app.start();
    let mut dirty = true;
    // Lets the end-to-end test prove the terminal is restored after a panic.
    let panic_after_draw = std::env::var_os("MARKET_TUI_PANIC_FOR_TEST").is_some();
    let stop = crate::signals::stop_requested();
    tokio::pin!(stop);
    let mut job = JobControl::listen();
    let mut code = 0;
    loop {
        for r in pending.drain(..) {
            if requests.send(r).await.is_err() {
                break;
            }
        }
        if app.quit {
            break;
        }
        if dirty {
            terminal.draw(|f| ui::render(f, &app))?;
            dirty = false;
            assert!(
                !panic_after_draw,
                "panic requested by MARKET_TUI_PANIC_FOR_TEST"
            );
        }
        tokio::select! {
            e = input.recv() => match e {
                Some(Ok(e)) if is_suspend(&e) => {
                    terminal::suspend(terminal)?;
                    pending = resized(&mut app, terminal)?;
                    dirty = true;
                },
                Some(Ok(e)) => if let Some(a) = to_action(e) {
                    pending = app.update(a);
                    dirty = true;
                },
                Some(Err(e)) => return Err(e),
                None => break,
            },
            Some(report) = reports.recv() => {
                pending = app.update(Action::Report(report));
                for _ in 0..DRAIN {
                    let Ok(more) = reports.try_recv() else { break };
                    pending.extend(app.update(Action::Report(more)));
                }
                dirty = true;
            },
            signal = &mut stop => {
                code = signal;
                break;
            },
            signal = job.next() => {
                match signal {
                    Job::Stop => terminal::suspend(terminal)?,
                    // Continued from any stop (a SIGSTOP from outside too): the screen is redrawn.
                    Job::Continue => terminal::take_again(terminal)?,
                }
                pending = resized(&mut app, terminal)?;
                dirty = true;
            },
            _ = tick.tick() => {
                // Idle means idle: redraw on a tick only if a visible time label changed.
                let before = ui::clock_text(&app);
                app.update(Action::Tick(now()));
                dirty = ui::clock_text(&app) != before;
            },
        }
    }
    drop(requests);
    let _ = tokio::time::timeout(Duration::from_secs(2), worker).await;
    Ok(code)
}
