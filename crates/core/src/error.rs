//! [`IamError`], the domain's one error type, and with it every AWS-worded message the domain
//! services produce: which entity was not found or exists already, which quota was reached,
//! what still depends on an entity being deleted. Each variant names its AWS error code
//! ([`IamError::code`], from [`ErrorCode`], generated from AWS's models with the HTTP status
//! of each code); the server only writes code, status and message into AWS's envelope.

use crate::quotas::Quota;
use crate::store::StoreError;

mod generated;
pub use generated::ErrorCode;

/// The kind of entity an error names, as AWS writes it in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityKind {
    User,
    Group,
    Role,
    /// A customer managed policy, named by its ARN.
    Policy,
    /// A version of a managed policy, named `<arn> version <id>`.
    PolicyVersion,
    /// A virtual MFA device, named by its serial number.
    MfaDevice,
    InstanceProfile,
    ServerCertificate,
    AccountAlias,
    /// An OpenID Connect provider, named by its URL as given (exists) or its ARN (not found).
    OidcProvider,
    /// A SAML provider, named by its name (exists) or its ARN (not found).
    SamlProvider,
    /// A private key of a SAML provider, named by its key id.
    SamlPrivateKey,
    /// A user's login profile, named by the user's name.
    LoginProfile,
    /// An account's password policy as GetAccountPasswordPolicy names it (by account id).
    PasswordPolicy,
    /// An account policy as DeleteAccountPasswordPolicy names it (`PasswordPolicy`).
    AccountPolicy,
}

impl EntityKind {
    /// Lower case, as in "The user with name x cannot be found."
    pub fn lower(self) -> &'static str {
        match self {
            EntityKind::User => "user",
            EntityKind::Group => "group",
            EntityKind::Role => "role",
            EntityKind::Policy => "policy",
            EntityKind::PolicyVersion => "policy version",
            EntityKind::MfaDevice => "MFA device",
            EntityKind::InstanceProfile => "instance profile",
            EntityKind::ServerCertificate => "server certificate",
            EntityKind::AccountAlias => "account alias",
            EntityKind::OidcProvider => "OpenID Connect provider",
            EntityKind::SamlProvider => "SAML provider",
            EntityKind::SamlPrivateKey => "SAML private key",
            EntityKind::LoginProfile => "login profile",
            EntityKind::PasswordPolicy => "password policy",
            EntityKind::AccountPolicy => "account policy",
        }
    }

    /// AWS's EntityAlreadyExists message for the entity called `name`.
    pub fn exists_message(self, name: &str) -> String {
        match self {
            EntityKind::Policy => {
                format!("A policy called {name} already exists. Duplicate names are not allowed.")
            }
            EntityKind::InstanceProfile => format!("Instance Profile {name} already exists."),
            EntityKind::ServerCertificate => {
                format!("The Server Certificate with name {name} already exists.")
            }
            EntityKind::AccountAlias => format!("The account alias {name} already exists."),
            EntityKind::OidcProvider => format!("Provider with url {name} already exists."),
            EntityKind::SamlProvider => format!("SAMLProvider {name} already exists."),
            EntityKind::LoginProfile => format!("Login Profile for user {name} already exists."),
            EntityKind::MfaDevice => {
                "MFADevice entity at the same path and name already exists.".to_string()
            }
            _ => format!("{} with name {name} already exists.", self.title()),
        }
    }

    /// Capitalised, as in "User with name x already exists."
    pub fn title(self) -> &'static str {
        match self {
            EntityKind::User => "User",
            EntityKind::Group => "Group",
            EntityKind::Role => "Role",
            EntityKind::Policy => "Policy",
            EntityKind::PolicyVersion => "Policy version",
            EntityKind::MfaDevice => "MFADevice",
            EntityKind::InstanceProfile => "Instance Profile",
            EntityKind::ServerCertificate => "Server Certificate",
            EntityKind::AccountAlias => "Account alias",
            EntityKind::OidcProvider => "OpenID Connect provider",
            EntityKind::SamlProvider => "SAMLProvider",
            EntityKind::SamlPrivateKey => "SAML private key",
            EntityKind::LoginProfile => "Login Profile",
            EntityKind::PasswordPolicy => "Password Policy",
            EntityKind::AccountPolicy => "Account policy",
        }
    }

    /// AWS's NoSuchEntity message for the entity called `name`.
    pub fn not_found(self, name: &str) -> String {
        match self {
            EntityKind::Policy => format!("Policy {name} was not found."),
            EntityKind::PolicyVersion => {
                format!("Policy {name} does not exist or is not attachable.")
            }
            EntityKind::MfaDevice => {
                format!("VirtualMFADevice with serial number {name} doesn't exist.")
            }
            EntityKind::InstanceProfile => format!("Instance Profile {name} cannot be found."),
            EntityKind::ServerCertificate => {
                format!("The Server Certificate with name {name} cannot be found.")
            }
            EntityKind::AccountAlias => format!("The account alias {name} cannot be found."),
            EntityKind::OidcProvider => format!("OpenIDConnect Provider not found for arn {name}"),
            EntityKind::SamlProvider => format!("Manifest not found for arn {name}"),
            EntityKind::SamlPrivateKey => {
                format!("The private key {name} does not exist on this SAML provider.")
            }
            EntityKind::LoginProfile => format!("Login Profile for User {name} cannot be found."),
            EntityKind::PasswordPolicy => {
                format!("The Password Policy with domain name {name} cannot be found.")
            }
            EntityKind::AccountPolicy => {
                format!("The account policy with name {name} cannot be found.")
            }
            EntityKind::User | EntityKind::Group | EntityKind::Role => {
                format!("The {} with name {name} cannot be found.", self.lower())
            }
        }
    }
}

/// What still depends on an entity that cannot be deleted yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dependent {
    LoginProfile,
    AccessKeys,
    /// Inline policies (and, for a role, attached ones too: AWS words both alike).
    InlinePolicies,
    AttachedPolicies,
    /// A user's group memberships.
    GroupMemberships,
    SigningCertificates,
    /// SSH public keys and service-specific credentials.
    ReferencedObjects,
    MfaDevices,
    /// A group's members.
    GroupMembers,
    /// A role's instance profiles, or an instance profile's roles.
    InstanceProfileRoles,
    /// Entities a managed policy is attached to or bounds.
    PolicyAttachments,
    /// A managed policy's versions other than the default.
    PolicyVersions,
    /// The version being deleted is the policy's default.
    DefaultVersion,
    /// The user an MFA device is assigned to.
    MfaDeviceUser,
}

impl Dependent {
    /// AWS's message for DeleteConflict.
    pub fn message(self) -> &'static str {
        match self {
            Dependent::LoginProfile => "Cannot delete entity, must delete login profile first.",
            Dependent::AccessKeys => "Cannot delete entity, must delete access keys first.",
            Dependent::InlinePolicies => "Cannot delete entity, must delete policies first.",
            Dependent::AttachedPolicies => "Cannot delete entity, must detach all policies first.",
            Dependent::GroupMemberships => {
                "Cannot delete entity, must remove user from all groups first."
            }
            Dependent::SigningCertificates => {
                "Cannot delete entity, must delete signing certificates first."
            }
            Dependent::ReferencedObjects => {
                "Cannot delete entity, must remove referenced objects first."
            }
            Dependent::MfaDevices => "Cannot delete entity, must delete MFA device first.",
            Dependent::GroupMembers => "Cannot delete entity, must remove users from group first.",
            Dependent::InstanceProfileRoles => {
                "Cannot delete entity, must remove roles from instance profile first."
            }
            Dependent::PolicyAttachments => "Cannot delete a policy attached to entities.",
            Dependent::PolicyVersions => {
                "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy."
            }
            Dependent::DefaultVersion => "Cannot delete the default version of a policy.",
            Dependent::MfaDeviceUser => {
                "MFA Device is in use by a user. Deactivate the MFA device first."
            }
        }
    }
}

/// A refused IAM operation, with AWS's wording as its `Display`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IamError {
    #[error("{}", kind.not_found(name))]
    NoSuchEntity { kind: EntityKind, name: String },
    #[error("{}", kind.exists_message(name))]
    EntityAlreadyExists { kind: EntityKind, name: String },
    #[error("Cannot exceed quota for {quota}: {max}")]
    LimitExceeded { quota: Quota, max: usize },
    #[error("{}", .0.message())]
    DeleteConflict(Dependent),
    /// UploadSSHPublicKey of a key the user holds already.
    #[error("The SSH public key is already associated with the specified IAM user.")]
    DuplicateSshPublicKey,
    /// UploadSigningCertificate of a certificate someone in the account holds already.
    #[error("The same certificate is already associated with an IAM user in the account.")]
    DuplicateCertificate,
    /// An owner's inline policies would total more than `max_total` (AWS words it with the
    /// owner's kind and name, as the policy crate's size quota does; the server asks it).
    #[error("Inline policies would exceed their total size of {max_total}.")]
    InlinePoliciesTooLarge { max_total: usize },
    /// Tagging would leave an entity with more than `MAX_TAGS` tags.
    #[error("The number of tags has reached the maximum limit.")]
    TooManyTags,
    /// EnableMFADevice for a device already assigned (AWS's EntityAlreadyExists).
    #[error("MFA Device is already in use.")]
    MfaDeviceInUse,
    /// A managed policy has its most versions (AWS's own LimitExceeded wording).
    #[error(
        "A managed policy can have up to {max} versions. Before you create a new version, you must delete an existing version."
    )]
    PolicyVersionsExceeded { max: usize },
    /// AWS's InvalidInput, with its message.
    #[error("{0}")]
    InvalidInput(String),
    /// DeleteOpenIDConnectProvider of a provider that is not there (AWS words it unlike the
    /// other operations' NoSuchEntity).
    #[error("OpenId connect Provider {0} cannot be found.")]
    NoSuchOidcProviderToDelete(String),
    /// AWS's ValidationError (a request shape AWS's model refuses), with its message.
    #[error("{0}")]
    Validation(String),
    /// A new password the account's policy or the screening refuses (PasswordPolicyViolation).
    #[error("{0}")]
    PasswordPolicyViolation(String),
    /// ChangePassword by a caller that is not an IAM user (InvalidUserType).
    #[error("Only IAM users can change their own password.")]
    NotAnIamUser,
    /// ChangePassword with a wrong old password (AccessDenied).
    #[error("The old password entered is not correct.")]
    WrongOldPassword,
    /// ChangePassword refused before checking: too many recent wrong old passwords.
    #[error("Too many attempts with a wrong old password. Try again later.")]
    TooManyPasswordAttempts,
    /// Outbound web identity federation asked of an account that has it off (FeatureDisabled).
    #[error("Outbound identity federation is disabled for your AWS account.")]
    OutboundFederationDisabled,
    /// EnableOutboundWebIdentityFederation when it is on (FeatureEnabled).
    #[error("Outbound identity federation is already enabled for your AWS account.")]
    OutboundFederationEnabled,
    /// A change to a service-linked role through the ordinary role operations (UnmodifiableEntity).
    #[error(
        "Cannot perform the operation on the protected role '{0}' - this role is only modifiable by AWS"
    )]
    UnmodifiableRole(String),
    /// DeleteServiceLinkedRole naming an ordinary role (NoSuchEntity).
    #[error("The role with name {0} is not a service-linked role.")]
    NotServiceLinked(String),
    /// GetServiceLinkedRoleDeletionStatus with an unknown task (NoSuchEntity).
    #[error("Deletion task {0} cannot be found.")]
    NoSuchDeletionTask(String),
    /// A one-time MFA code that is wrong, reused or late, of a device that is not the caller's,
    /// or of a device whose guesses are used up (AccessDenied, one wording for all).
    #[error("MultiFactorAuthentication failed with invalid MFA one time pass code.")]
    MfaCodeRefused,
    /// The store failed; not the caller's fault (ServiceFailure).
    #[error("storage failure: {0}")]
    Store(#[from] StoreError),
}

impl IamError {
    /// AWS's error code for this refusal (ServiceFailure for a store failure, whose cause is
    /// not the caller's to see: the server logs it and answers AWS's generic message).
    pub fn code(&self) -> ErrorCode {
        use ErrorCode as C;
        match self {
            IamError::NoSuchEntity { .. }
            | IamError::NoSuchOidcProviderToDelete(_)
            | IamError::NotServiceLinked(_)
            | IamError::NoSuchDeletionTask(_) => C::NoSuchEntity,
            IamError::EntityAlreadyExists { .. } | IamError::MfaDeviceInUse => {
                C::EntityAlreadyExists
            }
            IamError::LimitExceeded { .. }
            | IamError::PolicyVersionsExceeded { .. }
            | IamError::TooManyTags
            | IamError::InlinePoliciesTooLarge { .. }
            | IamError::TooManyPasswordAttempts => C::LimitExceeded,
            IamError::DeleteConflict(_) => C::DeleteConflict,
            IamError::InvalidInput(_) => C::InvalidInput,
            IamError::Validation(_) => C::ValidationError,
            IamError::PasswordPolicyViolation(_) => C::PasswordPolicyViolation,
            IamError::NotAnIamUser => C::InvalidUserType,
            IamError::WrongOldPassword | IamError::MfaCodeRefused => C::AccessDenied,
            IamError::UnmodifiableRole(_) => C::UnmodifiableEntity,
            IamError::OutboundFederationDisabled => C::FeatureDisabled,
            IamError::OutboundFederationEnabled => C::FeatureEnabled,
            IamError::DuplicateSshPublicKey => C::DuplicateSSHPublicKey,
            IamError::DuplicateCertificate => C::DuplicateCertificate,
            IamError::Store(_) => C::ServiceFailure,
        }
    }

    pub fn no_such(kind: EntityKind, name: &str) -> Self {
        IamError::NoSuchEntity {
            kind,
            name: name.to_string(),
        }
    }

    pub fn exists(kind: EntityKind, name: &str) -> Self {
        IamError::EntityAlreadyExists {
            kind,
            name: name.to_string(),
        }
    }

    /// A store error met while writing entity `kind` called `name`: a unique violation means
    /// another writer took the name first.
    pub fn on_insert(kind: EntityKind, name: &str) -> impl FnOnce(StoreError) -> Self {
        move |e| match e {
            StoreError::AlreadyExists => IamError::exists(kind, name),
            other => IamError::Store(other),
        }
    }
}

pub type IamResult<T> = Result<T, IamError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_follow_aws() {
        assert_eq!(
            IamError::no_such(EntityKind::User, "bob").to_string(),
            "The user with name bob cannot be found."
        );
        assert_eq!(
            IamError::exists(EntityKind::Role, "r").to_string(),
            "Role with name r already exists."
        );
        assert_eq!(
            IamError::LimitExceeded {
                quota: Quota::VirtualMfaDevicesPerAccount,
                max: 3
            }
            .to_string(),
            "Cannot exceed quota for VirtualMFADevicesPerAccount: 3"
        );
        assert_eq!(
            IamError::DeleteConflict(Dependent::GroupMembers).to_string(),
            "Cannot delete entity, must remove users from group first."
        );
    }

    #[test]
    fn codes_carry_aws_statuses() {
        let code = |e: IamError| (e.code().as_str(), e.code().status());
        assert_eq!(
            code(IamError::no_such(EntityKind::User, "bob")),
            ("NoSuchEntity", 404)
        );
        assert_eq!(code(IamError::TooManyTags), ("LimitExceeded", 409));
        assert_eq!(
            code(IamError::OutboundFederationDisabled),
            ("FeatureDisabled", 404)
        );
        assert_eq!(
            code(IamError::DuplicateSshPublicKey),
            ("DuplicateSSHPublicKey", 400)
        );
        assert_eq!(code(IamError::WrongOldPassword), ("AccessDenied", 403));
        assert_eq!(
            code(IamError::Store(StoreError::NotFound)),
            ("ServiceFailure", 500)
        );
    }
}
