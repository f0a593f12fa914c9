//! Identity providers as domain services, each inside one write transaction: creating an OpenID
//! Connect provider (one per URL, `OpenIdConnectProvidersPerAccount`), adding a client id to one
//! (`ClientIdsPerOpenIdConnectProvider`; adding a present one is not an error) and creating a
//! SAML provider (one per name, `SAMLProvidersPerAccount`). URL, thumbprint, metadata and key
//! checks are done by the caller first.

use crate::error::{EntityKind, IamError, IamResult};
use crate::model::{OidcProvider, SamlProvider, SamlSettings, Tag};
use crate::quotas::{self, MAX_CLIENT_IDS, MAX_OIDC_PROVIDERS, MAX_SAML_PROVIDERS, Quota};
use crate::reports::IdentityPropagation;
use crate::store::Tx;

/// CreateOpenIDConnectProvider; `url_as_given` names the provider in AWS's message.
pub fn create_oidc(
    tx: &dyn Tx,
    provider: &OidcProvider,
    propagation: &IdentityPropagation,
    tags: &[Tag],
    url_as_given: &str,
) -> IamResult<()> {
    if tx.oidc_provider_exists(&provider.account, &provider.arn())? {
        return Err(IamError::exists(EntityKind::OidcProvider, url_as_given));
    }
    quotas::check(
        Quota::OpenIdConnectProvidersPerAccount,
        tx.count_oidc_providers(&provider.account)?,
        MAX_OIDC_PROVIDERS,
    )?;
    tx.insert_oidc_provider(provider, propagation, tags)
        .map_err(IamError::on_insert(EntityKind::OidcProvider, url_as_given))
}

/// AddClientIDToOpenIDConnectProvider.
pub fn add_client_id(tx: &dyn Tx, account: &str, arn: &str, client_id: &str) -> IamResult<()> {
    if !tx.oidc_provider_exists(account, arn)? {
        return Err(IamError::no_such(EntityKind::OidcProvider, arn));
    }
    let ids = tx.oidc_client_ids(arn)?;
    if ids.iter().any(|i| i == client_id) {
        return Ok(());
    }
    quotas::check(
        Quota::ClientIdsPerOpenIdConnectProvider,
        ids.len(),
        MAX_CLIENT_IDS,
    )?;
    Ok(tx.insert_oidc_client_id(arn, client_id)?)
}

/// CreateSAMLProvider.
pub fn create_saml(
    tx: &dyn Tx,
    provider: &SamlProvider,
    settings: &SamlSettings,
    tags: &[Tag],
) -> IamResult<()> {
    if tx.saml_provider_exists(&provider.account, &provider.arn())? {
        return Err(IamError::exists(EntityKind::SamlProvider, &provider.name));
    }
    quotas::check(
        Quota::SamlProvidersPerAccount,
        tx.count_saml_providers(&provider.account)?,
        MAX_SAML_PROVIDERS,
    )?;
    tx.insert_saml_provider(provider, settings, tags)
        .map_err(IamError::on_insert(
            EntityKind::SamlProvider,
            &provider.name,
        ))
}
