-- The audit record of a change, written in the change's own transaction; the audit writer
-- removes it once the audit log has it on disk. `log_id` names the log (its signing key) that
-- will hold it, so that nodes sharing a database recover only their own records.
CREATE TABLE audit_outbox (
    seq      INTEGER PRIMARY KEY,
    log_id   TEXT NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
    record   TEXT NOT NULL
);
