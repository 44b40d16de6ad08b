//! gigdash: a terminal dashboard for operators of many gigstack teams.

pub mod api;
pub mod app;
pub mod audit;
pub mod brief;
pub mod cli;
pub mod cli_help;
pub mod clock;
pub mod colors;
pub mod config;
pub mod dashboard;
pub mod export;
pub mod headless;
pub mod i18n;
pub mod memory;
pub mod paths;
pub mod report;
pub mod sandbox;
pub mod settings;
pub mod store;
pub mod text;
pub mod tui;
pub mod ui;
pub mod worker;
