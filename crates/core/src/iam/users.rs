//! IAM users: CreateUser, UpdateUser and DeleteUser as domain services. Each runs inside one
//! write transaction (`crate::store::write`) and checks, through the [`Tx`], what AWS checks:
//! the name is free (ignoring case), the account's `UsersPerAccount` quota, and on deletion what
//! still depends on the user, in IAM's order.

use crate::error::{Dependent, EntityKind, IamError, IamResult};
use crate::ids::{IdKind, unique_id};
use crate::model::{Tag, User};
use crate::quotas::{self, Quota, Quotas};
use crate::store::{Dependents, Rename, Tx};
use chrono::{DateTime, Utc};

/// CreateUser's input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewUser {
    pub account: String,
    pub name: String,
    pub path: String,
    pub permissions_boundary: Option<String>,
    pub tags: Vec<Tag>,
}

/// The user of `account` called `name`, or NoSuchEntity.
pub fn find(tx: &dyn Tx, account: &str, name: &str) -> IamResult<User> {
    tx.user(account, name)?
        .ok_or_else(|| IamError::no_such(EntityKind::User, name))
}

/// CreateUser: a new user with a fresh id, created at `now`.
pub fn create(tx: &dyn Tx, input: &NewUser, now: DateTime<Utc>, q: &Quotas) -> IamResult<User> {
    if tx.user(&input.account, &input.name)?.is_some() {
        return Err(IamError::exists(EntityKind::User, &input.name));
    }
    quotas::check(
        Quota::UsersPerAccount,
        tx.count_users(&input.account)?,
        q.users_per_account,
    )?;
    let user = User {
        account: input.account.clone(),
        id: unique_id(IdKind::User),
        name: input.name.clone(),
        path: input.path.clone(),
        created: now,
        password_last_used: None,
        permissions_boundary: input.permissions_boundary.clone(),
    };
    tx.insert_user(&user, &input.tags)
        .map_err(IamError::on_insert(EntityKind::User, &user.name))?;
    Ok(user)
}

/// Applies a rename to an entity's `(name, path)`: a new name that differs from the old one other
/// than by case must not be `taken`, or EntityAlreadyExists names it.
pub(crate) fn rename(
    kind: EntityKind,
    (name, path): (&mut String, &mut String),
    update: &Rename,
    taken: impl FnOnce(&str) -> IamResult<bool>,
) -> IamResult<()> {
    if let Some(new_name) = &update.new_name {
        if !new_name.eq_ignore_ascii_case(name) && taken(new_name)? {
            return Err(IamError::exists(kind, new_name));
        }
        *name = new_name.clone();
    }
    if let Some(p) = &update.new_path {
        *path = p.clone();
    }
    Ok(())
}

/// UpdateUser: a new name and/or path.
pub fn update(tx: &dyn Tx, account: &str, name: &str, update: &Rename) -> IamResult<User> {
    let mut user = find(tx, account, name)?;
    rename(
        EntityKind::User,
        (&mut user.name, &mut user.path),
        update,
        |new| Ok(tx.user(account, new)?.is_some()),
    )?;
    tx.save_user(&user)
        .map_err(IamError::on_insert(EntityKind::User, &user.name))?;
    Ok(user)
}

/// Why DeleteUser must refuse, in the order IAM checks.
fn conflict(d: &Dependents) -> Option<Dependent> {
    [
        (d.login_profile, Dependent::LoginProfile),
        (d.access_keys > 0, Dependent::AccessKeys),
        (d.inline_policies > 0, Dependent::InlinePolicies),
        (d.attached_policies > 0, Dependent::AttachedPolicies),
        (d.group_memberships > 0, Dependent::GroupMemberships),
        (d.signing_certificates > 0, Dependent::SigningCertificates),
        (
            d.ssh_public_keys + d.service_credentials > 0,
            Dependent::ReferencedObjects,
        ),
        (d.mfa_devices > 0, Dependent::MfaDevices),
    ]
    .into_iter()
    .find_map(|(blocks, why)| blocks.then_some(why))
}

/// DeleteUser: refused while anything depends on the user.
pub fn delete(tx: &dyn Tx, account: &str, name: &str) -> IamResult<()> {
    let user = find(tx, account, name)?;
    if let Some(why) = conflict(&tx.dependents(&user.id)?) {
        return Err(IamError::DeleteConflict(why));
    }
    Ok(tx.remove_user(&user.id)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_come_in_iams_order() {
        let mut d = Dependents {
            mfa_devices: 1,
            ..Dependents::default()
        };
        assert_eq!(conflict(&d), Some(Dependent::MfaDevices));
        d.ssh_public_keys = 1;
        assert_eq!(conflict(&d), Some(Dependent::ReferencedObjects));
        d.access_keys = 2;
        assert_eq!(conflict(&d), Some(Dependent::AccessKeys));
        d.login_profile = true;
        assert_eq!(conflict(&d), Some(Dependent::LoginProfile));
        assert_eq!(conflict(&Dependents::default()), None);
    }
}
