-- Console sign-in throttle: consecutive failures and the last attempt per key (a digest of a
-- user name or a source address), shared by every server on the database.
CREATE TABLE signin_throttle (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last TEXT NOT NULL
    );
CREATE INDEX signin_throttle_last ON signin_throttle (last);
-- A credential report being generated: one generation at a time per account.
CREATE TABLE credential_report_claims (
        account TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        since TEXT NOT NULL
    );
