//! The [`AuditOutboxStore`] family of the storage contract (see [`crate::store`]): the audit
//! record of a change, written in the change's own transaction ([`AuditOutboxTx`]), so that one
//! commit makes both durable; the audit writer removes it once the record is on disk in the
//! audit log, and a start after a crash moves what is left into the log.

use super::*;

/// Audit records of changes not yet known to be on disk in the audit log.
pub trait AuditOutboxStore {
    /// The records waiting for the log `log_id`, as `(event id, record)`, in the order they
    /// were written.
    fn pending_audit_records(&self, log_id: &str) -> StoreResult<Vec<(String, String)>>;
    /// Forgets these records (the audit log has them on disk); unknown ids are ignored.
    fn remove_audit_records(&self, event_ids: &[String]) -> StoreResult<()>;
}

/// The audit record of the change being made, inside its write transaction.
pub trait AuditOutboxTx {
    /// Keeps `record` under `event_id` for the log `log_id`; a second call with the same id
    /// keeps the first.
    fn put_audit_record(&self, log_id: &str, event_id: &str, record: &str) -> StoreResult<()>;
}
