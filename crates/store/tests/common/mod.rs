//! Fixtures shared by the rule tests: an in-memory SQLite store with one account, and with one
//! user in it.
#![expect(
    clippy::unwrap_used,
    reason = "test fixtures: a failed setup should panic"
)]

use chrono::Utc;
use portcullis_core::store::prelude::*;
use portcullis_core::store::write;
use portcullis_core::{Account, User};
use portcullis_store::SqliteStore;

pub const ACCT: &str = "111122223333";

/// A store holding the account [`ACCT`].
pub fn store() -> SqliteStore {
    let s = SqliteStore::in_memory().unwrap();
    s.create_account(&Account {
        id: ACCT.into(),
        created: Utc::now(),
    })
    .unwrap();
    s
}

/// A store holding [`ACCT`] and its user `u`.
#[allow(
    dead_code,
    reason = "not every test file that includes the fixtures uses this one"
)]
pub fn store_with_user() -> (SqliteStore, User) {
    let s = store();
    let u = User {
        account: ACCT.into(),
        id: "AIDAU".into(),
        name: "u".into(),
        path: "/".into(),
        created: Utc::now(),
        password_last_used: None,
        permissions_boundary: None,
    };
    write(&s, |tx| Ok(tx.insert_user(&u, &[])?)).unwrap();
    (s, u)
}
