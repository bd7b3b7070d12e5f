//! The UI's terminal modes (raw input, the alternate screen, mouse capture): taken at start and
//! again after the job was stopped, given back at the end and before a stop.

use std::io::stdout;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// Takes the terminal for the UI; a panic gives it back before its message is printed.
pub fn start() -> std::io::Result<DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    execute!(stdout(), EnableMouseCapture)?;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture);
        hook(info);
    }));
    Ok(terminal)
}

/// Gives the terminal back as the shell had it: mouse capture off, the main screen, the cursor
/// shown, cooked mode (typed text echoed, Ctrl-Z and Ctrl-C signals again).
pub fn give_back(terminal: &mut DefaultTerminal) {
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    let _ = terminal.show_cursor();
}

/// Takes the terminal again after the job was continued, and clears it so that the next frame
/// is drawn whole.
pub fn take_again(terminal: &mut DefaultTerminal) -> std::io::Result<()> {
    // The shell may have set its own modes while the job was stopped: raw mode is set anew
    // from what the terminal is now, not trusted to have survived.
    disable_raw_mode()?;
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        Clear(ClearType::All),
        EnableMouseCapture
    )?;
    // Not `terminal.clear()`: it asks the terminal where the cursor is, and the answer goes to
    // the input thread's read instead (the ask times out and fails). A swap empties the buffer
    // of the frame last drawn, which the next draw is compared with: every cell is written.
    terminal.swap_buffers();
    Ok(())
}

/// Stops the job as Ctrl-Z does in a shell: the terminal is given back first, and taken again
/// once the job is continued (`fg`).
pub fn suspend(terminal: &mut DefaultTerminal) -> std::io::Result<()> {
    give_back(terminal);
    crate::signals::stop_self();
    take_again(terminal)
}
