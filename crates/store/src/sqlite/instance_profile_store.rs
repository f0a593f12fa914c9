//! `InstanceProfileStore` on SQLite.

use super::*;

impl InstanceProfileStore for SqliteStore {
    fn create_instance_profile(
        &self,
        profile: &InstanceProfile,
        tags: &[Tag],
        max_profiles: usize,
    ) -> StoreResult<()> {
        self.write(|tx| profiles::create(tx, profile, tags, max_profiles))
    }

    fn get_instance_profile(
        &self,
        account: &str,
        name: &str,
    ) -> StoreResult<Option<InstanceProfile>> {
        profiles::find(&self.read(), account, name)
    }

    fn delete_instance_profile(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| profiles::delete(tx, account, name))
    }

    fn list_instance_profiles(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<InstanceProfile>> {
        profiles::list(&self.read(), account, path_prefix, marker, max_items)
    }

    fn add_role_to_instance_profile(
        &self,
        account: &str,
        profile_id: &str,
        role_id: &str,
        max_roles: usize,
    ) -> StoreResult<()> {
        self.write(|tx| profiles::add_role(tx, account, profile_id, role_id, max_roles))
    }

    fn remove_role_from_instance_profile(
        &self,
        account: &str,
        profile_id: &str,
        role_id: &str,
    ) -> StoreResult<()> {
        self.write(|tx| profiles::remove_role(tx, account, profile_id, role_id))
    }

    fn instance_profile_roles(&self, profile_id: &str) -> StoreResult<Vec<Role>> {
        profiles::roles(&self.read(), profile_id)
    }

    fn list_instance_profiles_for_role(
        &self,
        account: &str,
        role_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<InstanceProfile>> {
        profiles::for_role(&self.read(), account, role_id, marker, max_items)
    }
}
