//! Service-linked role deletions for the SQLite engine: the role goes and its deletion task is
//! recorded in one transaction.

use crate::sqlite_rows::{backend, count, ts};
use chrono::{DateTime, Utc};
use portcullis_core::StoreResult;
use rusqlite::{Connection, Transaction, params};

pub(crate) fn delete(
    tx: &Transaction<'_>,
    account: &str,
    name: &str,
    task_id: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    crate::sqlite_roles::delete(tx, account, name)?;
    tx.execute(
        "INSERT INTO service_role_deletions (task_id, account, role_name, created) VALUES (?1, ?2, ?3, ?4)",
        params![task_id, account, name, ts(at)],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn exists(c: &Connection, account: &str, task_id: &str) -> StoreResult<bool> {
    Ok(count(
        c,
        "SELECT COUNT(*) FROM service_role_deletions WHERE account = ?1 AND task_id = ?2",
        params![account, task_id],
    )? > 0)
}
