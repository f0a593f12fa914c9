//! [`StsError`], every refusal of STS's session rules with AWS's exact wording as its
//! `Display`: durations, packed session policies and tags, transitive tags and source identity,
//! web identity tokens and their providers, trust decisions, MFA codes, and the features this
//! server answers as an account that does not use them. The server gives each variant AWS's
//! error code and HTTP status in one place; nothing else words these sentences.

use crate::sts::web_identity::WebIdentityError;
use crate::tags::TagError;

/// A refused STS request, with AWS's wording as its `Display`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StsError {
    /// Session policies and tags together take more than the packed allowance
    /// (PackedPolicyTooLarge).
    #[error("Packed policy consumes {percent}% of allotted space, please use smaller policy.")]
    PackedPolicyTooLarge { percent: usize },
    /// A role session asked of a role session for more than an hour (ValidationError).
    #[error(
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
    )]
    ChainedDurationTooLong,
    /// A role session longer than the role's MaxSessionDuration (ValidationError).
    #[error("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")]
    DurationOverRoleMax,
    /// A source identity with AWS's reserved prefix (ValidationError).
    #[error("SourceIdentity must not begin with the prefix 'aws:'.")]
    SourceIdentityReserved,
    /// A different source identity than the calling session's (AccessDenied).
    #[error("The source identity of a session cannot be changed once it is set.")]
    SourceIdentityChanged,
    /// A transitive tag key that is not among the requested tags (InvalidParameterValue).
    #[error("The specified transitive tag key must be included in the requested tags.")]
    TransitiveKeyNotRequested,
    /// A requested tag overriding a transitive tag of the calling session
    /// (InvalidParameterValue).
    #[error(
        "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session."
    )]
    TransitiveKeyConflict,
    /// A managed session policy that is not there (InvalidParameterValue).
    #[error("The policy {0} does not exist or is not attachable.")]
    PolicyNotAttachable(String),
    /// Session tags IAM's tag rules refuse: reserved or duplicate keys are
    /// InvalidParameterValue in STS, constraint violations a ValidationError.
    #[error(transparent)]
    SessionTags(TagError),
    /// GetSessionToken or GetFederationToken called with temporary credentials, or any
    /// operation temporary credentials may not call (AccessDenied).
    #[error("Cannot call {operation} with session credentials")]
    SessionCredentials { operation: String },
    /// GetAccessKeyInfo of a key this server does not know (InvalidParameterValue).
    #[error("The access key ID {0} is not known to this server.")]
    UnknownAccessKey(String),
    /// DecodeAuthorizationMessage of text this server did not encode
    /// (InvalidAuthorizationMessageException).
    #[error("The message is not an encoded authorization message issued by this server.")]
    InvalidAuthorizationMessage,
    /// AssumeRoot: accounts here are in no organization (AccessDenied).
    #[error(
        "AssumeRoot is available only to the management account of an organization or its delegated administrator, and this account is not in an organization."
    )]
    AssumeRootUnavailable,
    /// GetWebIdentityToken: outbound federation is never on here
    /// (OutboundWebIdentityFederationDisabledException, 403).
    #[error("The outbound web identity federation feature is not enabled for this account.")]
    OutboundFederationDisabled,
    /// GetDelegatedAccessToken: no trade-in token is valid here (ExpiredTradeInTokenException).
    #[error("The trade-in token provided in the request is not valid or has expired.")]
    ExpiredTradeInToken,
    /// GetScopedCredentials with temporary credentials (InvalidSubjectCredentialsException).
    #[error(
        "GetScopedCredentials is not supported by this server; use AssumeRole with a session policy instead."
    )]
    ScopedCredentialsUnsupported,
    /// GetScopedCredentials with long-term credentials (InvalidSubjectCredentialsException).
    #[error("GetScopedCredentials requires temporary security credentials.")]
    ScopedCredentialsNeedTemporary,
    /// AssumeRoleWithSAML: assertions are not verified here (InvalidIdentityToken).
    #[error(
        "SAML assertions cannot be verified by this server; use AssumeRoleWithWebIdentity or AssumeRole."
    )]
    SamlUnverified,
    /// A web identity token refused: ExpiredTokenException when expired, otherwise
    /// InvalidIdentityToken.
    #[error(transparent)]
    Token(#[from] WebIdentityError),
    /// A token whose issuer is no OIDC provider of the role's account (InvalidIdentityToken).
    #[error("No OpenIDConnect provider found in your account for {issuer}")]
    NoOidcProvider { issuer: String },
    /// The identity provider's keys cannot be had (IDPCommunicationError; AWS's double space).
    #[error(
        "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
    )]
    IdpUnreachable,
    /// A web identity the role's trust policy does not allow `action` to, or a missing role
    /// (AccessDenied).
    #[error("Not authorized to perform {action}")]
    WebIdentityDenied { action: String },
    /// AssumeRole by root (AccessDenied).
    #[error("Roles may not be assumed by root accounts.")]
    RootCannotAssume,
    /// AssumeRole refused by the trust or identity policies, or of a missing role, worded alike
    /// so roles cannot be discovered by probing (AccessDenied).
    #[error("User: {who} is not authorized to perform: {action} on resource: {resource}")]
    NotAuthorized {
        who: String,
        action: String,
        resource: String,
    },
    /// A one-time MFA code passed to STS that is wrong, reused or for no device of the caller
    /// (AccessDenied).
    #[error("MultiFactorAuthentication failed with invalid MFA one time pass code.")]
    MfaFailed,
    /// A role ARN that is not an ARN (ValidationError).
    #[error("{0} is invalid")]
    InvalidArn(String),
}

impl StsError {
    /// GetScopedCredentials' refusal, by whether the caller's credentials are temporary.
    pub fn scoped_credentials(temporary: bool) -> Self {
        if temporary {
            StsError::ScopedCredentialsUnsupported
        } else {
            StsError::ScopedCredentialsNeedTemporary
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_their_data() {
        assert_eq!(
            StsError::PackedPolicyTooLarge { percent: 112 }.to_string(),
            "Packed policy consumes 112% of allotted space, please use smaller policy."
        );
        assert_eq!(
            StsError::SessionCredentials {
                operation: "GetSessionToken".into()
            }
            .to_string(),
            "Cannot call GetSessionToken with session credentials"
        );
        assert_eq!(
            StsError::NotAuthorized {
                who: "arn:aws:iam::1:user/a".into(),
                action: "sts:AssumeRole".into(),
                resource: "arn:aws:iam::1:role/r".into()
            }
            .to_string(),
            "User: arn:aws:iam::1:user/a is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::1:role/r"
        );
        assert_eq!(
            StsError::Token(WebIdentityError::Expired).to_string(),
            WebIdentityError::Expired.to_string()
        );
        assert_eq!(
            StsError::SessionTags(TagError::Reserved).to_string(),
            TagError::Reserved.to_string()
        );
    }

    #[test]
    fn scoped_credentials_by_credential_kind() {
        assert_eq!(
            StsError::scoped_credentials(true),
            StsError::ScopedCredentialsUnsupported
        );
        assert_eq!(
            StsError::scoped_credentials(false),
            StsError::ScopedCredentialsNeedTemporary
        );
    }
}
