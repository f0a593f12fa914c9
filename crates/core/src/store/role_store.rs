//! The [`RoleStore`] family of the storage contract (see [`crate::store`]): reads and the writes
//! no rule guards, and [`RoleTx`], the data-only writes the domain services in
//! `crate::iam::roles` make inside one transaction.

use super::*;

/// Roles: reads and last use.
pub trait RoleStore {
    // Roles. Names are unique per account ignoring case.
    fn get_role(&self, account: &str, name: &str) -> StoreResult<Option<Role>>;
    /// Whether the account has a recorded (finished) service-linked role deletion `task_id`.
    fn service_role_deletion_exists(&self, account: &str, task_id: &str) -> StoreResult<bool>;
    fn list_roles(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Role>>;
    /// Records that the role was used (assumed, or a session of it called) at `at` in `region`;
    /// a record already as new or newer is kept. A missing role is not an error.
    fn record_role_use(
        &self,
        account: &str,
        role_id: &str,
        at: DateTime<Utc>,
        region: &str,
    ) -> StoreResult<()>;
}

/// Roles inside a write transaction; data only (see [`super::UserTx`]).
pub trait RoleTx {
    /// The role of `account` called `name`, ignoring case.
    fn role(&self, account: &str, name: &str) -> StoreResult<Option<Role>>;
    fn count_roles(&self, account: &str) -> StoreResult<usize>;
    fn insert_role(&self, role: &Role, tags: &[Tag]) -> StoreResult<()>;
    /// Writes the description, maximum session duration and trust policy of `role.id`.
    fn save_role(&self, role: &Role) -> StoreResult<()>;
    /// Removes the role with id `role_id` and its tags.
    fn remove_role(&self, role_id: &str) -> StoreResult<()>;
    /// Records the finished deletion task `task_id` of service-linked role `role_name`.
    fn insert_role_deletion(
        &self,
        account: &str,
        task_id: &str,
        role_name: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Sets or clears a role's permissions boundary; `NotFound` when there is no such role.
    fn set_role_boundary(&self, account: &str, role_id: &str, arn: Option<&str>)
    -> StoreResult<()>;
}
