-- Virtual MFA devices: the sealed seed, the user a device is enabled for, its measured drift and
-- the last accepted time step (codes are accepted once). Tags live in entity_tags under the
-- serial number and go with the account.
CREATE TABLE mfa_devices (
        serial TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        name_lc TEXT NOT NULL,
        path TEXT NOT NULL,
        seed BLOB NOT NULL,
        created TEXT NOT NULL,
        user_id TEXT,
        enabled TEXT,
        drift INTEGER NOT NULL DEFAULT 0,
        last_step INTEGER,
        UNIQUE (account, name_lc)
    );
CREATE INDEX mfa_devices_user ON mfa_devices (user_id);
CREATE TRIGGER mfa_devices_tags AFTER DELETE ON mfa_devices BEGIN
        DELETE FROM entity_tags WHERE entity_id = old.serial;
    END;
