//! STS operations whose feature this server does not offer, answering with the error AWS gives
//! an account that does not use the feature (never a generic "not implemented").

use crate::handlers::Ctx;
use portcullis_proto::AwsError;
use std::convert::Infallible;

/// AssumeRoot needs an organization's management account; accounts here are in none.
pub fn assume_root(_ctx: &Ctx) -> Result<Infallible, AwsError> {
    Err(AwsError::access_denied(
        "AssumeRoot is available only to the management account of an organization or its delegated administrator, and this account is not in an organization.",
    ))
}

/// Outbound web identity federation is never enabled here.
pub fn get_web_identity_token(_ctx: &Ctx) -> Result<Infallible, AwsError> {
    Err(AwsError::new(
        "OutboundWebIdentityFederationDisabledException",
        403,
        "The outbound web identity federation feature is not enabled for this account.",
    ))
}

/// Trade-in tokens come from AWS services this server does not run, so none is valid.
pub fn get_delegated_access_token(_ctx: &Ctx) -> Result<Infallible, AwsError> {
    Err(AwsError::new(
        "ExpiredTradeInTokenException",
        400,
        "The trade-in token provided in the request is not valid or has expired.",
    ))
}

/// Scoped credentials are derived from temporary credentials only.
pub fn get_scoped_credentials(ctx: &Ctx) -> Result<Infallible, AwsError> {
    let temporary = ctx.caller()?.session.is_some();
    Err(AwsError::new(
        "InvalidSubjectCredentialsException",
        400,
        if temporary {
            "GetScopedCredentials is not supported by this server; use AssumeRole with a session policy instead."
        } else {
            "GetScopedCredentials requires temporary security credentials."
        },
    ))
}

/// SAML assertions are not verified by this server yet, so none is accepted.
pub fn assume_role_with_saml(_ctx: &Ctx) -> Result<Infallible, AwsError> {
    Err(AwsError::new(
        "InvalidIdentityToken",
        400,
        "SAML assertions cannot be verified by this server; use AssumeRoleWithWebIdentity or AssumeRole.",
    ))
}
