//! Operations in AWS's models that Portcullis does not implement yet: the workload identity
//! family (IAM providers, outbound signers, templates; STS GetCertificate, GetTrustBundles and
//! IssueWorkloadIdentityContext) and organization-level resources. They are decoded and
//! validated like every other operation, then answer a well-formed `NotImplemented` error that
//! names the operation, so nothing claims coverage that is not there.

use crate::handlers::{Ctx, iam_error};
use portcullis_core::IamError;
use portcullis_proto::AwsError;
use std::convert::Infallible;

/// The answer of each such operation (the route table lists them): HTTP 501, code
/// `NotImplemented`, naming the operation.
pub fn not_implemented(ctx: &Ctx) -> Result<Infallible, AwsError> {
    Err(iam_error(IamError::NotImplemented(
        ctx.op.name().to_string(),
    )))
}
