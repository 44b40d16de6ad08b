//! A choice with type-to-filter: from a fixed SAT catalog (payment forms, regimes, CFDI
//! uses, product and unit keys) or a picker over a team's own list (its clients, its
//! services). Typing narrows the list by code or by name (accents and case ignored), ↑↓
//! move, and what is highlighted is the choice.

use crossterm::event::KeyEvent;
use tui_input::Input;

use super::text::edit;
use crate::app::data::columns::fold;

/// What a choice chooses from.
#[derive(Clone, Debug)]
enum Options {
    /// A SAT catalog, `(code, name)`.
    Catalog(&'static [(&'static str, &'static str)]),
    /// A team's own list, `(id, label)`.
    Owned(Vec<(String, String)>),
}

#[derive(Clone, Debug)]
pub struct Choice {
    options: Options,
    pub filter: Input,
    /// Position in the filtered list.
    pub index: usize,
}

impl Choice {
    /// A choice from a catalog, on `default` (a code) when it is there.
    pub fn catalog(catalog: &'static [(&'static str, &'static str)], default: &str) -> Self {
        Choice {
            index: catalog.iter().position(|(c, _)| *c == default).unwrap_or(0),
            options: Options::Catalog(catalog),
            filter: Input::default(),
        }
    }

    /// A picker over a team's own list (`(id, label)`), on its first item.
    pub fn over(items: Vec<(String, String)>) -> Self {
        Choice {
            options: Options::Owned(items),
            filter: Input::default(),
            index: 0,
        }
    }

    /// A picker's options replaced (the team's list arrived); what was typed stays.
    pub fn replace(&mut self, items: Vec<(String, String)>) {
        self.options = Options::Owned(items);
        self.index = self.index.min(self.matches().len().saturating_sub(1));
    }

    /// Every option, whatever was typed.
    pub fn options(&self) -> Vec<(String, String)> {
        match &self.options {
            Options::Catalog(c) => c
                .iter()
                .map(|(c, n)| (c.to_string(), n.to_string()))
                .collect(),
            Options::Owned(v) => v.clone(),
        }
    }

    /// Highlights the option `code`, clearing a filter that hides it; false when there is
    /// no such option.
    pub fn select(&mut self, code: &str) -> bool {
        if !self.matches().iter().any(|(c, _)| *c == code) {
            self.filter = Input::default();
        }
        match self.matches().iter().position(|(c, _)| *c == code) {
            Some(i) => {
                self.index = i;
                true
            }
            None => false,
        }
    }

    /// The options that match what was typed: a code that starts with it, or a name that
    /// holds it.
    pub fn matches(&self) -> Vec<(&str, &str)> {
        let q = fold(self.filter.value());
        let keep =
            |c: &str, n: &str| q.is_empty() || fold(c).starts_with(&q) || fold(n).contains(&q);
        match &self.options {
            Options::Catalog(c) => c.iter().copied().filter(|(c, n)| keep(c, n)).collect(),
            Options::Owned(v) => v
                .iter()
                .filter(|(c, n)| keep(c, n))
                .map(|(c, n)| (c.as_str(), n.as_str()))
                .collect(),
        }
    }

    /// The highlighted option, if the filter left any.
    pub fn chosen(&self) -> Option<(&str, &str)> {
        let m = self.matches();
        m.get(self.index.min(m.len().saturating_sub(1))).copied()
    }

    /// Whether the options show their code (a SAT catalog) or only their label (a picker:
    /// a client's id means nothing to the person choosing).
    pub fn shows_code(&self) -> bool {
        matches!(self.options, Options::Catalog(_))
    }

    /// The code (or id) chosen.
    pub fn code(&self) -> Option<String> {
        self.chosen().map(|(c, _)| c.to_string())
    }

    /// ↑↓ move in the list; typing filters it and starts again from its top.
    pub fn key(&mut self, key: &KeyEvent) {
        match super::up_down(key) {
            Some(false) => self.index = self.index.saturating_sub(1),
            Some(true) => {
                let n = self.matches().len();
                self.index = (self.index + 1).min(n.saturating_sub(1));
            }
            None => {
                if edit(&mut self.filter, key) {
                    self.index = 0;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn k(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_filters_by_code_or_name_without_accents() {
        let mut c = Choice::catalog(super::super::catalogs::PAYMENT_FORMS, "03");
        assert_eq!(c.code().as_deref(), Some("03"));
        for ch in "electr".chars() {
            c.key(&k(KeyCode::Char(ch)));
        }
        let codes: Vec<&str> = c.matches().iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, ["03", "05", "06"]);
        c.key(&k(KeyCode::Down));
        assert_eq!(c.code().as_deref(), Some("05"));
        c.key(&k(KeyCode::Char('z')));
        assert_eq!(c.chosen(), None, "nothing matches: nothing is chosen");
    }

    #[test]
    fn a_picker_chooses_by_id_and_filters_by_label() {
        let mut c = Choice::over(vec![
            ("cl_1".into(), "Núñez Abarrotes".into()),
            ("cl_2".into(), "Papelería Sur".into()),
        ]);
        for ch in "nunez".chars() {
            c.key(&k(KeyCode::Char(ch)));
        }
        assert_eq!(c.code().as_deref(), Some("cl_1"));
    }

    #[test]
    fn a_code_typed_as_sat_writes_it_finds_it() {
        let mut c = Choice::catalog(super::super::catalogs::CFDI_USES, "G03");
        for ch in "D01".chars() {
            c.key(&k(KeyCode::Char(ch)));
        }
        assert_eq!(c.code().as_deref(), Some("D01"));
    }
}
