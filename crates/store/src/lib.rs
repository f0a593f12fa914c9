//! Storage engines for Portcullis. [`SqliteStore`] is the embedded default (WAL journal,
//! `synchronous=FULL`, migrations at open) and also serves `portcullis dev` in memory. The
//! engine lives in `sqlite.rs`; each storage area's SQL and its family trait's implementation
//! in `sql/<area>.rs`, named as core's store traits are; row conversion and paging that several
//! areas share in `rows.rs` and `page.rs`. A PostgreSQL engine will be a second implementation
//! of the same `portcullis_core::Store` trait, checked by the same conformance suite
//! (`conformance/`).
//!
//! Engines store what they are given: secrets arrive already sealed by the caller. They hold no
//! IAM rule: the rules are core's (`portcullis_core::iam`) and run inside the engine's write
//! transaction through `portcullis_core::store::Tx`, which `sqlite.rs` implements over an
//! `IMMEDIATE` transaction (`SqliteTx`) and each `sql/<area>.rs` fills with its data-only
//! statements. `tests/rules*.rs` run core's rules on this engine.

#[cfg(test)]
mod conformance;
mod migrations;
mod page;
mod rows;
mod sql;
mod sqlite;

pub use sqlite::{Durability, SqliteStore};
