//! SAML providers: CreateSAMLProvider, GetSAMLProvider, UpdateSAMLProvider, DeleteSAMLProvider,
//! ListSAMLProviders and provider tags; the assertion encryption mode, the private keys that
//! decrypt assertions (sealed with the master key, never returned) and the trusted identity
//! propagation settings shared with OpenID Connect providers.

use crate::handlers::propagation::{self, Change};
use crate::handlers::providers::check_arn;
use crate::handlers::tagging::parse_tags;
use crate::handlers::{Ctx, iam_error, shapes, store_failure, write};
use chrono::{DateTime, Utc};
use portcullis_core::Secret;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::provider_inputs as rules;
use portcullis_core::iam::providers;
use portcullis_core::{IamError, SamlPrivateKey, SamlProvider, SamlSettings, StoreError, ids};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    CreateSAMLProviderInput, DeleteSAMLProviderInput, GetSAMLProviderInput, UpdateSAMLProviderInput,
};
use portcullis_proto::output::{
    CreateSAMLProviderOutput, GetSAMLProviderOutput, ListSAMLProvidersOutput, SAMLPrivateKey,
    SAMLProviderListEntry, UpdateSAMLProviderOutput,
};

pub use portcullis_core::quotas::MAX_SAML_PRIVATE_KEYS as MAX_PRIVATE_KEYS;
pub use portcullis_core::quotas::MAX_SAML_PROVIDERS;

/// A sealed private key from the `AddPrivateKey` of a Create or UpdateSAMLProvider request,
/// when it has one.
fn added_key(ctx: &Ctx, add: Option<&Secret>) -> Result<Option<SamlPrivateKey>, AwsError> {
    let Some(pem) = add.map(Secret::expose) else {
        return Ok(None);
    };
    rules::saml_private_key(pem).map_err(iam_error)?;
    let id = ids::saml_private_key_id();
    Ok(Some(SamlPrivateKey {
        sealed: ctx.app.master.seal(pem.as_bytes(), id.as_bytes()),
        uploaded: ctx.now,
        id,
    }))
}

fn not_found(arn: &str) -> AwsError {
    iam_error(IamError::no_such(EntityKind::SamlProvider, arn))
}

/// The provider `arn` names, in the caller's account.
fn find(ctx: &Ctx, arn: &str) -> Result<SamlProvider, AwsError> {
    check_arn(arn, "saml-provider")?;
    ctx.app
        .store
        .get_saml_provider(ctx.account()?, arn)
        .map_err(store_failure)?
        .ok_or_else(|| not_found(arn))
}

/// The metadata's validity, or InvalidInput when it is not a SAML metadata document.
fn valid_until(doc: &str, created: DateTime<Utc>) -> Result<DateTime<Utc>, AwsError> {
    rules::saml_valid_until(doc, created).map_err(|e| {
        tracing::debug!(error = %e, "SAML metadata refused");
        iam_error(e.into())
    })
}

pub fn create_saml_provider(ctx: &Ctx) -> Result<CreateSAMLProviderOutput, AwsError> {
    let i: &CreateSAMLProviderInput = ctx.input()?;
    let (name, metadata) = (i.name.as_str(), i.saml_metadata_document.as_str());
    let tags = parse_tags(i.tags.as_deref(), "Tags")?;
    let provider = SamlProvider {
        account: ctx.account()?.to_string(),
        name: name.to_string(),
        uuid: uuid::Uuid::new_v4().to_string(),
        metadata: metadata.to_string(),
        created: ctx.now,
        valid_until: valid_until(metadata, ctx.now)?,
    };
    let settings = SamlSettings {
        encryption_mode: i.assertion_encryption_mode.clone(),
        private_keys: added_key(ctx, i.add_private_key.as_ref())?
            .into_iter()
            .collect(),
        propagation: propagation::for_create(
            i.context_provider.as_ref(),
            i.identity_center_instance_arn.as_deref(),
        )?,
    };
    rules::saml_encryption_mode(&settings).map_err(iam_error)?;
    write(ctx, |tx| {
        providers::create_saml(tx, &provider, &settings, &tags)
    })?;
    Ok(CreateSAMLProviderOutput {
        saml_provider_arn: Some(provider.arn()),
        tags: shapes::tags_if_any(&tags),
    })
}

pub fn get_saml_provider(ctx: &Ctx) -> Result<GetSAMLProviderOutput, AwsError> {
    let p = find(ctx, &ctx.input::<GetSAMLProviderInput>()?.saml_provider_arn)?;
    let arn = p.arn();
    let tags = ctx.app.store.tags(&arn).map_err(store_failure)?;
    let settings = settings(ctx, &p.account, &arn)?;
    let (context_provider, identity_center_instance_arn) =
        propagation::shape(&settings.propagation);
    let keys = &settings.private_keys;
    Ok(GetSAMLProviderOutput {
        saml_provider_uuid: Some(p.uuid),
        saml_metadata_document: Some(p.metadata),
        context_provider,
        saml_key_hashes: None,
        create_date: Some(p.created),
        valid_until: Some(p.valid_until),
        tags: shapes::tags_if_any(&tags),
        assertion_encryption_mode: settings.encryption_mode.clone(),
        private_key_list: (!keys.is_empty()).then(|| {
            keys.iter()
                .map(|k| SAMLPrivateKey {
                    key_id: Some(k.id.clone()),
                    timestamp: Some(k.uploaded),
                })
                .collect()
        }),
        identity_center_instance_arn,
        identity_store_arn: None,
    })
}

fn settings(ctx: &Ctx, account: &str, arn: &str) -> Result<SamlSettings, AwsError> {
    ctx.app
        .store
        .saml_settings(account, arn)
        .map_err(|e| match e {
            StoreError::NotFound => not_found(arn),
            other => store_failure(other),
        })
}

/// Applies the request's encryption mode, key and propagation changes to `s`; false when it
/// asks for none.
fn update_settings(
    ctx: &Ctx,
    i: &UpdateSAMLProviderInput,
    s: &mut SamlSettings,
) -> Result<bool, AwsError> {
    let remove = i.remove_private_key.as_deref();
    rules::one_key_change(i.add_private_key.is_some(), remove).map_err(iam_error)?;
    let change = Change {
        context_provider: i.context_provider.as_ref(),
        identity_center_instance_arn: i.identity_center_instance_arn.as_deref(),
        remove_context_provider: i.remove_context_provider,
        remove_identity_center_instance: i.remove_identity_center_instance,
    };
    let mut changed = propagation::update(change, &mut s.propagation)?;
    if let Some(mode) = &i.assertion_encryption_mode {
        s.encryption_mode = Some(mode.clone());
        changed = true;
    }
    if let Some(key) = added_key(ctx, i.add_private_key.as_ref())? {
        rules::add_saml_key(s, key).map_err(iam_error)?;
        changed = true;
    }
    if let Some(id) = remove {
        rules::remove_saml_key(s, id).map_err(iam_error)?;
        changed = true;
    }
    rules::saml_encryption_mode(s).map_err(iam_error)?;
    Ok(changed)
}

pub fn update_saml_provider(ctx: &Ctx) -> Result<UpdateSAMLProviderOutput, AwsError> {
    let i: &UpdateSAMLProviderInput = ctx.input()?;
    let p = find(ctx, &i.saml_provider_arn)?;
    let arn = p.arn();
    let until = i
        .saml_metadata_document
        .as_deref()
        .map(|doc| valid_until(doc, p.created).map(|u| (doc, u)))
        .transpose()?;
    let mut s = settings(ctx, &p.account, &arn)?;
    let changed = update_settings(ctx, i, &mut s)?;
    write(ctx, |tx| {
        providers::update_saml(tx, &p.account, &arn, changed.then_some(&s), until)
    })?;
    Ok(UpdateSAMLProviderOutput {
        saml_provider_arn: Some(arn),
    })
}

pub fn delete_saml_provider(ctx: &Ctx) -> Result<(), AwsError> {
    let arn = ctx
        .input::<DeleteSAMLProviderInput>()?
        .saml_provider_arn
        .as_str();
    check_arn(arn, "saml-provider")?;
    let account = ctx.account()?;
    write(ctx, |tx| providers::delete_saml(tx, account, arn))
}

pub fn list_saml_providers(ctx: &Ctx) -> Result<ListSAMLProvidersOutput, AwsError> {
    let providers = ctx
        .app
        .store
        .list_saml_providers(ctx.account()?)
        .map_err(store_failure)?;
    Ok(ListSAMLProvidersOutput {
        saml_provider_list: Some(
            providers
                .iter()
                .map(|p| SAMLProviderListEntry {
                    arn: Some(p.arn()),
                    valid_until: Some(p.valid_until),
                    create_date: Some(p.created),
                    is_trusted_identity_propagation_enabled: None,
                })
                .collect(),
        ),
    })
}

crate::handlers::tagging::tag_handlers!(
    tag_saml_provider(TagSAMLProviderInput), untag_saml_provider(UntagSAMLProviderInput), list_saml_provider_tags(ListSAMLProviderTagsInput) -> ListSAMLProviderTagsOutput,
    saml_provider_arn, |ctx, name| find(ctx, name)?.arn(), fold_case: false
);
