//! The [`PasswordStore`] family of the storage contract (see [`crate::store`]): reads and the
//! console's sign-in bookkeeping, and [`PasswordTx`], the writes of login profiles and the
//! password policy that `crate::iam::passwords` makes inside one transaction.

use super::*;

/// Login profiles, password history and the account password policy.
pub trait PasswordStore {
    // --- Login profiles and password policy ---
    /// A user's login profile (by user id): creation and password-last-changed times, for
    /// GetLoginProfile and the credential report (`password_enabled`, `password_last_changed`,
    /// `password_next_rotation` with [`LoginProfile::next_rotation`]).
    fn login_profile(&self, account: &str, user_id: &str) -> StoreResult<Option<LoginProfile>>;
    /// The current password hash of a user's login profile.
    fn login_password_hash(&self, account: &str, user_id: &str) -> StoreResult<Option<String>>;
    /// The user's password hashes, newest (the current one) first, at most
    /// [`crate::passwords::HISTORY`].
    fn password_history(&self, account: &str, user_id: &str) -> StoreResult<Vec<String>>;
    /// The account's custom password policy; `None` when AWS's default applies.
    fn password_policy(&self, account: &str) -> StoreResult<Option<PasswordPolicy>>;
    // --- The console sign-in throttle, shared by every server on the store ---
    /// Starts a sign-in attempt for `keys` (digests of a user name, a source address): when a
    /// key's last failure plus `delay(its consecutive failures)` is after `now`, nothing is
    /// counted and the latest such end is answered; otherwise every key counts one more failure
    /// at `now` and the first key's count is answered. Keys without an attempt since
    /// `forget_before` are forgotten first.
    fn begin_signin_attempt(
        &self,
        keys: &[&str],
        now: DateTime<Utc>,
        delay: &dyn Fn(u32) -> chrono::TimeDelta,
        forget_before: DateTime<Utc>,
    ) -> StoreResult<SigninAttempt>;
    /// Forgets `key`'s failures (a success, or an administrator's unlock).
    fn forget_signin_failures(&self, key: &str) -> StoreResult<()>;
}

/// Login profiles and the password policy inside a write transaction; data only.
pub trait PasswordTx {
    /// Creates a user's login profile with its first password hash (also the first entry of
    /// the user's password history): `AlreadyExists` when the user has one, `NotFound` when the
    /// user does not exist.
    fn create_login_profile(&self, profile: &LoginProfile, password_hash: &str) -> StoreResult<()>;
    /// Applies the update (a new password also joins the history); `NotFound` without a profile.
    fn update_login_profile(
        &self,
        account: &str,
        user_id: &str,
        update: &LoginProfileUpdate,
    ) -> StoreResult<LoginProfile>;
    /// `NotFound` without a profile. The password history stays until the user is deleted.
    fn delete_login_profile(&self, account: &str, user_id: &str) -> StoreResult<()>;
    /// Replaces the account's password policy.
    fn put_password_policy(&self, account: &str, policy: &PasswordPolicy) -> StoreResult<()>;
    /// `NotFound` when the account has no custom policy.
    fn delete_password_policy(&self, account: &str) -> StoreResult<()>;
}
