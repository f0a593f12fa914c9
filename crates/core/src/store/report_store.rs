//! The [`ReportStore`] family of the storage contract (see [`crate::store`]), and [`ReportTx`],
//! the data-only write `crate::iam::report_jobs` makes inside one transaction.

use super::*;

/// Report jobs, the credential report and service last accessed data.
pub trait ReportStore {
    // Report jobs (service last accessed, Organizations access), addressed by id in an account.
    fn get_report_job(&self, account: &str, id: &str) -> StoreResult<Option<ReportJob>>;
    // The credential report: the latest one per account.
    /// Replaces the account's report (and ends a claim of its generation).
    fn put_credential_report(
        &self,
        account: &str,
        generated: DateTime<Utc>,
        content: &str,
    ) -> StoreResult<()>;
    /// The account's latest report and when it was generated.
    fn credential_report(&self, account: &str) -> StoreResult<Option<(DateTime<Utc>, String)>>;
    /// Claims the generation of the account's report at `now`, atomically: `Fresh` when the
    /// report was generated after `fresh_after`, `InProgress` when another claim was made
    /// after `claimed_after` (an older claim is abandoned and taken over), else `Claimed`.
    /// [`Self::put_credential_report`] ends the claim.
    fn claim_credential_report(
        &self,
        account: &str,
        now: DateTime<Utc>,
        fresh_after: DateTime<Utc>,
        claimed_after: DateTime<Utc>,
    ) -> StoreResult<ReportClaim>;
    /// Ends a claim without a report (the generation failed).
    fn release_credential_report(&self, account: &str) -> StoreResult<()>;
    /// Whether a claim made after `claimed_after` is generating the account's report.
    fn credential_report_in_progress(
        &self,
        account: &str,
        claimed_after: DateTime<Utc>,
    ) -> StoreResult<bool>;
    // When users and roles last called each action of each service.
    /// Records a call; a record already as new or newer is kept.
    fn record_service_access(&self, account: &str, access: &ServiceAccess) -> StoreResult<()>;
    /// The records of these users and roles (by unique id), in no particular order.
    fn service_access(&self, entity_ids: &[String]) -> StoreResult<Vec<ServiceAccess>>;
}

/// Report jobs inside a write transaction; data only (see [`super::UserTx`]).
pub trait ReportTx {
    /// Stores the job and forgets the jobs created before `forget_before`.
    fn create_report_job(&self, job: &ReportJob, forget_before: DateTime<Utc>) -> StoreResult<()>;
}
