//! End-to-end tests: the real binary, a real server on a random loopback port, real SQLite and
//! tantivy in a temporary data directory.

mod support;

mod access;
mod cli;
mod durability;
mod errors;
mod glossary;
mod statements;
mod suggest;
mod tmx;
mod units;
