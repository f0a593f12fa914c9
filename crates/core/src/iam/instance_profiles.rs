//! Instance profiles: DeleteInstanceProfile as a domain service, inside one write transaction:
//! a profile that still holds a role cannot be deleted. (Creating profiles and adding roles, with
//! their quotas, are still the server's and the store's.)

use crate::error::{Dependent, EntityKind, IamError, IamResult};
use crate::store::Tx;

/// DeleteInstanceProfile.
pub fn delete(tx: &dyn Tx, account: &str, name: &str) -> IamResult<()> {
    let p = tx
        .instance_profile(account, name)?
        .ok_or_else(|| IamError::no_such(EntityKind::InstanceProfile, name))?;
    if tx.count_profile_roles(&p.id)? > 0 {
        return Err(IamError::DeleteConflict(Dependent::InstanceProfileRoles));
    }
    Ok(tx.remove_instance_profile(&p.id)?)
}
