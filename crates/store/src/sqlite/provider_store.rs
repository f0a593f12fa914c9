//! `ProviderStore` on SQLite.

use super::*;

impl ProviderStore for SqliteStore {
    fn create_oidc_provider(
        &self,
        provider: &OidcProvider,
        propagation: &IdentityPropagation,
        tags: &[Tag],
        max: usize,
    ) -> StoreResult<()> {
        self.write(|tx| oidc::create(tx, provider, propagation, tags, max))
    }

    fn get_oidc_provider(&self, account: &str, arn: &str) -> StoreResult<Option<OidcProvider>> {
        oidc::find(&self.read(), account, arn)
    }

    fn list_oidc_providers(&self, account: &str) -> StoreResult<Vec<OidcProvider>> {
        oidc::list(&self.read(), account)
    }

    fn delete_oidc_provider(&self, account: &str, arn: &str) -> StoreResult<()> {
        self.write(|tx| oidc::delete(tx, account, arn))
    }

    fn set_oidc_thumbprints(
        &self,
        account: &str,
        arn: &str,
        thumbprints: &[String],
    ) -> StoreResult<()> {
        self.write(|tx| oidc::set_thumbprints(tx, account, arn, thumbprints))
    }

    fn add_oidc_client_id(
        &self,
        account: &str,
        arn: &str,
        client_id: &str,
        max: usize,
    ) -> StoreResult<()> {
        self.write(|tx| oidc::add_client_id(tx, account, arn, client_id, max))
    }

    fn remove_oidc_client_id(&self, account: &str, arn: &str, client_id: &str) -> StoreResult<()> {
        self.write(|tx| oidc::remove_client_id(tx, account, arn, client_id))
    }

    fn create_saml_provider(
        &self,
        provider: &SamlProvider,
        settings: &SamlSettings,
        tags: &[Tag],
        max: usize,
    ) -> StoreResult<()> {
        self.write(|tx| saml::create(tx, provider, settings, tags, max))
    }

    fn get_saml_provider(&self, account: &str, arn: &str) -> StoreResult<Option<SamlProvider>> {
        saml::find(&self.read(), account, arn)
    }

    fn list_saml_providers(&self, account: &str) -> StoreResult<Vec<SamlProvider>> {
        saml::list(&self.read(), account)
    }

    fn update_saml_metadata(
        &self,
        account: &str,
        arn: &str,
        metadata: &str,
        valid_until: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| saml::update_metadata(tx, account, arn, metadata, valid_until))
    }

    fn delete_saml_provider(&self, account: &str, arn: &str) -> StoreResult<()> {
        self.write(|tx| saml::delete(tx, account, arn))
    }

    fn saml_settings(&self, account: &str, arn: &str) -> StoreResult<SamlSettings> {
        saml::settings(&self.read(), account, arn)
    }

    fn set_saml_settings(
        &self,
        account: &str,
        arn: &str,
        settings: &SamlSettings,
    ) -> StoreResult<()> {
        self.write(|tx| saml::set_settings(tx, account, arn, settings))
    }

    fn oidc_propagation(&self, account: &str, arn: &str) -> StoreResult<IdentityPropagation> {
        oidc::propagation(&self.read(), account, arn)
    }

    fn set_oidc_propagation(
        &self,
        account: &str,
        arn: &str,
        settings: &IdentityPropagation,
    ) -> StoreResult<()> {
        self.write(|tx| oidc::set_propagation(tx, account, arn, settings))
    }
}
