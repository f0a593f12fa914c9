//! Managed policies as domain services, each inside one write transaction: CreatePolicy (a free
//! name, `PoliciesPerAccount`), CreatePolicyVersion (at most five versions), attaching a policy
//! to a user, group or role (`PoliciesPerUser`/`Group`/`Role`; attaching twice is not an error),
//! detaching it again, DeletePolicy and DeletePolicyVersion with what must be gone first,
//! SetDefaultPolicyVersion, Put{User,Group,Role}Policy (an owner's inline policies stay within
//! their total size) and Delete{User,Group,Role}Policy. A managed policy's document is checked
//! first, by [`super::documents::check_managed_policy`], an inline policy's by
//! [`super::documents::check_inline_policy`] (which gives its size and its owner's quota).

use crate::error::{Dependent, EntityKind, IamError, IamResult};
use crate::model::{ManagedPolicy, OwnerKind, PolicyVersion};
use crate::quotas::{self, MAX_POLICIES, MAX_POLICY_VERSIONS, Quota, Quotas};
use crate::store::{StoreError, Tx};
use chrono::{DateTime, Utc};

/// PutUserPolicy, PutGroupPolicy, PutRolePolicy: puts inline policy `name` (of `size`, as the
/// policy crate counts it) unless the owner's inline policies would then total more than
/// `max_total`.
pub fn put_inline(
    tx: &dyn Tx,
    owner_id: &str,
    name: &str,
    document: &str,
    size: usize,
    max_total: usize,
) -> IamResult<()> {
    if tx
        .inline_policies_size(owner_id, name)?
        .saturating_add(size)
        > max_total
    {
        return Err(IamError::InlinePoliciesTooLarge { max_total });
    }
    Ok(tx.upsert_inline_policy(owner_id, name, document, size)?)
}

/// DeleteUserPolicy, DeleteGroupPolicy, DeleteRolePolicy: `owner_id` and `owner_name` (as
/// stored) are the user, group or role the caller found; a policy it does not have is
/// NoSuchEntity.
pub fn delete_inline(tx: &dyn Tx, owner_id: &str, owner_name: &str, name: &str) -> IamResult<()> {
    tx.delete_inline_policy(owner_id, name)
        .map_err(|e| match e {
            StoreError::NotFound => IamError::NoSuchInlinePolicy {
                name: name.to_string(),
                owner: owner_name.to_string(),
            },
            other => IamError::Store(other),
        })
}

/// CreatePolicy: `policy` as the caller built it, with `document` (already checked) as `v1`.
pub fn create(tx: &dyn Tx, policy: &ManagedPolicy, document: &str) -> IamResult<()> {
    if tx.policy_name_taken(&policy.account, &policy.name)? {
        return Err(IamError::exists(EntityKind::Policy, &policy.name));
    }
    quotas::check(
        Quota::PoliciesPerAccount,
        tx.count_policies(&policy.account)?,
        MAX_POLICIES,
    )?;
    tx.insert_policy(policy, document)
        .map_err(IamError::on_insert(EntityKind::Policy, &policy.name))
}

/// CreatePolicyVersion: the next version of the policy `arn`, the default if `set_default`.
pub fn create_version(
    tx: &dyn Tx,
    account: &str,
    arn: &str,
    document: &str,
    set_default: bool,
    now: DateTime<Utc>,
) -> IamResult<PolicyVersion> {
    let p = tx
        .policy(account, arn)?
        .ok_or_else(|| IamError::no_such(EntityKind::Policy, arn))?;
    if tx.count_policy_versions(&p.id)? >= MAX_POLICY_VERSIONS {
        return Err(IamError::PolicyVersionsExceeded {
            max: MAX_POLICY_VERSIONS,
        });
    }
    Ok(tx.insert_policy_version(&p.id, document, set_default, now)?)
}

/// AttachUserPolicy, AttachGroupPolicy, AttachRolePolicy: `owner_id` is the user, group or
/// role; the policy (customer or AWS managed) was found by the caller.
pub fn attach(
    tx: &dyn Tx,
    account: &str,
    kind: OwnerKind,
    owner_id: &str,
    arn: &str,
    q: &Quotas,
) -> IamResult<()> {
    if tx.is_attached(owner_id, arn)? {
        return Ok(());
    }
    let quota = match kind {
        OwnerKind::User => Quota::PoliciesPerUser,
        OwnerKind::Group => Quota::PoliciesPerGroup,
        OwnerKind::Role => Quota::PoliciesPerRole,
    };
    quotas::check(
        quota,
        tx.count_attachments(owner_id)?,
        q.attached_policies_per_principal,
    )?;
    Ok(tx.insert_attachment(account, kind, owner_id, arn)?)
}

/// DeletePolicy: refused while the policy is attached or used as a boundary, then while versions
/// other than the default remain.
pub fn delete(tx: &dyn Tx, account: &str, arn: &str) -> IamResult<()> {
    let p = tx
        .policy(account, arn)?
        .ok_or_else(|| IamError::no_such(EntityKind::Policy, arn))?;
    let (attached, boundaries) = tx.policy_usage(account, arn)?;
    if attached + boundaries > 0 {
        return Err(IamError::DeleteConflict(Dependent::PolicyAttachments));
    }
    if tx.count_policy_versions(&p.id)? > 1 {
        return Err(IamError::DeleteConflict(Dependent::PolicyVersions));
    }
    Ok(tx.remove_policy(&p.id)?)
}

/// DeletePolicyVersion: the default version cannot be deleted.
pub fn delete_version(tx: &dyn Tx, account: &str, arn: &str, version_id: &str) -> IamResult<()> {
    let missing = || {
        IamError::no_such(
            EntityKind::PolicyVersion,
            &format!("{arn} version {version_id}"),
        )
    };
    let p = tx.policy(account, arn)?.ok_or_else(missing)?;
    if p.default_version == version_id {
        return Err(IamError::DeleteConflict(Dependent::DefaultVersion));
    }
    tx.remove_policy_version(&p.id, version_id)
        .map_err(|e| match e {
            StoreError::NotFound => missing(),
            other => IamError::Store(other),
        })
}

/// SetDefaultPolicyVersion: the version must exist.
pub fn set_default_version(
    tx: &dyn Tx,
    account: &str,
    arn: &str,
    version_id: &str,
    now: DateTime<Utc>,
) -> IamResult<()> {
    if tx.policy(account, arn)?.is_none() {
        return Err(IamError::no_such(EntityKind::Policy, arn));
    }
    tx.set_default_policy_version(account, arn, version_id, now)
        .map_err(IamError::on_missing(
            EntityKind::PolicyVersion,
            &format!("{arn} version {version_id}"),
        ))
}

/// DetachUserPolicy, DetachGroupPolicy, DetachRolePolicy: `owner_id` is the user, group or role
/// (found by the caller); a policy not attached to it is NoSuchEntity.
pub fn detach(tx: &dyn Tx, account: &str, owner_id: &str, arn: &str) -> IamResult<()> {
    tx.detach_policy(account, owner_id, arn)
        .map_err(IamError::on_missing(EntityKind::Policy, arn))
}
