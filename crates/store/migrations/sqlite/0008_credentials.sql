-- SSH public keys, service-specific credentials, signing certificates, server certificates.
CREATE TABLE ssh_public_keys (
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
    );
