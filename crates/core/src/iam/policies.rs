//! Customer managed policies: DeletePolicy and DeletePolicyVersion as domain services, each
//! inside one write transaction, with what must be gone first (attachments and boundaries, the
//! versions other than the default; a version that is the default). The policy-document checks
//! and the other policy writes (versions, attachments, inline policies and their quotas) are
//! still the server's and the store's, to move next.

use crate::error::{Dependent, EntityKind, IamError, IamResult};
use crate::store::{StoreError, Tx};

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
