//! One module per feature. Each works on `State` and the helpers below it, never on a
//! sibling nor on `update`: what one feature asks of another goes through an `Intent`.

pub mod arrivals;
pub mod branches;
pub mod browse;
pub mod bulk;
pub mod create;
pub mod created;
pub mod find;
pub mod fiscal;
pub mod group;
pub mod listing;
pub mod popups;
pub mod scope;
pub mod switching;
pub mod writes;
