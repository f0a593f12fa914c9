//! The [`ProviderStore`] family of the storage contract (see [`crate::store`]), and
//! [`ProviderTx`], the data-only writes `crate::iam::providers` makes inside one transaction.

use super::*;

/// OpenID Connect and SAML providers, and identity propagation settings.
pub trait ProviderStore {
    // OpenID Connect providers, addressed by ARN (unique per account: one per issuer URL). Their
    // tags are kept under the ARN.
    /// The provider with this ARN in the account: its URL, client ids and thumbprints
    /// (what AssumeRoleWithWebIdentity checks a token against).
    fn get_oidc_provider(&self, account: &str, arn: &str) -> StoreResult<Option<OidcProvider>>;
    /// The account's providers ordered by ARN.
    fn list_oidc_providers(&self, account: &str) -> StoreResult<Vec<OidcProvider>>;
    // SAML providers, addressed by ARN (names unique per account). Tags are kept under the ARN.
    fn get_saml_provider(&self, account: &str, arn: &str) -> StoreResult<Option<SamlProvider>>;
    /// The account's providers ordered by ARN.
    fn list_saml_providers(&self, account: &str) -> StoreResult<Vec<SamlProvider>>;
    /// Encryption and propagation settings; `NotFound` when the provider does not exist.
    fn saml_settings(&self, account: &str, arn: &str) -> StoreResult<SamlSettings>;
    /// The identity propagation settings of an OpenID Connect provider; `NotFound` when the
    /// provider does not exist.
    fn oidc_propagation(&self, account: &str, arn: &str) -> StoreResult<IdentityPropagation>;
}

/// OpenID Connect and SAML providers inside a write transaction; data only (see
/// [`super::UserTx`]).
pub trait ProviderTx {
    fn oidc_provider_exists(&self, account: &str, arn: &str) -> StoreResult<bool>;
    fn count_oidc_providers(&self, account: &str) -> StoreResult<usize>;
    /// Inserts the provider with its client ids, propagation settings and tags.
    fn insert_oidc_provider(
        &self,
        provider: &OidcProvider,
        propagation: &crate::reports::IdentityPropagation,
        tags: &[Tag],
    ) -> StoreResult<()>;
    /// The provider's client ids, in the order they were added.
    fn oidc_client_ids(&self, arn: &str) -> StoreResult<Vec<String>>;
    fn insert_oidc_client_id(&self, arn: &str, client_id: &str) -> StoreResult<()>;
    fn saml_provider_exists(&self, account: &str, arn: &str) -> StoreResult<bool>;
    fn count_saml_providers(&self, account: &str) -> StoreResult<usize>;
    /// Inserts the provider with its settings and tags.
    fn insert_saml_provider(
        &self,
        provider: &SamlProvider,
        settings: &SamlSettings,
        tags: &[Tag],
    ) -> StoreResult<()>;
    /// Removes the OpenID Connect provider with its client ids and tags; `NotFound` when the
    /// account has no such provider (as for the three writes below).
    fn delete_oidc_provider(&self, account: &str, arn: &str) -> StoreResult<()>;
    /// Replaces the thumbprint list.
    fn set_oidc_thumbprints(
        &self,
        account: &str,
        arn: &str,
        thumbprints: &[String],
    ) -> StoreResult<()>;
    /// Removing an absent client id is not an error.
    fn remove_oidc_client_id(&self, account: &str, arn: &str, client_id: &str) -> StoreResult<()>;
    /// The identity propagation settings of an OpenID Connect provider, read in the transaction.
    fn oidc_propagation(&self, account: &str, arn: &str) -> StoreResult<IdentityPropagation>;
    /// Replaces the identity propagation settings of an OpenID Connect provider.
    fn set_oidc_propagation(
        &self,
        account: &str,
        arn: &str,
        settings: &IdentityPropagation,
    ) -> StoreResult<()>;
    /// Replaces the metadata document and its validity; `NotFound` when the account has no such
    /// SAML provider (as for the two writes below).
    fn update_saml_metadata(
        &self,
        account: &str,
        arn: &str,
        metadata: &str,
        valid_until: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Removes the SAML provider with its keys and tags.
    fn delete_saml_provider(&self, account: &str, arn: &str) -> StoreResult<()>;
    /// Replaces the encryption and propagation settings (keys absent from `settings` are
    /// forgotten).
    fn set_saml_settings(
        &self,
        account: &str,
        arn: &str,
        settings: &SamlSettings,
    ) -> StoreResult<()>;
}
