-- Customer managed policies, their versions, and attachments.
CREATE TABLE policies (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        arn TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        name_lc TEXT NOT NULL,
        path TEXT NOT NULL,
        description TEXT,
        default_version TEXT NOT NULL,
        next_version INTEGER NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        UNIQUE (account, name_lc)
    );
CREATE TABLE policy_versions (
        policy_id TEXT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
        version_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        document TEXT NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (policy_id, version_id)
    );
CREATE TABLE attachments (
        account TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        owner_kind TEXT NOT NULL,
        policy_arn TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (owner_id, policy_arn)
    );
CREATE INDEX attachments_policy ON attachments (account, policy_arn);
