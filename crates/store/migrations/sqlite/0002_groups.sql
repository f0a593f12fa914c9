-- Groups and membership.
CREATE TABLE groups (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        name_lc TEXT NOT NULL,
        path TEXT NOT NULL,
        created TEXT NOT NULL,
        UNIQUE (account, name_lc)
    );
CREATE TABLE group_members (
        group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        added TEXT NOT NULL,
        PRIMARY KEY (group_id, user_id)
    );
CREATE INDEX group_members_user ON group_members (user_id);
