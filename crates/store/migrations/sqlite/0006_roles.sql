-- Roles.
CREATE TABLE roles (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        name_lc TEXT NOT NULL,
        path TEXT NOT NULL,
        created TEXT NOT NULL,
        assume_role_policy TEXT NOT NULL,
        description TEXT,
        max_session_duration INTEGER NOT NULL,
        permissions_boundary TEXT,
        last_used_at TEXT,
        last_used_region TEXT,
        UNIQUE (account, name_lc)
    );
