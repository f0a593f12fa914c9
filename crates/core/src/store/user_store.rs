//! The [`UserStore`] family of the storage contract (see [`crate::store`]).

use super::*;

/// IAM users.
pub trait UserStore {
    // Users. Names are unique per account ignoring case; lookups ignore case too.
    fn create_user(&self, user: &User, tags: &[Tag], max_users: usize) -> StoreResult<()>;
    fn get_user(&self, account: &str, name: &str) -> StoreResult<Option<User>>;
    fn get_user_by_id(&self, account: &str, id: &str) -> StoreResult<Option<User>>;
    fn update_user(&self, account: &str, name: &str, update: &Rename) -> StoreResult<User>;
    /// Fails with `Conflict` while the user has access keys or other attachments.
    fn delete_user(&self, account: &str, name: &str) -> StoreResult<()>;
    /// Users whose path starts with `path_prefix`, ordered by name; `marker` continues a listing.
    fn list_users(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<User>>;
}
