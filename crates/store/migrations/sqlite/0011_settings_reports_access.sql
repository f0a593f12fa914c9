-- Account settings (STS preferences, outbound web identity federation, account properties);
-- report jobs; when users and roles last called each action of each service; identity propagation
-- settings of OpenID Connect providers.
CREATE TABLE account_settings (
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
ALTER TABLE oidc_providers ADD COLUMN identity_center_instance TEXT;
