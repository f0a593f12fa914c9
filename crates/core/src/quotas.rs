//! Every IAM quota in one place: the [`Quota`] names AWS's messages use, the fixed limits
//! (`MAX_*`), and [`Quotas`], the limits an operator may configure, which the server builds from
//! its settings and passes to the domain services in `crate::iam`. The services check a quota
//! inside the store's write transaction, so two concurrent creations cannot both pass it.

/// A quota by the name AWS gives it in `Cannot exceed quota for <name>: <max>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quota {
    UsersPerAccount,
    GroupsPerAccount,
    RolesPerAccount,
    GroupsPerUser,
    AccessKeysPerUser,
    PoliciesPerAccount,
    /// Managed policies attached to one user (AWS's message names it `PoliciesPerUser`).
    PoliciesPerUser,
    PoliciesPerGroup,
    PoliciesPerRole,
    VirtualMfaDevicesPerAccount,
    MfaDevicesPerUser,
    ServerCertificatesPerAccount,
    CertificatesPerUser,
    PublicKeysPerUser,
    ServiceSpecificCredentialsPerUserPerService,
    InstanceProfilesPerAccount,
    InstanceSessionsPerInstanceProfile,
    OpenIdConnectProvidersPerAccount,
    ClientIdsPerOpenIdConnectProvider,
    SamlProvidersPerAccount,
    PrivateKeysPerSamlProvider,
    AccountAliasesPerAccount,
}

impl Quota {
    /// The name as AWS writes it.
    pub fn name(self) -> &'static str {
        match self {
            Quota::UsersPerAccount => "UsersPerAccount",
            Quota::GroupsPerAccount => "GroupsPerAccount",
            Quota::RolesPerAccount => "RolesPerAccount",
            Quota::GroupsPerUser => "GroupsPerUser",
            Quota::AccessKeysPerUser => "AccessKeysPerUser",
            Quota::PoliciesPerAccount => "PoliciesPerAccount",
            Quota::PoliciesPerUser => "PoliciesPerUser",
            Quota::PoliciesPerGroup => "PoliciesPerGroup",
            Quota::PoliciesPerRole => "PoliciesPerRole",
            Quota::VirtualMfaDevicesPerAccount => "VirtualMFADevicesPerAccount",
            Quota::MfaDevicesPerUser => "MFADevicesPerUser",
            Quota::ServerCertificatesPerAccount => "ServerCertificatesPerAccount",
            Quota::CertificatesPerUser => "CertificatesPerUser",
            Quota::PublicKeysPerUser => "PublicKeysPerUser",
            Quota::ServiceSpecificCredentialsPerUserPerService => {
                "ServiceSpecificCredentialsPerUserPerService"
            }
            Quota::InstanceProfilesPerAccount => "InstanceProfilesPerAccount",
            Quota::InstanceSessionsPerInstanceProfile => "InstanceSessionsPerInstanceProfile",
            Quota::OpenIdConnectProvidersPerAccount => "OpenIdConnectProvidersPerAccount",
            Quota::ClientIdsPerOpenIdConnectProvider => "ClientIdsPerOpenIdConnectProvider",
            Quota::SamlProvidersPerAccount => "SAMLProvidersPerAccount",
            Quota::PrivateKeysPerSamlProvider => "PrivateKeysPerSAMLProvider",
            Quota::AccountAliasesPerAccount => "AccountAliasesPerAccount",
        }
    }
}

impl std::fmt::Display for Quota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Tags on one entity.
pub const MAX_TAGS: usize = crate::tags::MAX_TAGS;
/// Versions of one managed policy.
pub const MAX_POLICY_VERSIONS: usize = 5;
/// Customer managed policies in one account.
pub const MAX_POLICIES: usize = 1500;
/// MFA devices of one user.
pub const MAX_MFA_DEVICES_PER_USER: usize = 8;
/// Server certificates in one account.
pub const MAX_SERVER_CERTIFICATES: usize = 20;
/// Signing certificates of one user.
pub const MAX_SIGNING_CERTIFICATES_PER_USER: usize = 2;
/// SSH public keys of one user.
pub const MAX_SSH_KEYS_PER_USER: usize = 5;
/// Service-specific credentials of one user for one service.
pub const MAX_SERVICE_CREDENTIALS_PER_SERVICE: usize = 2;
/// Instance profiles in one account.
pub const MAX_INSTANCE_PROFILES: usize = 1000;
/// Roles in one instance profile.
pub const MAX_ROLES_PER_INSTANCE_PROFILE: usize = 1;
/// OpenID Connect providers in one account.
pub const MAX_OIDC_PROVIDERS: usize = 100;
/// Client ids of one OpenID Connect provider.
pub const MAX_CLIENT_IDS: usize = 100;
/// Thumbprints of one OpenID Connect provider.
pub const MAX_THUMBPRINTS: usize = 5;
/// SAML providers in one account.
pub const MAX_SAML_PROVIDERS: usize = 100;
/// Private keys of one SAML provider.
pub const MAX_SAML_PRIVATE_KEYS: usize = 2;
/// Key definitions of one identity propagation configuration.
pub const MAX_PROPAGATION_KEY_DEFINITIONS: usize = 10;
/// Aliases of one account.
pub const MAX_ACCOUNT_ALIASES: usize = 1;

/// The limits an operator may configure; [`Default`] gives AWS's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quotas {
    pub users_per_account: usize,
    pub groups_per_account: usize,
    pub roles_per_account: usize,
    pub groups_per_user: usize,
    pub access_keys_per_user: usize,
    /// Managed policies attached to one user, group or role (AWS: 10 by default, at most 20).
    pub attached_policies_per_principal: usize,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            users_per_account: 5000,
            groups_per_account: 300,
            roles_per_account: 1000,
            groups_per_user: 10,
            access_keys_per_user: 2,
            attached_policies_per_principal: 10,
        }
    }
}

/// `LimitExceeded` naming `quota` when `count` entities exist already and `max` is the limit.
pub fn check(quota: Quota, count: usize, max: usize) -> Result<(), crate::IamError> {
    if count >= max {
        Err(crate::IamError::LimitExceeded { quota, max })
    } else {
        Ok(())
    }
}
