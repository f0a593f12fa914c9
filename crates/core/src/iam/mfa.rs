//! Virtual MFA devices as domain services, each inside one write transaction:
//! CreateVirtualMFADevice (a free name and serial, `VirtualMFADevicesPerAccount`), EnableMFADevice's
//! write (a free device, `MFADevicesPerUser`), DeleteVirtualMFADevice (not while assigned), and
//! DeactivateMFADevice and ResyncMFADevice's write (a device assigned to the user named).
//! TOTP is `crate::mfa`'s; [`check_codes`] (the pair of codes EnableMFADevice and
//! ResyncMFADevice take) and [`assigned`] (a device assigned to the user named) are checked by
//! the server first, outside the transaction.

use crate::error::{Dependent, EntityKind, IamError, IamResult};
use crate::mfa::{self, MfaSync, VirtualMfaDevice};
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

/// Two consecutive codes of the device whose seed is `seed`, within `window` steps either way
/// of the server's step `now_step`; InvalidAuthenticationCode otherwise.
pub fn check_codes(
    seed: &[u8],
    (first, second): (&str, &str),
    now_step: i64,
    window: i64,
) -> IamResult<MfaSync> {
    mfa::verify_pair(seed, first, second, now_step, now_step, window)
        .ok_or(IamError::InvalidMfaCodes)
}

/// The device `found` as looked up by `serial`, if it is assigned to the user `user_id` (`None`
/// for the root user, who has none); NoSuchEntity otherwise.
pub fn assigned(
    found: Option<VirtualMfaDevice>,
    serial: &str,
    user_id: Option<&str>,
) -> IamResult<VirtualMfaDevice> {
    found
        .filter(|d| d.user_id.is_some() && d.user_id.as_deref() == user_id)
        .ok_or_else(|| IamError::MfaDeviceNotAssigned(serial.to_string()))
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

/// DeactivateMFADevice: unassigns device `serial` from the user `user_id` (`None`: the root
/// user, who has none).
pub fn deactivate(
    tx: &dyn Tx,
    account: &str,
    serial: &str,
    user_id: Option<&str>,
) -> IamResult<()> {
    let d = assigned(tx.mfa_device(account, serial)?, serial, user_id)?;
    let uid = d.user_id.as_deref().unwrap_or_default();
    tx.deactivate_mfa_device(account, &d.serial, uid)
        .map_err(IamError::on_missing(EntityKind::MfaDevice, serial))
}

/// ResyncMFADevice's write, once the codes are checked: the device's new clock `sync`, while it
/// is still assigned to `user_id`.
pub fn resync(
    tx: &dyn Tx,
    account: &str,
    serial: &str,
    user_id: &str,
    sync: MfaSync,
) -> IamResult<()> {
    let d = assigned(tx.mfa_device(account, serial)?, serial, Some(user_id))?;
    tx.resync_mfa_device(account, &d.serial, sync)
        .map_err(IamError::on_missing(EntityKind::MfaDevice, serial))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn device(user_id: Option<&str>) -> VirtualMfaDevice {
        VirtualMfaDevice {
            serial: "arn:aws:iam::123456789012:mfa/d".into(),
            account: "123456789012".into(),
            name: "d".into(),
            path: "/".into(),
            sealed_seed: Vec::new(),
            created: DateTime::from_timestamp(0, 0).unwrap(),
            user_id: user_id.map(str::to_string),
            enabled: None,
            drift: 0,
            last_step: None,
        }
    }

    #[test]
    fn codes_and_assignment() {
        let seed = b"12345678901234567890";
        let step = 1_000;
        let (a, b) = (mfa::code(seed, step), mfa::code(seed, step + 1));
        assert!(check_codes(seed, (&a, &b), step, 1).is_ok());
        assert_eq!(
            check_codes(seed, (&b, &a), step, 1),
            Err(IamError::InvalidMfaCodes)
        );
        let serial = "arn:aws:iam::123456789012:mfa/d";
        assert!(assigned(Some(device(Some("u1"))), serial, Some("u1")).is_ok());
        for (found, user) in [
            (Some(device(Some("u1"))), Some("u2")),
            (Some(device(None)), None),
            (None, Some("u1")),
        ] {
            assert_eq!(
                assigned(found, serial, user).unwrap_err().to_string(),
                format!("MFA Device with serial number {serial} is not assigned to the user.")
            );
        }
    }
}
