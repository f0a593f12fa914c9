//! Roles for the SQLite engine.

use crate::sqlite_page::list_by_path;
use crate::sqlite_rows::{backend, count, parse_ts, ts};
use chrono::{DateTime, Utc};
use portcullis_core::{Page, Role, RoleUpdate, StoreError, StoreResult, Tag};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

macro_rules! role_columns {
    () => {
        "id, account, name, path, created, assume_role_policy, description, max_session_duration, permissions_boundary, last_used_at, last_used_region"
    };
}
pub(crate) use role_columns;

pub(crate) fn role_row(r: &Row<'_>) -> rusqlite::Result<Role> {
    let last_at: Option<String> = r.get(9)?;
    let last_used = match last_at {
        Some(t) => Some((
            parse_ts(&t)?,
            r.get::<_, Option<String>>(10)?.unwrap_or_default(),
        )),
        None => None,
    };
    Ok(Role {
        id: r.get(0)?,
        account: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        created: parse_ts(&r.get::<_, String>(4)?)?,
        assume_role_policy: r.get(5)?,
        description: r.get(6)?,
        max_session_duration: r.get(7)?,
        permissions_boundary: r.get(8)?,
        last_used,
    })
}

pub(crate) fn find(c: &Connection, account: &str, name: &str) -> StoreResult<Option<Role>> {
    c.prepare_cached(concat!(
        "SELECT ",
        role_columns!(),
        " FROM roles WHERE account = ?1 AND name_lc = ?2"
    ))
    .and_then(|mut st| {
        st.query_row(params![account, name.to_ascii_lowercase()], role_row)
            .optional()
    })
    .map_err(backend)
}

pub(crate) fn create(tx: &Transaction<'_>, r: &Role, tags: &[Tag], max: usize) -> StoreResult<()> {
    if find(tx, &r.account, &r.name)?.is_some() {
        return Err(StoreError::AlreadyExists);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM roles WHERE account = ?1",
        [&r.account],
    )? >= max
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT INTO roles (id, account, name, name_lc, path, created, assume_role_policy, description, max_session_duration, permissions_boundary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            r.id,
            r.account,
            r.name,
            r.name.to_ascii_lowercase(),
            r.path,
            ts(r.created),
            r.assume_role_policy,
            r.description,
            r.max_session_duration,
            r.permissions_boundary
        ],
    )
    .map_err(backend)?;
    crate::sqlite::put_tags(tx, &r.id, tags, true)
}

pub(crate) fn update(
    tx: &Transaction<'_>,
    account: &str,
    name: &str,
    u: &RoleUpdate,
) -> StoreResult<Role> {
    let mut r = find(tx, account, name)?.ok_or(StoreError::NotFound)?;
    if let Some(d) = &u.description {
        r.description = Some(d.clone());
    }
    if let Some(m) = u.max_session_duration {
        r.max_session_duration = m;
    }
    if let Some(p) = &u.assume_role_policy {
        r.assume_role_policy = p.clone();
    }
    tx.execute(
        "UPDATE roles SET description = ?2, max_session_duration = ?3, assume_role_policy = ?4 WHERE id = ?1",
        params![r.id, r.description, r.max_session_duration, r.assume_role_policy],
    )
    .map_err(backend)?;
    Ok(r)
}

pub(crate) fn delete(tx: &Transaction<'_>, account: &str, name: &str) -> StoreResult<()> {
    let r = find(tx, account, name)?.ok_or(StoreError::NotFound)?;
    if crate::sqlite_policies::has_inline(tx, &r.id)?
        || crate::sqlite_managed::has_attachments(tx, &r.id)?
    {
        return Err(StoreError::Conflict(
            "Cannot delete entity, must detach all policies first.",
        ));
    }
    if crate::sqlite_instance_profiles::role_in_any(tx, &r.id)? {
        return Err(StoreError::Conflict(
            "Cannot delete entity, must remove roles from instance profile first.",
        ));
    }
    tx.execute("DELETE FROM entity_tags WHERE entity_id = ?1", [&r.id])
        .map_err(backend)?;
    tx.execute("DELETE FROM roles WHERE id = ?1", [&r.id])
        .map_err(backend)?;
    Ok(())
}

pub(crate) fn list(
    c: &Connection,
    account: &str,
    prefix: &str,
    marker: Option<&str>,
    max: usize,
) -> StoreResult<Page<Role>> {
    list_by_path(
        c,
        ("roles", role_columns!()),
        account,
        prefix,
        marker,
        max,
        role_row,
    )
}

pub(crate) fn set_boundary(
    tx: &Transaction<'_>,
    account: &str,
    role_id: &str,
    arn: Option<&str>,
) -> StoreResult<()> {
    let n = tx
        .execute(
            "UPDATE roles SET permissions_boundary = ?3 WHERE account = ?1 AND id = ?2",
            params![account, role_id, arn],
        )
        .map_err(backend)?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(crate) fn record_use(
    tx: &Transaction<'_>,
    account: &str,
    role_id: &str,
    at: DateTime<Utc>,
    region: &str,
) -> StoreResult<()> {
    tx.execute(
        "UPDATE roles SET last_used_at = ?3, last_used_region = ?4
         WHERE account = ?1 AND id = ?2 AND (last_used_at IS NULL OR last_used_at < ?3)",
        params![account, role_id, ts(at), region],
    )
    .map_err(backend)?;
    Ok(())
}
