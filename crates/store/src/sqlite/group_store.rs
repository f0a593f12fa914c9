//! `GroupStore` on SQLite.

use super::*;

impl GroupStore for SqliteStore {
    fn create_group(&self, group: &Group, max_groups: usize) -> StoreResult<()> {
        self.write(|tx| groups::create(tx, group, max_groups))
    }

    fn get_group(&self, account: &str, name: &str) -> StoreResult<Option<Group>> {
        groups::find_group(&self.read(), account, name)
    }

    fn update_group(&self, account: &str, name: &str, update: &Rename) -> StoreResult<Group> {
        self.write(|tx| groups::update(tx, account, name, update))
    }

    fn delete_group(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| groups::delete(tx, account, name))
    }

    fn list_groups(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>> {
        groups::list(&self.read(), account, path_prefix, marker, max_items)
    }

    fn add_user_to_group(
        &self,
        account: &str,
        group_id: &str,
        user_id: &str,
        max_groups_per_user: usize,
    ) -> StoreResult<()> {
        self.write(|tx| groups::add_member(tx, account, group_id, user_id, max_groups_per_user))
    }

    fn remove_user_from_group(
        &self,
        _account: &str,
        group_id: &str,
        user_id: &str,
    ) -> StoreResult<()> {
        self.write(|tx| groups::remove_member(tx, group_id, user_id))
    }

    fn list_group_members(
        &self,
        account: &str,
        group_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<User>> {
        groups::members(&self.read(), account, group_id, marker, max_items)
    }

    fn list_groups_for_user(
        &self,
        account: &str,
        user_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>> {
        groups::for_user(&self.read(), account, user_id, marker, max_items)
    }
}
