//! Delegation requests and role templates: AWS-internal features (partner onboarding, service
//! role templates) that no account served here takes part in. Each operation answers as AWS
//! answers an account that has none: empty lists, and NoSuchEntity for any id or ARN.

use crate::handlers::{Ctx, HandlerResult};
use portcullis_policy::Arn;
use portcullis_proto::AwsError;
use portcullis_proto::xml::XmlWriter;

fn no_such_request(ctx: &Ctx) -> AwsError {
    let id = ctx.required("DelegationRequestId");
    AwsError::no_such_entity(format!(
        "The delegation request with id {id} cannot be found."
    ))
}

/// Accept/Associate/Reject/UpdateDelegationRequest, SendDelegationToken and
/// GetDelegationRequest: the account has no delegation requests.
pub fn delegation_request_by_id(ctx: &Ctx) -> HandlerResult {
    Err(no_such_request(ctx))
}

/// No request is owned by or assigned to the account. (The model spells the flag
/// `isTruncated` in this operation's output.)
pub fn list_delegation_requests(_ctx: &Ctx) -> HandlerResult {
    let mut w = XmlWriter::new();
    w.open("DelegationRequests")
        .close("DelegationRequests")
        .bool("isTruncated", false);
    Ok(w.finish())
}

/// Only partner accounts enrolled in delegated onboarding create delegation requests.
pub fn create_delegation_request(_ctx: &Ctx) -> HandlerResult {
    Err(AwsError::invalid_input(
        "Delegation requests can be created only by partner accounts enrolled in delegated onboarding.",
    ))
}

/// A well-formed ARN, or InvalidInput.
fn parse_arn<'a>(arn: &'a str) -> Result<Arn<'a>, AwsError> {
    Arn::parse(arn)
        .filter(|a| !a.partition.is_empty() && !a.service.is_empty() && !a.resource.is_empty())
        .ok_or_else(|| AwsError::invalid_input(format!("ARN {arn} is not valid.")))
}

/// AcquireRole and GetRoleTemplateVersion: no role template exists for the account.
pub fn role_template(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required("TemplateArn");
    parse_arn(arn)?;
    Err(AwsError::no_such_entity(format!(
        "The role template {arn} cannot be found."
    )))
}

/// Summaries exist only for delegation requests, and the account has none.
pub fn get_human_readable_summary(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required("EntityArn");
    if parse_arn(arn)?.resource.starts_with("delegation-request/") {
        Err(AwsError::no_such_entity(format!(
            "The delegation request {arn} cannot be found."
        )))
    } else {
        Err(AwsError::invalid_input(
            "Human readable summaries are available only for delegation-request entities.",
        ))
    }
}
