//! STS's refusals as AWS errors: [`sts_error`] gives each variant of core's
//! [`StsError`](portcullis_core::StsError) AWS's error code and HTTP status, its message being
//! the variant's own words. The one place STS's rules meet the wire, shared by authorization
//! (which may not import the handlers) and the handlers (`handlers::sts_error`).

use portcullis_core::StsError;
use portcullis_core::sts::web_identity::WebIdentityError;
use portcullis_core::tags::TagError;
use portcullis_proto::AwsError;
use portcullis_proto::validate::validation_error;

/// A refusal of STS's rules as AWS answers it.
pub fn sts_error(e: StsError) -> AwsError {
    let message = e.to_string();
    let other = |code: &'static str, status: u16| AwsError::new(code, status, message.clone());
    match &e {
        StsError::ChainedDurationTooLong
        | StsError::DurationOverRoleMax
        | StsError::SourceIdentityReserved
        | StsError::InvalidArn(_) => AwsError::validation(message),
        StsError::SessionTags(TagError::Invalid(errors)) => validation_error(errors),
        StsError::TransitiveKeyNotRequested
        | StsError::TransitiveKeyConflict
        | StsError::PolicyNotAttachable(_)
        | StsError::SessionTags(TagError::Reserved | TagError::Duplicate)
        | StsError::UnknownAccessKey(_) => AwsError::invalid_parameter_value(message),
        StsError::SourceIdentityChanged
        | StsError::SessionCredentials { .. }
        | StsError::AssumeRootUnavailable
        | StsError::WebIdentityDenied { .. }
        | StsError::RootCannotAssume
        | StsError::NotAuthorized { .. }
        | StsError::MfaFailed => AwsError::access_denied(message),
        StsError::PackedPolicyTooLarge { .. } => other("PackedPolicyTooLarge", 400),
        StsError::InvalidAuthorizationMessage => other("InvalidAuthorizationMessageException", 400),
        StsError::OutboundFederationDisabled => {
            other("OutboundWebIdentityFederationDisabledException", 403)
        }
        StsError::ExpiredTradeInToken => other("ExpiredTradeInTokenException", 400),
        StsError::ScopedCredentialsUnsupported | StsError::ScopedCredentialsNeedTemporary => {
            other("InvalidSubjectCredentialsException", 400)
        }
        StsError::Token(WebIdentityError::Expired) => other("ExpiredTokenException", 400),
        StsError::SamlUnverified | StsError::Token(_) | StsError::NoOidcProvider { .. } => {
            other("InvalidIdentityToken", 400)
        }
        StsError::IdpUnreachable => other("IDPCommunicationError", 400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(e: StsError) -> (String, u16, String) {
        let a = sts_error(e);
        (a.code.to_string(), a.status, a.message)
    }

    /// Every refusal as the handlers and authorization wrote it before it moved to core.
    #[test]
    fn each_refusal_keeps_aws_code_status_and_words() {
        let s = |x: &str| x.to_string();
        let cases = [
            (
                StsError::PackedPolicyTooLarge { percent: 101 },
                "PackedPolicyTooLarge",
                400,
                s("Packed policy consumes 101% of allotted space, please use smaller policy."),
            ),
            (
                StsError::ChainedDurationTooLong,
                "ValidationError",
                400,
                s(
                    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
                ),
            ),
            (
                StsError::DurationOverRoleMax,
                "ValidationError",
                400,
                s(
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
                ),
            ),
            (
                StsError::SourceIdentityReserved,
                "ValidationError",
                400,
                s("SourceIdentity must not begin with the prefix 'aws:'."),
            ),
            (
                StsError::SourceIdentityChanged,
                "AccessDenied",
                403,
                s("The source identity of a session cannot be changed once it is set."),
            ),
            (
                StsError::TransitiveKeyNotRequested,
                "InvalidParameterValue",
                400,
                s("The specified transitive tag key must be included in the requested tags."),
            ),
            (
                StsError::TransitiveKeyConflict,
                "InvalidParameterValue",
                400,
                s(
                    "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
                ),
            ),
            (
                StsError::PolicyNotAttachable(s("arn:aws:iam::1:policy/p")),
                "InvalidParameterValue",
                400,
                s("The policy arn:aws:iam::1:policy/p does not exist or is not attachable."),
            ),
            (
                StsError::SessionTags(TagError::Reserved),
                "InvalidParameterValue",
                400,
                TagError::Reserved.to_string(),
            ),
            (
                StsError::SessionTags(TagError::Duplicate),
                "InvalidParameterValue",
                400,
                TagError::Duplicate.to_string(),
            ),
            (
                StsError::SessionTags(TagError::Invalid(vec![s("a"), s("b")])),
                "ValidationError",
                400,
                s("2 validation errors detected: a; b"),
            ),
            (
                StsError::SessionCredentials {
                    operation: s("GetFederationToken"),
                },
                "AccessDenied",
                403,
                s("Cannot call GetFederationToken with session credentials"),
            ),
            (
                StsError::UnknownAccessKey(s("AKIAX")),
                "InvalidParameterValue",
                400,
                s("The access key ID AKIAX is not known to this server."),
            ),
            (
                StsError::InvalidAuthorizationMessage,
                "InvalidAuthorizationMessageException",
                400,
                s("The message is not an encoded authorization message issued by this server."),
            ),
            (
                StsError::AssumeRootUnavailable,
                "AccessDenied",
                403,
                s(
                    "AssumeRoot is available only to the management account of an organization or its delegated administrator, and this account is not in an organization.",
                ),
            ),
            (
                StsError::OutboundFederationDisabled,
                "OutboundWebIdentityFederationDisabledException",
                403,
                s("The outbound web identity federation feature is not enabled for this account."),
            ),
            (
                StsError::ExpiredTradeInToken,
                "ExpiredTradeInTokenException",
                400,
                s("The trade-in token provided in the request is not valid or has expired."),
            ),
            (
                StsError::ScopedCredentialsUnsupported,
                "InvalidSubjectCredentialsException",
                400,
                s(
                    "GetScopedCredentials is not supported by this server; use AssumeRole with a session policy instead.",
                ),
            ),
            (
                StsError::ScopedCredentialsNeedTemporary,
                "InvalidSubjectCredentialsException",
                400,
                s("GetScopedCredentials requires temporary security credentials."),
            ),
            (
                StsError::SamlUnverified,
                "InvalidIdentityToken",
                400,
                s(
                    "SAML assertions cannot be verified by this server; use AssumeRoleWithWebIdentity or AssumeRole.",
                ),
            ),
            (
                StsError::Token(WebIdentityError::Expired),
                "ExpiredTokenException",
                400,
                WebIdentityError::Expired.to_string(),
            ),
            (
                StsError::Token(WebIdentityError::WrongAudience),
                "InvalidIdentityToken",
                400,
                s("Incorrect token audience"),
            ),
            (
                StsError::NoOidcProvider {
                    issuer: s("https://idp.example"),
                },
                "InvalidIdentityToken",
                400,
                s("No OpenIDConnect provider found in your account for https://idp.example"),
            ),
            (
                StsError::IdpUnreachable,
                "IDPCommunicationError",
                400,
                s(
                    "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
                ),
            ),
            (
                StsError::WebIdentityDenied {
                    action: s("sts:TagSession"),
                },
                "AccessDenied",
                403,
                s("Not authorized to perform sts:TagSession"),
            ),
            (
                StsError::RootCannotAssume,
                "AccessDenied",
                403,
                s("Roles may not be assumed by root accounts."),
            ),
            (
                StsError::NotAuthorized {
                    who: s("arn:aws:iam::1:user/a"),
                    action: s("sts:AssumeRole"),
                    resource: s("arn:aws:iam::1:role/r"),
                },
                "AccessDenied",
                403,
                s(
                    "User: arn:aws:iam::1:user/a is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::1:role/r",
                ),
            ),
            (
                StsError::MfaFailed,
                "AccessDenied",
                403,
                s("MultiFactorAuthentication failed with invalid MFA one time pass code."),
            ),
            (
                StsError::InvalidArn(s("nope")),
                "ValidationError",
                400,
                s("nope is invalid"),
            ),
        ];
        for (e, code, status, message) in cases {
            assert_eq!(err(e), (code.to_string(), status, message));
        }
    }
}
