//! Helpers over state that several features share: which datasets to ask for, and the
//! `:complements` list.

pub mod clipboard;
pub mod fiscal_column;
pub mod forms;
pub mod guard;
pub mod jump;
pub mod load;
pub mod owed;
