//! [`IamError`], the domain's one error type, and with it every AWS-worded message the domain
//! services produce: which entity was not found or exists already, which quota was reached,
//! what still depends on an entity being deleted (those two in `error/entities.rs`), and the
//! refusals of each area's rules. Each variant names its AWS error code
//! ([`IamError::code`], from [`ErrorCode`], generated from AWS's models with the HTTP status
//! of each code); the server only writes code, status and message into AWS's envelope.

use crate::credentials::{CertError, SshKeyError};
use crate::quotas::Quota;
use crate::store::StoreError;
use crate::tags::TagError;

mod entities;
mod generated;
pub use entities::{Dependent, EntityKind};
pub use generated::ErrorCode;

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
    // Refusals the server's handlers worded until they moved here (issue 12).
    /// An ARN that is not well formed where the operation needs one (InvalidInput).
    #[error("ARN {0} is not valid.")]
    InvalidArn(String),
    /// A `Marker` past the end of its list, or of the wrong list (InvalidInput).
    #[error("Invalid Marker.")]
    InvalidMarker,
    /// A `Marker` the server did not hand out (ValidationError).
    #[error("Invalid Marker.")]
    UnreadableMarker,
    /// CreateAccountAlias with an alias outside AWS's pattern (ValidationError).
    #[error(
        "1 validation error detected: Value '{0}' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){{1,61}}[a-z0-9]$"
    )]
    InvalidAccountAlias(String),
    /// CreateAccountAlias with a 12-digit alias, which would read as an account id (InvalidInput).
    #[error("The account alias cannot be a 12-digit number.")]
    NumericAccountAlias,
    /// GetAccountAuthorizationDetails with a `Filter` value outside the entity types
    /// (ValidationError); the types are listed as AWS lists them.
    #[error(
        "1 validation error detected: Value '[{bad}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{allowed}]]"
    )]
    InvalidEntityFilter { bad: String, allowed: String },
    /// GetCredentialReport while a generation runs and no current report exists
    /// (ReportInProgress).
    #[error("The request was rejected because the credential report is still being generated.")]
    ReportInProgress,
    /// GetCredentialReport before any report was generated (ReportNotPresent).
    #[error(
        "Report is not present. To generate a credential report, use GenerateCredentialReport."
    )]
    ReportNotPresent,
    /// GetCredentialReport of a report older than its freshness (ReportExpired).
    #[error(
        "The most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport."
    )]
    ReportExpired,
    /// CreateDelegationRequest from an account that is no onboarding partner (InvalidInput).
    #[error(
        "Delegation requests can be created only by partner accounts enrolled in delegated onboarding."
    )]
    NotPartnerAccount,
    /// GetHumanReadableSummary of something other than a delegation request (InvalidInput).
    #[error("Human readable summaries are available only for delegation-request entities.")]
    SummaryNotAvailable,
    /// Get/DeleteUser/Group/RolePolicy of an inline policy the owner does not have
    /// (NoSuchEntity); `owner` is the owner's name.
    #[error("The policy with name {name} cannot be found for {owner}.")]
    NoSuchInlinePolicy { name: String, owner: String },
    /// RemoveRoleFromInstanceProfile of a role the profile does not hold (NoSuchEntity).
    #[error("The role with name {role} cannot be found in instance profile {profile}.")]
    RoleNotInInstanceProfile { role: String, profile: String },
    /// A change to an AWS managed policy (UnmodifiableEntity).
    #[error("Policy {0} is an AWS managed policy and cannot be changed.")]
    AwsManagedPolicy(String),
    /// EnableMFADevice or ResyncMFADevice with codes that do not match (InvalidAuthenticationCode).
    #[error("Authentication code for device is not valid.")]
    InvalidMfaCodes,
    /// Deactivate/ResyncMFADevice of a device not assigned to the user (NoSuchEntity).
    #[error("MFA Device with serial number {0} is not assigned to the user.")]
    MfaDeviceNotAssigned(String),
    /// An operation of AWS's models that Portcullis does not implement (NotImplemented, 501).
    #[error("The operation {0} is not implemented by Portcullis yet.")]
    NotImplemented(String),
    /// UpdateOpenIDConnectProvider that changes nothing (InvalidInput).
    #[error("Specify a context provider or an IAM Identity Center instance to set or remove.")]
    NoPropagationChange,
    /// An Organizations feature asked of an account in no organization
    /// (OrganizationNotFoundException).
    #[error("The request was rejected because no organization is associated with your account.")]
    NoOrganization,
    /// A credential's `Status` that a caller cannot set (ValidationError).
    #[error(
        "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set"
    )]
    InvalidKeyStatus,
    /// CreateServiceSpecificCredential for a service that has none (NoSuchEntity).
    #[error("No such service {0} is supported for Service Specific Credentials")]
    UnsupportedCredentialService(String),
    /// `CredentialAgeDays` for a service whose credentials do not expire (InvalidInput).
    #[error("CredentialAgeDays is not supported for service {0}.")]
    CredentialAgeNotSupported(String),
    /// An uploaded certificate or private key refused (KeyPairMismatch or MalformedCertificate).
    #[error(transparent)]
    Certificate(#[from] CertError),
    /// An uploaded SSH public key refused (UnrecognizedPublicKeyEncoding or InvalidPublicKey).
    #[error(transparent)]
    SshKey(#[from] SshKeyError),
    /// Tags refused (ValidationError for constraints, reported together as AWS reports them;
    /// InvalidInput for the reserved prefix and duplicate keys).
    #[error("{}", tag_message(.0))]
    Tag(#[from] TagError),
    /// A simulation's policy the policy engine refused (InvalidInput): `id` names it, `reason`
    /// is the engine's.
    #[error("{id} is not a valid policy: {reason}")]
    InvalidSimulationPolicy { id: String, reason: String },
    /// A simulation's context entry without a key name (InvalidInput).
    #[error("Context key name must be specified.")]
    ContextKeyNameMissing,
    /// A simulation's `CallerArn` that is not an IAM user's ARN (InvalidInput).
    #[error("Invalid CallerArn {0}: it must be the ARN of an IAM user.")]
    InvalidCallerArn(String),
    /// SimulateCustomPolicy with a `ResourcePolicy` but no `CallerArn` (InvalidInput).
    #[error("CallerArn is required when a ResourcePolicy is given.")]
    CallerArnRequired,
    /// A user-scoped operation without `UserName` from a role session or federated user, which
    /// names no user (ValidationError).
    #[error("Must specify userName when calling with non-User credentials")]
    UserNameRequired,
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
            // The refusals the handlers worded until they moved here (issue 12).
            IamError::InvalidArn(_)
            | IamError::InvalidMarker
            | IamError::NumericAccountAlias
            | IamError::NotPartnerAccount
            | IamError::SummaryNotAvailable
            | IamError::NoPropagationChange
            | IamError::CredentialAgeNotSupported(_)
            | IamError::InvalidSimulationPolicy { .. }
            | IamError::ContextKeyNameMissing
            | IamError::InvalidCallerArn(_)
            | IamError::CallerArnRequired
            | IamError::Tag(TagError::Reserved | TagError::Duplicate) => C::InvalidInput,
            IamError::UnreadableMarker
            | IamError::InvalidAccountAlias(_)
            | IamError::InvalidEntityFilter { .. }
            | IamError::InvalidKeyStatus
            | IamError::UserNameRequired
            | IamError::Tag(TagError::Invalid(_)) => C::ValidationError,
            IamError::NoSuchInlinePolicy { .. }
            | IamError::RoleNotInInstanceProfile { .. }
            | IamError::MfaDeviceNotAssigned(_)
            | IamError::UnsupportedCredentialService(_) => C::NoSuchEntity,
            IamError::ReportInProgress => C::ReportInProgress,
            IamError::ReportNotPresent => C::ReportNotPresent,
            IamError::ReportExpired => C::ReportExpired,
            IamError::AwsManagedPolicy(_) => C::UnmodifiableEntity,
            IamError::InvalidMfaCodes => C::InvalidAuthenticationCode,
            IamError::NotImplemented(_) => C::NotImplemented,
            IamError::NoOrganization => C::OrganizationNotFoundException,
            IamError::Certificate(CertError::Mismatch) => C::KeyPairMismatch,
            IamError::Certificate(_) => C::MalformedCertificate,
            IamError::SshKey(SshKeyError::Unrecognized) => C::UnrecognizedPublicKeyEncoding,
            IamError::SshKey(SshKeyError::Invalid(_)) => C::InvalidPublicKey,
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

    /// A store error met while changing entity `kind` called `name`: NotFound means it is not
    /// there (AWS's NoSuchEntity).
    pub fn on_missing(kind: EntityKind, name: &str) -> impl FnOnce(StoreError) -> Self {
        move |e| match e {
            StoreError::NotFound => IamError::no_such(kind, name),
            other => IamError::Store(other),
        }
    }
}

pub type IamResult<T> = Result<T, IamError>;

/// AWS's ValidationError message for constraint violations reported together, one sentence
/// each: `N validation error(s) detected: a; b`.
pub fn validation_message(errors: &[String]) -> String {
    let n = errors.len();
    let noun = if n == 1 { "error" } else { "errors" };
    format!("{n} validation {noun} detected: {}", errors.join("; "))
}

fn tag_message(e: &TagError) -> String {
    match e {
        TagError::Invalid(errors) => validation_message(errors),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod codes;
#[cfg(test)]
mod wording;

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
