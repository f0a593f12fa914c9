//! GenerateCredentialReport and GetCredentialReport. One report is kept per account; asking
//! again while it is current keeps it, later asks build a new one (core's
//! [`credential_report`]: the freshness window, the generation and its rows, and reading it
//! with AWS's refusals). The report is
//! built as soon as it is asked for; one generation runs at a time per account, across every
//! server sharing the store (a claim in the store): meanwhile GenerateCredentialReport answers
//! INPROGRESS and GetCredentialReport, without a current report, `ReportInProgress`.

use crate::handlers::{Ctx, iam_error, store_failure};
use portcullis_core::iam::credential_report;
use portcullis_core::reports::ReportClaim;
use portcullis_proto::AwsError;
use portcullis_proto::output::{Blob, GenerateCredentialReportOutput, GetCredentialReportOutput};

pub fn generate_credential_report(ctx: &Ctx) -> Result<GenerateCredentialReportOutput, AwsError> {
    let account = ctx.account()?;
    let generated = credential_report::generate(&*ctx.app.store, account, ctx.now);
    let (state, description) = match generated.map_err(store_failure)? {
        ReportClaim::Fresh => ("COMPLETE", None),
        ReportClaim::InProgress => (
            "INPROGRESS",
            Some("A report generation task is in progress"),
        ),
        ReportClaim::Claimed { expired: true } => (
            "STARTED",
            Some("The report has expired. Starting a new report generation task"),
        ),
        ReportClaim::Claimed { expired: false } => (
            "STARTED",
            Some("No report exists. Starting a new report generation task"),
        ),
    };
    Ok(GenerateCredentialReportOutput {
        state: Some(state.into()),
        description: description.map(str::to_string),
    })
}

pub fn get_credential_report(ctx: &Ctx) -> Result<GetCredentialReportOutput, AwsError> {
    let account = ctx.account()?;
    let (generated, text) =
        credential_report::read(&*ctx.app.store, account, ctx.now).map_err(iam_error)?;
    Ok(GetCredentialReportOutput {
        content: Some(Blob(text.into_bytes())),
        report_format: Some("text/csv".into()),
        generated_time: Some(generated),
    })
}
