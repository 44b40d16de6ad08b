//! All dashboard state and the one place it changes: `update(state, msg) -> Vec<Request>`.
//! Pure: no IO, no clock, no terminal. Time arrives inside messages.
//!
//! Imports run one way (`tests/module_graph.rs` fails on a cycle), from the bottom up:
//!
//! - data: `row` (what a row is), `rows`, `table`, `overview`, `figures` (rows, their tables, a team's figures),
//!   `actions` (the write model:
//!   kinds, requests, the dialog, bulk items), `msg` (the boundary messages), `tab`,
//!   `action`, `keys` (the user's key map), `found` (a search's query and hits), `scoped` (the all-teams tables), `listing` (users and services);
//! - `state`: every field and the helpers every feature needs (status line, current team,
//!   lookups, the current table, row replacement, the intent queue);
//! - helpers over state: `keymap` (bindings, enabled or why not), `load` (which datasets
//!   to request), `form` (text fields and the write dialog's keys);
//! - features, each on state and the helpers, never on a sibling nor on `update`:
//!   `switching`, `browse`, `group`, `scope`, `find`, `popups`, `writes`, `bulk`,
//!   `arrivals`;
//! - `update`: routes a `Msg` (and an `Action`, and the features' `Intent`s) to its owner.

pub mod action;
pub mod actions;
mod arrivals;
pub mod browse;
pub mod bulk;
pub mod complements;
pub mod dataset;
pub mod figures;
pub mod find;
pub mod fiscal;
pub mod fiscal_view;
#[doc(hidden)]
pub mod fixtures;
pub mod form;
pub mod found;
pub mod group;
pub mod keymap;
pub mod keys;
pub mod listing;
pub mod load;
pub mod msg;
pub mod overview;
pub mod owed;
pub mod popups;
pub mod receipt_row;
pub mod row;
pub mod rows;
pub mod scope;
pub mod scoped;
pub mod state;
pub mod switching;
pub mod tab;
pub mod table;
pub mod update;
pub mod validate;
pub mod writes;

pub use msg::{Dataset, Detail, Generation, Msg, Request, Rows, Update, WriteResult};
pub use rows::{ClientRow, InvoiceRow, PaymentRow};
pub use state::State;
pub use tab::Tab;
pub use update::{init, update};
