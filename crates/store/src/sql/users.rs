//! Users: `UserStore` on SQLite. Names are unique per account ignoring case; deleting a user is
//! refused while anything still refers to it (the checks are those of IAM's DeleteUser, in
//! IAM's order).

use super::rename;
use crate::page::list_by_path;
use crate::rows::{self, ts, user_columns};
use crate::sqlite::{SqliteStore, any, exec, optional_row, within};
use portcullis_core::store::Rename;
use portcullis_core::store::prelude::*;
use portcullis_core::{Page, StoreError, StoreResult, Tag, User};
use rusqlite::{Connection, params};

/// The user of `account` called `name` (ignoring case).
pub(crate) fn find_user(c: &Connection, account: &str, name: &str) -> StoreResult<Option<User>> {
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

/// Why DeleteUser must refuse while the user has any of these, in the order IAM checks them.
fn delete_conflict(c: &Connection, user_id: &str) -> StoreResult<Option<&'static str>> {
    if let Some(msg) = super::passwords::user_conflict(c, user_id)? {
        return Ok(Some(msg));
    }
    if any(
        c,
        "SELECT COUNT(*) FROM access_keys WHERE user_id = ?1",
        [user_id],
    )? {
        return Ok(Some("Cannot delete entity, must delete access keys first."));
    }
    if super::policies::has_inline(c, user_id)? {
        return Ok(Some("Cannot delete entity, must delete policies first."));
    }
    if super::policies::has_attachments(c, user_id)? {
        return Ok(Some(
            "Cannot delete entity, must detach all policies first.",
        ));
    }
    if super::groups::user_has_groups(c, user_id)? {
        return Ok(Some(
            "Cannot delete entity, must remove user from all groups first.",
        ));
    }
    if let Some(msg) = super::credentials::user_conflict(c, user_id)? {
        return Ok(Some(msg));
    }
    super::mfa::user_conflict(c, user_id)
}

impl UserStore for SqliteStore {
    fn create_user(&self, user: &User, tags: &[Tag], max_users: usize) -> StoreResult<()> {
        self.write(|tx| {
            if find_user(tx, &user.account, &user.name)?.is_some() {
                return Err(StoreError::AlreadyExists);
            }
            within(
                tx,
                "SELECT COUNT(*) FROM users WHERE account = ?1",
                [&user.account],
                max_users,
            )?;
            exec(
                tx,
                "INSERT INTO users (id, account, name, name_lc, path, created, password_last_used, permissions_boundary)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7)",
                params![user.id, user.account, user.name, user.name.to_ascii_lowercase(), user.path, ts(user.created), user.permissions_boundary],
            )?;
            super::tags::put_tags(tx, &user.id, tags, true)
        })
    }

    fn get_user(&self, account: &str, name: &str) -> StoreResult<Option<User>> {
        find_user(&self.read(), account, name)
    }

    fn get_user_by_id(&self, account: &str, id: &str) -> StoreResult<Option<User>> {
        optional_row(
            &self.read(),
            concat!(
                "SELECT ",
                user_columns!(),
                " FROM users WHERE account = ?1 AND id = ?2"
            ),
            params![account, id],
            rows::user,
        )
    }

    fn update_user(&self, account: &str, name: &str, update: &Rename) -> StoreResult<User> {
        self.write(|tx| {
            let mut user = find_user(tx, account, name)?.ok_or(StoreError::NotFound)?;
            rename((&mut user.name, &mut user.path), update, |new| {
                Ok(find_user(tx, account, new)?.is_some())
            })?;
            exec(
                tx,
                "UPDATE users SET name = ?1, name_lc = ?2, path = ?3 WHERE id = ?4",
                params![
                    user.name,
                    user.name.to_ascii_lowercase(),
                    user.path,
                    user.id
                ],
            )?;
            Ok(user)
        })
    }

    fn delete_user(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| {
            let user = find_user(tx, account, name)?.ok_or(StoreError::NotFound)?;
            if let Some(msg) = delete_conflict(tx, &user.id)? {
                return Err(StoreError::Conflict(msg));
            }
            super::tags::delete_tags(tx, &user.id)?;
            exec(tx, "DELETE FROM users WHERE id = ?1", [&user.id])
        })
    }

    fn list_users(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<User>> {
        list_by_path(
            &self.read(),
            ("users", user_columns!()),
            account,
            path_prefix,
            marker,
            max_items,
            rows::user,
        )
    }
}
