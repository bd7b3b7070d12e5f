//! market-tui: a terminal market viewer for Hive-Engine tokens.
//!
//! Data flows one way: input -> `app::App::update` (pure, returns requests) -> `refresh` worker
//! (cache + `source` client) -> results as messages -> `App::update` -> `ui::render(&App)`.

pub mod cache;
pub mod export;
pub mod holders;
pub mod model;
pub mod refresh;
pub mod sanitize;
pub mod source;
