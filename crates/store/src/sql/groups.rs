//! Groups and group membership: `GroupStore` and `GroupTx` over the engine interface. Names are unique per
//! account ignoring case, like users'; the rules are core's (`portcullis_core::iam::groups`).

use crate::engine::{
    Conn, Engine, EngineTx, SqlStore, any, change, count, exec, optional_row, params,
};
use crate::page::{list_by_path, page_by_name};
use crate::rows::{self, group_columns, ts, user_columns};
use chrono::{DateTime, Utc};
use portcullis_core::store::GroupTx;
use portcullis_core::store::prelude::*;
use portcullis_core::{Group, Page, StoreResult, User};

fn find_group(c: &dyn Conn, account: &str, name: &str) -> StoreResult<Option<Group>> {
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

impl<E: Engine> GroupStore for SqlStore<E> {
    fn get_group(&self, account: &str, name: &str) -> StoreResult<Option<Group>> {
        self.read(|c| find_group(c, account, name))
    }

    fn list_groups(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>> {
        self.read(|c| {
            list_by_path(
                c,
                ("groups", group_columns!()),
                account,
                path_prefix,
                marker,
                max_items,
                rows::group,
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
        self.read(|c| page_by_name(
            c,
            concat!(
                "SELECT ",
                user_columns!(),
                ", name_lc FROM users WHERE account = ?1 AND id IN (SELECT user_id FROM group_members WHERE group_id = ?2)
                 AND name_lc >= ?3 ORDER BY name_lc LIMIT ?4"
            ),
            params![account, group_id],
            marker,
            max_items,
            rows::user,
        ))
    }

    fn list_groups_for_user(
        &self,
        account: &str,
        user_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>> {
        // CROSS JOIN keeps the user's few memberships as the outer loop; otherwise SQLite walks
        // all the account's groups in name order and probes each. (The join condition is in
        // WHERE: PostgreSQL takes no ON after CROSS JOIN.)
        self.read(|c| page_by_name(
            c,
            concat!(
                "SELECT ",
                group_columns!(),
                ", name_lc FROM group_members CROSS JOIN groups
                 WHERE id = group_id AND user_id = ?2 AND account = ?1 AND name_lc >= ?3 ORDER BY name_lc LIMIT ?4"
            ),
            params![account, user_id],
            marker,
            max_items,
            rows::group,
        ))
    }
}

impl GroupTx for EngineTx<'_> {
    fn group(&self, account: &str, name: &str) -> StoreResult<Option<Group>> {
        find_group(self.0, account, name)
    }

    fn count_groups(&self, account: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM groups WHERE account = ?1",
            params![account],
        )
    }

    fn insert_group(&self, g: &Group) -> StoreResult<()> {
        exec(
            self.0,
            "INSERT INTO groups (id, account, name, name_lc, path, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                g.id,
                g.account,
                g.name,
                g.name.to_ascii_lowercase(),
                g.path,
                ts(g.created)
            ],
        )
    }

    fn save_group(&self, g: &Group) -> StoreResult<()> {
        exec(
            self.0,
            "UPDATE groups SET name = ?1, name_lc = ?2, path = ?3 WHERE id = ?4",
            params![g.name, g.name.to_ascii_lowercase(), g.path, g.id],
        )
    }

    fn remove_group(&self, group_id: &str) -> StoreResult<()> {
        exec(
            self.0,
            "DELETE FROM groups WHERE id = ?1",
            params![group_id],
        )
    }

    fn is_member(&self, group_id: &str, user_id: &str) -> StoreResult<bool> {
        any(
            self.0,
            "SELECT COUNT(*) FROM group_members WHERE group_id = ?1 AND user_id = ?2",
            params![group_id, user_id],
        )
    }

    fn count_memberships(&self, user_id: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM group_members WHERE user_id = ?1",
            params![user_id],
        )
    }

    fn insert_member(&self, group_id: &str, user_id: &str, at: DateTime<Utc>) -> StoreResult<()> {
        exec(
            self.0,
            "INSERT INTO group_members (group_id, user_id, added) VALUES (?1, ?2, ?3)",
            params![group_id, user_id, ts(at)],
        )
    }

    fn remove_user_from_group(
        &self,
        _account: &str,
        group_id: &str,
        user_id: &str,
    ) -> StoreResult<()> {
        change(
            self.0,
            "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2",
            params![group_id, user_id],
        )
    }
}
