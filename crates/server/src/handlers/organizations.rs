//! Organizations features of IAM (centralized root access, Organizations access reports),
//! answered as AWS answers an account that is not in an organization: accounts served here
//! belong to none.

use crate::handlers::report_jobs;
use crate::handlers::{Ctx, iam_error};
use portcullis_core::IamError;
use portcullis_core::reports::ReportKind;
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    GenerateOrganizationsAccessReportInput, GetOrganizationsAccessReportInput,
};
use portcullis_proto::output::{
    ErrorDetails, GenerateOrganizationsAccessReportOutput, GetOrganizationsAccessReportOutput,
};
use std::convert::Infallible;

fn organization_not_found() -> AwsError {
    iam_error(IamError::NoOrganization)
}

/// ListOrganizationsFeatures, Enable/DisableOrganizationsRootCredentialsManagement and
/// Enable/DisableOrganizationsRootSessions.
pub fn root_access_feature(_ctx: &Ctx) -> Result<Infallible, AwsError> {
    Err(organization_not_found())
}

/// The job is accepted (the model gives this operation no error for it) and fails.
pub fn generate_organizations_access_report(
    ctx: &Ctx,
) -> Result<GenerateOrganizationsAccessReportOutput, AwsError> {
    let i: &GenerateOrganizationsAccessReportInput = ctx.input()?;
    let policy = i.organizations_policy_id.as_deref().unwrap_or_default();
    let kind = ReportKind::OrganizationsAccess;
    Ok(GenerateOrganizationsAccessReportOutput {
        job_id: Some(report_jobs::create_job(ctx, kind, &i.entity_path, policy)?),
    })
}

pub fn get_organizations_access_report(
    ctx: &Ctx,
) -> Result<GetOrganizationsAccessReportOutput, AwsError> {
    let id = &ctx.input::<GetOrganizationsAccessReportInput>()?.job_id;
    let job = report_jobs::find_job(ctx, ReportKind::OrganizationsAccess, id)?;
    Ok(GetOrganizationsAccessReportOutput {
        job_status: "FAILED".into(),
        job_creation_date: job.created,
        job_completion_date: Some(job.created),
        is_truncated: Some(false),
        error_details: Some(ErrorDetails {
            message: IamError::NoOrganization.to_string(),
            code: "OrganizationNotFoundException".into(),
        }),
        ..Default::default()
    })
}
