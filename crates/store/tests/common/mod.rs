//! Fixtures shared by the rule tests: each test is a `fn(&dyn Store)` that [`engines!`] runs once
//! per engine (a SQLite file, and a fresh schema of the test PostgreSQL server named by
//! `PORTCULLIS_TEST_DATABASE_URL`), on a store holding the account [`ACCT`].
#![expect(
    clippy::unwrap_used,
    reason = "test fixtures: a failed setup should panic"
)]

use chrono::Utc;
use portcullis_core::store::prelude::*;
use portcullis_core::store::write;
use portcullis_core::{Account, User};
use portcullis_store::testing::{TestSchema, database_url};
use portcullis_store::{Durability, PgStore, SqliteStore};

pub const ACCT: &str = "111122223333";

/// One `#[test]` per engine for each test named, in a module named after the test:
/// `<test>::sqlite` and `<test>::postgres`.
#[macro_export]
macro_rules! engines {
    ($($name:ident),* $(,)?) => {
        $(mod $name {
            #[test]
            fn sqlite() {
                $crate::common::on_sqlite(super::$name);
            }

            #[test]
            fn postgres() {
                $crate::common::on_postgres(super::$name);
            }
        })*
    };
}

fn with_account(s: &dyn Store) {
    s.create_account(&Account {
        id: ACCT.into(),
        created: Utc::now(),
    })
    .unwrap();
}

/// Runs a test on a fresh SQLite file holding [`ACCT`].
pub fn on_sqlite(test: fn(&dyn Store)) {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(&dir.path().join("db.sqlite"), Durability::Normal).unwrap();
    with_account(&s);
    test(&s);
}

/// Runs a test in a fresh PostgreSQL schema holding [`ACCT`] (skipped when no test server is
/// named).
pub fn on_postgres(test: fn(&dyn Store)) {
    let Some(url) = database_url() else { return };
    let schema = TestSchema::create(&url).unwrap();
    let s = PgStore::open(&schema.url).unwrap();
    with_account(&s);
    test(&s);
}

/// Adds the user `u` to [`ACCT`].
#[allow(
    dead_code,
    reason = "not every test file that includes the fixtures uses this one"
)]
pub fn with_user(s: &dyn Store) -> User {
    let u = User {
        account: ACCT.into(),
        id: "AIDAU".into(),
        name: "u".into(),
        path: "/".into(),
        created: Utc::now(),
        password_last_used: None,
        permissions_boundary: None,
    };
    write(s, |tx| Ok(tx.insert_user(&u, &[])?)).unwrap();
    u
}
