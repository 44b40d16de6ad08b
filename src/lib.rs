//! gigdash: a terminal dashboard for operators of many gigstack teams.

pub mod api;
pub mod sandbox;
