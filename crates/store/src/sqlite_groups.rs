//! Groups and group membership for the SQLite engine.

use crate::sqlite_page::{list_by_path, page_by_name};
use crate::sqlite_rows::{self as rows, backend, count, group_columns, ts, user_columns};
use portcullis_core::store::Rename;
use portcullis_core::{Group, Page, StoreError, StoreResult, User};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

pub(crate) fn find_group(c: &Connection, account: &str, name: &str) -> StoreResult<Option<Group>> {
    c.prepare_cached(concat!(
        "SELECT ",
        group_columns!(),
        " FROM groups WHERE account = ?1 AND name_lc = ?2"
    ))
    .and_then(|mut st| {
        st.query_row(params![account, name.to_ascii_lowercase()], rows::group)
            .optional()
    })
    .map_err(backend)
}

pub(crate) fn create(tx: &Transaction<'_>, g: &Group, max_groups: usize) -> StoreResult<()> {
    if find_group(tx, &g.account, &g.name)?.is_some() {
        return Err(StoreError::AlreadyExists);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM groups WHERE account = ?1",
        [&g.account],
    )? >= max_groups
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT INTO groups (id, account, name, name_lc, path, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![g.id, g.account, g.name, g.name.to_ascii_lowercase(), g.path, ts(g.created)],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn update(
    tx: &Transaction<'_>,
    account: &str,
    name: &str,
    update: &Rename,
) -> StoreResult<Group> {
    let mut g = find_group(tx, account, name)?.ok_or(StoreError::NotFound)?;
    if let Some(new_name) = &update.new_name {
        if !new_name.eq_ignore_ascii_case(&g.name) && find_group(tx, account, new_name)?.is_some() {
            return Err(StoreError::AlreadyExists);
        }
        g.name = new_name.clone();
    }
    if let Some(p) = &update.new_path {
        g.path = p.clone();
    }
    tx.execute(
        "UPDATE groups SET name = ?1, name_lc = ?2, path = ?3 WHERE id = ?4",
        params![g.name, g.name.to_ascii_lowercase(), g.path, g.id],
    )
    .map_err(backend)?;
    Ok(g)
}

pub(crate) fn delete(tx: &Transaction<'_>, account: &str, name: &str) -> StoreResult<()> {
    let g = find_group(tx, account, name)?.ok_or(StoreError::NotFound)?;
    if crate::sqlite_managed::has_attachments(tx, &g.id)? {
        return Err(StoreError::Conflict(
            "Cannot delete entity, must detach all policies first.",
        ));
    }
    if crate::sqlite_policies::has_inline(tx, &g.id)? {
        return Err(StoreError::Conflict(
            "Cannot delete entity, must delete policies first.",
        ));
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM group_members WHERE group_id = ?1",
        [&g.id],
    )? > 0
    {
        return Err(StoreError::Conflict(
            "Cannot delete entity, must remove users from group first.",
        ));
    }
    tx.execute("DELETE FROM groups WHERE id = ?1", [&g.id])
        .map_err(backend)?;
    Ok(())
}

pub(crate) fn list(
    c: &Connection,
    account: &str,
    prefix: &str,
    marker: Option<&str>,
    max: usize,
) -> StoreResult<Page<Group>> {
    list_by_path(
        c,
        ("groups", group_columns!()),
        account,
        prefix,
        marker,
        max,
        rows::group,
    )
}

pub(crate) fn add_member(
    tx: &Transaction<'_>,
    account: &str,
    group_id: &str,
    user_id: &str,
    max_per_user: usize,
) -> StoreResult<()> {
    let both = count(
        tx,
        "SELECT (SELECT COUNT(*) FROM groups WHERE id = ?1 AND account = ?3) + (SELECT COUNT(*) FROM users WHERE id = ?2 AND account = ?3)",
        params![group_id, user_id, account],
    )?;
    if both != 2 {
        return Err(StoreError::NotFound);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM group_members WHERE group_id = ?1 AND user_id = ?2",
        params![group_id, user_id],
    )? > 0
    {
        return Ok(());
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM group_members WHERE user_id = ?1",
        [user_id],
    )? >= max_per_user
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT INTO group_members (group_id, user_id, added) VALUES (?1, ?2, ?3)",
        params![group_id, user_id, ts(chrono::Utc::now())],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn remove_member(
    tx: &Transaction<'_>,
    group_id: &str,
    user_id: &str,
) -> StoreResult<()> {
    let n = tx
        .execute(
            "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2",
            params![group_id, user_id],
        )
        .map_err(backend)?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(crate) fn members(
    c: &Connection,
    account: &str,
    group_id: &str,
    marker: Option<&str>,
    max: usize,
) -> StoreResult<Page<User>> {
    page_by_name(
        c,
        concat!(
            "SELECT ",
            user_columns!(),
            ", name_lc FROM users WHERE account = ?1 AND id IN (SELECT user_id FROM group_members WHERE group_id = ?2)
             AND name_lc >= ?3 ORDER BY name_lc LIMIT ?4"
        ),
        &[&account, &group_id],
        marker,
        max,
        rows::user,
    )
}

pub(crate) fn for_user(
    c: &Connection,
    account: &str,
    user_id: &str,
    marker: Option<&str>,
    max: usize,
) -> StoreResult<Page<Group>> {
    // CROSS JOIN keeps the user's few memberships as the outer loop; otherwise SQLite walks all
    // the account's groups in name order and probes each.
    page_by_name(
        c,
        concat!(
            "SELECT ",
            group_columns!(),
            ", name_lc FROM group_members CROSS JOIN groups ON id = group_id
             WHERE user_id = ?2 AND account = ?1 AND name_lc >= ?3 ORDER BY name_lc LIMIT ?4"
        ),
        &[&account, &user_id],
        marker,
        max,
        rows::group,
    )
}

/// Group memberships block DeleteUser.
pub(crate) fn user_has_groups(c: &Connection, user_id: &str) -> StoreResult<bool> {
    Ok(count(
        c,
        "SELECT COUNT(*) FROM group_members WHERE user_id = ?1",
        [user_id],
    )? > 0)
}
