//! The [`RoleStore`] family of the storage contract (see [`crate::store`]).

use super::*;

/// Roles (and service-linked role deletions).
pub trait RoleStore {
    // Roles. Names are unique per account ignoring case.
    fn create_role(&self, role: &Role, tags: &[Tag], max_roles: usize) -> StoreResult<()>;
    fn get_role(&self, account: &str, name: &str) -> StoreResult<Option<Role>>;
    fn update_role(&self, account: &str, name: &str, update: &RoleUpdate) -> StoreResult<Role>;
    /// Fails with `Conflict` while the role has inline or attached policies.
    fn delete_role(&self, account: &str, name: &str) -> StoreResult<()>;
    /// Deletes a service-linked role like `delete_role` and records the deletion task `task_id`.
    fn delete_service_linked_role(
        &self,
        account: &str,
        name: &str,
        task_id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Whether the account has a recorded (finished) service-linked role deletion `task_id`.
    fn service_role_deletion_exists(&self, account: &str, task_id: &str) -> StoreResult<bool>;
    fn list_roles(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Role>>;
    fn set_role_boundary(&self, account: &str, role_id: &str, arn: Option<&str>)
    -> StoreResult<()>;
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
