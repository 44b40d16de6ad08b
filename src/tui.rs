//! The terminal guard: raw mode and the alternate screen, restored on normal exit, error,
//! panic and signals; suspend/resume for Ctrl-Z; drawing wrapped in synchronized output.

use std::io::{self, Stdout, Write};
use std::sync::Once;

use crossterm::cursor::{Hide, Show};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{execute, queue};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Puts the terminal back: cooked mode, main screen, visible cursor. Safe to call twice,
/// and it ignores errors (after SIGHUP the terminal may be gone).
pub fn restore() {
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
    let _ = out.flush();
}

/// Raised by a panic anywhere (the event loop, the worker, any task): the dashboard ends
/// on it instead of drawing on over a terminal that was already given back.
pub static PANICKED: tokio::sync::Notify = tokio::sync::Notify::const_new();

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            tracing::error!(panic = %info, "gigdash panicked; the dashboard stops");
            PANICKED.notify_one();
            previous(info);
        }));
    });
}

pub struct Tui {
    pub terminal: Term,
    mouse: bool,
}

impl Tui {
    /// Raw mode and the alternate screen; mouse capture only when asked (it stops the
    /// terminal's own text selection, which SSH users rely on).
    pub fn enter(mouse: bool) -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut out = io::stdout();
        if let Err(e) = execute!(out, EnterAlternateScreen, EnableBracketedPaste, Hide) {
            restore();
            return Err(e);
        }
        if mouse {
            let _ = execute!(out, EnableMouseCapture);
        }
        let terminal = match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e);
            }
        };
        Ok(Tui { terminal, mouse })
    }

    pub fn size(&self) -> (u16, u16) {
        self.terminal
            .size()
            .map(|s| (s.width, s.height))
            .unwrap_or((80, 24))
    }

    /// One frame inside a synchronized update, so the terminal paints it at once.
    pub fn draw(&mut self, f: impl FnOnce(&mut ratatui::Frame)) -> io::Result<()> {
        queue!(self.terminal.backend_mut(), BeginSynchronizedUpdate)?;
        self.terminal.draw(f)?;
        execute!(self.terminal.backend_mut(), EndSynchronizedUpdate)?;
        Ok(())
    }

    /// Ctrl-Z: give the terminal back, stop, and take it again when continued.
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        // SAFETY: raising a signal on our own process; SIGTSTP stops us until SIGCONT.
        unsafe {
            libc::raise(libc::SIGTSTP);
        }
        enable_raw_mode()?;
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            Hide,
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
        )?;
        if self.mouse {
            execute!(io::stdout(), EnableMouseCapture)?;
        }
        // Forget the last frame so the next draw repaints everything. (`Terminal::clear`
        // would ask the terminal for the cursor position, and the answer would race the
        // event reader.)
        self.terminal.swap_buffers();
        Ok(())
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        restore();
    }
}

/// The OSC 52 clipboard sequence for `text`; inside tmux, wrapped for passthrough.
pub fn osc52(text: &str, in_tmux: bool) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let seq = format!("\x1b]52;c;{b64}\x07");
    if in_tmux {
        format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
    } else {
        seq
    }
}

/// Puts `text` on the clipboard of the terminal the operator sits at, even over SSH.
pub fn copy_osc52(text: &str) -> io::Result<()> {
    let mut out = io::stdout();
    out.write_all(osc52(text, std::env::var_os("TMUX").is_some()).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    #[test]
    fn osc52_encodes_and_wraps_for_tmux() {
        assert_eq!(super::osc52("hola", false), "\x1b]52;c;aG9sYQ==\x07");
        assert_eq!(
            super::osc52("hola", true),
            "\x1bPtmux;\x1b\x1b]52;c;aG9sYQ==\x07\x1b\\"
        );
    }
}
