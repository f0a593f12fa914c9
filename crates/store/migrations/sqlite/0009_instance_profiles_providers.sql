-- Instance profiles and their roles; OpenID Connect providers and their client ids; SAML
-- providers.
CREATE TABLE instance_profiles (
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
    );
