-- Account aliases.
CREATE TABLE account_aliases (
        alias TEXT PRIMARY KEY,
        account TEXT NOT NULL UNIQUE REFERENCES accounts(id) ON DELETE CASCADE
    );
