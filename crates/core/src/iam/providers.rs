//! Identity providers as domain services, each inside one write transaction: creating an OpenID
//! Connect provider (one per URL, `OpenIdConnectProvidersPerAccount`), adding a client id to one
//! (`ClientIdsPerOpenIdConnectProvider`; adding a present one is not an error), removing one,
//! replacing its thumbprints, changing its identity propagation settings and deleting it; creating
//! a SAML provider (one per name, `SAMLProvidersPerAccount`), updating its metadata and settings
//! and deleting it. Each change of an existing provider is NoSuchEntity when it is missing. URL,
//! thumbprint, metadata and key checks are done by the caller first.

use super::propagation::{self, Change};
use crate::error::{EntityKind, IamError, IamResult};
use crate::model::{OidcProvider, SamlProvider, SamlSettings, Tag};
use crate::quotas::{self, MAX_CLIENT_IDS, MAX_OIDC_PROVIDERS, MAX_SAML_PROVIDERS, Quota};
use crate::reports::IdentityPropagation;
use crate::store::{StoreError, Tx};
use chrono::{DateTime, Utc};

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

/// UpdateOpenIDConnectProviderThumbprint: `thumbprints` (already checked) replace the list.
pub fn set_thumbprints(
    tx: &dyn Tx,
    account: &str,
    arn: &str,
    thumbprints: &[String],
) -> IamResult<()> {
    tx.set_oidc_thumbprints(account, arn, thumbprints)
        .map_err(IamError::on_missing(EntityKind::OidcProvider, arn))
}

/// RemoveClientIDFromOpenIDConnectProvider: removing an absent client id is not an error.
pub fn remove_client_id(tx: &dyn Tx, account: &str, arn: &str, client_id: &str) -> IamResult<()> {
    tx.remove_oidc_client_id(account, arn, client_id)
        .map_err(IamError::on_missing(EntityKind::OidcProvider, arn))
}

/// UpdateOpenIDConnectProvider: applies `change` to the provider's identity propagation
/// settings (a request that changes nothing is refused, see [`propagation::update_required`]).
pub fn update_oidc_propagation(
    tx: &dyn Tx,
    account: &str,
    arn: &str,
    change: &Change<'_>,
) -> IamResult<()> {
    let mut current = tx
        .oidc_propagation(account, arn)
        .map_err(IamError::on_missing(EntityKind::OidcProvider, arn))?;
    propagation::update_required(change, &mut current)?;
    tx.set_oidc_propagation(account, arn, &current)
        .map_err(IamError::on_missing(EntityKind::OidcProvider, arn))
}

/// DeleteOpenIDConnectProvider: a missing provider is worded as AWS words it for a deletion.
pub fn delete_oidc(tx: &dyn Tx, account: &str, arn: &str) -> IamResult<()> {
    tx.delete_oidc_provider(account, arn).map_err(|e| match e {
        StoreError::NotFound => IamError::NoSuchOidcProviderToDelete(arn.to_string()),
        other => IamError::Store(other),
    })
}

/// UpdateSAMLProvider: the new settings (already checked) and the new metadata document with
/// its validity, each when the request changes it, together.
pub fn update_saml(
    tx: &dyn Tx,
    account: &str,
    arn: &str,
    settings: Option<&SamlSettings>,
    metadata: Option<(&str, DateTime<Utc>)>,
) -> IamResult<()> {
    if !tx.saml_provider_exists(account, arn)? {
        return Err(IamError::no_such(EntityKind::SamlProvider, arn));
    }
    if let Some(s) = settings {
        tx.set_saml_settings(account, arn, s)
            .map_err(IamError::on_missing(EntityKind::SamlProvider, arn))?;
    }
    if let Some((document, valid_until)) = metadata {
        tx.update_saml_metadata(account, arn, document, valid_until)
            .map_err(IamError::on_missing(EntityKind::SamlProvider, arn))?;
    }
    Ok(())
}

/// DeleteSAMLProvider.
pub fn delete_saml(tx: &dyn Tx, account: &str, arn: &str) -> IamResult<()> {
    tx.delete_saml_provider(account, arn)
        .map_err(IamError::on_missing(EntityKind::SamlProvider, arn))
}
