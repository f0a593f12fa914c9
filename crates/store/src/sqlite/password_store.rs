//! `PasswordStore` on SQLite.

use super::*;

impl PasswordStore for SqliteStore {
    // --- Login profiles and password policy ---
    fn create_login_profile(&self, profile: &LoginProfile, password_hash: &str) -> StoreResult<()> {
        self.write(|tx| passwords::create(tx, profile, password_hash))
    }

    fn login_profile(&self, account: &str, user_id: &str) -> StoreResult<Option<LoginProfile>> {
        passwords::get(&self.read(), account, user_id)
    }

    fn login_password_hash(&self, account: &str, user_id: &str) -> StoreResult<Option<String>> {
        passwords::password_hash(&self.read(), account, user_id)
    }

    fn update_login_profile(
        &self,
        account: &str,
        user_id: &str,
        update: &LoginProfileUpdate,
    ) -> StoreResult<LoginProfile> {
        self.write(|tx| passwords::update(tx, account, user_id, update))
    }

    fn delete_login_profile(&self, account: &str, user_id: &str) -> StoreResult<()> {
        self.write(|tx| passwords::delete(tx, account, user_id))
    }

    fn password_history(&self, account: &str, user_id: &str) -> StoreResult<Vec<String>> {
        passwords::history(&self.read(), account, user_id)
    }

    fn password_policy(&self, account: &str) -> StoreResult<Option<PasswordPolicy>> {
        passwords::policy(&self.read(), account)
    }

    fn put_password_policy(&self, account: &str, policy: &PasswordPolicy) -> StoreResult<()> {
        self.write(|tx| passwords::put_policy(tx, account, policy))
    }

    fn delete_password_policy(&self, account: &str) -> StoreResult<()> {
        self.write(|tx| passwords::delete_policy(tx, account))
    }
}
