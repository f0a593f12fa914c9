//! Delegation requests and role templates: AWS-internal features (partner onboarding, service
//! role templates) that no account served here takes part in. Each operation answers as AWS
//! answers an account that has none (core's [`delegation`] words it): empty lists, and
//! NoSuchEntity for any id or ARN.

use crate::handlers::{Ctx, iam_error};
use portcullis_core::IamError;
use portcullis_core::arn::Arn;
use portcullis_core::iam::delegation;
use portcullis_proto::output::ListDelegationRequestsOutput;
use portcullis_proto::{AwsError, Input};
use std::convert::Infallible;

/// The `DelegationRequestId` every operation on one delegation request names.
fn request_id(ctx: &Ctx) -> &str {
    match &ctx.input {
        Input::AcceptDelegationRequest(i) => &i.delegation_request_id,
        Input::AssociateDelegationRequest(i) => &i.delegation_request_id,
        Input::RejectDelegationRequest(i) => &i.delegation_request_id,
        Input::UpdateDelegationRequest(i) => &i.delegation_request_id,
        Input::SendDelegationToken(i) => &i.delegation_request_id,
        Input::GetDelegationRequest(i) => &i.delegation_request_id,
        _ => "",
    }
}

/// Accept/Associate/Reject/UpdateDelegationRequest, SendDelegationToken and
/// GetDelegationRequest: the account has no delegation requests.
pub fn delegation_request_by_id(ctx: &Ctx) -> Result<Infallible, AwsError> {
    delegation::request(request_id(ctx)).map_err(iam_error)
}

/// No request is owned by or assigned to the account.
pub fn list_delegation_requests(_ctx: &Ctx) -> Result<ListDelegationRequestsOutput, AwsError> {
    Ok(ListDelegationRequestsOutput {
        delegation_requests: Some(Vec::new()),
        marker: None,
        is_truncated: Some(false),
    })
}

/// Only partner accounts enrolled in delegated onboarding create delegation requests.
pub fn create_delegation_request(_ctx: &Ctx) -> Result<Infallible, AwsError> {
    delegation::create_request().map_err(iam_error)
}

/// A well-formed ARN, or InvalidInput.
fn parse_arn<'a>(arn: &'a str) -> Result<Arn<'a>, AwsError> {
    portcullis_core::arn::well_formed(arn)
        .ok_or_else(|| iam_error(IamError::InvalidArn(arn.to_string())))
}

/// AcquireRole and GetRoleTemplateVersion: no role template exists for the account.
pub fn role_template(ctx: &Ctx) -> Result<Infallible, AwsError> {
    let arn = match &ctx.input {
        Input::AcquireRole(i) => i.template_arn.as_str(),
        Input::GetRoleTemplateVersion(i) => i.template_arn.as_str(),
        _ => "",
    };
    parse_arn(arn)?;
    delegation::role_template(arn).map_err(iam_error)
}

/// Summaries exist only for delegation requests, and the account has none.
pub fn get_human_readable_summary(ctx: &Ctx) -> Result<Infallible, AwsError> {
    let arn = ctx
        .input::<portcullis_proto::input::GetHumanReadableSummaryInput>()?
        .entity_arn
        .as_str();
    delegation::human_readable_summary(arn, parse_arn(arn)?.resource).map_err(iam_error)
}
