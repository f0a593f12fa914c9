//! Users: `UserStore` and `UserTx` over the engine interface. Names are unique per account ignoring case (a
//! unique index on `name_lc`); the rules of creating and deleting users are core's
//! (`portcullis_core::iam::users`).

use crate::engine::{Conn, Engine, EngineTx, SqlStore, count, exec, optional_row, params};
use crate::page::list_by_path;
use crate::rows::{self, ts, user_columns};
use portcullis_core::store::UserTx;
use portcullis_core::store::prelude::*;
use portcullis_core::{Page, StoreResult, Tag, User};

/// The user of `account` called `name` (ignoring case).
pub(crate) fn find_user(c: &dyn Conn, account: &str, name: &str) -> StoreResult<Option<User>> {
    optional_row(
        c,
        concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE account = ?1 AND name_lc = ?2"
        ),
        params![account, name.to_ascii_lowercase()],
        rows::user,
    )
}

impl<E: Engine> UserStore for SqlStore<E> {
    fn get_user(&self, account: &str, name: &str) -> StoreResult<Option<User>> {
        self.read(|c| find_user(c, account, name))
    }

    fn get_user_by_id(&self, account: &str, id: &str) -> StoreResult<Option<User>> {
        self.read(|c| {
            optional_row(
                c,
                concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM users WHERE account = ?1 AND id = ?2"
                ),
                params![account, id],
                rows::user,
            )
        })
    }

    fn list_users(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<User>> {
        self.read(|c| {
            list_by_path(
                c,
                ("users", user_columns!()),
                account,
                path_prefix,
                marker,
                max_items,
                rows::user,
            )
        })
    }

    fn record_password_use(
        &self,
        account: &str,
        user_id: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| {
            exec(
                tx,
                "UPDATE users SET password_last_used = ?1 WHERE account = ?2 AND id = ?3",
                params![ts(at), account, user_id],
            )
        })
    }
}

impl UserTx for EngineTx<'_> {
    fn user(&self, account: &str, name: &str) -> StoreResult<Option<User>> {
        find_user(self.0, account, name)
    }

    fn count_users(&self, account: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM users WHERE account = ?1",
            params![account],
        )
    }

    fn insert_user(&self, user: &User, tags: &[Tag]) -> StoreResult<()> {
        exec(
            self.0,
            "INSERT INTO users (id, account, name, name_lc, path, created, password_last_used, permissions_boundary)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7)",
            params![user.id, user.account, user.name, user.name.to_ascii_lowercase(), user.path, ts(user.created), user.permissions_boundary],
        )?;
        super::tags::put_tags(self.0, &user.id, tags, true)
    }

    fn save_user(&self, user: &User) -> StoreResult<()> {
        exec(
            self.0,
            "UPDATE users SET name = ?1, name_lc = ?2, path = ?3 WHERE id = ?4",
            params![
                user.name,
                user.name.to_ascii_lowercase(),
                user.path,
                user.id
            ],
        )
    }

    fn remove_user(&self, user_id: &str) -> StoreResult<()> {
        super::tags::delete_tags(self.0, user_id)?;
        exec(self.0, "DELETE FROM users WHERE id = ?1", params![user_id])
    }
}
