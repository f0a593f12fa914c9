//! Groups and group membership: `GroupStore` on SQLite. Names are unique per account ignoring
//! case, like users'.

use super::rename;
use crate::page::{list_by_path, page_by_name};
use crate::rows::{self, group_columns, ts, user_columns};
use crate::sqlite::{SqliteStore, any, change, count, exec, optional_row, within};
use portcullis_core::store::Rename;
use portcullis_core::store::prelude::*;
use portcullis_core::{Group, Page, StoreError, StoreResult, User};
use rusqlite::{Connection, params};

fn find_group(c: &Connection, account: &str, name: &str) -> StoreResult<Option<Group>> {
    optional_row(
        c,
        concat!(
            "SELECT ",
            group_columns!(),
            " FROM groups WHERE account = ?1 AND name_lc = ?2"
        ),
        params![account, name.to_ascii_lowercase()],
        rows::group,
    )
}

/// Group memberships block DeleteUser.
pub(crate) fn user_has_groups(c: &Connection, user_id: &str) -> StoreResult<bool> {
    any(
        c,
        "SELECT COUNT(*) FROM group_members WHERE user_id = ?1",
        [user_id],
    )
}

impl GroupStore for SqliteStore {
    fn create_group(&self, g: &Group, max_groups: usize) -> StoreResult<()> {
        self.write(|tx| {
            if find_group(tx, &g.account, &g.name)?.is_some() {
                return Err(StoreError::AlreadyExists);
            }
            within(
                tx,
                "SELECT COUNT(*) FROM groups WHERE account = ?1",
                [&g.account],
                max_groups,
            )?;
            exec(
                tx,
                "INSERT INTO groups (id, account, name, name_lc, path, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![g.id, g.account, g.name, g.name.to_ascii_lowercase(), g.path, ts(g.created)],
            )
        })
    }

    fn get_group(&self, account: &str, name: &str) -> StoreResult<Option<Group>> {
        find_group(&self.read(), account, name)
    }

    fn update_group(&self, account: &str, name: &str, update: &Rename) -> StoreResult<Group> {
        self.write(|tx| {
            let mut g = find_group(tx, account, name)?.ok_or(StoreError::NotFound)?;
            rename((&mut g.name, &mut g.path), update, |new| {
                Ok(find_group(tx, account, new)?.is_some())
            })?;
            exec(
                tx,
                "UPDATE groups SET name = ?1, name_lc = ?2, path = ?3 WHERE id = ?4",
                params![g.name, g.name.to_ascii_lowercase(), g.path, g.id],
            )?;
            Ok(g)
        })
    }

    fn delete_group(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| {
            let g = find_group(tx, account, name)?.ok_or(StoreError::NotFound)?;
            if super::policies::has_attachments(tx, &g.id)? {
                return Err(StoreError::Conflict(
                    "Cannot delete entity, must detach all policies first.",
                ));
            }
            if super::policies::has_inline(tx, &g.id)? {
                return Err(StoreError::Conflict(
                    "Cannot delete entity, must delete policies first.",
                ));
            }
            if any(
                tx,
                "SELECT COUNT(*) FROM group_members WHERE group_id = ?1",
                [&g.id],
            )? {
                return Err(StoreError::Conflict(
                    "Cannot delete entity, must remove users from group first.",
                ));
            }
            exec(tx, "DELETE FROM groups WHERE id = ?1", [&g.id])
        })
    }

    fn list_groups(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>> {
        list_by_path(
            &self.read(),
            ("groups", group_columns!()),
            account,
            path_prefix,
            marker,
            max_items,
            rows::group,
        )
    }

    fn add_user_to_group(
        &self,
        account: &str,
        group_id: &str,
        user_id: &str,
        max_groups_per_user: usize,
    ) -> StoreResult<()> {
        self.write(|tx| {
            let both = count(
                tx,
                "SELECT (SELECT COUNT(*) FROM groups WHERE id = ?1 AND account = ?3) + (SELECT COUNT(*) FROM users WHERE id = ?2 AND account = ?3)",
                params![group_id, user_id, account],
            )?;
            if both != 2 {
                return Err(StoreError::NotFound);
            }
            if any(
                tx,
                "SELECT COUNT(*) FROM group_members WHERE group_id = ?1 AND user_id = ?2",
                params![group_id, user_id],
            )? {
                return Ok(());
            }
            within(
                tx,
                "SELECT COUNT(*) FROM group_members WHERE user_id = ?1",
                [user_id],
                max_groups_per_user,
            )?;
            exec(
                tx,
                "INSERT INTO group_members (group_id, user_id, added) VALUES (?1, ?2, ?3)",
                params![group_id, user_id, ts(chrono::Utc::now())],
            )
        })
    }

    fn remove_user_from_group(
        &self,
        _account: &str,
        group_id: &str,
        user_id: &str,
    ) -> StoreResult<()> {
        self.write(|tx| {
            change(
                tx,
                "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2",
                params![group_id, user_id],
            )
        })
    }

    fn list_group_members(
        &self,
        account: &str,
        group_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<User>> {
        page_by_name(
            &self.read(),
            concat!(
                "SELECT ",
                user_columns!(),
                ", name_lc FROM users WHERE account = ?1 AND id IN (SELECT user_id FROM group_members WHERE group_id = ?2)
                 AND name_lc >= ?3 ORDER BY name_lc LIMIT ?4"
            ),
            &[&account, &group_id],
            marker,
            max_items,
            rows::user,
        )
    }

    fn list_groups_for_user(
        &self,
        account: &str,
        user_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>> {
        // CROSS JOIN keeps the user's few memberships as the outer loop; otherwise SQLite walks
        // all the account's groups in name order and probes each.
        page_by_name(
            &self.read(),
            concat!(
                "SELECT ",
                group_columns!(),
                ", name_lc FROM group_members CROSS JOIN groups ON id = group_id
                 WHERE user_id = ?2 AND account = ?1 AND name_lc >= ?3 ORDER BY name_lc LIMIT ?4"
            ),
            &[&account, &user_id],
            marker,
            max_items,
            rows::group,
        )
    }
}
