//! Report jobs (GenerateServiceLastAccessedDetails, GenerateOrganizationsAccessReport) as a
//! domain service, inside one write transaction: a job is recorded with what was asked for, and
//! the jobs older than [`RETENTION`] are forgotten in the same write, so a job id stays valid
//! for that long.

use crate::error::IamResult;
use crate::reports::ReportJob;
use crate::store::Tx;
use chrono::TimeDelta;

/// How long a job id stays valid.
pub const RETENTION: TimeDelta = TimeDelta::days(30);

/// Records `job` (created at `job.created`) and forgets the jobs older than [`RETENTION`].
pub fn create(tx: &dyn Tx, job: &ReportJob) -> IamResult<()> {
    Ok(tx.create_report_job(job, job.created - RETENTION)?)
}
