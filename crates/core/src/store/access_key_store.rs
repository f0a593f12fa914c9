//! The [`AccessKeyStore`] family of the storage contract (see [`crate::store`]).

use super::*;

/// Access keys of users and of the root user.
pub trait AccessKeyStore {
    // Access keys. `user_id` None means the root user.
    fn create_access_key(&self, key: &AccessKey, max_per_user: usize) -> StoreResult<()>;
    fn get_access_key(&self, id: &str) -> StoreResult<Option<AccessKey>>;
    fn list_access_keys(&self, account: &str, user_id: Option<&str>)
    -> StoreResult<Vec<AccessKey>>;
    fn update_access_key_status(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()>;
    fn delete_access_key(&self, account: &str, user_id: Option<&str>, id: &str) -> StoreResult<()>;
    /// Records a use unless one was already recorded at or after `not_before`.
    fn record_access_key_use(
        &self,
        id: &str,
        used: &LastUsed,
        not_before: DateTime<Utc>,
    ) -> StoreResult<()>;
}
