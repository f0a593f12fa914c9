//! The [`AccountStore`] family of the storage contract (see [`crate::store`]), and
//! [`AccountTx`], the data-only writes `crate::iam::account` and
//! `crate::iam::account_properties` make inside one transaction.

use super::*;

/// Accounts, their aliases and settings, and wiping everything (dev mode).
pub trait AccountStore {
    // Accounts
    fn create_account(&self, account: &Account) -> StoreResult<()>;
    fn get_account(&self, id: &str) -> StoreResult<Option<Account>>;
    fn list_accounts(&self) -> StoreResult<Vec<Account>>;
    fn account_counts(&self, account: &str) -> StoreResult<AccountCounts>;
    fn account_aliases(&self, account: &str) -> StoreResult<Vec<String>>;
    // Account settings: small per-account key/value pairs (STS preferences, outbound web
    // identity federation, account properties).
    fn account_setting(&self, account: &str, key: &str) -> StoreResult<Option<String>>;
    /// The settings whose key starts with `prefix`, ordered by key.
    fn account_settings(&self, account: &str, prefix: &str) -> StoreResult<Vec<(String, String)>>;
    /// Sets (`Some`) or removes (`None`) each setting, all in one transaction: the console's
    /// sign-in bookkeeping; an IAM operation's settings go through [`AccountTx`].
    fn put_account_settings(
        &self,
        account: &str,
        settings: &[(String, Option<String>)],
    ) -> StoreResult<()>;
    /// Removes every account and entity (dev-mode reset).
    fn wipe(&self) -> StoreResult<()>;
}

/// Account aliases inside a write transaction; data only (see [`super::UserTx`]).
pub trait AccountTx {
    /// The account holding `alias`, if any.
    fn alias_account(&self, alias: &str) -> StoreResult<Option<String>>;
    /// How many aliases `account` has besides `alias`.
    fn count_other_aliases(&self, account: &str, alias: &str) -> StoreResult<usize>;
    /// Gives `account` the alias; giving it again changes nothing.
    fn insert_alias(&self, account: &str, alias: &str) -> StoreResult<()>;
    /// The setting `key` of `account`, if set.
    fn account_setting(&self, account: &str, key: &str) -> StoreResult<Option<String>>;
    /// Takes the alias from `account`; NotFound when it does not hold it.
    fn delete_account_alias(&self, account: &str, alias: &str) -> StoreResult<()>;
    /// Sets (`Some`) or removes (`None`) each setting of `account`.
    fn put_account_settings(
        &self,
        account: &str,
        settings: &[(String, Option<String>)],
    ) -> StoreResult<()>;
}
