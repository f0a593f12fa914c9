//! Storage engines for Portcullis: [`SqliteStore`], the embedded default (WAL journal,
//! `synchronous=FULL`, migrations at open; also `portcullis dev` in memory), and [`PgStore`],
//! PostgreSQL for several nodes sharing one database (a pool, `SERIALIZABLE` transactions run
//! again after a serialization failure, migrations under an advisory lock). Both are
//! [`SqlStore`] over an engine (`sqlite.rs`, `postgres.rs`) that implements the small interface
//! of `engine.rs` (parameters, rows, connections, write transactions). Each storage area's SQL
//! is written once, over that interface, in `sql/<area>.rs`, named as core's store traits are;
//! row conversion and paging that several areas share are in `rows.rs` and `page.rs`; each
//! engine's migrations are SQL files under `migrations/<engine>/`. The conformance suite
//! (`conformance/`) runs every case on each engine, as `tests/rules*.rs` run core's rules.
//!
//! Engines store what they are given: secrets arrive already sealed by the caller. They hold no
//! IAM rule: the rules are core's (`portcullis_core::iam`) and run inside the engine's write
//! transaction through `portcullis_core::store::Tx`, which `engine.rs` implements over one open
//! transaction (`EngineTx`) and each `sql/<area>.rs` fills with its data-only statements.

mod changes;
#[cfg(test)]
mod conformance;
mod copy;
mod engine;
mod migrations;
mod page;
mod pg_tls;
mod postgres;
mod rows;
mod sql;
mod sqlite;
pub mod testing;

pub use changes::ChangeFeed;
pub use copy::Counts;
pub use engine::SqlStore;
pub use pg_tls::{SslMode, Target as PgTarget, target as pg_target};
pub use postgres::{PgStore, Postgres};
pub use sqlite::{Durability, Sqlite, SqliteStore};
