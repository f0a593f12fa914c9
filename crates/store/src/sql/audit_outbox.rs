//! The audit outbox: the record of a change, kept in the change's own transaction until the
//! audit log has it on disk (`AuditOutboxStore` and `AuditOutboxTx` on SQLite).

use crate::sqlite::{SqliteStore, SqliteTx, all_rows, exec};
use portcullis_core::StoreResult;
use portcullis_core::store::AuditOutboxTx;
use portcullis_core::store::prelude::*;

impl AuditOutboxStore for SqliteStore {
    fn pending_audit_records(&self, log_id: &str) -> StoreResult<Vec<(String, String)>> {
        all_rows(
            &self.read(),
            "SELECT event_id, record FROM audit_outbox WHERE log_id = ?1 ORDER BY seq",
            [log_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    fn remove_audit_records(&self, event_ids: &[String]) -> StoreResult<()> {
        self.write(|tx| {
            for id in event_ids {
                exec(tx, "DELETE FROM audit_outbox WHERE event_id = ?1", [id])?;
            }
            Ok(())
        })
    }
}

impl AuditOutboxTx for SqliteTx<'_> {
    fn put_audit_record(&self, log_id: &str, event_id: &str, record: &str) -> StoreResult<()> {
        exec(
            self.0,
            "INSERT INTO audit_outbox (log_id, event_id, record) VALUES (?1, ?2, ?3)
             ON CONFLICT (event_id) DO NOTHING",
            [log_id, event_id, record],
        )
    }
}
