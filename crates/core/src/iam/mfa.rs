//! Virtual MFA devices: DeleteVirtualMFADevice as a domain service, inside one write
//! transaction: a device assigned to a user cannot be deleted. (TOTP itself is `crate::mfa`;
//! creating, enabling and deactivating devices, with their quotas, are still the server's and
//! the store's.)

use crate::error::{Dependent, EntityKind, IamError, IamResult};
use crate::store::Tx;

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
