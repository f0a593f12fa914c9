//! Virtual MFA devices as domain services, each inside one write transaction:
//! CreateVirtualMFADevice (a free name and serial, `VirtualMFADevicesPerAccount`), EnableMFADevice's
//! write (a free device, `MFADevicesPerUser`) and DeleteVirtualMFADevice (not while assigned).
//! TOTP and the check of the two codes are `crate::mfa`'s, called by the server first.

use crate::error::{Dependent, EntityKind, IamError, IamResult};
use crate::mfa::{MfaSync, VirtualMfaDevice};
use crate::model::Tag;
use crate::quotas::{self, MAX_MFA_DEVICES_PER_USER, Quota, Quotas};
use crate::store::Tx;
use chrono::{DateTime, Utc};

/// CreateVirtualMFADevice: `device` as the caller built it (seed sealed). The account's device
/// quota is its user quota, as it has been since the first release.
pub fn create(tx: &dyn Tx, device: &VirtualMfaDevice, tags: &[Tag], q: &Quotas) -> IamResult<()> {
    if tx.mfa_device_taken(&device.account, &device.name, &device.serial)? {
        return Err(IamError::exists(EntityKind::MfaDevice, &device.name));
    }
    quotas::check(
        Quota::VirtualMfaDevicesPerAccount,
        tx.count_mfa_devices(&device.account)?,
        q.users_per_account,
    )?;
    tx.insert_mfa_device(device, tags)
        .map_err(IamError::on_insert(EntityKind::MfaDevice, &device.name))
}

/// EnableMFADevice's write, once the codes are checked: assigns device `serial` to `user_id`.
pub fn enable(
    tx: &dyn Tx,
    account: &str,
    serial: &str,
    user_id: &str,
    at: DateTime<Utc>,
    sync: MfaSync,
) -> IamResult<()> {
    let d = tx
        .mfa_device(account, serial)?
        .ok_or_else(|| IamError::no_such(EntityKind::MfaDevice, serial))?;
    if d.user_id.is_some() {
        return Err(IamError::MfaDeviceInUse);
    }
    quotas::check(
        Quota::MfaDevicesPerUser,
        tx.count_user_mfa_devices(user_id)?,
        MAX_MFA_DEVICES_PER_USER,
    )?;
    Ok(tx.assign_mfa_device(serial, user_id, at, sync)?)
}

/// DeleteVirtualMFADevice.
pub fn delete(tx: &dyn Tx, account: &str, serial: &str) -> IamResult<()> {
    let d = tx
        .mfa_device(account, serial)?
        .ok_or_else(|| IamError::no_such(EntityKind::MfaDevice, serial))?;
    if d.user_id.is_some() {
        return Err(IamError::DeleteConflict(Dependent::MfaDeviceUser));
    }
    Ok(tx.remove_mfa_device(serial)?)
}
