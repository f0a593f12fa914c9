//! The [`AccessKeyStore`] family of the storage contract (see [`crate::store`]): reads and the
//! writes no rule guards (last use), and [`AccessKeyTx`], the data-only writes `crate::iam::access_keys`
//! makes inside one transaction.

use super::*;

/// Access keys of users and of the root user.
pub trait AccessKeyStore {
    // Access keys. `user_id` None means the root user.
    fn get_access_key(&self, id: &str) -> StoreResult<Option<AccessKey>>;
    fn list_access_keys(&self, account: &str, user_id: Option<&str>)
    -> StoreResult<Vec<AccessKey>>;
    /// Records a use unless one was already recorded at or after `not_before`.
    fn record_access_key_use(
        &self,
        id: &str,
        used: &LastUsed,
        not_before: DateTime<Utc>,
    ) -> StoreResult<()>;
}

/// Access keys inside a write transaction; data only (see [`super::UserTx`]).
pub trait AccessKeyTx {
    /// How many keys the user (`None`: the root user) of `account` has.
    fn count_access_keys(&self, account: &str, user_id: Option<&str>) -> StoreResult<usize>;
    fn insert_access_key(&self, key: &AccessKey) -> StoreResult<()>;
    /// NotFound when the owner has no key `id`.
    fn update_access_key_status(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()>;
    /// NotFound when the owner has no key `id`.
    fn delete_access_key(&self, account: &str, user_id: Option<&str>, id: &str) -> StoreResult<()>;
}
