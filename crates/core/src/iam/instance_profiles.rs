//! Instance profiles as domain services, each inside one write transaction: CreateInstanceProfile
//! (a free name, `InstanceProfilesPerAccount`), AddRoleToInstanceProfile (one role per profile:
//! `InstanceSessionsPerInstanceProfile`), RemoveRoleFromInstanceProfile (the role must be in it)
//! and DeleteInstanceProfile (not while it holds a role).

use crate::error::{Dependent, EntityKind, IamError, IamResult};
use crate::model::{InstanceProfile, Tag};
use crate::quotas::{self, MAX_INSTANCE_PROFILES, MAX_ROLES_PER_INSTANCE_PROFILE, Quota};
use crate::store::{StoreError, Tx};
use chrono::{DateTime, Utc};

/// The instance profile of `account` called `name`, or NoSuchEntity.
pub fn find(tx: &dyn Tx, account: &str, name: &str) -> IamResult<InstanceProfile> {
    tx.instance_profile(account, name)?
        .ok_or_else(|| IamError::no_such(EntityKind::InstanceProfile, name))
}

/// CreateInstanceProfile: `profile` as the caller built it.
pub fn create(tx: &dyn Tx, profile: &InstanceProfile, tags: &[Tag]) -> IamResult<()> {
    if tx
        .instance_profile(&profile.account, &profile.name)?
        .is_some()
    {
        return Err(IamError::exists(EntityKind::InstanceProfile, &profile.name));
    }
    quotas::check(
        Quota::InstanceProfilesPerAccount,
        tx.count_instance_profiles(&profile.account)?,
        MAX_INSTANCE_PROFILES,
    )?;
    tx.insert_instance_profile(profile, tags)
        .map_err(IamError::on_insert(
            EntityKind::InstanceProfile,
            &profile.name,
        ))
}

/// AddRoleToInstanceProfile: the profile, then the role, must exist; a profile holds one role.
pub fn add_role(
    tx: &dyn Tx,
    account: &str,
    profile_name: &str,
    role_name: &str,
    now: DateTime<Utc>,
) -> IamResult<()> {
    let p = find(tx, account, profile_name)?;
    let r = super::roles::find(tx, account, role_name)?;
    quotas::check(
        Quota::InstanceSessionsPerInstanceProfile,
        tx.count_profile_roles(&p.id)?,
        MAX_ROLES_PER_INSTANCE_PROFILE,
    )?;
    Ok(tx.insert_profile_role(&p.id, &r.id, now)?)
}

/// RemoveRoleFromInstanceProfile: the profile, then the role, must exist, and the role be in it.
pub fn remove_role(
    tx: &dyn Tx,
    account: &str,
    profile_name: &str,
    role_name: &str,
) -> IamResult<()> {
    let p = find(tx, account, profile_name)?;
    let r = super::roles::find(tx, account, role_name)?;
    tx.remove_role_from_instance_profile(account, &p.id, &r.id)
        .map_err(|e| match e {
            StoreError::NotFound => IamError::RoleNotInInstanceProfile {
                role: r.name.clone(),
                profile: p.name.clone(),
            },
            other => IamError::Store(other),
        })
}

/// DeleteInstanceProfile.
pub fn delete(tx: &dyn Tx, account: &str, name: &str) -> IamResult<()> {
    let p = find(tx, account, name)?;
    if tx.count_profile_roles(&p.id)? > 0 {
        return Err(IamError::DeleteConflict(Dependent::InstanceProfileRoles));
    }
    Ok(tx.remove_instance_profile(&p.id)?)
}
