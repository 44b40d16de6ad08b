//! Helpers over state that several features share: which datasets to ask for, and the
//! `:complements` list.

pub mod load;
pub mod owed;
