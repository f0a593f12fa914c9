-- The latest credential report of each account.
CREATE TABLE credential_reports (
        account TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        generated TEXT NOT NULL,
        content TEXT NOT NULL
    );
