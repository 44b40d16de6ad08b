//! The form toolkit dialogs are made of: fields (text, exact amount, Mexico City date, a
//! choice from a catalog or a picker over a team's clients or services, both with
//! type-to-filter, a repeated group of fields), errors in words that name their field,
//! Tab/Shift-Tab order and the confirm row that starts on "No" (with the typed word on live
//! keys), and SAT's checks of what was typed (an RFC, the CFDI uses a regime allows). Knows
//! nothing of writes: `dialogs/` builds its forms from these parts.

pub mod amount;
pub mod catalogs;
pub mod cfdi_use;
pub mod choice;
pub mod confirm;
pub mod date;
pub mod repeat;
pub mod rfc;
pub mod text;

/// What is wrong with one field, in words a person can act on.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError<F> {
    /// The field at fault (the form shows the text under it); `None` for the form as a whole.
    pub field: Option<F>,
    pub text: String,
}

impl<F> FieldError<F> {
    pub fn at(field: F, text: impl Into<String>) -> Self {
        FieldError {
            field: Some(field),
            text: text.into(),
        }
    }
}

impl<F> std::ops::Deref for FieldError<F> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl<F> std::fmt::Display for FieldError<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// The field after (or, with `back`, before) `current` in `order`, wrapping around: Tab and
/// Shift-Tab. A field not in the order (it went away) moves to the first.
pub fn step<F: Copy + PartialEq>(order: &[F], current: F, back: bool) -> F {
    let n = order.len();
    if n == 0 {
        return current;
    }
    match order.iter().position(|f| *f == current) {
        Some(i) if back => order[(i + n - 1) % n],
        Some(i) => order[(i + 1) % n],
        None => order[0],
    }
}

/// Up (↑, Ctrl-P) and down (↓, Ctrl-N) inside a list field.
pub fn up_down(key: &crossterm::event::KeyEvent) -> Option<bool> {
    use crossterm::event::{KeyCode, KeyModifiers};
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Up => Some(false),
        KeyCode::Down => Some(true),
        KeyCode::Char('p') if ctrl => Some(false),
        KeyCode::Char('n') if ctrl => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_order_wraps_both_ways_and_a_lost_field_goes_first() {
        let order = [1, 2, 3];
        assert_eq!(step(&order, 3, false), 1);
        assert_eq!(step(&order, 1, true), 3);
        assert_eq!(step(&order, 2, false), 3);
        assert_eq!(step(&order, 9, false), 1);
    }
}
