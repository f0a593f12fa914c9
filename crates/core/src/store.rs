//! The storage contract. [`Store`] is the sum of one trait per family of entities
//! ([`UserStore`], [`RoleStore`], ...); every engine (SQLite now, PostgreSQL later) implements
//! each family, and the shared conformance suite in `portcullis-store` runs against each.
//! Callers holding a `dyn Store` call any family's methods directly; callers holding a concrete
//! engine import the families they use (or [`prelude`]).
//!
//! Methods are synchronous and short; the server calls mutating ones off the async runtime.
//! The contract is data only: writes that an IAM rule guards go through [`Tx`] inside
//! [`Transact::transact`] (see [`write`]), where the domain services of `crate::iam` check the
//! rule (names taken, quotas, dependents) atomically with the write; the read traits keep the
//! reads and the writes no rule guards. [`StoreError`] says only what an engine knows: not
//! found, a unique violation, or a backend failure.

use crate::credentials::{ServerCertificate, ServiceCredential, SigningCertificate, SshPublicKey};
use crate::model::{
    AccessKey, Account, Group, InstanceProfile, KeyStatus, LastUsed, ManagedPolicy, OidcProvider,
    OwnerKind, PolicyVersion, Role, SamlProvider, SamlSettings, Tag, User,
};
use crate::passwords::{LoginProfile, LoginProfileUpdate, PasswordPolicy, SigninAttempt};
use crate::reports::{IdentityPropagation, ReportClaim, ReportJob, ServiceAccess};
use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    AlreadyExists,
    #[error("storage failure: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// One page of a listing; `next_marker` is set when more items follow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_marker: Option<String>,
}

/// Entity counts of one account (GetAccountSummary).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountCounts {
    pub users: usize,
    pub groups: usize,
    pub roles: usize,
    pub policies: usize,
    pub policy_versions: usize,
    pub root_access_keys: usize,
    pub server_certificates: usize,
    pub root_signing_certificates: usize,
    pub instance_profiles: usize,
    /// SAML and OpenID Connect providers together.
    pub providers: usize,
}

/// A new name and/or path for a user or group, applied together.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rename {
    pub new_name: Option<String>,
    pub new_path: Option<String>,
}

mod access_key_store;
mod account_store;
mod audit_outbox_store;
mod credential_store;
mod group_store;
mod instance_profile_store;
mod mfa_store;
mod password_store;
mod policy_store;
mod provider_store;
mod report_store;
mod role_store;
mod server_cert_store;
mod tag_store;
mod tx;
mod user_store;

pub use access_key_store::{AccessKeyStore, AccessKeyTx};
pub use account_store::{AccountStore, AccountTx};
pub use audit_outbox_store::{AuditOutboxStore, AuditOutboxTx};
pub use credential_store::{CredentialStore, CredentialTx};
pub use group_store::GroupStore;
pub use group_store::GroupTx;
pub use instance_profile_store::InstanceProfileStore;
pub use instance_profile_store::InstanceProfileTx;
pub use mfa_store::MfaStore;
pub use mfa_store::MfaTx;
pub use password_store::{PasswordStore, PasswordTx};
pub use policy_store::PolicyStore;
pub use policy_store::PolicyTx;
pub use provider_store::{ProviderStore, ProviderTx};
pub use report_store::{ReportStore, ReportTx};
pub use role_store::RoleStore;
pub use role_store::RoleTx;
pub use server_cert_store::{ServerCertStore, ServerCertTx};
pub use tag_store::{TagStore, TagTx};
pub use tx::{Dependents, Transact, Tx, write};
pub use user_store::{UserStore, UserTx};

/// The whole storage contract: every family. Engines implement each family trait;
/// this sum follows for free.
pub trait Store:
    AccountStore
    + AuditOutboxStore
    + UserStore
    + TagStore
    + GroupStore
    + RoleStore
    + PolicyStore
    + AccessKeyStore
    + CredentialStore
    + ServerCertStore
    + InstanceProfileStore
    + ProviderStore
    + ReportStore
    + PasswordStore
    + MfaStore
    + Transact
    + Send
    + Sync
    + std::fmt::Debug
{
}

impl<T> Store for T where
    T: AccountStore
        + AuditOutboxStore
        + UserStore
        + TagStore
        + GroupStore
        + RoleStore
        + PolicyStore
        + AccessKeyStore
        + CredentialStore
        + ServerCertStore
        + InstanceProfileStore
        + ProviderStore
        + ReportStore
        + PasswordStore
        + MfaStore
        + Transact
        + Send
        + Sync
        + std::fmt::Debug
{
}

/// Every family trait, for callers of [`Store`] methods: `use portcullis_core::store::prelude::*;`.
pub mod prelude {
    pub use super::{
        AccessKeyStore, AccountStore, AuditOutboxStore, CredentialStore, GroupStore,
        InstanceProfileStore, MfaStore, PasswordStore, PolicyStore, ProviderStore, ReportStore,
        RoleStore, ServerCertStore, Store, TagStore, Transact, UserStore,
    };
}
