//! All dashboard state and the one place it changes: `update(state, msg) -> Vec<Request>`.
//! Pure: no IO, no clock, no terminal. Time arrives inside messages.
//!
//! Imports run one way (`tests/module_graph.rs` fails on a cycle), from the bottom up:
//!
//! - `data/`: what the screens show — rows, their tables, datasets, tabs, a team's figures,
//!   the all-teams tables, a search's query and hits, the account lists, the fiscal check;
//! - `input/`: what a key means — actions, the user's key map, the bindings table (enabled or
//!   why not) and the `:` command table;
//! - `form/`: the form toolkit — text, amount, date, catalog choice, picker, repeated group,
//!   confirm row — that dialogs are made of;
//! - `dialogs/`: the write model — kinds, requests, one dialog body per kind, their checks;
//! - `msg`: the boundary messages; `asked`: which answer each question waits for; `state`:
//!   `State` and the helpers every feature needs;
//! - `common/`: helpers over state shared by several features (which datasets to load, the
//!   `:complements` list, a dialog's keys);
//! - `features/`: one module per feature, each on state and the helpers, never on a sibling
//!   nor on `update`;
//! - `update`: routes a `Msg` (and an `Action`, and the features' `Intent`s) to its owner.

pub mod asked;
pub mod common;
pub mod create;
pub mod data;
pub mod dialogs;
pub mod features;
/// Deterministic teams and rows for tests, snapshots and benchmarks: not in the shipped
/// binary (`cargo test` and `cargo bench` turn `test-support` on).
#[cfg(feature = "test-support")]
pub mod fixtures;
pub mod form;
pub mod input;
pub mod msg;
pub mod state;
pub mod update;

pub use data::documents::{ClientRow, InvoiceRow, PaymentRow};
pub use data::tab::Tab;
pub use msg::{Dataset, Detail, Generation, Msg, Request, Rows, Update, WriteResult};
pub use state::State;
pub use update::{init, update};
