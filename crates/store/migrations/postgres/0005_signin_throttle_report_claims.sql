-- Console sign-in throttle: consecutive failures and the last attempt per key (a digest of a
-- user name or a source address), shared by every node.
CREATE TABLE signin_throttle (
    key TEXT COLLATE "C" PRIMARY KEY,
    failures BIGINT NOT NULL,
    last TEXT COLLATE "C" NOT NULL
);
CREATE INDEX signin_throttle_last ON signin_throttle (last);
-- A credential report being generated: one generation at a time per account, across nodes.
CREATE TABLE credential_report_claims (
    account TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    since TEXT COLLATE "C" NOT NULL
);
