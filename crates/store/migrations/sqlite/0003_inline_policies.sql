-- Inline policies of users, groups and roles.
CREATE TABLE inline_policies (
        owner_id TEXT NOT NULL,
        name TEXT NOT NULL,
        document TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (owner_id, name)
    );
