-- SAML providers' assertion encryption mode and identity propagation settings, and their private
-- keys (sealed), which go with the provider.
ALTER TABLE saml_providers ADD COLUMN encryption_mode TEXT;
ALTER TABLE saml_providers ADD COLUMN context_provider TEXT;
ALTER TABLE saml_providers ADD COLUMN identity_center_instance TEXT;
CREATE TABLE saml_private_keys (
        provider_arn TEXT NOT NULL REFERENCES saml_providers(arn) ON DELETE CASCADE,
        key_id TEXT NOT NULL,
        sealed BLOB NOT NULL,
        uploaded TEXT NOT NULL,
        PRIMARY KEY (provider_arn, key_id)
    );
