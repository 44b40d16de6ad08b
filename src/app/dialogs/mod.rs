//! The write model: what a write is (kind, request), the dialog that asks for it (one body
//! per kind), its checks, and the keys that move through it. Sends nothing itself.

pub mod check;
pub mod keys;
pub mod kinds;
pub mod model;
pub mod rules;
pub mod runs;
