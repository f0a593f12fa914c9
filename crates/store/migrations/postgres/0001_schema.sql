-- The schema SQLite's migrations 0001-0015 build, for PostgreSQL: text compares byte by byte
-- (COLLATE "C", as in SQLite), integers are BIGINT, sealed secrets BYTEA, times fixed-width UTC
-- text (so text order is time order, as in SQLite).
CREATE TABLE accounts (
    id TEXT COLLATE "C" PRIMARY KEY,
    created TEXT COLLATE "C" NOT NULL
);
CREATE TABLE users (
    id TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT COLLATE "C" NOT NULL,
    name_lc TEXT COLLATE "C" NOT NULL,
    path TEXT COLLATE "C" NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    password_last_used TEXT COLLATE "C",
    permissions_boundary TEXT COLLATE "C",
    UNIQUE (account, name_lc)
);
CREATE INDEX users_boundary ON users (account, permissions_boundary);
CREATE TABLE access_keys (
    id TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id TEXT COLLATE "C" REFERENCES users(id),
    status TEXT COLLATE "C" NOT NULL,
    secret BYTEA NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    last_used_at TEXT COLLATE "C",
    last_used_service TEXT COLLATE "C",
    last_used_region TEXT COLLATE "C"
);
CREATE INDEX access_keys_owner ON access_keys (account, user_id);
CREATE TABLE groups (
    id TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT COLLATE "C" NOT NULL,
    name_lc TEXT COLLATE "C" NOT NULL,
    path TEXT COLLATE "C" NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    UNIQUE (account, name_lc)
);
CREATE TABLE group_members (
    group_id TEXT COLLATE "C" NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);
CREATE TABLE inline_policies (
    owner_id TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    document TEXT COLLATE "C" NOT NULL,
    size BIGINT NOT NULL,
    PRIMARY KEY (owner_id, name)
);
CREATE TABLE policies (
    id TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    arn TEXT COLLATE "C" NOT NULL UNIQUE,
    name TEXT COLLATE "C" NOT NULL,
    name_lc TEXT COLLATE "C" NOT NULL,
    path TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C",
    default_version TEXT COLLATE "C" NOT NULL,
    next_version BIGINT NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    updated TEXT COLLATE "C" NOT NULL,
    UNIQUE (account, name_lc)
);
CREATE TABLE policy_versions (
    policy_id TEXT COLLATE "C" NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
    version_id TEXT COLLATE "C" NOT NULL,
    number BIGINT NOT NULL,
    document TEXT COLLATE "C" NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (policy_id, version_id)
);
CREATE TABLE attachments (
    account TEXT COLLATE "C" NOT NULL,
    owner_id TEXT COLLATE "C" NOT NULL,
    owner_kind TEXT COLLATE "C" NOT NULL,
    policy_arn TEXT COLLATE "C" NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (owner_id, policy_arn)
);
CREATE INDEX attachments_policy ON attachments (account, policy_arn);
CREATE TABLE entity_tags (
    entity_id TEXT COLLATE "C" NOT NULL,
    key_lc TEXT COLLATE "C" NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (entity_id, key_lc)
);
CREATE TABLE roles (
    id TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT COLLATE "C" NOT NULL,
    name_lc TEXT COLLATE "C" NOT NULL,
    path TEXT COLLATE "C" NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    assume_role_policy TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C",
    max_session_duration BIGINT NOT NULL,
    permissions_boundary TEXT COLLATE "C",
    last_used_at TEXT COLLATE "C",
    last_used_region TEXT COLLATE "C",
    UNIQUE (account, name_lc)
);
CREATE INDEX roles_boundary ON roles (account, permissions_boundary);
CREATE TABLE account_aliases (
    alias TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES accounts(id) ON DELETE CASCADE
);
CREATE TABLE ssh_public_keys (
    id TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    body TEXT COLLATE "C" NOT NULL,
    fingerprint TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    uploaded TEXT COLLATE "C" NOT NULL,
    UNIQUE (user_id, fingerprint)
);
CREATE TABLE service_credentials (
    id TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    service_name TEXT COLLATE "C" NOT NULL,
    service_user_name TEXT COLLATE "C" NOT NULL,
    password BYTEA NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    expiration TEXT COLLATE "C"
);
CREATE INDEX service_credentials_owner ON service_credentials (account, user_id);
CREATE TABLE signing_certificates (
    id TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id TEXT COLLATE "C" REFERENCES users(id),
    body TEXT COLLATE "C" NOT NULL,
    fingerprint TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    uploaded TEXT COLLATE "C" NOT NULL,
    UNIQUE (account, fingerprint)
);
CREATE TABLE server_certificates (
    id TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT COLLATE "C" NOT NULL,
    name_lc TEXT COLLATE "C" NOT NULL,
    path TEXT COLLATE "C" NOT NULL,
    body TEXT COLLATE "C" NOT NULL,
    chain TEXT COLLATE "C",
    private_key BYTEA NOT NULL,
    uploaded TEXT COLLATE "C" NOT NULL,
    expiration TEXT COLLATE "C" NOT NULL,
    UNIQUE (account, name_lc)
);
CREATE TABLE instance_profiles (
    id TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT COLLATE "C" NOT NULL,
    name_lc TEXT COLLATE "C" NOT NULL,
    path TEXT COLLATE "C" NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    UNIQUE (account, name_lc)
);
CREATE TABLE instance_profile_roles (
    profile_id TEXT COLLATE "C" NOT NULL REFERENCES instance_profiles(id) ON DELETE CASCADE,
    role_id TEXT COLLATE "C" NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    added TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (profile_id, role_id)
);
CREATE INDEX instance_profile_roles_role ON instance_profile_roles (role_id);
CREATE TABLE oidc_providers (
    arn TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    url TEXT COLLATE "C" NOT NULL,
    thumbprints TEXT COLLATE "C" NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    context_provider TEXT COLLATE "C",
    identity_center_instance TEXT COLLATE "C",
    UNIQUE (account, url)
);
CREATE TABLE oidc_client_ids (
    provider_arn TEXT COLLATE "C" NOT NULL REFERENCES oidc_providers(arn) ON DELETE CASCADE,
    client_id TEXT COLLATE "C" NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (provider_arn, client_id)
);
CREATE TABLE saml_providers (
    arn TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT COLLATE "C" NOT NULL,
    uuid TEXT COLLATE "C" NOT NULL,
    metadata TEXT COLLATE "C" NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    valid_until TEXT COLLATE "C" NOT NULL,
    encryption_mode TEXT COLLATE "C",
    context_provider TEXT COLLATE "C",
    identity_center_instance TEXT COLLATE "C",
    UNIQUE (account, name)
);
CREATE TABLE saml_private_keys (
    provider_arn TEXT COLLATE "C" NOT NULL REFERENCES saml_providers(arn) ON DELETE CASCADE,
    key_id TEXT COLLATE "C" NOT NULL,
    sealed BYTEA NOT NULL,
    uploaded TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (provider_arn, key_id)
);
CREATE TABLE service_role_deletions (
    task_id TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    role_name TEXT COLLATE "C" NOT NULL,
    created TEXT COLLATE "C" NOT NULL
);
CREATE TABLE account_settings (
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    key TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (account, key)
);
CREATE TABLE report_jobs (
    id TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind TEXT COLLATE "C" NOT NULL,
    target TEXT COLLATE "C" NOT NULL,
    detail TEXT COLLATE "C" NOT NULL,
    created TEXT COLLATE "C" NOT NULL
);
CREATE INDEX report_jobs_created ON report_jobs (created);
CREATE TABLE service_access (
    entity_id TEXT COLLATE "C" NOT NULL,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    service TEXT COLLATE "C" NOT NULL,
    action TEXT COLLATE "C" NOT NULL,
    at TEXT COLLATE "C" NOT NULL,
    region TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (entity_id, service, action)
);
CREATE TABLE login_profiles (
    user_id TEXT COLLATE "C" PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created TEXT COLLATE "C" NOT NULL,
    password_hash TEXT COLLATE "C" NOT NULL,
    password_changed TEXT COLLATE "C" NOT NULL,
    reset_required BIGINT NOT NULL,
    max_session_duration BIGINT
);
CREATE TABLE password_history (
    user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    hash TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_id, seq)
);
CREATE TABLE credential_reports (
    account TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    generated TEXT COLLATE "C" NOT NULL,
    content TEXT COLLATE "C" NOT NULL
);
CREATE TABLE mfa_devices (
    serial TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT COLLATE "C" NOT NULL,
    name_lc TEXT COLLATE "C" NOT NULL,
    path TEXT COLLATE "C" NOT NULL,
    seed BYTEA NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    user_id TEXT COLLATE "C",
    enabled TEXT COLLATE "C",
    drift BIGINT NOT NULL DEFAULT 0,
    last_step BIGINT,
    UNIQUE (account, name_lc)
);
CREATE INDEX mfa_devices_user ON mfa_devices (user_id);
-- A device's tags go with it (SQLite does this with a trigger too).
CREATE FUNCTION mfa_devices_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM entity_tags WHERE entity_id = OLD.serial;
    RETURN OLD;
END;
$$;
CREATE TRIGGER mfa_devices_tags AFTER DELETE ON mfa_devices
    FOR EACH ROW EXECUTE FUNCTION mfa_devices_tags();
