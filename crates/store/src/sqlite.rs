//! The SQLite engine: one writer connection and a few readers over a WAL database, or a single
//! connection for an in-memory database. Each storage family's trait is implemented in its own
//! file under `sqlite/` (`user_store.rs` holds `UserStore`, ...), over the helpers here and in
//! the `sqlite_*` modules.

mod access_key_store;
mod account_store;
mod credential_store;
mod group_store;
mod instance_profile_store;
mod mfa_store;
mod password_store;
mod policy_store;
mod provider_store;
mod report_store;
mod role_store;
mod server_cert_store;
mod tag_store;
mod user_store;

use crate::migrations::MIGRATIONS;
use crate::sqlite_accounts as accounts;
use crate::sqlite_credentials as creds;
use crate::sqlite_groups as groups;
use crate::sqlite_instance_profiles as profiles;
use crate::sqlite_managed as managed;
use crate::sqlite_mfa as mfa;
use crate::sqlite_oidc as oidc;
use crate::sqlite_page::list_by_path;
use crate::sqlite_passwords as passwords;
use crate::sqlite_policies as policies;
use crate::sqlite_reports as reports;
use crate::sqlite_roles as roles;
use crate::sqlite_rows::{self as rows, backend, count, key_columns, ts, user_columns};
use crate::sqlite_saml as saml;
use crate::sqlite_server_certs as server_certs;
use chrono::{DateTime, Utc};
use portcullis_core::credentials::{
    ServerCertificate, ServiceCredential, SigningCertificate, SshPublicKey,
};
use portcullis_core::mfa::{MfaSync, VirtualMfaDevice};
use portcullis_core::model::LastUsed;
use portcullis_core::passwords::{LoginProfile, LoginProfileUpdate, PasswordPolicy};
use portcullis_core::reports::{IdentityPropagation, ReportJob, ServiceAccess};
use portcullis_core::store::prelude::*;
use portcullis_core::store::{AccountCounts, Rename};
use portcullis_core::{
    AccessKey, Account, Group, InstanceProfile, KeyStatus, ManagedPolicy, OidcProvider, OwnerKind,
    Page, PolicyVersion, Role, RoleUpdate, SamlProvider, SamlSettings, StoreError, StoreResult,
    Tag, User,
};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// How hard a commit waits for the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=FULL`: an acknowledged commit survives power loss. The default.
    #[default]
    Full,
    /// `synchronous=NORMAL`: survives a process crash; the last commits may be lost on power loss.
    Normal,
}

#[derive(Debug)]
pub struct SqliteStore {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

const READERS: usize = 4;

fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let version: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .map_err(backend)?
        .try_into()
        .unwrap_or(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)
            .map_err(backend)?;
        tx.execute_batch(sql).map_err(backend)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .map_err(backend)?;
        tx.commit().map_err(backend)?;
    }
    Ok(())
}

impl SqliteStore {
    /// Opens (creating if needed) a database file, sets WAL and the durability level, and runs
    /// pending migrations.
    pub fn open(path: &Path, durability: Durability) -> StoreResult<Self> {
        let sync = match durability {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        };
        let mut writer = Connection::open(path).map_err(backend)?;
        writer
            .execute_batch(&format!("PRAGMA journal_mode=WAL; PRAGMA synchronous={sync}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"))
            .map_err(backend)?;
        migrate(&mut writer)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let r = Connection::open(path).map_err(backend)?;
            r.execute_batch(
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA query_only=ON;",
            )
            .map_err(backend)?;
            readers.push(Mutex::new(r));
        }
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    /// A private in-memory database (for `portcullis dev` and tests).
    pub fn in_memory() -> StoreResult<Self> {
        let mut conn = Connection::open_in_memory().map_err(backend)?;
        conn.execute_batch("PRAGMA foreign_keys=ON;")
            .map_err(backend)?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            writer: Mutex::new(conn),
            readers: Vec::new(),
            next_reader: AtomicUsize::new(0),
        })
    }

    /// `(journal_mode, synchronous)` as SQLite reports them, e.g. `("wal", 2)`.
    pub fn pragmas(&self) -> StoreResult<(String, i64)> {
        let c = lock(&self.writer);
        let mode: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(backend)?;
        let sync: i64 = c
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .map_err(backend)?;
        Ok((mode, sync))
    }

    /// Folds the WAL into the main file; called at shutdown.
    pub fn checkpoint(&self) -> StoreResult<()> {
        lock(&self.writer)
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(backend)
    }

    fn read(&self) -> MutexGuard<'_, Connection> {
        if self.readers.is_empty() {
            return lock(&self.writer);
        }
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for i in 0..self.readers.len() {
            if let Some(r) = self.readers.get((start + i) % self.readers.len())
                && let Ok(g) = r.try_lock()
            {
                return g;
            }
        }
        lock(&self.readers[start % self.readers.len()])
    }

    /// Runs `f` in an immediate (write-locking) transaction and commits when it succeeds.
    fn write<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut c = lock(&self.writer);
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let out = f(&tx)?;
        tx.commit().map_err(backend)?;
        Ok(out)
    }
}

/// One row through the statement cache (every hot query is prepared once per connection).
fn cached_row<T>(
    c: &Connection,
    sql: &str,
    p: impl rusqlite::Params,
    f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    c.prepare_cached(sql)?.query_row(p, f)
}

fn find_user(c: &Connection, account: &str, name: &str) -> StoreResult<Option<User>> {
    cached_row(
        c,
        concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE account = ?1 AND name_lc = ?2"
        ),
        params![account, name.to_ascii_lowercase()],
        rows::user,
    )
    .optional()
    .map_err(backend)
}

/// The stored form of a tag key: lowercase for kinds whose keys ignore case.
fn tag_key(key: &str, fold_case: bool) -> String {
    if fold_case {
        key.to_lowercase()
    } else {
        key.to_string()
    }
}

pub(crate) fn put_tags(
    tx: &rusqlite::Transaction<'_>,
    entity_id: &str,
    tags: &[Tag],
    fold_case: bool,
) -> StoreResult<()> {
    for t in tags {
        let lc = tag_key(&t.key, fold_case);
        let seq: i64 = tx
            .query_row(
                "SELECT COALESCE((SELECT seq FROM entity_tags WHERE entity_id = ?1 AND key_lc = ?2),
                                 (SELECT COALESCE(MAX(seq), 0) + 1 FROM entity_tags WHERE entity_id = ?1))",
                params![entity_id, lc],
                |r| r.get(0),
            )
            .map_err(backend)?;
        tx.execute(
            "INSERT INTO entity_tags (entity_id, key_lc, key, value, seq) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (entity_id, key_lc) DO UPDATE SET key = excluded.key, value = excluded.value",
            params![entity_id, lc, t.key, t.value, seq],
        )
        .map_err(backend)?;
    }
    Ok(())
}
