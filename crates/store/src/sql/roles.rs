//! Roles: `RoleStore` and `RoleTx` over the engine interface, with the record of finished service-linked role
//! deletions; the rules are core's (`portcullis_core::iam::roles`).

use crate::engine::{
    Conn, Engine, EngineTx, Row, SqlStore, any, change, count, exec, optional_row, params,
};
use crate::page::list_by_path;
use crate::rows::{parse_ts, ts};
use chrono::{DateTime, Utc};
use portcullis_core::store::RoleTx;
use portcullis_core::store::prelude::*;
use portcullis_core::{Page, Role, StoreResult, Tag};

/// The role columns in the order [`role_row`] reads them.
macro_rules! role_columns {
    () => {
        "id, account, name, path, created, assume_role_policy, description, max_session_duration, permissions_boundary, last_used_at, last_used_region"
    };
}
pub(crate) use role_columns;

pub(crate) fn role_row(r: &Row) -> StoreResult<Role> {
    let last_at: Option<String> = r.get(9)?;
    let last_used = match last_at {
        Some(t) => Some((
            parse_ts(&t)?,
            r.get::<Option<String>>(10)?.unwrap_or_default(),
        )),
        None => None,
    };
    Ok(Role {
        id: r.get(0)?,
        account: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        created: parse_ts(&r.get::<String>(4)?)?,
        assume_role_policy: r.get(5)?,
        description: r.get(6)?,
        max_session_duration: r.get(7)?,
        permissions_boundary: r.get(8)?,
        last_used,
    })
}

fn find_role(c: &dyn Conn, account: &str, name: &str) -> StoreResult<Option<Role>> {
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

impl<E: Engine> RoleStore for SqlStore<E> {
    fn get_role(&self, account: &str, name: &str) -> StoreResult<Option<Role>> {
        self.read(|c| find_role(c, account, name))
    }

    fn service_role_deletion_exists(&self, account: &str, task_id: &str) -> StoreResult<bool> {
        self.read(|c| {
            any(
                c,
                "SELECT COUNT(*) FROM service_role_deletions WHERE account = ?1 AND task_id = ?2",
                params![account, task_id],
            )
        })
    }

    fn list_roles(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Role>> {
        self.read(|c| {
            list_by_path(
                c,
                ("roles", role_columns!()),
                account,
                path_prefix,
                marker,
                max_items,
                role_row,
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
        self.record(|tx| {
            exec(
                tx,
                "UPDATE roles SET last_used_at = ?3, last_used_region = ?4
                 WHERE account = ?1 AND id = ?2 AND (last_used_at IS NULL OR last_used_at < ?3)",
                params![account, role_id, ts(at), region],
            )
        })
    }
}

impl RoleTx for EngineTx<'_> {
    fn role(&self, account: &str, name: &str) -> StoreResult<Option<Role>> {
        find_role(self.0, account, name)
    }

    fn count_roles(&self, account: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM roles WHERE account = ?1",
            params![account],
        )
    }

    fn insert_role(&self, r: &Role, tags: &[Tag]) -> StoreResult<()> {
        exec(
            self.0,
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
        super::tags::put_tags(self.0, &r.id, tags, true)
    }

    fn save_role(&self, r: &Role) -> StoreResult<()> {
        exec(
            self.0,
            "UPDATE roles SET description = ?2, max_session_duration = ?3, assume_role_policy = ?4 WHERE id = ?1",
            params![
                r.id,
                r.description,
                r.max_session_duration,
                r.assume_role_policy
            ],
        )
    }

    fn remove_role(&self, role_id: &str) -> StoreResult<()> {
        super::tags::delete_tags(self.0, role_id)?;
        exec(self.0, "DELETE FROM roles WHERE id = ?1", params![role_id])
    }

    fn insert_role_deletion(
        &self,
        account: &str,
        task_id: &str,
        role_name: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        exec(
            self.0,
            "INSERT INTO service_role_deletions (task_id, account, role_name, created) VALUES (?1, ?2, ?3, ?4)",
            params![task_id, account, role_name, ts(at)],
        )
    }

    fn set_role_boundary(
        &self,
        account: &str,
        role_id: &str,
        arn: Option<&str>,
    ) -> StoreResult<()> {
        change(
            self.0,
            "UPDATE roles SET permissions_boundary = ?3 WHERE account = ?1 AND id = ?2",
            params![account, role_id, arn],
        )
    }
}
