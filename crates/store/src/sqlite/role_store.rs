//! `RoleStore` on SQLite.

use super::*;

impl RoleStore for SqliteStore {
    fn create_role(&self, role: &Role, tags: &[Tag], max_roles: usize) -> StoreResult<()> {
        self.write(|tx| roles::create(tx, role, tags, max_roles))
    }

    fn get_role(&self, account: &str, name: &str) -> StoreResult<Option<Role>> {
        roles::find(&self.read(), account, name)
    }

    fn update_role(&self, account: &str, name: &str, update: &RoleUpdate) -> StoreResult<Role> {
        self.write(|tx| roles::update(tx, account, name, update))
    }

    fn delete_role(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| roles::delete(tx, account, name))
    }

    fn delete_service_linked_role(
        &self,
        account: &str,
        name: &str,
        task_id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| crate::sqlite_service_roles::delete(tx, account, name, task_id, at))
    }

    fn service_role_deletion_exists(&self, account: &str, task_id: &str) -> StoreResult<bool> {
        crate::sqlite_service_roles::exists(&self.read(), account, task_id)
    }

    fn list_roles(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Role>> {
        roles::list(&self.read(), account, path_prefix, marker, max_items)
    }

    fn set_role_boundary(
        &self,
        account: &str,
        role_id: &str,
        arn: Option<&str>,
    ) -> StoreResult<()> {
        self.write(|tx| roles::set_boundary(tx, account, role_id, arn))
    }

    fn record_role_use(
        &self,
        account: &str,
        role_id: &str,
        at: DateTime<Utc>,
        region: &str,
    ) -> StoreResult<()> {
        self.write(|tx| roles::record_use(tx, account, role_id, at, region))
    }
}
