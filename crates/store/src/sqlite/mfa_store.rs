//! `MfaStore` on SQLite.

use super::*;

impl MfaStore for SqliteStore {
    // --- MFA devices ---
    fn create_mfa_device(
        &self,
        device: &VirtualMfaDevice,
        tags: &[Tag],
        max: usize,
    ) -> StoreResult<()> {
        self.write(|tx| mfa::create(tx, device, tags, max))
    }

    fn get_mfa_device(&self, account: &str, serial: &str) -> StoreResult<Option<VirtualMfaDevice>> {
        mfa::find(&self.read(), account, serial)
    }

    fn delete_mfa_device(&self, account: &str, serial: &str) -> StoreResult<()> {
        self.write(|tx| mfa::delete(tx, account, serial))
    }

    fn list_mfa_devices(
        &self,
        account: &str,
        assigned: Option<bool>,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<VirtualMfaDevice>> {
        mfa::list(&self.read(), account, assigned, marker, max_items)
    }

    fn enable_mfa_device(
        &self,
        account: &str,
        serial: &str,
        user_id: &str,
        at: DateTime<Utc>,
        sync: MfaSync,
        max_per_user: usize,
    ) -> StoreResult<()> {
        self.write(|tx| mfa::enable(tx, (account, serial, user_id), at, sync, max_per_user))
    }

    fn deactivate_mfa_device(&self, account: &str, serial: &str, user_id: &str) -> StoreResult<()> {
        self.write(|tx| mfa::deactivate(tx, account, serial, user_id))
    }

    fn resync_mfa_device(&self, account: &str, serial: &str, sync: MfaSync) -> StoreResult<()> {
        self.write(|tx| mfa::resync(tx, account, serial, sync))
    }

    fn accept_mfa_step(&self, account: &str, serial: &str, step: i64) -> StoreResult<bool> {
        self.write(|tx| mfa::accept_step(tx, account, serial, step))
    }

    fn mfa_devices_for_user(
        &self,
        account: &str,
        user_id: &str,
    ) -> StoreResult<Vec<VirtualMfaDevice>> {
        mfa::for_user(&self.read(), account, user_id)
    }

    fn mfa_device_counts(&self, account: &str) -> StoreResult<(usize, usize)> {
        mfa::counts(&self.read(), account)
    }
}
