//! Organizations features of IAM (centralized root access, Organizations access reports),
//! answered as AWS answers an account that is not in an organization: accounts served here
//! belong to none.

use crate::handlers::report_jobs;
use crate::handlers::{Ctx, HandlerResult};
use portcullis_core::clock::iso8601;
use portcullis_core::reports::ReportKind;
use portcullis_proto::AwsError;
use portcullis_proto::xml::XmlWriter;
use std::convert::Infallible;

const NO_ORGANIZATION: &str =
    "The request was rejected because no organization is associated with your account.";

/// The model gives Organizations exceptions no HTTP status; AWS answers them as 400.
fn organization_not_found() -> AwsError {
    AwsError::new("OrganizationNotFoundException", 400, NO_ORGANIZATION)
}

/// ListOrganizationsFeatures, Enable/DisableOrganizationsRootCredentialsManagement and
/// Enable/DisableOrganizationsRootSessions.
pub fn root_access_feature(_ctx: &Ctx) -> Result<Infallible, AwsError> {
    Err(organization_not_found())
}

/// The job is accepted (the model gives this operation no error for it) and fails.
pub fn generate_organizations_access_report(ctx: &Ctx) -> HandlerResult {
    let policy = ctx.param("OrganizationsPolicyId").unwrap_or_default();
    report_jobs::create(
        ctx,
        ReportKind::OrganizationsAccess,
        ctx.required("EntityPath"),
        policy,
    )
}

pub fn get_organizations_access_report(ctx: &Ctx) -> HandlerResult {
    let job = report_jobs::find(ctx, ReportKind::OrganizationsAccess)?;
    let created = iso8601(job.created);
    let mut w = XmlWriter::new();
    w.elem("JobStatus", "FAILED")
        .elem("JobCreationDate", &created)
        .elem("JobCompletionDate", &created)
        .bool("IsTruncated", false)
        .open("ErrorDetails")
        .elem("Message", NO_ORGANIZATION)
        .elem("Code", "OrganizationNotFoundException")
        .close("ErrorDetails");
    Ok(w.finish())
}
