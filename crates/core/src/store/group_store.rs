//! The [`GroupStore`] family of the storage contract (see [`crate::store`]): reads, and
//! [`GroupTx`], the data-only writes the domain services in `crate::iam::groups` make inside one
//! transaction.

use super::*;

/// Groups and their members: reads.
pub trait GroupStore {
    // Groups. Names are unique per account ignoring case, like users.
    fn get_group(&self, account: &str, name: &str) -> StoreResult<Option<Group>>;
    fn list_groups(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>>;
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

/// Groups inside a write transaction; data only (see [`super::UserTx`]).
pub trait GroupTx {
    /// The group of `account` called `name`, ignoring case.
    fn group(&self, account: &str, name: &str) -> StoreResult<Option<Group>>;
    fn count_groups(&self, account: &str) -> StoreResult<usize>;
    fn insert_group(&self, group: &Group) -> StoreResult<()>;
    /// Writes the name and path of the group with `group.id`.
    fn save_group(&self, group: &Group) -> StoreResult<()>;
    fn remove_group(&self, group_id: &str) -> StoreResult<()>;
    fn is_member(&self, group_id: &str, user_id: &str) -> StoreResult<bool>;
    /// How many groups the user belongs to.
    fn count_memberships(&self, user_id: &str) -> StoreResult<usize>;
    fn insert_member(&self, group_id: &str, user_id: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// `NotFound` when the user is not a member.
    fn remove_user_from_group(
        &self,
        account: &str,
        group_id: &str,
        user_id: &str,
    ) -> StoreResult<()>;
}
