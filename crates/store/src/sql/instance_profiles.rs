//! Instance profiles and the roles they contain: `InstanceProfileStore` over the engine interface. Names are
//! unique per account ignoring case.

use super::roles::{role_columns, role_row};
use crate::engine::{
    Conn, Engine, EngineTx, Row, SqlStore, all_rows, change, count, exec, optional_row, params,
};
use crate::page::{list_by_path, page_by_name};
use crate::rows::{parse_ts, ts};
use chrono::{DateTime, Utc};
use portcullis_core::store::InstanceProfileTx;
use portcullis_core::store::prelude::*;
use portcullis_core::{InstanceProfile, Page, Role, StoreResult, Tag};

/// The instance profile columns in the order [`profile_row`] reads them.
macro_rules! profile_columns {
    () => {
        "id, account, name, path, created"
    };
}

fn profile_row(r: &Row) -> StoreResult<InstanceProfile> {
    Ok(InstanceProfile {
        id: r.get(0)?,
        account: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        created: parse_ts(&r.get::<String>(4)?)?,
    })
}

fn find_profile(c: &dyn Conn, account: &str, name: &str) -> StoreResult<Option<InstanceProfile>> {
    optional_row(
        c,
        concat!(
            "SELECT ",
            profile_columns!(),
            " FROM instance_profiles WHERE account = ?1 AND name_lc = ?2"
        ),
        params![account, name.to_ascii_lowercase()],
        profile_row,
    )
}

impl<E: Engine> InstanceProfileStore for SqlStore<E> {
    fn get_instance_profile(
        &self,
        account: &str,
        name: &str,
    ) -> StoreResult<Option<InstanceProfile>> {
        self.read(|c| find_profile(c, account, name))
    }

    fn list_instance_profiles(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<InstanceProfile>> {
        self.read(|c| {
            list_by_path(
                c,
                ("instance_profiles", profile_columns!()),
                account,
                path_prefix,
                marker,
                max_items,
                profile_row,
            )
        })
    }

    fn instance_profile_roles(&self, profile_id: &str) -> StoreResult<Vec<Role>> {
        self.read(|c| all_rows(
            c,
            concat!(
                "SELECT ",
                role_columns!(),
                " FROM roles r WHERE id IN (SELECT role_id FROM instance_profile_roles WHERE profile_id = ?1)
                 ORDER BY (SELECT added FROM instance_profile_roles m WHERE m.profile_id = ?1 AND m.role_id = r.id)"
            ),
            params![profile_id],
            role_row,
        ))
    }

    fn list_instance_profiles_for_role(
        &self,
        account: &str,
        role_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<InstanceProfile>> {
        self.read(|c| {
            page_by_name(
                c,
                concat!(
                    "SELECT ",
                    profile_columns!(),
                    ", name_lc FROM instance_profiles WHERE account = ?1
                 AND id IN (SELECT profile_id FROM instance_profile_roles WHERE role_id = ?2)
                 AND name_lc >= ?3 ORDER BY name_lc LIMIT ?4"
                ),
                params![account, role_id],
                marker,
                max_items,
                profile_row,
            )
        })
    }
}

impl InstanceProfileTx for EngineTx<'_> {
    fn instance_profile(&self, account: &str, name: &str) -> StoreResult<Option<InstanceProfile>> {
        find_profile(self.0, account, name)
    }

    fn count_instance_profiles(&self, account: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM instance_profiles WHERE account = ?1",
            params![account],
        )
    }

    fn insert_instance_profile(&self, p: &InstanceProfile, tags: &[Tag]) -> StoreResult<()> {
        exec(
            self.0,
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
        )?;
        super::tags::put_tags(self.0, &p.id, tags, false)
    }

    fn insert_profile_role(
        &self,
        profile_id: &str,
        role_id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        exec(
            self.0,
            "INSERT INTO instance_profile_roles (profile_id, role_id, added) VALUES (?1, ?2, ?3)",
            params![profile_id, role_id, ts(at)],
        )
    }

    fn count_profile_roles(&self, profile_id: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM instance_profile_roles WHERE profile_id = ?1",
            params![profile_id],
        )
    }

    fn remove_instance_profile(&self, profile_id: &str) -> StoreResult<()> {
        super::tags::delete_tags(self.0, profile_id)?;
        exec(
            self.0,
            "DELETE FROM instance_profiles WHERE id = ?1",
            params![profile_id],
        )
    }

    fn remove_role_from_instance_profile(
        &self,
        account: &str,
        profile_id: &str,
        role_id: &str,
    ) -> StoreResult<()> {
        change(
            self.0,
            "DELETE FROM instance_profile_roles WHERE profile_id = ?1 AND role_id = ?2
             AND profile_id IN (SELECT id FROM instance_profiles WHERE account = ?3)",
            params![profile_id, role_id, account],
        )
    }
}
