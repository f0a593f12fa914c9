//! Schema migrations, applied in order at open; `PRAGMA user_version` records how many ran.

pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: accounts, users, tags, access keys.
    "CREATE TABLE accounts (
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
    CREATE INDEX access_keys_owner ON access_keys (account, user_id);",
    // 2: groups and membership.
    "CREATE TABLE groups (
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
    CREATE INDEX group_members_user ON group_members (user_id);",
    // 3: inline policies of users, groups and roles.
    "CREATE TABLE inline_policies (
        owner_id TEXT NOT NULL,
        name TEXT NOT NULL,
        document TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (owner_id, name)
    );",
    // 4: customer managed policies, their versions, and attachments.
    "CREATE TABLE policies (
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
    CREATE INDEX attachments_policy ON attachments (account, policy_arn);",
    // 5: tags of every entity kind in one table (user tags move over).
    "CREATE TABLE entity_tags (
        entity_id TEXT NOT NULL,
        key_lc TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (entity_id, key_lc)
    );
    INSERT INTO entity_tags (entity_id, key_lc, key, value, seq) SELECT user_id, key_lc, key, value, seq FROM user_tags;
    DROP TABLE user_tags;",
    // 6: roles.
    "CREATE TABLE roles (
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
    );",
    // 7: account aliases.
    "CREATE TABLE account_aliases (
        alias TEXT PRIMARY KEY,
        account TEXT NOT NULL UNIQUE REFERENCES accounts(id) ON DELETE CASCADE
    );",
    // 9: SSH public keys, service-specific credentials, signing certificates, server certificates.
    "CREATE TABLE ssh_public_keys (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status TEXT NOT NULL,
        uploaded TEXT NOT NULL,
        UNIQUE (user_id, fingerprint)
    );
    CREATE TABLE service_credentials (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id),
        service_name TEXT NOT NULL,
        service_user_name TEXT NOT NULL,
        password BLOB NOT NULL,
        status TEXT NOT NULL,
        created TEXT NOT NULL,
        expiration TEXT
    );
    CREATE INDEX service_credentials_owner ON service_credentials (account, user_id);
    CREATE TABLE signing_certificates (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        user_id TEXT REFERENCES users(id),
        body TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status TEXT NOT NULL,
        uploaded TEXT NOT NULL,
        UNIQUE (account, fingerprint)
    );
    CREATE TABLE server_certificates (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        name_lc TEXT NOT NULL,
        path TEXT NOT NULL,
        body TEXT NOT NULL,
        chain TEXT,
        private_key BLOB NOT NULL,
        uploaded TEXT NOT NULL,
        expiration TEXT NOT NULL,
        UNIQUE (account, name_lc)
    );",
    // 8: instance profiles and their roles; OpenID Connect providers and their client ids; SAML
    // providers.
    "CREATE TABLE instance_profiles (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        name_lc TEXT NOT NULL,
        path TEXT NOT NULL,
        created TEXT NOT NULL,
        UNIQUE (account, name_lc)
    );
    CREATE TABLE instance_profile_roles (
        profile_id TEXT NOT NULL REFERENCES instance_profiles(id) ON DELETE CASCADE,
        role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        added TEXT NOT NULL,
        PRIMARY KEY (profile_id, role_id)
    );
    CREATE INDEX instance_profile_roles_role ON instance_profile_roles (role_id);
    CREATE TABLE oidc_providers (
        arn TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        thumbprints TEXT NOT NULL,
        created TEXT NOT NULL,
        UNIQUE (account, url)
    );
    CREATE TABLE oidc_client_ids (
        provider_arn TEXT NOT NULL REFERENCES oidc_providers(arn) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (provider_arn, client_id)
    );
    CREATE TABLE saml_providers (
        arn TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        uuid TEXT NOT NULL,
        metadata TEXT NOT NULL,
        created TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        UNIQUE (account, name)
    );",
    // 10: deletion tasks of service-linked roles (GetServiceLinkedRoleDeletionStatus); indexes
    // for counting a policy's uses as a permissions boundary.
    "CREATE TABLE service_role_deletions (
        task_id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        role_name TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE INDEX users_boundary ON users (account, permissions_boundary);
    CREATE INDEX roles_boundary ON roles (account, permissions_boundary);",
    // 11: account settings (STS preferences, outbound web identity federation, account
    // properties); report jobs; when users and roles last called each action of each service;
    // identity propagation settings of OpenID Connect providers.
    "CREATE TABLE account_settings (
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (account, key)
    );
    CREATE TABLE report_jobs (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE INDEX report_jobs_created ON report_jobs (created);
    CREATE TABLE service_access (
        entity_id TEXT NOT NULL,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        service TEXT NOT NULL,
        action TEXT NOT NULL,
        at TEXT NOT NULL,
        region TEXT NOT NULL,
        PRIMARY KEY (entity_id, service, action)
    );
    ALTER TABLE oidc_providers ADD COLUMN context_provider TEXT;
    ALTER TABLE oidc_providers ADD COLUMN identity_center_instance TEXT;",
    // 12: login profiles (console passwords as Argon2id hashes) and each user's previous
    // password hashes for PasswordReusePrevention. The account password policy is an account
    // setting.
    "CREATE TABLE login_profiles (
        user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        created TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        password_changed TEXT NOT NULL,
        reset_required INTEGER NOT NULL,
        max_session_duration INTEGER
    );
    CREATE TABLE password_history (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (user_id, seq)
    );",
    // 13: the latest credential report of each account.
    "CREATE TABLE credential_reports (
        account TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        generated TEXT NOT NULL,
        content TEXT NOT NULL
    );",
    // 14: virtual MFA devices: the sealed seed, the user a device is enabled for, its measured
    // drift and the last accepted time step (codes are accepted once). Tags live in
    // entity_tags under the serial number and go with the account.
    "CREATE TABLE mfa_devices (
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
    END;",
    // 15: SAML providers' assertion encryption mode and identity propagation settings, and
    // their private keys (sealed), which go with the provider.
    "ALTER TABLE saml_providers ADD COLUMN encryption_mode TEXT;
    ALTER TABLE saml_providers ADD COLUMN context_provider TEXT;
    ALTER TABLE saml_providers ADD COLUMN identity_center_instance TEXT;
    CREATE TABLE saml_private_keys (
        provider_arn TEXT NOT NULL REFERENCES saml_providers(arn) ON DELETE CASCADE,
        key_id TEXT NOT NULL,
        sealed BLOB NOT NULL,
        uploaded TEXT NOT NULL,
        PRIMARY KEY (provider_arn, key_id)
    );",
];
