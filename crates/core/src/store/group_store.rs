//! The [`GroupStore`] family of the storage contract (see [`crate::store`]).

use super::*;

/// Groups and their members.
pub trait GroupStore {
    // Groups. Names are unique per account ignoring case, like users.
    fn create_group(&self, group: &Group, max_groups: usize) -> StoreResult<()>;
    fn get_group(&self, account: &str, name: &str) -> StoreResult<Option<Group>>;
    fn update_group(&self, account: &str, name: &str, update: &Rename) -> StoreResult<Group>;
    /// Fails with `Conflict` while the group has members or policies.
    fn delete_group(&self, account: &str, name: &str) -> StoreResult<()>;
    fn list_groups(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>>;
    /// Adding a member twice is not an error. `LimitExceeded` past `max_groups_per_user`.
    fn add_user_to_group(
        &self,
        account: &str,
        group_id: &str,
        user_id: &str,
        max_groups_per_user: usize,
    ) -> StoreResult<()>;
    /// `NotFound` when the user is not a member.
    fn remove_user_from_group(
        &self,
        account: &str,
        group_id: &str,
        user_id: &str,
    ) -> StoreResult<()>;
    fn list_group_members(
        &self,
        account: &str,
        group_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<User>>;
    fn list_groups_for_user(
        &self,
        account: &str,
        user_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>>;
    /// Every group the user belongs to, in one list.
    fn all_groups_for_user(&self, account: &str, user_id: &str) -> StoreResult<Vec<Group>> {
        Ok(self
            .list_groups_for_user(account, user_id, None, usize::MAX)?
            .items)
    }
}
