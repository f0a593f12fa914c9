//! STS operations whose feature this server does not offer, answering with the error AWS gives
//! an account that does not use the feature (never a generic "not implemented"); the words are
//! core's ([`StsError`]).

use crate::handlers::{Ctx, sts_error};
use portcullis_core::StsError;
use portcullis_proto::AwsError;
use std::convert::Infallible;

/// AssumeRoot needs an organization's management account; accounts here are in none.
pub fn assume_root(_ctx: &Ctx) -> Result<Infallible, AwsError> {
    Err(sts_error(StsError::AssumeRootUnavailable))
}

/// Outbound web identity federation is never enabled here.
pub fn get_web_identity_token(_ctx: &Ctx) -> Result<Infallible, AwsError> {
    Err(sts_error(StsError::OutboundFederationDisabled))
}

/// Trade-in tokens come from AWS services this server does not run, so none is valid.
pub fn get_delegated_access_token(_ctx: &Ctx) -> Result<Infallible, AwsError> {
    Err(sts_error(StsError::ExpiredTradeInToken))
}

/// Scoped credentials are derived from temporary credentials only.
pub fn get_scoped_credentials(ctx: &Ctx) -> Result<Infallible, AwsError> {
    let temporary = ctx.caller()?.session.is_some();
    Err(sts_error(StsError::scoped_credentials(temporary)))
}

/// SAML assertions are not verified by this server yet, so none is accepted.
pub fn assume_role_with_saml(_ctx: &Ctx) -> Result<Infallible, AwsError> {
    Err(sts_error(StsError::SamlUnverified))
}
