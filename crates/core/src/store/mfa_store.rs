//! The [`MfaStore`] family of the storage contract (see [`crate::store`]).

use super::*;

/// Virtual MFA devices.
pub trait MfaStore {
    // --- MFA devices ---
    // Virtual MFA devices, addressed by serial number (their ARN); names are unique per account
    // ignoring case. Their tags are kept under the serial number.
    /// `AlreadyExists` for a taken name; `LimitExceeded` when the account has `max` devices.
    fn create_mfa_device(
        &self,
        device: &crate::mfa::VirtualMfaDevice,
        tags: &[Tag],
        max: usize,
    ) -> StoreResult<()>;
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
    /// Assigns an unassigned device to a user at `at`: `AlreadyExists` when it is assigned
    /// already, `LimitExceeded` when the user has `max_per_user` devices.
    fn enable_mfa_device(
        &self,
        account: &str,
        serial: &str,
        user_id: &str,
        at: DateTime<Utc>,
        sync: crate::mfa::MfaSync,
        max_per_user: usize,
    ) -> StoreResult<()>;
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
    /// Removes the device.
    fn remove_mfa_device(&self, serial: &str) -> StoreResult<()>;
}
