//! [`StsError`], every refusal of STS's session rules with AWS's exact wording as its
//! `Display` and AWS's error code as [`StsError::code`]: durations, packed session policies and
//! tags, transitive tags and source identity, web identity tokens and their providers, trust
//! decisions, and the features this server answers as an account that does not use them. The
//! server writes code, status and message as they are (`failure::sts_error`); nothing else
//! words these sentences.

use crate::error::ErrorCode;
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
    /// InvalidParameterValue in STS, constraint violations a ValidationError reporting them
    /// together.
    #[error("{}", tags_message(.0))]
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
    /// GetScopedCredentials with temporary credentials (InvalidSubjectCredentials).
    #[error(
        "GetScopedCredentials is not supported by this server; use AssumeRole with a session policy instead."
    )]
    ScopedCredentialsUnsupported,
    /// GetScopedCredentials with long-term credentials (InvalidSubjectCredentials).
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
    /// A role ARN that is not an ARN (ValidationError).
    #[error("{0} is invalid")]
    InvalidArn(String),
}

/// AWS's message for refused session tags: constraint violations as a ValidationError counts
/// them (`N validation error(s) detected: ...`).
fn tags_message(e: &TagError) -> String {
    match e {
        TagError::Invalid(errors) => {
            let noun = if errors.len() == 1 { "error" } else { "errors" };
            format!("{} validation {noun} detected: {e}", errors.len())
        }
        other => other.to_string(),
    }
}

impl StsError {
    /// AWS's error code for this refusal (and with it the HTTP status).
    pub fn code(&self) -> ErrorCode {
        use ErrorCode as C;
        match self {
            StsError::PackedPolicyTooLarge { .. } => C::PackedPolicyTooLarge,
            StsError::ChainedDurationTooLong
            | StsError::DurationOverRoleMax
            | StsError::SourceIdentityReserved
            | StsError::InvalidArn(_)
            | StsError::SessionTags(TagError::Invalid(_)) => C::ValidationError,
            StsError::TransitiveKeyNotRequested
            | StsError::TransitiveKeyConflict
            | StsError::PolicyNotAttachable(_)
            | StsError::SessionTags(TagError::Reserved | TagError::Duplicate)
            | StsError::UnknownAccessKey(_) => C::InvalidParameterValue,
            StsError::SourceIdentityChanged
            | StsError::SessionCredentials { .. }
            | StsError::AssumeRootUnavailable
            | StsError::WebIdentityDenied { .. }
            | StsError::RootCannotAssume
            | StsError::NotAuthorized { .. } => C::AccessDenied,
            StsError::InvalidAuthorizationMessage => C::InvalidAuthorizationMessageException,
            StsError::OutboundFederationDisabled => {
                C::OutboundWebIdentityFederationDisabledException
            }
            StsError::ExpiredTradeInToken => C::ExpiredTradeInTokenException,
            StsError::ScopedCredentialsUnsupported | StsError::ScopedCredentialsNeedTemporary => {
                C::InvalidSubjectCredentials
            }
            StsError::Token(WebIdentityError::Expired) => C::ExpiredTokenException,
            StsError::SamlUnverified | StsError::Token(_) | StsError::NoOidcProvider { .. } => {
                C::InvalidIdentityToken
            }
            StsError::IdpUnreachable => C::IDPCommunicationError,
        }
    }

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

    fn answer(e: StsError) -> (&'static str, u16, String) {
        (e.code().as_str(), e.code().status(), e.to_string())
    }

    /// Every refusal with the code, status and words the server answered before the rules
    /// moved here (GetScopedCredentials' code now the model's, `InvalidSubjectCredentials`).
    #[test]
    fn each_refusal_keeps_aws_code_status_and_words() {
        let s = |x: &str| x.to_string();
        let cases = [
            (
                StsError::PackedPolicyTooLarge { percent: 101 },
                "PackedPolicyTooLarge",
                400,
                "Packed policy consumes 101% of allotted space, please use smaller policy.",
            ),
            (
                StsError::ChainedDurationTooLong,
                "ValidationError",
                400,
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
            ),
            (
                StsError::DurationOverRoleMax,
                "ValidationError",
                400,
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
            ),
            (
                StsError::SourceIdentityReserved,
                "ValidationError",
                400,
                "SourceIdentity must not begin with the prefix 'aws:'.",
            ),
            (
                StsError::SourceIdentityChanged,
                "AccessDenied",
                403,
                "The source identity of a session cannot be changed once it is set.",
            ),
            (
                StsError::TransitiveKeyNotRequested,
                "InvalidParameterValue",
                400,
                "The specified transitive tag key must be included in the requested tags.",
            ),
            (
                StsError::TransitiveKeyConflict,
                "InvalidParameterValue",
                400,
                "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
            ),
            (
                StsError::PolicyNotAttachable(s("arn:aws:iam::1:policy/p")),
                "InvalidParameterValue",
                400,
                "The policy arn:aws:iam::1:policy/p does not exist or is not attachable.",
            ),
            (
                StsError::SessionTags(TagError::Reserved),
                "InvalidParameterValue",
                400,
                "Tag keys starting with 'aws:' are reserved for internal use and cannot be used.",
            ),
            (
                StsError::SessionTags(TagError::Duplicate),
                "InvalidParameterValue",
                400,
                "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
            ),
            (
                StsError::SessionTags(TagError::Invalid(vec![s("a")])),
                "ValidationError",
                400,
                "1 validation error detected: a",
            ),
            (
                StsError::SessionTags(TagError::Invalid(vec![s("a"), s("b")])),
                "ValidationError",
                400,
                "2 validation errors detected: a; b",
            ),
            (
                StsError::SessionCredentials {
                    operation: s("GetFederationToken"),
                },
                "AccessDenied",
                403,
                "Cannot call GetFederationToken with session credentials",
            ),
            (
                StsError::UnknownAccessKey(s("AKIAX")),
                "InvalidParameterValue",
                400,
                "The access key ID AKIAX is not known to this server.",
            ),
            (
                StsError::InvalidAuthorizationMessage,
                "InvalidAuthorizationMessageException",
                400,
                "The message is not an encoded authorization message issued by this server.",
            ),
            (
                StsError::AssumeRootUnavailable,
                "AccessDenied",
                403,
                "AssumeRoot is available only to the management account of an organization or its delegated administrator, and this account is not in an organization.",
            ),
            (
                StsError::OutboundFederationDisabled,
                "OutboundWebIdentityFederationDisabledException",
                403,
                "The outbound web identity federation feature is not enabled for this account.",
            ),
            (
                StsError::ExpiredTradeInToken,
                "ExpiredTradeInTokenException",
                400,
                "The trade-in token provided in the request is not valid or has expired.",
            ),
            (
                StsError::scoped_credentials(true),
                "InvalidSubjectCredentials",
                400,
                "GetScopedCredentials is not supported by this server; use AssumeRole with a session policy instead.",
            ),
            (
                StsError::scoped_credentials(false),
                "InvalidSubjectCredentials",
                400,
                "GetScopedCredentials requires temporary security credentials.",
            ),
            (
                StsError::SamlUnverified,
                "InvalidIdentityToken",
                400,
                "SAML assertions cannot be verified by this server; use AssumeRoleWithWebIdentity or AssumeRole.",
            ),
            (
                StsError::Token(WebIdentityError::Expired),
                "ExpiredTokenException",
                400,
                "Token expired: current date/time must be before the expiration date/time.",
            ),
            (
                StsError::Token(WebIdentityError::WrongAudience),
                "InvalidIdentityToken",
                400,
                "Incorrect token audience",
            ),
            (
                StsError::NoOidcProvider {
                    issuer: s("https://idp.example"),
                },
                "InvalidIdentityToken",
                400,
                "No OpenIDConnect provider found in your account for https://idp.example",
            ),
            (
                StsError::IdpUnreachable,
                "IDPCommunicationError",
                400,
                "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
            ),
            (
                StsError::WebIdentityDenied {
                    action: s("sts:TagSession"),
                },
                "AccessDenied",
                403,
                "Not authorized to perform sts:TagSession",
            ),
            (
                StsError::RootCannotAssume,
                "AccessDenied",
                403,
                "Roles may not be assumed by root accounts.",
            ),
            (
                StsError::NotAuthorized {
                    who: s("arn:aws:iam::1:user/a"),
                    action: s("sts:AssumeRole"),
                    resource: s("arn:aws:iam::1:role/r"),
                },
                "AccessDenied",
                403,
                "User: arn:aws:iam::1:user/a is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::1:role/r",
            ),
            (
                StsError::InvalidArn(s("nope")),
                "ValidationError",
                400,
                "nope is invalid",
            ),
        ];
        for (e, code, status, message) in cases {
            assert_eq!(answer(e), (code, status, message.to_string()));
        }
    }
}
