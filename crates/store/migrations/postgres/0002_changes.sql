-- The change log: every write transaction that may change what nodes cache adds a row before it
-- commits (and notifies `portcullis_changes`); nodes read the rows of transactions their last
-- snapshot could not see (by transaction id) and drop their caches. Rows older than a minute
-- are pruned.
CREATE TABLE changes (
    seq BIGSERIAL PRIMARY KEY,
    tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
    at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX changes_tx ON changes (tx);
CREATE INDEX changes_at ON changes (at);
