//! The [`MfaStore`] family of the storage contract (see [`crate::store`]).

use super::*;

/// Virtual MFA devices.
pub trait MfaStore {
    // --- MFA devices ---
    // Virtual MFA devices, addressed by serial number (their ARN); names are unique per account
    // ignoring case. Their tags are kept under the serial number.
    fn get_mfa_device(
        &self,
        account: &str,
        serial: &str,
    ) -> StoreResult<Option<crate::mfa::VirtualMfaDevice>>;
    /// The account's devices by name, only assigned (`Some(true)`) or unassigned (`Some(false)`)
    /// ones if asked.
    fn list_mfa_devices(
        &self,
        account: &str,
        assigned: Option<bool>,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<crate::mfa::VirtualMfaDevice>>;
    /// Records that the device's code of `step` was accepted, unless that step or a later one
    /// already was: `false` then (a replayed code). Atomic, so one code passes once on any node.
    fn accept_mfa_step(&self, account: &str, serial: &str, step: i64) -> StoreResult<bool>;
    /// The devices enabled for a user (by unique id), oldest enablement first.
    fn mfa_devices_for_user(
        &self,
        account: &str,
        user_id: &str,
    ) -> StoreResult<Vec<crate::mfa::VirtualMfaDevice>>;
    /// `(devices, assigned devices)` of the account (GetAccountSummary).
    fn mfa_device_counts(&self, account: &str) -> StoreResult<(usize, usize)>;
}

/// Virtual MFA devices inside a write transaction; data only (see [`super::UserTx`]).
pub trait MfaTx {
    fn mfa_device(
        &self,
        account: &str,
        serial: &str,
    ) -> StoreResult<Option<crate::mfa::VirtualMfaDevice>>;
    /// Whether `account` has a device called `name` (ignoring case, whatever the path), or any
    /// account a device with `serial`.
    fn mfa_device_taken(&self, account: &str, name: &str, serial: &str) -> StoreResult<bool>;
    fn count_mfa_devices(&self, account: &str) -> StoreResult<usize>;
    /// Inserts the device with its tags (keys compared as given).
    fn insert_mfa_device(
        &self,
        device: &crate::mfa::VirtualMfaDevice,
        tags: &[Tag],
    ) -> StoreResult<()>;
    /// How many devices are assigned to the user.
    fn count_user_mfa_devices(&self, user_id: &str) -> StoreResult<usize>;
    /// Assigns device `serial` to the user, enabled `at`, with the clock `sync` measured.
    fn assign_mfa_device(
        &self,
        serial: &str,
        user_id: &str,
        at: DateTime<Utc>,
        sync: crate::mfa::MfaSync,
    ) -> StoreResult<()>;
    /// Removes the device.
    fn remove_mfa_device(&self, serial: &str) -> StoreResult<()>;
    /// Unassigns a device; `NotFound` unless it is assigned to `user_id`.
    fn deactivate_mfa_device(&self, account: &str, serial: &str, user_id: &str) -> StoreResult<()>;
    /// Records a new drift and last accepted step (ResyncMFADevice: both on the device's clock
    /// as the codes just given show it).
    fn resync_mfa_device(
        &self,
        account: &str,
        serial: &str,
        sync: crate::mfa::MfaSync,
    ) -> StoreResult<()>;
}
