//! Report jobs shared by the service last accessed and Organizations access reports: a job
//! records what was asked for; reports are complete as soon as they are asked for and are
//! computed from the current data when read. Jobs are forgotten after [`RETENTION`] (core's
//! `iam::report_jobs` records them).

use crate::handlers::{Ctx, iam_error, store_failure, write};
use portcullis_core::IamError;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::report_jobs;
use portcullis_core::reports::{ReportJob, ReportKind};
use portcullis_proto::AwsError;

pub use portcullis_core::iam::report_jobs::RETENTION;

/// Records a new job; answers its id.
pub fn create_job(
    ctx: &Ctx,
    kind: ReportKind,
    target: &str,
    detail: &str,
) -> Result<String, AwsError> {
    let job = ReportJob {
        id: uuid::Uuid::new_v4().to_string(),
        account: ctx.account()?.to_string(),
        kind,
        target: target.to_string(),
        detail: detail.to_string(),
        created: ctx.now,
    };
    write(ctx, |tx| report_jobs::create(tx, &job))?;
    Ok(job.id)
}

/// The job `id` of this kind in the caller's account.
pub fn find_job(ctx: &Ctx, kind: ReportKind, id: &str) -> Result<ReportJob, AwsError> {
    ctx.app
        .store
        .get_report_job(ctx.account()?, id)
        .map_err(store_failure)?
        .filter(|j| j.kind == kind)
        .ok_or_else(|| iam_error(IamError::no_such(EntityKind::ReportJob, id)))
}
