-- Deletion tasks of service-linked roles (GetServiceLinkedRoleDeletionStatus); indexes for
-- counting a policy's uses as a permissions boundary.
CREATE TABLE service_role_deletions (
        task_id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        role_name TEXT NOT NULL,
        created TEXT NOT NULL
    );
CREATE INDEX users_boundary ON users (account, permissions_boundary);
CREATE INDEX roles_boundary ON roles (account, permissions_boundary);
