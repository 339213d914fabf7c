//! Werger: a translation memory for English, Arabic, Sorani and Kurmanji press statements.
//!
//! `core` is pure domain logic; `store` owns SQLite and tantivy; `service` holds the use cases
//! shared by `http` and `cli`. See ARCHITECTURE.md.

pub mod cli;
pub mod core;
pub mod eval;
pub mod http;
pub mod i18n;
pub mod service;
pub mod store;
