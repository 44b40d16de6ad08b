//! A repeated group of fields (an invoice's items): rows of the same fields, one of them
//! current; a row is added after the current one and removed from there, never below one.

#[derive(Clone, Debug)]
pub struct Repeat<T> {
    pub rows: Vec<T>,
    /// The row being edited.
    pub current: usize,
}

impl<T: Default> Default for Repeat<T> {
    fn default() -> Self {
        Repeat {
            rows: vec![T::default()],
            current: 0,
        }
    }
}

impl<T: Default> Repeat<T> {
    /// A new empty row after the current one, which becomes current.
    pub fn add(&mut self) {
        self.add_with(T::default());
    }

    /// A key on the group itself: `+` adds an empty row (see `key_with`).
    pub fn key(&mut self, key: &crossterm::event::KeyEvent) -> bool {
        self.key_with(key, T::default)
    }
}

impl<T> Repeat<T> {
    /// `row` after the current one, which becomes current.
    pub fn add_with(&mut self, row: T) {
        self.current = (self.current + 1).min(self.rows.len());
        self.rows.insert(self.current, row);
    }

    /// Removes the current row, unless it is the only one.
    pub fn remove(&mut self) -> bool {
        if self.rows.len() <= 1 {
            return false;
        }
        self.rows.remove(self.current);
        self.current = self.current.min(self.rows.len() - 1);
        true
    }

    pub fn step(&mut self, down: bool) {
        self.current = if down {
            (self.current + 1).min(self.rows.len() - 1)
        } else {
            self.current.saturating_sub(1)
        };
    }

    /// A key on the group itself (not on one of its row's fields): `+` adds a row made
    /// by `new`, `-` removes the current one, ↑↓ move. False when the key is not the
    /// group's.
    pub fn key_with(&mut self, key: &crossterm::event::KeyEvent, new: impl FnOnce() -> T) -> bool {
        use crossterm::event::KeyCode;
        match (key.code, super::up_down(key)) {
            (KeyCode::Char('+'), _) => self.add_with(new()),
            (KeyCode::Char('-'), _) => return self.remove(),
            (_, Some(down)) => self.step(down),
            _ => return false,
        }
        true
    }

    pub fn current_mut(&mut self) -> &mut T {
        &mut self.rows[self.current]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_added_after_the_current_and_never_fewer_than_one() {
        let mut r: Repeat<u8> = Repeat::default();
        *r.current_mut() = 1;
        r.add();
        *r.current_mut() = 2;
        r.step(false);
        r.add();
        *r.current_mut() = 3;
        assert_eq!(r.rows, [1, 3, 2]);
        assert!(r.remove());
        assert_eq!(r.rows, [1, 2]);
        assert!(r.remove());
        assert!(!r.remove(), "the last row stays");
        assert_eq!(r.rows.len(), 1);
    }

    #[test]
    fn plus_minus_and_arrows_work_the_group() {
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let k = |c| KeyEvent::new(c, KeyModifiers::NONE);
        let mut r: Repeat<u8> = Repeat::default();
        assert!(r.key(&k(KeyCode::Char('+'))));
        assert_eq!((r.rows.len(), r.current), (2, 1));
        assert!(r.key(&k(KeyCode::Up)));
        assert_eq!(r.current, 0);
        assert!(r.key(&k(KeyCode::Char('-'))));
        assert!(!r.key(&k(KeyCode::Char('-'))), "never below one row");
        assert!(!r.key(&k(KeyCode::Char('x'))));
    }
}
