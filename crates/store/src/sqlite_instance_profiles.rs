//! Instance profiles and the roles they contain, for the SQLite engine.

use crate::sqlite_page::{list_by_path, page_by_name};
use crate::sqlite_roles::{role_columns, role_row};
use crate::sqlite_rows::{backend, count, parse_ts, ts};
use portcullis_core::{InstanceProfile, Page, Role, StoreError, StoreResult, Tag};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

macro_rules! profile_columns {
    () => {
        "id, account, name, path, created"
    };
}

fn profile_row(r: &Row<'_>) -> rusqlite::Result<InstanceProfile> {
    Ok(InstanceProfile {
        id: r.get(0)?,
        account: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        created: parse_ts(&r.get::<_, String>(4)?)?,
    })
}

pub(crate) fn find(
    c: &Connection,
    account: &str,
    name: &str,
) -> StoreResult<Option<InstanceProfile>> {
    c.prepare_cached(concat!(
        "SELECT ",
        profile_columns!(),
        " FROM instance_profiles WHERE account = ?1 AND name_lc = ?2"
    ))
    .and_then(|mut st| {
        st.query_row(params![account, name.to_ascii_lowercase()], profile_row)
            .optional()
    })
    .map_err(backend)
}

pub(crate) fn create(
    tx: &Transaction<'_>,
    p: &InstanceProfile,
    tags: &[Tag],
    max: usize,
) -> StoreResult<()> {
    if find(tx, &p.account, &p.name)?.is_some() {
        return Err(StoreError::AlreadyExists);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM instance_profiles WHERE account = ?1",
        [&p.account],
    )? >= max
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT INTO instance_profiles (id, account, name, name_lc, path, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            p.id,
            p.account,
            p.name,
            p.name.to_ascii_lowercase(),
            p.path,
            ts(p.created)
        ],
    )
    .map_err(backend)?;
    crate::sqlite::put_tags(tx, &p.id, tags, false)
}

pub(crate) fn delete(tx: &Transaction<'_>, account: &str, name: &str) -> StoreResult<()> {
    let p = find(tx, account, name)?.ok_or(StoreError::NotFound)?;
    if count(
        tx,
        "SELECT COUNT(*) FROM instance_profile_roles WHERE profile_id = ?1",
        [&p.id],
    )? > 0
    {
        return Err(StoreError::Conflict(
            "Cannot delete entity, must remove roles from instance profile first.",
        ));
    }
    tx.execute("DELETE FROM entity_tags WHERE entity_id = ?1", [&p.id])
        .map_err(backend)?;
    tx.execute("DELETE FROM instance_profiles WHERE id = ?1", [&p.id])
        .map_err(backend)?;
    Ok(())
}

pub(crate) fn list(
    c: &Connection,
    account: &str,
    prefix: &str,
    marker: Option<&str>,
    max: usize,
) -> StoreResult<Page<InstanceProfile>> {
    list_by_path(
        c,
        ("instance_profiles", profile_columns!()),
        account,
        prefix,
        marker,
        max,
        profile_row,
    )
}

pub(crate) fn add_role(
    tx: &Transaction<'_>,
    account: &str,
    profile_id: &str,
    role_id: &str,
    max_roles: usize,
) -> StoreResult<()> {
    let owned = count(
        tx,
        "SELECT (SELECT COUNT(*) FROM instance_profiles WHERE id = ?1 AND account = ?3)
              * (SELECT COUNT(*) FROM roles WHERE id = ?2 AND account = ?3)",
        params![profile_id, role_id, account],
    )?;
    if owned == 0 {
        return Err(StoreError::NotFound);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM instance_profile_roles WHERE profile_id = ?1",
        [profile_id],
    )? >= max_roles
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT INTO instance_profile_roles (profile_id, role_id, added) VALUES (?1, ?2, ?3)",
        params![profile_id, role_id, ts(chrono::Utc::now())],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn remove_role(
    tx: &Transaction<'_>,
    account: &str,
    profile_id: &str,
    role_id: &str,
) -> StoreResult<()> {
    let n = tx
        .execute(
            "DELETE FROM instance_profile_roles WHERE profile_id = ?1 AND role_id = ?2
             AND profile_id IN (SELECT id FROM instance_profiles WHERE account = ?3)",
            params![profile_id, role_id, account],
        )
        .map_err(backend)?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(crate) fn roles(c: &Connection, profile_id: &str) -> StoreResult<Vec<Role>> {
    let mut st = c
        .prepare_cached(concat!(
            "SELECT ",
            role_columns!(),
            " FROM roles r WHERE id IN (SELECT role_id FROM instance_profile_roles WHERE profile_id = ?1)
             ORDER BY (SELECT added FROM instance_profile_roles m WHERE m.profile_id = ?1 AND m.role_id = r.id)"
        ))
        .map_err(backend)?;
    let out = st
        .query_map([profile_id], role_row)
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    Ok(out)
}

pub(crate) fn for_role(
    c: &Connection,
    account: &str,
    role_id: &str,
    marker: Option<&str>,
    max: usize,
) -> StoreResult<Page<InstanceProfile>> {
    page_by_name(
        c,
        concat!(
            "SELECT ",
            profile_columns!(),
            ", name_lc FROM instance_profiles WHERE account = ?1
             AND id IN (SELECT profile_id FROM instance_profile_roles WHERE role_id = ?2)
             AND name_lc >= ?3 ORDER BY name_lc LIMIT ?4"
        ),
        &[&account, &role_id],
        marker,
        max,
        profile_row,
    )
}

/// Membership in an instance profile blocks DeleteRole.
pub(crate) fn role_in_any(c: &Connection, role_id: &str) -> StoreResult<bool> {
    Ok(count(
        c,
        "SELECT COUNT(*) FROM instance_profile_roles WHERE role_id = ?1",
        [role_id],
    )? > 0)
}
