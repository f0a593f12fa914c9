//! IAM roles: CreateRole, CreateServiceLinkedRole's write, UpdateRole (and its two narrower
//! forms), DeleteRole and DeleteServiceLinkedRole as domain services, each inside one write
//! transaction: unique names, the reserved service-linked path, the `RolesPerAccount` quota,
//! and what must be gone before a role can be deleted.

use crate::error::{Dependent, EntityKind, IamError, IamResult};
use crate::model::{Role, RoleUpdate, Tag};
use crate::quotas::{self, Quota, Quotas};
use crate::store::Tx;
use chrono::{DateTime, Utc};

/// The path every service-linked role lives under; CreateRole may not use it.
pub const SERVICE_LINKED_PATH: &str = "/aws-service-role/";

/// The role of `account` called `name`, or NoSuchEntity.
pub fn find(tx: &dyn Tx, account: &str, name: &str) -> IamResult<Role> {
    tx.role(account, name)?
        .ok_or_else(|| IamError::no_such(EntityKind::Role, name))
}

fn insert(tx: &dyn Tx, role: &Role, tags: &[Tag], q: &Quotas) -> IamResult<()> {
    if tx.role(&role.account, &role.name)?.is_some() {
        return Err(IamError::exists(EntityKind::Role, &role.name));
    }
    quotas::check(
        Quota::RolesPerAccount,
        tx.count_roles(&role.account)?,
        q.roles_per_account,
    )?;
    tx.insert_role(role, tags)
        .map_err(IamError::on_insert(EntityKind::Role, &role.name))
}

/// CreateRole: `role` as the caller built it (id, trust policy already checked).
pub fn create(tx: &dyn Tx, role: &Role, tags: &[Tag], q: &Quotas) -> IamResult<()> {
    if role.path.starts_with(SERVICE_LINKED_PATH) {
        return Err(IamError::InvalidInput(format!(
            "The path {SERVICE_LINKED_PATH} is reserved for service-linked roles; use CreateServiceLinkedRole."
        )));
    }
    insert(tx, role, tags, q)
}

/// CreateServiceLinkedRole's write: a taken name is InvalidInput, as AWS words it.
pub fn create_service_linked(tx: &dyn Tx, role: &Role, q: &Quotas) -> IamResult<()> {
    insert(tx, role, &[], q).map_err(|e| match e {
        IamError::EntityAlreadyExists { name, .. } => IamError::InvalidInput(format!(
            "Service role name {name} has been taken in this account, please try a different suffix."
        )),
        other => other,
    })
}

/// UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy: the members given change.
pub fn update(tx: &dyn Tx, account: &str, name: &str, u: &RoleUpdate) -> IamResult<Role> {
    let mut r = find(tx, account, name)?;
    if let Some(d) = &u.description {
        r.description = Some(d.clone());
    }
    if let Some(m) = u.max_session_duration {
        r.max_session_duration = m;
    }
    if let Some(p) = &u.assume_role_policy {
        r.assume_role_policy = p.clone();
    }
    tx.save_role(&r)?;
    Ok(r)
}

/// DeleteRole: refused while policies are attached or inline, or instance profiles hold it.
pub fn delete(tx: &dyn Tx, account: &str, name: &str) -> IamResult<()> {
    let r = find(tx, account, name)?;
    let d = tx.dependents(&r.id)?;
    if d.inline_policies + d.attached_policies > 0 {
        return Err(IamError::DeleteConflict(Dependent::AttachedPolicies));
    }
    if d.instance_profiles > 0 {
        return Err(IamError::DeleteConflict(Dependent::InstanceProfileRoles));
    }
    Ok(tx.remove_role(&r.id)?)
}

/// DeleteServiceLinkedRole: deletes like DeleteRole and records the finished task `task_id`.
pub fn delete_service_linked(
    tx: &dyn Tx,
    account: &str,
    name: &str,
    task_id: &str,
    at: DateTime<Utc>,
) -> IamResult<()> {
    delete(tx, account, name)?;
    Ok(tx.insert_role_deletion(account, task_id, name, at)?)
}
