//! `UserStore` on SQLite.

use super::*;

impl UserStore for SqliteStore {
    fn create_user(&self, user: &User, tags: &[Tag], max_users: usize) -> StoreResult<()> {
        self.write(|tx| {
            if find_user(tx, &user.account, &user.name)?.is_some() {
                return Err(StoreError::AlreadyExists);
            }
            if count(tx, "SELECT COUNT(*) FROM users WHERE account = ?1", [&user.account])? >= max_users {
                return Err(StoreError::LimitExceeded);
            }
            tx.execute(
                "INSERT INTO users (id, account, name, name_lc, path, created, password_last_used, permissions_boundary)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7)",
                params![user.id, user.account, user.name, user.name.to_ascii_lowercase(), user.path, ts(user.created), user.permissions_boundary],
            )
            .map_err(backend)?;
            put_tags(tx, &user.id, tags, true)
        })
    }

    fn get_user(&self, account: &str, name: &str) -> StoreResult<Option<User>> {
        find_user(&self.read(), account, name)
    }

    fn get_user_by_id(&self, account: &str, id: &str) -> StoreResult<Option<User>> {
        cached_row(
            &self.read(),
            concat!(
                "SELECT ",
                user_columns!(),
                " FROM users WHERE account = ?1 AND id = ?2"
            ),
            params![account, id],
            rows::user,
        )
        .optional()
        .map_err(backend)
    }

    fn update_user(&self, account: &str, name: &str, update: &Rename) -> StoreResult<User> {
        self.write(|tx| {
            let mut user = find_user(tx, account, name)?.ok_or(StoreError::NotFound)?;
            if let Some(new_name) = &update.new_name {
                if !new_name.eq_ignore_ascii_case(&user.name)
                    && find_user(tx, account, new_name)?.is_some()
                {
                    return Err(StoreError::AlreadyExists);
                }
                user.name = new_name.clone();
            }
            if let Some(p) = &update.new_path {
                user.path = p.clone();
            }
            tx.execute(
                "UPDATE users SET name = ?1, name_lc = ?2, path = ?3 WHERE id = ?4",
                params![
                    user.name,
                    user.name.to_ascii_lowercase(),
                    user.path,
                    user.id
                ],
            )
            .map_err(backend)?;
            Ok(user)
        })
    }

    fn delete_user(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| {
            let user = find_user(tx, account, name)?.ok_or(StoreError::NotFound)?;
            if let Some(msg) = passwords::user_conflict(tx, &user.id)? {
                return Err(StoreError::Conflict(msg));
            }
            if count(
                tx,
                "SELECT COUNT(*) FROM access_keys WHERE user_id = ?1",
                [&user.id],
            )? > 0
            {
                return Err(StoreError::Conflict(
                    "Cannot delete entity, must delete access keys first.",
                ));
            }
            if policies::has_inline(tx, &user.id)? {
                return Err(StoreError::Conflict(
                    "Cannot delete entity, must delete policies first.",
                ));
            }
            if managed::has_attachments(tx, &user.id)? {
                return Err(StoreError::Conflict(
                    "Cannot delete entity, must detach all policies first.",
                ));
            }
            if groups::user_has_groups(tx, &user.id)? {
                return Err(StoreError::Conflict(
                    "Cannot delete entity, must remove user from all groups first.",
                ));
            }
            if let Some(msg) = creds::user_conflict(tx, &user.id)? {
                return Err(StoreError::Conflict(msg));
            }
            if let Some(msg) = mfa::user_conflict(tx, &user.id)? {
                return Err(StoreError::Conflict(msg));
            }
            tx.execute("DELETE FROM entity_tags WHERE entity_id = ?1", [&user.id])
                .map_err(backend)?;
            tx.execute("DELETE FROM users WHERE id = ?1", [&user.id])
                .map_err(backend)?;
            Ok(())
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
