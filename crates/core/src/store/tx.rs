//! The write seam: [`Tx`], the data-only operations an engine offers inside one transaction (the
//! sum of the families' `*Tx` traits plus [`Tx::dependents`]), [`Transact`], how an engine runs
//! one, and [`write`], how a caller runs a domain service in one. The domain services in
//! `crate::iam` check their rules (names taken, quotas, dependents) through a `&dyn Tx` and then
//! write through it, so the check and the write commit together or not at all: SQLite runs the
//! closure in an `IMMEDIATE` transaction; PostgreSQL will run it `SERIALIZABLE` and may call it
//! again after a serialization failure, which is why the closure is `FnMut`.

use super::{
    AccessKeyTx, AccountTx, AuditOutboxTx, CredentialTx, GroupTx, InstanceProfileTx, MfaTx,
    PasswordTx, PolicyTx, ProviderTx, ReportTx, RoleTx, ServerCertTx, StoreError, StoreResult,
    TagTx, UserTx,
};
use crate::error::{IamError, IamResult};

/// What still refers to an entity (a user, group or role, by id), counted in the transaction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dependents {
    pub login_profile: bool,
    pub access_keys: usize,
    pub inline_policies: usize,
    pub attached_policies: usize,
    /// Groups a user belongs to.
    pub group_memberships: usize,
    pub signing_certificates: usize,
    pub ssh_public_keys: usize,
    pub service_credentials: usize,
    pub mfa_devices: usize,
    /// Users of a group.
    pub group_members: usize,
    /// Instance profiles holding a role.
    pub instance_profiles: usize,
}

/// Every data-only write family, inside one transaction.
pub trait Tx:
    UserTx
    + GroupTx
    + RoleTx
    + PolicyTx
    + MfaTx
    + InstanceProfileTx
    + AccessKeyTx
    + TagTx
    + CredentialTx
    + ServerCertTx
    + AccountTx
    + PasswordTx
    + ProviderTx
    + ReportTx
    + AuditOutboxTx
{
    /// What refers to the entity `id`.
    fn dependents(&self, id: &str) -> StoreResult<Dependents>;
}

/// An engine that runs a closure over a [`Tx`] in one transaction.
pub trait Transact {
    /// Runs `f` in one write transaction; commits when it returns `Ok`, rolls back otherwise.
    fn transact(&self, f: &mut dyn FnMut(&dyn Tx) -> IamResult<()>) -> IamResult<()>;
}

/// Runs `f` in one write transaction of `store` and returns what it returned.
pub fn write<T>(
    store: &(impl Transact + ?Sized),
    mut f: impl FnMut(&dyn Tx) -> IamResult<T>,
) -> IamResult<T> {
    let mut out = None;
    store.transact(&mut |tx| {
        out = Some(f(tx)?);
        Ok(())
    })?;
    out.ok_or_else(|| IamError::Store(StoreError::Backend("transaction did not run".into())))
}
