//! The storage contract. [`Store`] is the sum of one trait per family of entities
//! ([`UserStore`], [`RoleStore`], ...); every engine (SQLite now, PostgreSQL later) implements
//! each family, and the shared conformance suite in `portcullis-store` runs against each.
//! Callers holding a `dyn Store` call any family's methods directly; callers holding a concrete
//! engine import the families they use (or [`prelude`]).
//!
//! Methods are synchronous and short; the server calls mutating ones off the async runtime.
//! Invariants that must hold under concurrency (unique names, quotas) are enforced inside the
//! engine's transaction, not by callers.

use crate::credentials::{ServerCertificate, ServiceCredential, SigningCertificate, SshPublicKey};
use crate::model::{
    AccessKey, Account, Group, InstanceProfile, KeyStatus, LastUsed, ManagedPolicy, OidcProvider,
    OwnerKind, PolicyVersion, Role, RoleUpdate, SamlProvider, SamlSettings, Tag, User,
};
use crate::passwords::{LoginProfile, LoginProfileUpdate, PasswordPolicy};
use crate::reports::{IdentityPropagation, ReportJob, ServiceAccess};
use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    AlreadyExists,
    #[error("limit exceeded")]
    LimitExceeded,
    /// The entity still has dependents; the text names them for the AWS message.
    #[error("conflict: {0}")]
    Conflict(&'static str),
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

/// Accounts, their aliases and settings, and wiping everything (dev mode).
pub trait AccountStore {
    // Accounts
    fn create_account(&self, account: &Account) -> StoreResult<()>;
    fn get_account(&self, id: &str) -> StoreResult<Option<Account>>;
    fn list_accounts(&self) -> StoreResult<Vec<Account>>;
    fn account_counts(&self, account: &str) -> StoreResult<AccountCounts>;
    /// An account has at most one alias, and an alias belongs to one account:
    /// `AlreadyExists` when another account has it, `LimitExceeded` when this one has another.
    fn create_account_alias(&self, account: &str, alias: &str) -> StoreResult<()>;
    fn delete_account_alias(&self, account: &str, alias: &str) -> StoreResult<()>;
    fn account_aliases(&self, account: &str) -> StoreResult<Vec<String>>;
    // Account settings: small per-account key/value pairs (STS preferences, outbound web
    // identity federation, account properties).
    fn account_setting(&self, account: &str, key: &str) -> StoreResult<Option<String>>;
    /// The settings whose key starts with `prefix`, ordered by key.
    fn account_settings(&self, account: &str, prefix: &str) -> StoreResult<Vec<(String, String)>>;
    /// Sets (`Some`) or removes (`None`) each setting, all in one transaction.
    fn put_account_settings(
        &self,
        account: &str,
        settings: &[(String, Option<String>)],
    ) -> StoreResult<()>;
    /// Removes every account and entity (dev-mode reset).
    fn wipe(&self) -> StoreResult<()>;
}

/// IAM users.
pub trait UserStore {
    // Users. Names are unique per account ignoring case; lookups ignore case too.
    fn create_user(&self, user: &User, tags: &[Tag], max_users: usize) -> StoreResult<()>;
    fn get_user(&self, account: &str, name: &str) -> StoreResult<Option<User>>;
    fn get_user_by_id(&self, account: &str, id: &str) -> StoreResult<Option<User>>;
    fn update_user(&self, account: &str, name: &str, update: &Rename) -> StoreResult<User>;
    /// Fails with `Conflict` while the user has access keys or other attachments.
    fn delete_user(&self, account: &str, name: &str) -> StoreResult<()>;
    /// Users whose path starts with `path_prefix`, ordered by name; `marker` continues a listing.
    fn list_users(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<User>>;
}

/// Tags of any taggable entity.
pub trait TagStore {
    // Tags of any taggable entity, by its unique id. Keys compare ignoring case when `fold_case`
    // (users and roles), exactly otherwise. Callers check that the entity exists.
    fn tags(&self, entity_id: &str) -> StoreResult<Vec<Tag>>;
    /// Adds or replaces tags; `LimitExceeded` (and no change) past `max_tags`.
    fn tag_entity(
        &self,
        entity_id: &str,
        tags: &[Tag],
        fold_case: bool,
        max_tags: usize,
    ) -> StoreResult<()>;
    fn untag_entity(&self, entity_id: &str, keys: &[String], fold_case: bool) -> StoreResult<()>;
}

/// Groups and their members.
pub trait GroupStore {
    // Groups. Names are unique per account ignoring case, like users.
    fn create_group(&self, group: &Group, max_groups: usize) -> StoreResult<()>;
    fn get_group(&self, account: &str, name: &str) -> StoreResult<Option<Group>>;
    fn update_group(&self, account: &str, name: &str, update: &Rename) -> StoreResult<Group>;
    /// Fails with `Conflict` while the group has members or policies.
    fn delete_group(&self, account: &str, name: &str) -> StoreResult<()>;
    fn list_groups(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>>;
    /// Adding a member twice is not an error. `LimitExceeded` past `max_groups_per_user`.
    fn add_user_to_group(
        &self,
        account: &str,
        group_id: &str,
        user_id: &str,
        max_groups_per_user: usize,
    ) -> StoreResult<()>;
    /// `NotFound` when the user is not a member.
    fn remove_user_from_group(
        &self,
        account: &str,
        group_id: &str,
        user_id: &str,
    ) -> StoreResult<()>;
    fn list_group_members(
        &self,
        account: &str,
        group_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<User>>;
    fn list_groups_for_user(
        &self,
        account: &str,
        user_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Group>>;
    /// Every group the user belongs to, in one list.
    fn all_groups_for_user(&self, account: &str, user_id: &str) -> StoreResult<Vec<Group>> {
        Ok(self
            .list_groups_for_user(account, user_id, None, usize::MAX)?
            .items)
    }
}

/// Roles (and service-linked role deletions).
pub trait RoleStore {
    // Roles. Names are unique per account ignoring case.
    fn create_role(&self, role: &Role, tags: &[Tag], max_roles: usize) -> StoreResult<()>;
    fn get_role(&self, account: &str, name: &str) -> StoreResult<Option<Role>>;
    fn update_role(&self, account: &str, name: &str, update: &RoleUpdate) -> StoreResult<Role>;
    /// Fails with `Conflict` while the role has inline or attached policies.
    fn delete_role(&self, account: &str, name: &str) -> StoreResult<()>;
    /// Deletes a service-linked role like `delete_role` and records the deletion task `task_id`.
    fn delete_service_linked_role(
        &self,
        account: &str,
        name: &str,
        task_id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Whether the account has a recorded (finished) service-linked role deletion `task_id`.
    fn service_role_deletion_exists(&self, account: &str, task_id: &str) -> StoreResult<bool>;
    fn list_roles(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<Role>>;
    fn set_role_boundary(&self, account: &str, role_id: &str, arn: Option<&str>)
    -> StoreResult<()>;
    /// Records that the role was used (assumed, or a session of it called) at `at` in `region`;
    /// a record already as new or newer is kept. A missing role is not an error.
    fn record_role_use(
        &self,
        account: &str,
        role_id: &str,
        at: DateTime<Utc>,
        region: &str,
    ) -> StoreResult<()>;
}

/// Inline policies, customer managed policies and their versions, and attachments.
pub trait PolicyStore {
    // Inline policies of users, groups and roles, keyed by the owner's unique id. Names are
    // unique per owner; putting an existing name replaces its document.
    /// `LimitExceeded` when the owner's documents would total more than `max_total` (sizes as
    /// the caller counts them).
    fn put_inline_policy(
        &self,
        owner_id: &str,
        name: &str,
        document: &str,
        size: usize,
        max_total: usize,
    ) -> StoreResult<()>;
    fn get_inline_policy(&self, owner_id: &str, name: &str) -> StoreResult<Option<String>>;
    fn delete_inline_policy(&self, owner_id: &str, name: &str) -> StoreResult<()>;
    /// `(name, document)` pairs ordered by name.
    fn list_inline_policies(&self, owner_id: &str) -> StoreResult<Vec<(String, String)>>;
    // Customer managed policies, addressed by ARN. Names are unique per account ignoring case.
    /// Creates the policy with `document` as its default version `v1`.
    fn create_policy(
        &self,
        policy: &ManagedPolicy,
        document: &str,
        max_policies: usize,
    ) -> StoreResult<()>;
    fn get_policy(&self, account: &str, arn: &str) -> StoreResult<Option<ManagedPolicy>>;
    fn list_policies(&self, account: &str) -> StoreResult<Vec<ManagedPolicy>>;
    /// `Conflict` while attached (or used as a boundary) or while non-default versions exist.
    fn delete_policy(&self, account: &str, arn: &str) -> StoreResult<()>;
    /// `LimitExceeded` when `max_versions` versions exist already.
    fn create_policy_version(
        &self,
        account: &str,
        arn: &str,
        document: &str,
        set_default: bool,
        now: DateTime<Utc>,
        max_versions: usize,
    ) -> StoreResult<PolicyVersion>;
    fn get_policy_version(
        &self,
        account: &str,
        arn: &str,
        version_id: &str,
    ) -> StoreResult<Option<PolicyVersion>>;
    /// Newest first.
    fn list_policy_versions(&self, account: &str, arn: &str) -> StoreResult<Vec<PolicyVersion>>;
    /// `Conflict` for the default version.
    fn delete_policy_version(&self, account: &str, arn: &str, version_id: &str) -> StoreResult<()>;
    fn set_default_policy_version(
        &self,
        account: &str,
        arn: &str,
        version_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    // Attachments of managed policies (customer or AWS managed, by ARN) to users, groups, roles.
    /// Attaching twice is not an error; `LimitExceeded` past `max_attached`.
    fn attach_policy(
        &self,
        account: &str,
        kind: OwnerKind,
        owner_id: &str,
        arn: &str,
        max_attached: usize,
    ) -> StoreResult<()>;
    fn detach_policy(&self, account: &str, owner_id: &str, arn: &str) -> StoreResult<()>;
    /// ARNs attached to the owner, in attachment order.
    fn attached_policies(&self, owner_id: &str) -> StoreResult<Vec<String>>;
    /// How many entities of the account have the policy attached, and how many users and roles
    /// use it as their permissions boundary.
    fn policy_usage(&self, account: &str, arn: &str) -> StoreResult<(usize, usize)>;
    /// Users, groups and roles that have the policy attached (`boundary` false) or use it as their
    /// permissions boundary (`boundary` true): (kind, id, name, path), ordered by kind then name.
    fn entities_for_policy(
        &self,
        account: &str,
        arn: &str,
        boundary: bool,
    ) -> StoreResult<Vec<(OwnerKind, String, String, String)>>;
    /// Sets or clears a user's permissions boundary.
    fn set_user_boundary(&self, account: &str, user_id: &str, arn: Option<&str>)
    -> StoreResult<()>;
}

/// Access keys of users and of the root user.
pub trait AccessKeyStore {
    // Access keys. `user_id` None means the root user.
    fn create_access_key(&self, key: &AccessKey, max_per_user: usize) -> StoreResult<()>;
    fn get_access_key(&self, id: &str) -> StoreResult<Option<AccessKey>>;
    fn list_access_keys(&self, account: &str, user_id: Option<&str>)
    -> StoreResult<Vec<AccessKey>>;
    fn update_access_key_status(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()>;
    fn delete_access_key(&self, account: &str, user_id: Option<&str>, id: &str) -> StoreResult<()>;
    /// Records a use unless one was already recorded at or after `not_before`.
    fn record_access_key_use(
        &self,
        id: &str,
        used: &LastUsed,
        not_before: DateTime<Utc>,
    ) -> StoreResult<()>;
}

/// SSH public keys, service-specific credentials and signing certificates.
pub trait CredentialStore {
    // SSH public keys of users. A user holds a key once (`AlreadyExists` for the same
    // fingerprint) and at most `max_per_user` keys (`LimitExceeded`).
    fn create_ssh_key(&self, key: &SshPublicKey, max_per_user: usize) -> StoreResult<()>;
    fn get_ssh_key(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
    ) -> StoreResult<Option<SshPublicKey>>;
    /// Oldest first.
    fn list_ssh_keys(&self, account: &str, user_id: &str) -> StoreResult<Vec<SshPublicKey>>;
    fn update_ssh_key_status(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()>;
    fn delete_ssh_key(&self, account: &str, user_id: &str, id: &str) -> StoreResult<()>;
    // Service-specific credentials: at most `max_per_service` per user and service.
    fn create_service_credential(
        &self,
        cred: &ServiceCredential,
        max_per_service: usize,
    ) -> StoreResult<()>;
    /// Credentials of one user (or of every user of the account when `user_id` is `None`),
    /// optionally of one service, oldest first.
    fn list_service_credentials(
        &self,
        account: &str,
        user_id: Option<&str>,
        service: Option<&str>,
    ) -> StoreResult<Vec<ServiceCredential>>;
    /// Replaces the sealed password; returns the credential as it now is.
    fn reset_service_credential(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        sealed_password: &[u8],
    ) -> StoreResult<ServiceCredential>;
    fn update_service_credential_status(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()>;
    fn delete_service_credential(&self, account: &str, user_id: &str, id: &str) -> StoreResult<()>;
    // Signing certificates of users (`user_id` None: the root user). A certificate is held once
    // per account (`AlreadyExists`); at most `max_per_user` per user (`LimitExceeded`).
    fn create_signing_cert(
        &self,
        cert: &SigningCertificate,
        max_per_user: usize,
    ) -> StoreResult<()>;
    fn list_signing_certs(
        &self,
        account: &str,
        user_id: Option<&str>,
    ) -> StoreResult<Vec<SigningCertificate>>;
    fn update_signing_cert_status(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()>;
    fn delete_signing_cert(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
    ) -> StoreResult<()>;
}

/// Server certificates.
pub trait ServerCertStore {
    // Server certificates. Names are unique per account ignoring case.
    fn create_server_cert(
        &self,
        cert: &ServerCertificate,
        tags: &[Tag],
        max_per_account: usize,
    ) -> StoreResult<()>;
    fn get_server_cert(&self, account: &str, name: &str) -> StoreResult<Option<ServerCertificate>>;
    fn update_server_cert(
        &self,
        account: &str,
        name: &str,
        update: &Rename,
    ) -> StoreResult<ServerCertificate>;
    fn delete_server_cert(&self, account: &str, name: &str) -> StoreResult<()>;
    fn list_server_certs(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<ServerCertificate>>;
}

/// Instance profiles and their roles.
pub trait InstanceProfileStore {
    // Instance profiles. Names are unique per account ignoring case.
    fn create_instance_profile(
        &self,
        profile: &InstanceProfile,
        tags: &[Tag],
        max_profiles: usize,
    ) -> StoreResult<()>;
    fn get_instance_profile(
        &self,
        account: &str,
        name: &str,
    ) -> StoreResult<Option<InstanceProfile>>;
    /// Fails with `Conflict` while the profile contains a role.
    fn delete_instance_profile(&self, account: &str, name: &str) -> StoreResult<()>;
    fn list_instance_profiles(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<InstanceProfile>>;
    /// `LimitExceeded` when the profile holds `max_roles` roles already (the same role included).
    fn add_role_to_instance_profile(
        &self,
        account: &str,
        profile_id: &str,
        role_id: &str,
        max_roles: usize,
    ) -> StoreResult<()>;
    /// `NotFound` when the role is not in the profile.
    fn remove_role_from_instance_profile(
        &self,
        account: &str,
        profile_id: &str,
        role_id: &str,
    ) -> StoreResult<()>;
    /// The roles of a profile, in the order they were added.
    fn instance_profile_roles(&self, profile_id: &str) -> StoreResult<Vec<Role>>;
    fn list_instance_profiles_for_role(
        &self,
        account: &str,
        role_id: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<InstanceProfile>>;
}

/// OpenID Connect and SAML providers, and identity propagation settings.
pub trait ProviderStore {
    // OpenID Connect providers, addressed by ARN (unique per account: one per issuer URL). Their
    // tags are kept under the ARN.
    /// `AlreadyExists` for a second provider with the same URL; `LimitExceeded` past `max`.
    fn create_oidc_provider(
        &self,
        provider: &OidcProvider,
        propagation: &IdentityPropagation,
        tags: &[Tag],
        max: usize,
    ) -> StoreResult<()>;
    /// The provider with this ARN in the account: its URL, client ids and thumbprints
    /// (what AssumeRoleWithWebIdentity checks a token against).
    fn get_oidc_provider(&self, account: &str, arn: &str) -> StoreResult<Option<OidcProvider>>;
    /// The account's providers ordered by ARN.
    fn list_oidc_providers(&self, account: &str) -> StoreResult<Vec<OidcProvider>>;
    fn delete_oidc_provider(&self, account: &str, arn: &str) -> StoreResult<()>;
    /// Replaces the thumbprint list.
    fn set_oidc_thumbprints(
        &self,
        account: &str,
        arn: &str,
        thumbprints: &[String],
    ) -> StoreResult<()>;
    /// Adding a present client id is not an error; `LimitExceeded` past `max`.
    fn add_oidc_client_id(
        &self,
        account: &str,
        arn: &str,
        client_id: &str,
        max: usize,
    ) -> StoreResult<()>;
    /// Removing an absent client id is not an error.
    fn remove_oidc_client_id(&self, account: &str, arn: &str, client_id: &str) -> StoreResult<()>;
    // SAML providers, addressed by ARN (names unique per account). Tags are kept under the ARN.
    /// `AlreadyExists` for a taken name; `LimitExceeded` past `max`.
    fn create_saml_provider(
        &self,
        provider: &SamlProvider,
        settings: &SamlSettings,
        tags: &[Tag],
        max: usize,
    ) -> StoreResult<()>;
    fn get_saml_provider(&self, account: &str, arn: &str) -> StoreResult<Option<SamlProvider>>;
    /// The account's providers ordered by ARN.
    fn list_saml_providers(&self, account: &str) -> StoreResult<Vec<SamlProvider>>;
    /// Replaces the metadata document and its validity.
    fn update_saml_metadata(
        &self,
        account: &str,
        arn: &str,
        metadata: &str,
        valid_until: DateTime<Utc>,
    ) -> StoreResult<()>;
    fn delete_saml_provider(&self, account: &str, arn: &str) -> StoreResult<()>;
    /// Encryption and propagation settings; `NotFound` when the provider does not exist.
    fn saml_settings(&self, account: &str, arn: &str) -> StoreResult<SamlSettings>;
    /// Replaces them (keys absent from `settings` are forgotten); `NotFound` when the provider
    /// does not exist.
    fn set_saml_settings(
        &self,
        account: &str,
        arn: &str,
        settings: &SamlSettings,
    ) -> StoreResult<()>;
    /// The identity propagation settings of an OpenID Connect provider; `NotFound` when the
    /// provider does not exist.
    fn oidc_propagation(&self, account: &str, arn: &str) -> StoreResult<IdentityPropagation>;
    /// Replaces them; `NotFound` when the provider does not exist.
    fn set_oidc_propagation(
        &self,
        account: &str,
        arn: &str,
        settings: &IdentityPropagation,
    ) -> StoreResult<()>;
}

/// Report jobs, the credential report and service last accessed data.
pub trait ReportStore {
    // Report jobs (service last accessed, Organizations access), addressed by id in an account.
    /// Stores the job and forgets the jobs created before `forget_before`.
    fn create_report_job(&self, job: &ReportJob, forget_before: DateTime<Utc>) -> StoreResult<()>;
    fn get_report_job(&self, account: &str, id: &str) -> StoreResult<Option<ReportJob>>;
    // The credential report: the latest one per account.
    /// Replaces the account's report.
    fn put_credential_report(
        &self,
        account: &str,
        generated: DateTime<Utc>,
        content: &str,
    ) -> StoreResult<()>;
    /// The account's latest report and when it was generated.
    fn credential_report(&self, account: &str) -> StoreResult<Option<(DateTime<Utc>, String)>>;
    // When users and roles last called each action of each service.
    /// Records a call; a record already as new or newer is kept.
    fn record_service_access(&self, account: &str, access: &ServiceAccess) -> StoreResult<()>;
    /// The records of these users and roles (by unique id), in no particular order.
    fn service_access(&self, entity_ids: &[String]) -> StoreResult<Vec<ServiceAccess>>;
}

/// Login profiles, password history and the account password policy.
pub trait PasswordStore {
    // --- Login profiles and password policy ---
    /// Creates a user's login profile with its first password hash (also the first entry of
    /// the user's password history): `AlreadyExists` when the user has one, `NotFound` when the
    /// user does not exist.
    fn create_login_profile(&self, profile: &LoginProfile, password_hash: &str) -> StoreResult<()>;
    /// A user's login profile (by user id): creation and password-last-changed times, for
    /// GetLoginProfile and the credential report (`password_enabled`, `password_last_changed`,
    /// `password_next_rotation` with [`LoginProfile::next_rotation`]).
    fn login_profile(&self, account: &str, user_id: &str) -> StoreResult<Option<LoginProfile>>;
    /// The current password hash of a user's login profile.
    fn login_password_hash(&self, account: &str, user_id: &str) -> StoreResult<Option<String>>;
    /// Applies the update (a new password also joins the history); `NotFound` without a profile.
    fn update_login_profile(
        &self,
        account: &str,
        user_id: &str,
        update: &LoginProfileUpdate,
    ) -> StoreResult<LoginProfile>;
    /// `NotFound` without a profile. The password history stays until the user is deleted.
    fn delete_login_profile(&self, account: &str, user_id: &str) -> StoreResult<()>;
    /// The user's password hashes, newest (the current one) first, at most
    /// [`crate::passwords::HISTORY`].
    fn password_history(&self, account: &str, user_id: &str) -> StoreResult<Vec<String>>;
    /// The account's custom password policy; `None` when AWS's default applies.
    fn password_policy(&self, account: &str) -> StoreResult<Option<PasswordPolicy>>;
    /// Replaces the account's password policy.
    fn put_password_policy(&self, account: &str, policy: &PasswordPolicy) -> StoreResult<()>;
    /// `NotFound` when the account has no custom policy.
    fn delete_password_policy(&self, account: &str) -> StoreResult<()>;
}

/// Virtual MFA devices.
pub trait MfaStore {
    // --- MFA devices ---
    // Virtual MFA devices, addressed by serial number (their ARN); names are unique per account
    // ignoring case. Their tags are kept under the serial number.
    /// `AlreadyExists` for a taken name; `LimitExceeded` when the account has `max` devices.
    fn create_mfa_device(
        &self,
        device: &crate::mfa::VirtualMfaDevice,
        tags: &[Tag],
        max: usize,
    ) -> StoreResult<()>;
    fn get_mfa_device(
        &self,
        account: &str,
        serial: &str,
    ) -> StoreResult<Option<crate::mfa::VirtualMfaDevice>>;
    /// `Conflict` while the device is assigned to a user.
    fn delete_mfa_device(&self, account: &str, serial: &str) -> StoreResult<()>;
    /// The account's devices by name, only assigned (`Some(true)`) or unassigned (`Some(false)`)
    /// ones if asked.
    fn list_mfa_devices(
        &self,
        account: &str,
        assigned: Option<bool>,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<crate::mfa::VirtualMfaDevice>>;
    /// Assigns an unassigned device to a user at `at`: `AlreadyExists` when it is assigned
    /// already, `LimitExceeded` when the user has `max_per_user` devices.
    fn enable_mfa_device(
        &self,
        account: &str,
        serial: &str,
        user_id: &str,
        at: DateTime<Utc>,
        sync: crate::mfa::MfaSync,
        max_per_user: usize,
    ) -> StoreResult<()>;
    /// Unassigns a device; `NotFound` unless it is assigned to `user_id`.
    fn deactivate_mfa_device(&self, account: &str, serial: &str, user_id: &str) -> StoreResult<()>;
    /// Records a new drift and last accepted step (ResyncMFADevice: both on the device's clock
    /// as the codes just given show it).
    fn resync_mfa_device(
        &self,
        account: &str,
        serial: &str,
        sync: crate::mfa::MfaSync,
    ) -> StoreResult<()>;
    /// Records that the device's code of `step` was accepted, unless that step or a later one
    /// already was: `false` then (a replayed code). Atomic, so one code passes once on any node.
    fn accept_mfa_step(&self, account: &str, serial: &str, step: i64) -> StoreResult<bool>;
    /// The devices enabled for a user (by unique id), oldest enablement first.
    fn mfa_devices_for_user(
        &self,
        account: &str,
        user_id: &str,
    ) -> StoreResult<Vec<crate::mfa::VirtualMfaDevice>>;
    /// `(devices, assigned devices)` of the account (GetAccountSummary).
    fn mfa_device_counts(&self, account: &str) -> StoreResult<(usize, usize)>;
}

/// The whole storage contract: every family. Engines implement each family trait;
/// this sum follows for free.
pub trait Store:
    AccountStore
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
    + Send
    + Sync
    + std::fmt::Debug
{
}

impl<T> Store for T where
    T: AccountStore
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
        + Send
        + Sync
        + std::fmt::Debug
{
}

/// Every family trait, for callers of [`Store`] methods: `use portcullis_core::store::prelude::*;`.
pub mod prelude {
    pub use super::{
        AccessKeyStore, AccountStore, CredentialStore, GroupStore, InstanceProfileStore, MfaStore,
        PasswordStore, PolicyStore, ProviderStore, ReportStore, RoleStore, ServerCertStore, Store,
        TagStore, UserStore,
    };
}
