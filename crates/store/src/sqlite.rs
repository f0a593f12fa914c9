//! The SQLite engine: one writer connection and a few readers over a WAL database, or a single
//! connection for an in-memory database.

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
use portcullis_core::store::{AccountCounts, Rename};
use portcullis_core::{
    AccessKey, Account, Group, InstanceProfile, KeyStatus, ManagedPolicy, OidcProvider, OwnerKind,
    Page, PolicyVersion, Role, RoleUpdate, SamlProvider, SamlSettings, Store, StoreError,
    StoreResult, Tag, User,
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

impl Store for SqliteStore {
    fn create_account(&self, account: &Account) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO accounts (id, created) VALUES (?1, ?2)",
                params![account.id, ts(account.created)],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn get_account(&self, id: &str) -> StoreResult<Option<Account>> {
        cached_row(
            &self.read(),
            "SELECT id, created FROM accounts WHERE id = ?1",
            [id],
            |r| {
                Ok(Account {
                    id: r.get(0)?,
                    created: rows::parse_ts(&r.get::<_, String>(1)?)?,
                })
            },
        )
        .optional()
        .map_err(backend)
    }

    fn list_accounts(&self) -> StoreResult<Vec<Account>> {
        let c = self.read();
        let mut st = c
            .prepare("SELECT id, created FROM accounts ORDER BY created, id")
            .map_err(backend)?;
        let out = st
            .query_map([], |r| {
                Ok(Account {
                    id: r.get(0)?,
                    created: rows::parse_ts(&r.get::<_, String>(1)?)?,
                })
            })
            .map_err(backend)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(backend)?;
        Ok(out)
    }

    fn account_counts(&self, account: &str) -> StoreResult<AccountCounts> {
        accounts::counts(&self.read(), account)
    }

    fn create_account_alias(&self, account: &str, alias: &str) -> StoreResult<()> {
        self.write(|tx| accounts::create_alias(tx, account, alias))
    }

    fn delete_account_alias(&self, account: &str, alias: &str) -> StoreResult<()> {
        self.write(|tx| accounts::delete_alias(tx, account, alias))
    }

    fn account_aliases(&self, account: &str) -> StoreResult<Vec<String>> {
        accounts::aliases(&self.read(), account)
    }

    fn create_user(&self, user: &User, tags: &[Tag], max_users: usize) -> StoreResult<()> {
        self.write(|tx| {
            if find_user(tx, &user.account, &user.name)?.is_some() {
                return Err(StoreError::AlreadyExists);
            }
            if count(tx, "SELECT COUNT(*) FROM users WHERE account = ?1", [&user.account])? >= max_users {
                return Err(StoreError::LimitExceeded);
            }
            tx.execute(
                "INSERT INTO users (id, account, name, name_lc, path, created, password_last_used, permissions_boundary)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7)",
                params![user.id, user.account, user.name, user.name.to_ascii_lowercase(), user.path, ts(user.created), user.permissions_boundary],
            )
            .map_err(backend)?;
            put_tags(tx, &user.id, tags, true)
        })
    }

    fn get_user(&self, account: &str, name: &str) -> StoreResult<Option<User>> {
        find_user(&self.read(), account, name)
    }

    fn get_user_by_id(&self, account: &str, id: &str) -> StoreResult<Option<User>> {
        cached_row(
            &self.read(),
            concat!(
                "SELECT ",
                user_columns!(),
                " FROM users WHERE account = ?1 AND id = ?2"
            ),
            params![account, id],
            rows::user,
        )
        .optional()
        .map_err(backend)
    }

    fn update_user(&self, account: &str, name: &str, update: &Rename) -> StoreResult<User> {
        self.write(|tx| {
            let mut user = find_user(tx, account, name)?.ok_or(StoreError::NotFound)?;
            if let Some(new_name) = &update.new_name {
                if !new_name.eq_ignore_ascii_case(&user.name)
                    && find_user(tx, account, new_name)?.is_some()
                {
                    return Err(StoreError::AlreadyExists);
                }
                user.name = new_name.clone();
            }
            if let Some(p) = &update.new_path {
                user.path = p.clone();
            }
            tx.execute(
                "UPDATE users SET name = ?1, name_lc = ?2, path = ?3 WHERE id = ?4",
                params![
                    user.name,
                    user.name.to_ascii_lowercase(),
                    user.path,
                    user.id
                ],
            )
            .map_err(backend)?;
            Ok(user)
        })
    }

    fn delete_user(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| {
            let user = find_user(tx, account, name)?.ok_or(StoreError::NotFound)?;
            if let Some(msg) = passwords::user_conflict(tx, &user.id)? {
                return Err(StoreError::Conflict(msg));
            }
            if count(
                tx,
                "SELECT COUNT(*) FROM access_keys WHERE user_id = ?1",
                [&user.id],
            )? > 0
            {
                return Err(StoreError::Conflict(
                    "Cannot delete entity, must delete access keys first.",
                ));
            }
            if policies::has_inline(tx, &user.id)? {
                return Err(StoreError::Conflict(
                    "Cannot delete entity, must delete policies first.",
                ));
            }
            if managed::has_attachments(tx, &user.id)? {
                return Err(StoreError::Conflict(
                    "Cannot delete entity, must detach all policies first.",
                ));
            }
            if groups::user_has_groups(tx, &user.id)? {
                return Err(StoreError::Conflict(
                    "Cannot delete entity, must remove user from all groups first.",
                ));
            }
            if let Some(msg) = creds::user_conflict(tx, &user.id)? {
                return Err(StoreError::Conflict(msg));
            }
            if let Some(msg) = mfa::user_conflict(tx, &user.id)? {
                return Err(StoreError::Conflict(msg));
            }
            tx.execute("DELETE FROM entity_tags WHERE entity_id = ?1", [&user.id])
                .map_err(backend)?;
            tx.execute("DELETE FROM users WHERE id = ?1", [&user.id])
                .map_err(backend)?;
            Ok(())
        })
    }

    fn list_users(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<User>> {
        list_by_path(
            &self.read(),
            ("users", user_columns!()),
            account,
            path_prefix,
            marker,
            max_items,
            rows::user,
        )
    }

    fn tags(&self, entity_id: &str) -> StoreResult<Vec<Tag>> {
        let c = self.read();
        let mut st = c
            .prepare_cached("SELECT key, value FROM entity_tags WHERE entity_id = ?1 ORDER BY seq")
            .map_err(backend)?;
        let out = st
            .query_map([entity_id], |r| {
                Ok(Tag {
                    key: r.get(0)?,
                    value: r.get(1)?,
                })
            })
            .map_err(backend)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(backend)?;
        Ok(out)
    }

    fn tag_entity(
        &self,
        entity_id: &str,
        tags: &[Tag],
        fold_case: bool,
        max_tags: usize,
    ) -> StoreResult<()> {
        self.write(|tx| {
            put_tags(tx, entity_id, tags, fold_case)?;
            if count(
                tx,
                "SELECT COUNT(*) FROM entity_tags WHERE entity_id = ?1",
                [entity_id],
            )? > max_tags
            {
                return Err(StoreError::LimitExceeded);
            }
            Ok(())
        })
    }

    fn untag_entity(&self, entity_id: &str, keys: &[String], fold_case: bool) -> StoreResult<()> {
        self.write(|tx| {
            for k in keys {
                tx.execute(
                    "DELETE FROM entity_tags WHERE entity_id = ?1 AND key_lc = ?2",
                    params![entity_id, tag_key(k, fold_case)],
                )
                .map_err(backend)?;
            }
            Ok(())
        })
    }

    fn create_group(&self, group: &Group, max_groups: usize) -> StoreResult<()> {
        self.write(|tx| groups::create(tx, group, max_groups))
    }

    fn get_group(&self, account: &str, name: &str) -> StoreResult<Option<Group>> {
        groups::find_group(&self.read(), account, name)
    }

    fn update_group(&self, account: &str, name: &str, update: &Rename) -> StoreResult<Group> {
        self.write(|tx| groups::update(tx, account, name, update))
    }

    fn delete_group(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| groups::delete(tx, account, name))
    }

    fn list_groups(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>> {
        groups::list(&self.read(), account, path_prefix, marker, max_items)
    }

    fn add_user_to_group(
        &self,
        account: &str,
        group_id: &str,
        user_id: &str,
        max_groups_per_user: usize,
    ) -> StoreResult<()> {
        self.write(|tx| groups::add_member(tx, account, group_id, user_id, max_groups_per_user))
    }

    fn remove_user_from_group(
        &self,
        _account: &str,
        group_id: &str,
        user_id: &str,
    ) -> StoreResult<()> {
        self.write(|tx| groups::remove_member(tx, group_id, user_id))
    }

    fn list_group_members(
        &self,
        account: &str,
        group_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<User>> {
        groups::members(&self.read(), account, group_id, marker, max_items)
    }

    fn list_groups_for_user(
        &self,
        account: &str,
        user_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>> {
        groups::for_user(&self.read(), account, user_id, marker, max_items)
    }

    fn create_role(&self, role: &Role, tags: &[Tag], max_roles: usize) -> StoreResult<()> {
        self.write(|tx| roles::create(tx, role, tags, max_roles))
    }

    fn get_role(&self, account: &str, name: &str) -> StoreResult<Option<Role>> {
        roles::find(&self.read(), account, name)
    }

    fn update_role(&self, account: &str, name: &str, update: &RoleUpdate) -> StoreResult<Role> {
        self.write(|tx| roles::update(tx, account, name, update))
    }

    fn delete_role(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| roles::delete(tx, account, name))
    }

    fn delete_service_linked_role(
        &self,
        account: &str,
        name: &str,
        task_id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| crate::sqlite_service_roles::delete(tx, account, name, task_id, at))
    }

    fn service_role_deletion_exists(&self, account: &str, task_id: &str) -> StoreResult<bool> {
        crate::sqlite_service_roles::exists(&self.read(), account, task_id)
    }

    fn list_roles(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Role>> {
        roles::list(&self.read(), account, path_prefix, marker, max_items)
    }

    fn set_role_boundary(
        &self,
        account: &str,
        role_id: &str,
        arn: Option<&str>,
    ) -> StoreResult<()> {
        self.write(|tx| roles::set_boundary(tx, account, role_id, arn))
    }

    fn record_role_use(
        &self,
        account: &str,
        role_id: &str,
        at: DateTime<Utc>,
        region: &str,
    ) -> StoreResult<()> {
        self.write(|tx| roles::record_use(tx, account, role_id, at, region))
    }

    fn put_inline_policy(
        &self,
        owner_id: &str,
        name: &str,
        document: &str,
        size: usize,
        max_total: usize,
    ) -> StoreResult<()> {
        self.write(|tx| policies::put_inline(tx, owner_id, name, document, size, max_total))
    }

    fn get_inline_policy(&self, owner_id: &str, name: &str) -> StoreResult<Option<String>> {
        policies::get_inline(&self.read(), owner_id, name)
    }

    fn delete_inline_policy(&self, owner_id: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| policies::delete_inline(tx, owner_id, name))
    }

    fn list_inline_policies(&self, owner_id: &str) -> StoreResult<Vec<(String, String)>> {
        policies::list_inline(&self.read(), owner_id)
    }

    fn create_policy(
        &self,
        policy: &ManagedPolicy,
        document: &str,
        max_policies: usize,
    ) -> StoreResult<()> {
        self.write(|tx| managed::create(tx, policy, document, max_policies))
    }

    fn get_policy(&self, account: &str, arn: &str) -> StoreResult<Option<ManagedPolicy>> {
        managed::find(&self.read(), account, arn)
    }

    fn list_policies(&self, account: &str) -> StoreResult<Vec<ManagedPolicy>> {
        managed::list(&self.read(), account)
    }

    fn delete_policy(&self, account: &str, arn: &str) -> StoreResult<()> {
        self.write(|tx| managed::delete(tx, account, arn))
    }

    fn create_policy_version(
        &self,
        account: &str,
        arn: &str,
        document: &str,
        set_default: bool,
        now: DateTime<Utc>,
        max_versions: usize,
    ) -> StoreResult<PolicyVersion> {
        self.write(|tx| {
            managed::create_version(tx, account, arn, document, set_default, now, max_versions)
        })
    }

    fn get_policy_version(
        &self,
        account: &str,
        arn: &str,
        version_id: &str,
    ) -> StoreResult<Option<PolicyVersion>> {
        managed::get_version(&self.read(), account, arn, version_id)
    }

    fn list_policy_versions(&self, account: &str, arn: &str) -> StoreResult<Vec<PolicyVersion>> {
        managed::list_versions(&self.read(), account, arn)
    }

    fn delete_policy_version(&self, account: &str, arn: &str, version_id: &str) -> StoreResult<()> {
        self.write(|tx| managed::delete_version(tx, account, arn, version_id))
    }

    fn set_default_policy_version(
        &self,
        account: &str,
        arn: &str,
        version_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| managed::set_default(tx, account, arn, version_id, now))
    }

    fn attach_policy(
        &self,
        account: &str,
        kind: OwnerKind,
        owner_id: &str,
        arn: &str,
        max_attached: usize,
    ) -> StoreResult<()> {
        self.write(|tx| managed::attach(tx, account, kind, owner_id, arn, max_attached))
    }

    fn detach_policy(&self, _account: &str, owner_id: &str, arn: &str) -> StoreResult<()> {
        self.write(|tx| managed::detach(tx, owner_id, arn))
    }

    fn attached_policies(&self, owner_id: &str) -> StoreResult<Vec<String>> {
        managed::attached(&self.read(), owner_id)
    }

    fn policy_usage(&self, account: &str, arn: &str) -> StoreResult<(usize, usize)> {
        managed::usage(&self.read(), account, arn)
    }

    fn entities_for_policy(
        &self,
        account: &str,
        arn: &str,
        boundary: bool,
    ) -> StoreResult<Vec<(OwnerKind, String, String, String)>> {
        managed::entities(&self.read(), account, arn, boundary)
    }

    fn set_user_boundary(
        &self,
        account: &str,
        user_id: &str,
        arn: Option<&str>,
    ) -> StoreResult<()> {
        self.write(|tx| managed::set_user_boundary(tx, account, user_id, arn))
    }

    fn create_access_key(&self, key: &AccessKey, max_per_user: usize) -> StoreResult<()> {
        self.write(|tx| {
            let n = count(
                tx,
                "SELECT COUNT(*) FROM access_keys WHERE account = ?1 AND user_id IS ?2",
                params![key.account, key.user_id],
            )?;
            if n >= max_per_user {
                return Err(StoreError::LimitExceeded);
            }
            tx.execute(
                concat!(
                    "INSERT INTO access_keys (",
                    key_columns!(),
                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, NULL, NULL)"
                ),
                params![
                    key.id,
                    key.account,
                    key.user_id,
                    key.status.as_str(),
                    key.sealed_secret,
                    ts(key.created)
                ],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn get_access_key(&self, id: &str) -> StoreResult<Option<AccessKey>> {
        cached_row(
            &self.read(),
            concat!("SELECT ", key_columns!(), " FROM access_keys WHERE id = ?1"),
            [id],
            rows::access_key,
        )
        .optional()
        .map_err(backend)
    }

    fn list_access_keys(
        &self,
        account: &str,
        user_id: Option<&str>,
    ) -> StoreResult<Vec<AccessKey>> {
        let c = self.read();
        let mut st = c
            .prepare_cached(concat!(
                "SELECT ",
                key_columns!(),
                " FROM access_keys WHERE account = ?1 AND user_id IS ?2 ORDER BY created, id"
            ))
            .map_err(backend)?;
        let out = st
            .query_map(params![account, user_id], rows::access_key)
            .map_err(backend)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(backend)?;
        Ok(out)
    }

    fn update_access_key_status(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()> {
        self.write(|tx| {
            let n = tx
                .execute("UPDATE access_keys SET status = ?1 WHERE id = ?2 AND account = ?3 AND user_id IS ?4", params![status.as_str(), id, account, user_id])
                .map_err(backend)?;
            if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
    }

    fn delete_access_key(&self, account: &str, user_id: Option<&str>, id: &str) -> StoreResult<()> {
        self.write(|tx| {
            let n = tx
                .execute(
                    "DELETE FROM access_keys WHERE id = ?1 AND account = ?2 AND user_id IS ?3",
                    params![id, account, user_id],
                )
                .map_err(backend)?;
            if n == 0 {
                Err(StoreError::NotFound)
            } else {
                Ok(())
            }
        })
    }

    fn record_access_key_use(
        &self,
        id: &str,
        used: &LastUsed,
        not_before: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE access_keys SET last_used_at = ?1, last_used_service = ?2, last_used_region = ?3
                 WHERE id = ?4 AND (last_used_at IS NULL OR last_used_at < ?5)",
                params![ts(used.at), used.service, used.region, id, ts(not_before)],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn create_instance_profile(
        &self,
        profile: &InstanceProfile,
        tags: &[Tag],
        max_profiles: usize,
    ) -> StoreResult<()> {
        self.write(|tx| profiles::create(tx, profile, tags, max_profiles))
    }

    fn get_instance_profile(
        &self,
        account: &str,
        name: &str,
    ) -> StoreResult<Option<InstanceProfile>> {
        profiles::find(&self.read(), account, name)
    }

    fn delete_instance_profile(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| profiles::delete(tx, account, name))
    }

    fn list_instance_profiles(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<InstanceProfile>> {
        profiles::list(&self.read(), account, path_prefix, marker, max_items)
    }

    fn add_role_to_instance_profile(
        &self,
        account: &str,
        profile_id: &str,
        role_id: &str,
        max_roles: usize,
    ) -> StoreResult<()> {
        self.write(|tx| profiles::add_role(tx, account, profile_id, role_id, max_roles))
    }

    fn remove_role_from_instance_profile(
        &self,
        account: &str,
        profile_id: &str,
        role_id: &str,
    ) -> StoreResult<()> {
        self.write(|tx| profiles::remove_role(tx, account, profile_id, role_id))
    }

    fn instance_profile_roles(&self, profile_id: &str) -> StoreResult<Vec<Role>> {
        profiles::roles(&self.read(), profile_id)
    }

    fn list_instance_profiles_for_role(
        &self,
        account: &str,
        role_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<InstanceProfile>> {
        profiles::for_role(&self.read(), account, role_id, marker, max_items)
    }

    fn create_oidc_provider(
        &self,
        provider: &OidcProvider,
        propagation: &IdentityPropagation,
        tags: &[Tag],
        max: usize,
    ) -> StoreResult<()> {
        self.write(|tx| oidc::create(tx, provider, propagation, tags, max))
    }

    fn get_oidc_provider(&self, account: &str, arn: &str) -> StoreResult<Option<OidcProvider>> {
        oidc::find(&self.read(), account, arn)
    }

    fn list_oidc_providers(&self, account: &str) -> StoreResult<Vec<OidcProvider>> {
        oidc::list(&self.read(), account)
    }

    fn delete_oidc_provider(&self, account: &str, arn: &str) -> StoreResult<()> {
        self.write(|tx| oidc::delete(tx, account, arn))
    }

    fn set_oidc_thumbprints(
        &self,
        account: &str,
        arn: &str,
        thumbprints: &[String],
    ) -> StoreResult<()> {
        self.write(|tx| oidc::set_thumbprints(tx, account, arn, thumbprints))
    }

    fn add_oidc_client_id(
        &self,
        account: &str,
        arn: &str,
        client_id: &str,
        max: usize,
    ) -> StoreResult<()> {
        self.write(|tx| oidc::add_client_id(tx, account, arn, client_id, max))
    }

    fn remove_oidc_client_id(&self, account: &str, arn: &str, client_id: &str) -> StoreResult<()> {
        self.write(|tx| oidc::remove_client_id(tx, account, arn, client_id))
    }

    fn create_saml_provider(
        &self,
        provider: &SamlProvider,
        settings: &SamlSettings,
        tags: &[Tag],
        max: usize,
    ) -> StoreResult<()> {
        self.write(|tx| saml::create(tx, provider, settings, tags, max))
    }

    fn get_saml_provider(&self, account: &str, arn: &str) -> StoreResult<Option<SamlProvider>> {
        saml::find(&self.read(), account, arn)
    }

    fn list_saml_providers(&self, account: &str) -> StoreResult<Vec<SamlProvider>> {
        saml::list(&self.read(), account)
    }

    fn update_saml_metadata(
        &self,
        account: &str,
        arn: &str,
        metadata: &str,
        valid_until: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| saml::update_metadata(tx, account, arn, metadata, valid_until))
    }

    fn delete_saml_provider(&self, account: &str, arn: &str) -> StoreResult<()> {
        self.write(|tx| saml::delete(tx, account, arn))
    }

    fn saml_settings(&self, account: &str, arn: &str) -> StoreResult<SamlSettings> {
        saml::settings(&self.read(), account, arn)
    }

    fn set_saml_settings(
        &self,
        account: &str,
        arn: &str,
        settings: &SamlSettings,
    ) -> StoreResult<()> {
        self.write(|tx| saml::set_settings(tx, account, arn, settings))
    }

    fn create_ssh_key(&self, key: &SshPublicKey, max_per_user: usize) -> StoreResult<()> {
        self.write(|tx| creds::create_ssh_key(tx, key, max_per_user))
    }

    fn get_ssh_key(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
    ) -> StoreResult<Option<SshPublicKey>> {
        creds::get_ssh_key(&self.read(), account, user_id, id)
    }

    fn list_ssh_keys(&self, account: &str, user_id: &str) -> StoreResult<Vec<SshPublicKey>> {
        creds::list_ssh_keys(&self.read(), account, user_id)
    }

    fn update_ssh_key_status(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()> {
        self.write(|tx| creds::update_ssh_key_status(tx, account, user_id, id, status))
    }

    fn delete_ssh_key(&self, account: &str, user_id: &str, id: &str) -> StoreResult<()> {
        self.write(|tx| creds::delete_ssh_key(tx, account, user_id, id))
    }

    fn create_service_credential(
        &self,
        cred: &ServiceCredential,
        max_per_service: usize,
    ) -> StoreResult<()> {
        self.write(|tx| creds::create_service_credential(tx, cred, max_per_service))
    }

    fn list_service_credentials(
        &self,
        account: &str,
        user_id: Option<&str>,
        service: Option<&str>,
    ) -> StoreResult<Vec<ServiceCredential>> {
        creds::list_service_credentials(&self.read(), account, user_id, service)
    }

    fn reset_service_credential(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        sealed_password: &[u8],
    ) -> StoreResult<ServiceCredential> {
        self.write(|tx| creds::reset_service_credential(tx, account, user_id, id, sealed_password))
    }

    fn update_service_credential_status(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()> {
        self.write(|tx| creds::update_service_credential_status(tx, account, user_id, id, status))
    }

    fn delete_service_credential(&self, account: &str, user_id: &str, id: &str) -> StoreResult<()> {
        self.write(|tx| creds::delete_service_credential(tx, account, user_id, id))
    }

    fn create_signing_cert(
        &self,
        cert: &SigningCertificate,
        max_per_user: usize,
    ) -> StoreResult<()> {
        self.write(|tx| creds::create_signing_cert(tx, cert, max_per_user))
    }

    fn list_signing_certs(
        &self,
        account: &str,
        user_id: Option<&str>,
    ) -> StoreResult<Vec<SigningCertificate>> {
        creds::list_signing_certs(&self.read(), account, user_id)
    }

    fn update_signing_cert_status(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()> {
        self.write(|tx| creds::update_signing_cert_status(tx, account, user_id, id, status))
    }

    fn delete_signing_cert(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
    ) -> StoreResult<()> {
        self.write(|tx| creds::delete_signing_cert(tx, account, user_id, id))
    }

    fn create_server_cert(
        &self,
        cert: &ServerCertificate,
        tags: &[Tag],
        max_per_account: usize,
    ) -> StoreResult<()> {
        self.write(|tx| server_certs::create(tx, cert, tags, max_per_account))
    }

    fn get_server_cert(&self, account: &str, name: &str) -> StoreResult<Option<ServerCertificate>> {
        server_certs::find(&self.read(), account, name)
    }

    fn update_server_cert(
        &self,
        account: &str,
        name: &str,
        update: &Rename,
    ) -> StoreResult<ServerCertificate> {
        self.write(|tx| server_certs::update(tx, account, name, update))
    }

    fn delete_server_cert(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| server_certs::delete(tx, account, name))
    }

    fn list_server_certs(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<ServerCertificate>> {
        server_certs::list(&self.read(), account, path_prefix, marker, max_items)
    }

    fn account_setting(&self, account: &str, key: &str) -> StoreResult<Option<String>> {
        reports::setting(&self.read(), account, key)
    }

    fn account_settings(&self, account: &str, prefix: &str) -> StoreResult<Vec<(String, String)>> {
        reports::settings(&self.read(), account, prefix)
    }

    fn put_account_settings(
        &self,
        account: &str,
        settings: &[(String, Option<String>)],
    ) -> StoreResult<()> {
        self.write(|tx| reports::put_settings(tx, account, settings))
    }

    fn create_report_job(&self, job: &ReportJob, forget_before: DateTime<Utc>) -> StoreResult<()> {
        self.write(|tx| reports::create_job(tx, job, forget_before))
    }

    fn get_report_job(&self, account: &str, id: &str) -> StoreResult<Option<ReportJob>> {
        reports::job(&self.read(), account, id)
    }

    fn put_credential_report(
        &self,
        account: &str,
        generated: DateTime<Utc>,
        content: &str,
    ) -> StoreResult<()> {
        self.write(|tx| reports::put_credential_report(tx, account, generated, content))
    }

    fn credential_report(&self, account: &str) -> StoreResult<Option<(DateTime<Utc>, String)>> {
        reports::credential_report(&self.read(), account)
    }

    fn record_service_access(&self, account: &str, access: &ServiceAccess) -> StoreResult<()> {
        self.write(|tx| reports::record_access(tx, account, access))
    }

    fn service_access(&self, entity_ids: &[String]) -> StoreResult<Vec<ServiceAccess>> {
        reports::access(&self.read(), entity_ids)
    }

    fn oidc_propagation(&self, account: &str, arn: &str) -> StoreResult<IdentityPropagation> {
        oidc::propagation(&self.read(), account, arn)
    }

    fn set_oidc_propagation(
        &self,
        account: &str,
        arn: &str,
        settings: &IdentityPropagation,
    ) -> StoreResult<()> {
        self.write(|tx| oidc::set_propagation(tx, account, arn, settings))
    }

    fn wipe(&self) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute_batch(
                "DELETE FROM account_settings; DELETE FROM report_jobs; DELETE FROM service_access; DELETE FROM credential_reports;",
            )
            .map_err(backend)?;
            tx.execute_batch("DELETE FROM service_role_deletions; DELETE FROM ssh_public_keys; DELETE FROM service_credentials; DELETE FROM signing_certificates; DELETE FROM server_certificates; DELETE FROM saml_providers; DELETE FROM oidc_client_ids; DELETE FROM oidc_providers; DELETE FROM instance_profile_roles; DELETE FROM instance_profiles; DELETE FROM account_aliases; DELETE FROM roles; DELETE FROM attachments; DELETE FROM policy_versions; DELETE FROM policies; DELETE FROM inline_policies; DELETE FROM group_members; DELETE FROM groups; DELETE FROM access_keys; DELETE FROM entity_tags; DELETE FROM users; DELETE FROM accounts;").map_err(backend)
        })
    }

    // --- Login profiles and password policy ---
    fn create_login_profile(&self, profile: &LoginProfile, password_hash: &str) -> StoreResult<()> {
        self.write(|tx| passwords::create(tx, profile, password_hash))
    }

    fn login_profile(&self, account: &str, user_id: &str) -> StoreResult<Option<LoginProfile>> {
        passwords::get(&self.read(), account, user_id)
    }

    fn login_password_hash(&self, account: &str, user_id: &str) -> StoreResult<Option<String>> {
        passwords::password_hash(&self.read(), account, user_id)
    }

    fn update_login_profile(
        &self,
        account: &str,
        user_id: &str,
        update: &LoginProfileUpdate,
    ) -> StoreResult<LoginProfile> {
        self.write(|tx| passwords::update(tx, account, user_id, update))
    }

    fn delete_login_profile(&self, account: &str, user_id: &str) -> StoreResult<()> {
        self.write(|tx| passwords::delete(tx, account, user_id))
    }

    fn password_history(&self, account: &str, user_id: &str) -> StoreResult<Vec<String>> {
        passwords::history(&self.read(), account, user_id)
    }

    fn password_policy(&self, account: &str) -> StoreResult<Option<PasswordPolicy>> {
        passwords::policy(&self.read(), account)
    }

    fn put_password_policy(&self, account: &str, policy: &PasswordPolicy) -> StoreResult<()> {
        self.write(|tx| passwords::put_policy(tx, account, policy))
    }

    fn delete_password_policy(&self, account: &str) -> StoreResult<()> {
        self.write(|tx| passwords::delete_policy(tx, account))
    }

    // --- MFA devices ---
    fn create_mfa_device(
        &self,
        device: &VirtualMfaDevice,
        tags: &[Tag],
        max: usize,
    ) -> StoreResult<()> {
        self.write(|tx| mfa::create(tx, device, tags, max))
    }

    fn get_mfa_device(&self, account: &str, serial: &str) -> StoreResult<Option<VirtualMfaDevice>> {
        mfa::find(&self.read(), account, serial)
    }

    fn delete_mfa_device(&self, account: &str, serial: &str) -> StoreResult<()> {
        self.write(|tx| mfa::delete(tx, account, serial))
    }

    fn list_mfa_devices(
        &self,
        account: &str,
        assigned: Option<bool>,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<VirtualMfaDevice>> {
        mfa::list(&self.read(), account, assigned, marker, max_items)
    }

    fn enable_mfa_device(
        &self,
        account: &str,
        serial: &str,
        user_id: &str,
        at: DateTime<Utc>,
        sync: MfaSync,
        max_per_user: usize,
    ) -> StoreResult<()> {
        self.write(|tx| mfa::enable(tx, (account, serial, user_id), at, sync, max_per_user))
    }

    fn deactivate_mfa_device(&self, account: &str, serial: &str, user_id: &str) -> StoreResult<()> {
        self.write(|tx| mfa::deactivate(tx, account, serial, user_id))
    }

    fn resync_mfa_device(&self, account: &str, serial: &str, sync: MfaSync) -> StoreResult<()> {
        self.write(|tx| mfa::resync(tx, account, serial, sync))
    }

    fn accept_mfa_step(&self, account: &str, serial: &str, step: i64) -> StoreResult<bool> {
        self.write(|tx| mfa::accept_step(tx, account, serial, step))
    }

    fn mfa_devices_for_user(
        &self,
        account: &str,
        user_id: &str,
    ) -> StoreResult<Vec<VirtualMfaDevice>> {
        mfa::for_user(&self.read(), account, user_id)
    }

    fn mfa_device_counts(&self, account: &str) -> StoreResult<(usize, usize)> {
        mfa::counts(&self.read(), account)
    }
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
