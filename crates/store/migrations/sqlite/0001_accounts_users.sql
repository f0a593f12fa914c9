-- Accounts, users, tags, access keys.
CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        created TEXT NOT NULL
    );
CREATE TABLE users (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        name_lc TEXT NOT NULL,
        path TEXT NOT NULL,
        created TEXT NOT NULL,
        password_last_used TEXT,
        permissions_boundary TEXT,
        UNIQUE (account, name_lc)
    );
CREATE TABLE user_tags (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        key_lc TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (user_id, key_lc)
    );
CREATE TABLE access_keys (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        user_id TEXT REFERENCES users(id),
        status TEXT NOT NULL,
        secret BLOB NOT NULL,
        created TEXT NOT NULL,
        last_used_at TEXT,
        last_used_service TEXT,
        last_used_region TEXT
    );
CREATE INDEX access_keys_owner ON access_keys (account, user_id);
