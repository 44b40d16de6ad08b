//! Putting a value on the clipboard (OSC 52): only its printable part, and the line that
//! says what was copied.

use crate::app::msg::Request;
use crate::app::state::{State, say};
use crate::t;

/// `text` to the clipboard, said on the status line; nothing when it has nothing printable.
/// A hostile id or link must not put a newline or an escape sequence on the clipboard (and
/// from there into a shell).
pub fn copy(state: &mut State, text: &str) -> Vec<Request> {
    let text = crate::text::token(text);
    if text.is_empty() {
        return vec![];
    }
    let msg = t!(
        state.lang,
        "Copied {text} to the clipboard (OSC 52)",
        "Se copió {text} al portapapeles (OSC 52)"
    );
    say(state, msg);
    vec![Request::Copy { text }]
}
