-- The audit record of a change, written in the change's own transaction; the audit writer
-- removes it once the audit log has it on disk.
CREATE TABLE audit_outbox (
    seq      INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    record   TEXT NOT NULL
);
