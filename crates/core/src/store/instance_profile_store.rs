//! The [`InstanceProfileStore`] family of the storage contract (see [`crate::store`]).

use super::*;

/// Instance profiles and their roles.
pub trait InstanceProfileStore {
    // Instance profiles. Names are unique per account ignoring case.
    fn get_instance_profile(
        &self,
        account: &str,
        name: &str,
    ) -> StoreResult<Option<InstanceProfile>>;
    fn list_instance_profiles(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<InstanceProfile>>;
    /// The roles of a profile, in the order they were added.
    fn instance_profile_roles(&self, profile_id: &str) -> StoreResult<Vec<Role>>;
    fn list_instance_profiles_for_role(
        &self,
        account: &str,
        role_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<InstanceProfile>>;
}

/// Instance profiles inside a write transaction; data only (see [`super::UserTx`]).
pub trait InstanceProfileTx {
    /// The instance profile of `account` called `name`, ignoring case.
    fn instance_profile(&self, account: &str, name: &str) -> StoreResult<Option<InstanceProfile>>;
    fn count_instance_profiles(&self, account: &str) -> StoreResult<usize>;
    /// Inserts the profile with its tags (keys compared as given).
    fn insert_instance_profile(&self, profile: &InstanceProfile, tags: &[Tag]) -> StoreResult<()>;
    fn insert_profile_role(
        &self,
        profile_id: &str,
        role_id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// How many roles the profile holds.
    fn count_profile_roles(&self, profile_id: &str) -> StoreResult<usize>;
    /// Removes the profile with its tags.
    fn remove_instance_profile(&self, profile_id: &str) -> StoreResult<()>;
    /// `NotFound` when the role is not in the profile.
    fn remove_role_from_instance_profile(
        &self,
        account: &str,
        profile_id: &str,
        role_id: &str,
    ) -> StoreResult<()>;
}
