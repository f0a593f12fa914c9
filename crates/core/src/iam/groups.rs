//! IAM groups: CreateGroup, UpdateGroup, DeleteGroup, AddUserToGroup and RemoveUserFromGroup as
//! domain services, each inside one write transaction: unique names, the `GroupsPerAccount` and
//! `GroupsPerUser` quotas, and what must be gone before a group can be deleted.

use crate::error::{Dependent, EntityKind, IamError, IamResult};
use crate::ids::{IdKind, unique_id};
use crate::model::Group;
use crate::quotas::{self, Quota, Quotas};
use crate::store::{Rename, StoreError, Tx};
use chrono::{DateTime, Utc};

/// The group of `account` called `name`, or NoSuchEntity.
pub fn find(tx: &dyn Tx, account: &str, name: &str) -> IamResult<Group> {
    tx.group(account, name)?
        .ok_or_else(|| IamError::no_such(EntityKind::Group, name))
}

/// CreateGroup: a new group with a fresh id, created at `now`.
pub fn create(
    tx: &dyn Tx,
    account: &str,
    name: &str,
    path: &str,
    now: DateTime<Utc>,
    q: &Quotas,
) -> IamResult<Group> {
    if tx.group(account, name)?.is_some() {
        return Err(IamError::exists(EntityKind::Group, name));
    }
    quotas::check(
        Quota::GroupsPerAccount,
        tx.count_groups(account)?,
        q.groups_per_account,
    )?;
    let group = Group {
        account: account.to_string(),
        id: unique_id(IdKind::Group),
        name: name.to_string(),
        path: path.to_string(),
        created: now,
    };
    tx.insert_group(&group)
        .map_err(IamError::on_insert(EntityKind::Group, name))?;
    Ok(group)
}

/// UpdateGroup: a new name and/or path.
pub fn update(tx: &dyn Tx, account: &str, name: &str, update: &Rename) -> IamResult<Group> {
    let mut g = find(tx, account, name)?;
    super::users::rename(
        EntityKind::Group,
        (&mut g.name, &mut g.path),
        update,
        |new| Ok(tx.group(account, new)?.is_some()),
    )?;
    tx.save_group(&g)
        .map_err(IamError::on_insert(EntityKind::Group, &g.name))?;
    Ok(g)
}

/// DeleteGroup: refused while policies are attached or inline, or users are members.
pub fn delete(tx: &dyn Tx, account: &str, name: &str) -> IamResult<()> {
    let g = find(tx, account, name)?;
    let d = tx.dependents(&g.id)?;
    let why = [
        (d.attached_policies > 0, Dependent::AttachedPolicies),
        (d.inline_policies > 0, Dependent::InlinePolicies),
        (d.group_members > 0, Dependent::GroupMembers),
    ]
    .into_iter()
    .find_map(|(blocks, why)| blocks.then_some(why));
    if let Some(why) = why {
        return Err(IamError::DeleteConflict(why));
    }
    Ok(tx.remove_group(&g.id)?)
}

/// AddUserToGroup: adding a member twice is not an error; `GroupsPerUser` bounds the rest.
pub fn add_user(
    tx: &dyn Tx,
    account: &str,
    group_name: &str,
    user_name: &str,
    now: DateTime<Utc>,
    q: &Quotas,
) -> IamResult<()> {
    let group = find(tx, account, group_name)?;
    let user = super::users::find(tx, account, user_name)?;
    if tx.is_member(&group.id, &user.id)? {
        return Ok(());
    }
    quotas::check(
        Quota::GroupsPerUser,
        tx.count_memberships(&user.id)?,
        q.groups_per_user,
    )?;
    Ok(tx.insert_member(&group.id, &user.id, now)?)
}

/// RemoveUserFromGroup: the group, then the user, must exist; removing a user who is not a
/// member is not an error (as AWS).
pub fn remove_user(tx: &dyn Tx, account: &str, group_name: &str, user_name: &str) -> IamResult<()> {
    let group = find(tx, account, group_name)?;
    let user = super::users::find(tx, account, user_name)?;
    match tx.remove_user_from_group(account, &group.id, &user.id) {
        Ok(()) | Err(StoreError::NotFound) => Ok(()),
        Err(other) => Err(other.into()),
    }
}
