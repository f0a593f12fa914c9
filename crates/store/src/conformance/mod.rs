//! The storage conformance suite: the same cases run against every engine. Each area has its
//! file, named as core's store traits and `sql/` are, and ends with `cases![...]`, which makes one
//! `#[test]` per engine for each case it names: `conformance::<area>::<case>::<engine>`, so a
//! failing case hides no other and `cargo test <case>` runs it on every engine. A case is a
//! private `fn(&dyn Store)`; one left out of `cases!` is dead code, which the lints refuse.

use crate::{Durability, SqliteStore};
use chrono::Utc;
use portcullis_core::store::{Dependents, Tx, write};
use portcullis_core::{
    AccessKey, Account, Group, IamError, InstanceProfile, KeyStatus, Role, Store, StoreError,
    StoreResult, Tag, User,
};

/// One `#[test]` per engine for each case named, in a module named after the case.
macro_rules! cases {
    ($($case:ident),* $(,)?) => {
        $(mod $case {
            #[test]
            fn in_memory() {
                $crate::conformance::in_memory(super::$case);
            }

            #[test]
            fn on_disk() {
                $crate::conformance::on_disk(super::$case);
            }
        })*
    };
}

mod access_keys;
mod account;
mod audit_outbox;
mod credentials;
mod groups;
mod instance_profiles;
mod mfa;
mod passwords;
mod policies;
mod providers;
mod reports;
mod roles;
mod server_certs;
mod tags;
mod users;

/// Runs a case on a fresh in-memory database.
fn in_memory(case: fn(&dyn Store)) {
    case(&SqliteStore::in_memory().unwrap());
}

/// Runs a case on a fresh database file (WAL, `synchronous=FULL`).
fn on_disk(case: fn(&dyn Store)) {
    let dir = tempfile::tempdir().unwrap();
    case(&SqliteStore::open(&dir.path().join("db.sqlite"), Durability::Full).unwrap());
}

/// The account most cases work in, created by [`setup`].
const ACCT: &str = "111122223333";

/// A second account, created by [`other_account`].
const OTHER: &str = "444455556666";

fn setup(s: &dyn Store) {
    s.create_account(&Account {
        id: ACCT.into(),
        created: Utc::now(),
    })
    .unwrap();
}

fn other_account(s: &dyn Store) {
    s.create_account(&Account {
        id: OTHER.into(),
        created: Utc::now(),
    })
    .unwrap();
}

/// Runs data-only writes in one transaction through the `Tx` seam, as core's services do.
fn tx<T>(s: &dyn Store, mut f: impl FnMut(&dyn Tx) -> StoreResult<T>) -> StoreResult<T> {
    write(s, |t| Ok(f(t)?)).map_err(|e| match e {
        IamError::Store(e) => e,
        other => StoreError::Backend(other.to_string()),
    })
}

fn put_user(s: &dyn Store, u: &User, tags: &[Tag]) {
    tx(s, |t| t.insert_user(u, tags)).unwrap();
}

fn put_access_key(s: &dyn Store, k: &AccessKey) {
    tx(s, |t| t.insert_access_key(k)).unwrap();
}

fn put_profile(s: &dyn Store, p: &InstanceProfile, tags: &[Tag]) {
    tx(s, |t| t.insert_instance_profile(p, tags)).unwrap();
}

/// Puts role `role_id` into instance profile `profile_id`.
fn put_profile_role(s: &dyn Store, profile_id: &str, role_id: &str) {
    tx(s, |t| {
        t.insert_profile_role(profile_id, role_id, Utc::now())
    })
    .unwrap();
}

fn put_device(s: &dyn Store, d: &portcullis_core::mfa::VirtualMfaDevice, tags: &[Tag]) {
    tx(s, |t| t.insert_mfa_device(d, tags)).unwrap();
}

fn put_group(s: &dyn Store, g: &Group) {
    tx(s, |t| t.insert_group(g)).unwrap();
}

fn put_role(s: &dyn Store, r: &Role, tags: &[Tag]) {
    tx(s, |t| t.insert_role(r, tags)).unwrap();
}

/// What refers to the entity `id`, as core's deletion rules see it.
fn dependents(s: &dyn Store, id: &str) -> Dependents {
    tx(s, |t| t.dependents(id)).unwrap()
}

/// Deletes user `id`, which nothing may refer to any more (what core checks first).
fn remove_user(s: &dyn Store, id: &str) {
    assert_eq!(dependents(s, id), Dependents::default());
    tx(s, |t| t.remove_user(id)).unwrap();
}

/// Deletes group `id`, which nothing may refer to any more.
fn remove_group(s: &dyn Store, id: &str) {
    assert_eq!(dependents(s, id), Dependents::default());
    tx(s, |t| t.remove_group(id)).unwrap();
}

/// Deletes role `id`, which nothing may refer to any more.
fn remove_role(s: &dyn Store, id: &str) {
    assert_eq!(dependents(s, id), Dependents::default());
    tx(s, |t| t.remove_role(id)).unwrap();
}

fn user(name: &str, path: &str) -> User {
    User {
        account: ACCT.into(),
        id: format!("AIDA{}", name.to_uppercase()),
        name: name.into(),
        path: path.into(),
        created: Utc::now(),
        password_last_used: None,
        permissions_boundary: None,
    }
}

/// An active access key of a user, or of the root user (`None`).
fn access_key(id: &str, user_id: Option<&str>) -> AccessKey {
    AccessKey {
        id: id.into(),
        account: ACCT.into(),
        user_id: user_id.map(str::to_string),
        status: KeyStatus::Active,
        sealed_secret: vec![1, 2, 3],
        created: Utc::now(),
        last_used: None,
    }
}

fn group(name: &str, path: &str) -> Group {
    Group {
        account: ACCT.into(),
        id: format!("AGPA{}", name.to_uppercase()),
        name: name.into(),
        path: path.into(),
        created: Utc::now(),
    }
}

fn role(name: &str) -> Role {
    Role {
        account: ACCT.into(),
        id: format!("AROA{}", name.to_uppercase()),
        name: name.into(),
        path: "/".into(),
        created: Utc::now(),
        assume_role_policy: "{}".into(),
        description: None,
        max_session_duration: 3600,
        permissions_boundary: None,
        last_used: None,
    }
}

fn instance_profile(name: &str, path: &str) -> InstanceProfile {
    InstanceProfile {
        account: ACCT.into(),
        id: format!("AIPA{}", name.to_uppercase()),
        name: name.into(),
        path: path.into(),
        created: Utc::now(),
    }
}
