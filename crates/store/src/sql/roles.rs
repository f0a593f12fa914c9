//! Roles, and the deletion of service-linked roles (the role goes and its deletion task is
//! recorded in one transaction): `RoleStore` on SQLite.

use crate::page::list_by_path;
use crate::rows::{parse_ts, ts};
use crate::sqlite::{SqliteStore, any, change, exec, optional_row, within};
use chrono::{DateTime, Utc};
use portcullis_core::store::prelude::*;
use portcullis_core::{Page, Role, RoleUpdate, StoreError, StoreResult, Tag};
use rusqlite::{Connection, Row, params};

/// The role columns in the order [`role_row`] reads them.
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

fn find_role(c: &Connection, account: &str, name: &str) -> StoreResult<Option<Role>> {
    optional_row(
        c,
        concat!(
            "SELECT ",
            role_columns!(),
            " FROM roles WHERE account = ?1 AND name_lc = ?2"
        ),
        params![account, name.to_ascii_lowercase()],
        role_row,
    )
}

/// Deletes a role that nothing refers to any more (DeleteRole's checks).
fn delete(c: &Connection, account: &str, name: &str) -> StoreResult<()> {
    let r = find_role(c, account, name)?.ok_or(StoreError::NotFound)?;
    if super::policies::has_inline(c, &r.id)? || super::policies::has_attachments(c, &r.id)? {
        return Err(StoreError::Conflict(
            "Cannot delete entity, must detach all policies first.",
        ));
    }
    if super::instance_profiles::role_in_any(c, &r.id)? {
        return Err(StoreError::Conflict(
            "Cannot delete entity, must remove roles from instance profile first.",
        ));
    }
    super::tags::delete_tags(c, &r.id)?;
    exec(c, "DELETE FROM roles WHERE id = ?1", [&r.id])
}

impl RoleStore for SqliteStore {
    fn create_role(&self, r: &Role, tags: &[Tag], max_roles: usize) -> StoreResult<()> {
        self.write(|tx| {
            if find_role(tx, &r.account, &r.name)?.is_some() {
                return Err(StoreError::AlreadyExists);
            }
            within(
                tx,
                "SELECT COUNT(*) FROM roles WHERE account = ?1",
                [&r.account],
                max_roles,
            )?;
            exec(
                tx,
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
            )?;
            super::tags::put_tags(tx, &r.id, tags, true)
        })
    }

    fn get_role(&self, account: &str, name: &str) -> StoreResult<Option<Role>> {
        find_role(&self.read(), account, name)
    }

    fn update_role(&self, account: &str, name: &str, u: &RoleUpdate) -> StoreResult<Role> {
        self.write(|tx| {
            let mut r = find_role(tx, account, name)?.ok_or(StoreError::NotFound)?;
            if let Some(d) = &u.description {
                r.description = Some(d.clone());
            }
            if let Some(m) = u.max_session_duration {
                r.max_session_duration = m;
            }
            if let Some(p) = &u.assume_role_policy {
                r.assume_role_policy = p.clone();
            }
            exec(
                tx,
                "UPDATE roles SET description = ?2, max_session_duration = ?3, assume_role_policy = ?4 WHERE id = ?1",
                params![r.id, r.description, r.max_session_duration, r.assume_role_policy],
            )?;
            Ok(r)
        })
    }

    fn delete_role(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| delete(tx, account, name))
    }

    fn delete_service_linked_role(
        &self,
        account: &str,
        name: &str,
        task_id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| {
            delete(tx, account, name)?;
            exec(
                tx,
                "INSERT INTO service_role_deletions (task_id, account, role_name, created) VALUES (?1, ?2, ?3, ?4)",
                params![task_id, account, name, ts(at)],
            )
        })
    }

    fn service_role_deletion_exists(&self, account: &str, task_id: &str) -> StoreResult<bool> {
        any(
            &self.read(),
            "SELECT COUNT(*) FROM service_role_deletions WHERE account = ?1 AND task_id = ?2",
            params![account, task_id],
        )
    }

    fn list_roles(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Role>> {
        list_by_path(
            &self.read(),
            ("roles", role_columns!()),
            account,
            path_prefix,
            marker,
            max_items,
            role_row,
        )
    }

    fn set_role_boundary(
        &self,
        account: &str,
        role_id: &str,
        arn: Option<&str>,
    ) -> StoreResult<()> {
        self.write(|tx| {
            change(
                tx,
                "UPDATE roles SET permissions_boundary = ?3 WHERE account = ?1 AND id = ?2",
                params![account, role_id, arn],
            )
        })
    }

    fn record_role_use(
        &self,
        account: &str,
        role_id: &str,
        at: DateTime<Utc>,
        region: &str,
    ) -> StoreResult<()> {
        self.write(|tx| {
            exec(
                tx,
                "UPDATE roles SET last_used_at = ?3, last_used_region = ?4
                 WHERE account = ?1 AND id = ?2 AND (last_used_at IS NULL OR last_used_at < ?3)",
                params![account, role_id, ts(at), region],
            )
        })
    }
}
