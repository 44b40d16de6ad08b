//! A client as a row names it (name, id, RFC), one copy shared by every row that names
//! the same: a big team's 170,000 invoices and as many payments name a few hundred
//! clients, and a copy per row was a sixth of the team's memory. Rows are made in the
//! worker, page by page and load by load; they find the copy here, by its three texts.
//! Only texts are kept (no IO, no clock), and a copy no row holds any more is forgotten.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use crate::app::data::columns::Packed;

/// name, id, RFC: as shown (printable), cut like every row text; and the name folded
/// (`fold`), which the filter reads instead of folding it again for each row.
#[derive(Debug)]
pub struct Who {
    text: Packed<4>,
}

impl Who {
    pub fn name(&self) -> &str {
        self.text.get(0)
    }
    pub fn id(&self) -> &str {
        self.text.get(1)
    }
    pub fn rfc(&self) -> &str {
        self.text.get(2)
    }
    /// The name lower case and without accents, for the filter.
    pub fn folded(&self) -> &str {
        self.text.get(3)
    }
}

/// A row's client: its shared texts, or none (every text "").
#[derive(Clone, Debug, Default)]
pub struct ClientTexts(Option<Arc<Who>>);

impl ClientTexts {
    pub fn name(&self) -> &str {
        self.0.as_ref().map_or("", |w| w.name())
    }
    pub fn id(&self) -> &str {
        self.0.as_ref().map_or("", |w| w.id())
    }
    pub fn rfc(&self) -> &str {
        self.0.as_ref().map_or("", |w| w.rfc())
    }
    /// The name lower case and without accents, for the filter.
    pub fn folded(&self) -> &str {
        self.0.as_ref().map_or("", |w| w.folded())
    }
}

/// The copies rows hold, by their texts; `pruned_at` is the size after the last sweep of
/// forgotten ones (swept again when it has doubled).
struct Copies {
    by_text: HashMap<Box<str>, Weak<Who>>,
    pruned_at: usize,
}

static COPIES: Mutex<Option<Copies>> = Mutex::new(None);

/// The shared copy of a client's texts; `None` when all three are empty (no client).
pub fn who(name: &str, id: &str, rfc: &str) -> Option<Arc<Who>> {
    if name.is_empty() && id.is_empty() && rfc.is_empty() {
        return None;
    }
    // The texts as shown (printable, cut: a hostile megabyte name is not kept whole as
    // a key); their lengths say where each ends, so no two clients share a key.
    let shown = Packed::new([name, id, rfc]);
    let (name, id, rfc) = (shown.get(0), shown.get(1), shown.get(2));
    let key = format!("{}.{}.{name}{id}{rfc}", name.len(), id.len());
    let make = || {
        let folded = crate::app::data::columns::fold(name);
        Arc::new(Who {
            text: Packed::new([name, id, rfc, &folded]),
        })
    };
    // A poisoned lock still holds a usable map (a panic elsewhere left no half-made
    // entry: each is one insert); a row must not go without its client because of it.
    let mut guard = COPIES.lock().unwrap_or_else(|e| e.into_inner());
    let seen = guard.get_or_insert_with(|| Copies {
        by_text: HashMap::new(),
        pruned_at: 0,
    });
    if let Some(w) = seen.by_text.get(key.as_str()).and_then(Weak::upgrade) {
        return Some(w);
    }
    let made = make();
    seen.by_text.insert(key.into(), Arc::downgrade(&made));
    if seen.by_text.len() >= (2 * seen.pruned_at).max(1024) {
        seen.by_text.retain(|_, w| w.strong_count() > 0);
        seen.pruned_at = seen.by_text.len();
    }
    Some(made)
}

/// The shared copy of a document's client texts: its name, id and RFC.
pub(crate) fn client_of(c: Option<&crate::api::ClientRef>) -> ClientTexts {
    ClientTexts(c.and_then(|c| {
        who(
            c.display_name(),
            c.id.as_deref().unwrap_or(""),
            c.tax_id.as_deref().unwrap_or(""),
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::who;
    use std::sync::Arc;

    #[test]
    fn rows_naming_the_same_client_share_one_copy_and_a_changed_one_is_its_own() {
        let a = who("Ñandú Café", "client_1", "NCA010101AB1").unwrap();
        let b = who("Ñandú Café", "client_1", "NCA010101AB1").unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(
            (a.name(), a.id(), a.rfc()),
            ("Ñandú Café", "client_1", "NCA010101AB1")
        );
        assert_eq!(a.folded(), "nandu cafe");
        // Renamed, or another client of the same name: not the same copy.
        let renamed = who("Ñandú Café SA", "client_1", "NCA010101AB1").unwrap();
        let other = who("Ñandú Café", "client_2", "NCA010101AB1").unwrap();
        assert!(!Arc::ptr_eq(&a, &renamed) && !Arc::ptr_eq(&a, &other));
        assert_eq!(renamed.name(), "Ñandú Café SA");
        // Texts that would run together the same way are still two clients.
        let x = who("ab", "c", "").unwrap();
        let y = who("a", "bc", "").unwrap();
        assert!(!Arc::ptr_eq(&x, &y));
        assert!(who("", "", "").is_none());
        // Shown printable, like every row text, and cut: a huge name is not kept whole.
        assert_eq!(who("Evil\u{1b}[2J", "c9", "").unwrap().name(), "Evil[2J");
        let huge = "ñ".repeat(1_000_000);
        let cut = who(&huge, "c10", "").unwrap();
        assert!(cut.name().len() <= 2048 && huge.starts_with(cut.name()));
        assert!(Arc::ptr_eq(&cut, &who(&huge, "c10", "").unwrap()));
    }

    #[test]
    fn a_copy_no_row_holds_is_forgotten_and_made_again() {
        let first = who("Only Once", "client_gone", "").unwrap();
        let weak = Arc::downgrade(&first);
        drop(first);
        assert!(weak.upgrade().is_none());
        let again = who("Only Once", "client_gone", "").unwrap();
        assert_eq!(again.name(), "Only Once");
        // Many clients made and dropped: the map is swept and still answers.
        for i in 0..3000 {
            drop(who("Passing", &format!("client_{i}"), ""));
        }
        let kept = who("Only Once", "client_gone", "").unwrap();
        assert!(Arc::ptr_eq(&kept, &again));
    }
}
