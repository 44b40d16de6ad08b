//! The confirm row every write ends with: it starts on "No"; ←→ (h l) flip it, `y` (or `s`,
//! «sí», in Spanish) and `n` pick; on a live key what cannot be undone also asks for a word
//! typed in full (`CANCELAR`, `EMITIR`…), checked before anything is sent.

use crossterm::event::{KeyCode, KeyEvent};
use tui_input::Input;

use super::text::edit;
use crate::i18n::Lang;
use crate::t;

#[derive(Clone, Debug, Default)]
pub struct Confirm {
    /// The row is on "Yes"; it starts on "No".
    pub yes: bool,
    /// The word a live key must type, when one must.
    pub word: Option<&'static str>,
    /// What was typed of it.
    pub typed: Input,
}

impl Confirm {
    pub fn new(word: Option<&'static str>) -> Self {
        Confirm {
            yes: false,
            word,
            typed: Input::default(),
        }
    }

    /// A key on the Yes/No row.
    pub fn key(&mut self, key: &KeyEvent, lang: Lang) {
        match key.code {
            KeyCode::Left | KeyCode::Right | KeyCode::Char('h') | KeyCode::Char('l') => {
                self.yes = !self.yes
            }
            KeyCode::Char('y') => self.yes = true,
            KeyCode::Char('s') if lang == Lang::Es => self.yes = true,
            KeyCode::Char('n') => self.yes = false,
            _ => {}
        }
    }

    /// A key in the word field.
    pub fn type_key(&mut self, key: &KeyEvent) {
        edit(&mut self.typed, key);
    }

    /// The word is typed (or none is asked), else what to type.
    pub fn word_ok(&self, lang: Lang) -> Result<(), String> {
        match self.word {
            Some(word) if self.typed.value().trim() != word => Err(t!(
                lang,
                "This is a live key: type {word} to confirm.",
                "Esta es una key de producción: escribe {word} para confirmar."
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn k(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn starts_on_no_and_s_means_yes_only_in_spanish() {
        let mut c = Confirm::new(None);
        assert!(!c.yes);
        c.key(&k(KeyCode::Char('s')), Lang::En);
        assert!(!c.yes);
        c.key(&k(KeyCode::Char('s')), Lang::Es);
        assert!(c.yes);
        c.key(&k(KeyCode::Char('n')), Lang::Es);
        assert!(!c.yes);
    }

    #[test]
    fn a_live_word_must_be_typed_whole() {
        let mut c = Confirm::new(Some("CANCELAR"));
        for ch in "CANCELA".chars() {
            c.type_key(&k(KeyCode::Char(ch)));
        }
        assert!(c.word_ok(Lang::En).unwrap_err().contains("CANCELAR"));
        c.type_key(&k(KeyCode::Char('R')));
        assert_eq!(c.word_ok(Lang::En), Ok(()));
    }
}
