//! GenerateCredentialReport and GetCredentialReport. One report is kept per account; asking
//! again while it is current keeps it, later asks build a new one (core's
//! [`credential_report`]: the freshness window, the generation and its rows). The report is
//! built as soon as it is asked for; one generation runs at a time per account, across every
//! server sharing the store (a claim in the store): meanwhile GenerateCredentialReport answers
//! INPROGRESS and GetCredentialReport, without a current report, `ReportInProgress`.

use crate::handlers::{Ctx, store_failure};
use portcullis_core::iam::credential_report::{self, GENERATION_TIMEOUT};
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
    let store = &*ctx.app.store;
    let report = store.credential_report(account).map_err(store_failure)?;
    let current = report
        .as_ref()
        .is_some_and(|(generated, _)| credential_report::is_current(*generated, ctx.now));
    if !current
        && store
            .credential_report_in_progress(account, ctx.now - GENERATION_TIMEOUT)
            .map_err(store_failure)?
    {
        return Err(AwsError::new(
            "ReportInProgress",
            404,
            "The request was rejected because the credential report is still being generated.",
        ));
    }
    let Some((generated, text)) = report else {
        return Err(AwsError::new(
            "ReportNotPresent",
            410,
            "Report is not present. To generate a credential report, use GenerateCredentialReport.",
        ));
    };
    if !current {
        return Err(AwsError::new(
            "ReportExpired",
            410,
            "The most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.",
        ));
    }
    Ok(GetCredentialReportOutput {
        content: Some(Blob(text.into_bytes())),
        report_format: Some("text/csv".into()),
        generated_time: Some(generated),
    })
}
