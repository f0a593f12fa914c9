//! What the OpenID Connect and SAML provider handlers share: checking a provider ARN (core's
//! rule, [`portcullis_core::iam::provider_inputs::check_arn`]).

use crate::handlers::iam_error;
use portcullis_core::iam::provider_inputs;
use portcullis_proto::AwsError;

/// `arn:aws:iam::ACCOUNT:{resource}/NAME`, or InvalidInput.
pub fn check_arn(arn: &str, resource: &str) -> Result<(), AwsError> {
    provider_inputs::check_arn(arn, resource).map_err(iam_error)
}
