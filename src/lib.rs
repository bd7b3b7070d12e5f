//! market-tui: a terminal market viewer for Hive-Engine tokens.
//!
//! Data flows one way: input -> `app::App::update` (pure, returns requests) -> `refresh` worker
//! (cache + `source` client) -> results as messages -> `App::update` -> `ui::render(&App)`.

pub mod accounts;
pub mod allocator;
pub mod app;
pub mod cache;
pub mod changes;
pub mod cli;
pub mod commands;
pub mod config;
pub mod export;
#[cfg(test)]
pub mod fixtures;
pub mod format;
pub mod holders;
pub mod keymap;
pub mod layout;
pub mod logging;
pub mod manual;
pub mod model;
pub mod pools;
pub mod refresh;
pub mod run;
pub mod sanitize;
pub mod setup;
pub mod signals;
pub mod snapshots;
pub mod source;
pub mod table;
pub mod terminal;
pub mod ui;
