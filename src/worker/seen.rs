//! The ids one read saw (`sync::read`), as hashes: found, merged, counted.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

/// The ids a read saw, as 64-bit hashes of a key of this process (`RandomState`: no
/// server can aim two ids at one). A big team's 400,000 ids as strings were 15 MB of small
/// blocks among the rows' texts, left as holes the process kept once the read ended.
/// Two ids of one hash (about one chance in 10⁸ for a million) lose nothing: a row that
/// came twice is still matched by its id, and the other id is only read again later
/// (not pruned, or not read by id until the next read).
#[derive(Clone, Default)]
pub(crate) struct Seen {
    key: RandomState,
    hashes: HashSet<u64>,
}

impl Seen {
    /// A set hashing with the same key (its hashes can be added to this one's).
    pub(crate) fn like(&self) -> Seen {
        Seen {
            key: self.key.clone(),
            hashes: HashSet::new(),
        }
    }
    /// Whether `id` is new to the set.
    pub(crate) fn insert(&mut self, id: &str) -> bool {
        self.hashes.insert(self.key.hash_one(id))
    }
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.hashes.contains(&self.key.hash_one(id))
    }
    pub(crate) fn len(&self) -> usize {
        self.hashes.len()
    }
    /// `other`'s ids too (made by `like`: hashes of another key would mean nothing).
    pub(crate) fn extend(&mut self, other: &Seen) {
        debug_assert_eq!(
            self.key.hash_one("≡"),
            other.key.hash_one("≡"),
            "made by like()"
        );
        self.hashes.extend(other.hashes.iter().copied());
    }
}

#[cfg(test)]
mod seen_tests {
    use super::Seen;
    use std::hash::BuildHasher;

    #[test]
    fn seen_ids_are_found_and_merged_under_one_key() {
        let mut a = Seen::default();
        assert!(a.insert("payment_1") && !a.insert("payment_1"));
        assert!(a.contains("payment_1") && !a.contains("payment_2"));
        let mut b = a.like();
        assert!(b.insert("payment_2"));
        a.extend(&b);
        assert!(a.contains("payment_2") && a.len() == 2);
        // Another key's hashes are not the same numbers: why `like` exists.
        let other = Seen::default();
        assert_ne!(other.key.hash_one("payment_1"), a.key.hash_one("payment_1"));
    }
}
