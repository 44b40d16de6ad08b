//! What the screens show, as data: rows and their columns, tables, datasets and tabs, a
//! team's figures, the all-teams tables, searches, account lists, the fiscal check and the
//! complements owed. Below `state` and every feature; no file here uses state.

pub mod account;
pub mod branches;
pub mod brand;
pub mod changes;
pub mod columns;
pub mod complements;
pub mod dataset;
pub mod documents;
pub mod fiscal;
pub mod group_figures;
pub mod overview;
pub mod payments;
pub mod receipts;
pub mod search;
pub mod tab;
pub mod table;
pub mod teamed;
pub mod totals;
pub mod who;
