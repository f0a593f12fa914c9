//! The [`UserStore`] family of the storage contract (see [`crate::store`]): reads, and
//! [`UserTx`], the data-only writes the domain services in `crate::iam::users` make inside one
//! transaction.

use super::*;

/// IAM users: reads.
pub trait UserStore {
    // Users. Names are unique per account ignoring case; lookups ignore case too.
    fn get_user(&self, account: &str, name: &str) -> StoreResult<Option<User>>;
    fn get_user_by_id(&self, account: &str, id: &str) -> StoreResult<Option<User>>;
    /// Users whose path starts with `path_prefix`, ordered by name; `marker` continues a listing.
    fn list_users(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<User>>;
    /// Records a console sign-in of user `user_id` at `at` (`PasswordLastUsed`); a user that
    /// no longer exists changes nothing.
    fn record_password_use(
        &self,
        account: &str,
        user_id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
}

/// IAM users inside a write transaction. No rule is checked here: the caller checks quotas and
/// dependents first; the engine only refuses a second user of one name (`AlreadyExists`).
pub trait UserTx {
    /// The user of `account` called `name`, ignoring case.
    fn user(&self, account: &str, name: &str) -> StoreResult<Option<User>>;
    fn count_users(&self, account: &str) -> StoreResult<usize>;
    /// Inserts the user with its tags (keys compared ignoring case).
    fn insert_user(&self, user: &User, tags: &[Tag]) -> StoreResult<()>;
    /// Writes the name and path of the user with `user.id`.
    fn save_user(&self, user: &User) -> StoreResult<()>;
    /// Removes the user with id `user_id` and its tags.
    fn remove_user(&self, user_id: &str) -> StoreResult<()>;
}
