//! `ReportStore` on SQLite.

use super::*;

impl ReportStore for SqliteStore {
    fn create_report_job(&self, job: &ReportJob, forget_before: DateTime<Utc>) -> StoreResult<()> {
        self.write(|tx| reports::create_job(tx, job, forget_before))
    }

    fn get_report_job(&self, account: &str, id: &str) -> StoreResult<Option<ReportJob>> {
        reports::job(&self.read(), account, id)
    }

    fn put_credential_report(
        &self,
        account: &str,
        generated: DateTime<Utc>,
        content: &str,
    ) -> StoreResult<()> {
        self.write(|tx| reports::put_credential_report(tx, account, generated, content))
    }

    fn credential_report(&self, account: &str) -> StoreResult<Option<(DateTime<Utc>, String)>> {
        reports::credential_report(&self.read(), account)
    }

    fn record_service_access(&self, account: &str, access: &ServiceAccess) -> StoreResult<()> {
        self.write(|tx| reports::record_access(tx, account, access))
    }

    fn service_access(&self, entity_ids: &[String]) -> StoreResult<Vec<ServiceAccess>> {
        reports::access(&self.read(), entity_ids)
    }
}
