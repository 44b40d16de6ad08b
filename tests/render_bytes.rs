//! Bytes a real crossterm backend writes: one row move at 120×40 stays under 1 KB (ratatui
//! diffs cells and the table only rebuilds the visible window), and redrawing an unchanged
//! state writes nothing but the frame bracket.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::app::fixtures::loaded_state;
use gigdash::app::{Msg, update};
use std::io::Write;
use std::sync::{Arc, Mutex};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// A terminal stand-in that keeps what was written.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Sink {
    fn take(&self) -> usize {
        std::mem::take(&mut *self.0.lock().unwrap()).len()
    }
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn one_row_move_writes_less_than_a_kilobyte() {
    let mut s = loaded_state((120, 40), 100_000);
    update(&mut s, key('3'));
    let sink = Sink::default();
    let mut term = Terminal::with_options(
        CrosstermBackend::new(sink.clone()),
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 120, 40)),
        },
    )
    .unwrap();
    term.draw(|f| gigdash::ui::draw(&s, f)).unwrap();
    let full = sink.take();

    update(&mut s, key('j'));
    term.draw(|f| gigdash::ui::draw(&s, f)).unwrap();
    let moved = sink.take();
    println!("first frame {full} bytes, one row move {moved} bytes");
    assert!(moved > 0, "the move is drawn");
    assert!(moved < 1024, "one row move wrote {moved} bytes");

    term.draw(|f| gigdash::ui::draw(&s, f)).unwrap();
    let again = sink.take();
    assert!(again < 32, "an unchanged frame wrote {again} bytes");
}
