//! SAML providers: CreateSAMLProvider, GetSAMLProvider, UpdateSAMLProvider, DeleteSAMLProvider,
//! ListSAMLProviders and provider tags; the assertion encryption mode, the private keys that
//! decrypt assertions (sealed with the master key, never returned) and the trusted identity
//! propagation settings shared with OpenID Connect providers.

use crate::handlers::providers::{check_arn, created_response};
use crate::handlers::tagging::parse_tags;
use crate::handlers::users::write_tags;
use crate::handlers::{Ctx, HandlerResult, propagation, store_failure, tagging};
use chrono::{DateTime, Utc};
use portcullis_core::Secret;
use portcullis_core::clock::iso8601;
use portcullis_core::iam::credentials::x509;
use portcullis_core::saml_metadata::{self, default_valid_until};
use portcullis_core::{SamlPrivateKey, SamlProvider, SamlSettings, StoreError, ids};
use portcullis_proto::output::ListSAMLProviderTagsOutput;
use portcullis_proto::xml::XmlWriter;
use portcullis_proto::{AwsError, Input};

pub use portcullis_core::quotas::MAX_SAML_PROVIDERS;
const ARN_PARAM: &str = "SAMLProviderArn";
pub use portcullis_core::quotas::MAX_SAML_PRIVATE_KEYS as MAX_PRIVATE_KEYS;
const REQUIRED: &str = "Required";

/// The `AddPrivateKey` of a Create or UpdateSAMLProvider request.
fn add_private_key(ctx: &Ctx) -> Option<&Secret> {
    match &ctx.input {
        Input::CreateSAMLProvider(i) => i.add_private_key.as_ref(),
        Input::UpdateSAMLProvider(i) => i.add_private_key.as_ref(),
        _ => None,
    }
}

/// A sealed private key from `AddPrivateKey`, when the request has one.
fn added_key(ctx: &Ctx) -> Result<Option<SamlPrivateKey>, AwsError> {
    let Some(pem) = add_private_key(ctx).map(Secret::expose) else {
        return Ok(None);
    };
    x509::check_private_key(pem).map_err(|_| {
        AwsError::invalid_input("The private key is not a valid PEM-encoded RSA or EC private key.")
    })?;
    let id = ids::saml_private_key_id();
    Ok(Some(SamlPrivateKey {
        sealed: ctx.app.master.seal(pem.as_bytes(), id.as_bytes()),
        uploaded: ctx.now,
        id,
    }))
}

/// Encrypted assertions can be required only while the provider has a key to decrypt them.
fn check_mode(s: &SamlSettings) -> Result<(), AwsError> {
    if s.encryption_mode.as_deref() == Some(REQUIRED) && s.private_keys.is_empty() {
        Err(AwsError::invalid_input(
            "AssertionEncryptionMode Required needs a private key: add one with AddPrivateKey.",
        ))
    } else {
        Ok(())
    }
}

fn not_found(arn: &str) -> AwsError {
    AwsError::no_such_entity(format!("Manifest not found for arn {arn}"))
}

/// The checked ARN of the request, in the caller's account.
fn arn_param(ctx: &Ctx) -> Result<&str, AwsError> {
    let arn = ctx.required(ARN_PARAM);
    check_arn(arn, "saml-provider")?;
    Ok(arn)
}

fn find(ctx: &Ctx) -> Result<SamlProvider, AwsError> {
    let arn = arn_param(ctx)?;
    ctx.app
        .store
        .get_saml_provider(ctx.account()?, arn)
        .map_err(store_failure)?
        .ok_or_else(|| not_found(arn))
}

/// The metadata's validity, or InvalidInput when it is not a SAML metadata document.
fn valid_until(doc: &str, created: DateTime<Utc>) -> Result<DateTime<Utc>, AwsError> {
    let m = saml_metadata::parse(doc).map_err(|e| {
        tracing::debug!(error = %e, "SAML metadata refused");
        AwsError::invalid_input("Could not parse metadata")
    })?;
    Ok(m.valid_until
        .unwrap_or_else(|| default_valid_until(created)))
}

pub fn create_saml_provider(ctx: &Ctx) -> HandlerResult {
    let name = ctx.required("Name");
    let metadata = ctx.required("SAMLMetadataDocument");
    let tags = parse_tags(ctx.input.tags("Tags"), "Tags")?;
    let provider = SamlProvider {
        account: ctx.account()?.to_string(),
        name: name.to_string(),
        uuid: uuid::Uuid::new_v4().to_string(),
        metadata: metadata.to_string(),
        created: ctx.now,
        valid_until: valid_until(metadata, ctx.now)?,
    };
    let settings = SamlSettings {
        encryption_mode: ctx.param("AssertionEncryptionMode").map(str::to_string),
        private_keys: added_key(ctx)?.into_iter().collect(),
        propagation: propagation::for_create(ctx)?,
    };
    check_mode(&settings)?;
    crate::handlers::write(ctx, |tx| {
        portcullis_core::iam::providers::create_saml(tx, &provider, &settings, &tags)
    })?;
    Ok(created_response("SAMLProviderArn", &provider.arn(), &tags))
}

pub fn get_saml_provider(ctx: &Ctx) -> HandlerResult {
    let p = find(ctx)?;
    let arn = p.arn();
    let tags = ctx.app.store.tags(&arn).map_err(store_failure)?;
    let settings = settings(ctx, &p.account, &arn)?;
    let mut w = XmlWriter::new();
    w.elem("SAMLProviderUUID", &p.uuid)
        .elem("SAMLMetadataDocument", &p.metadata)
        .elem("CreateDate", &iso8601(p.created))
        .elem("ValidUntil", &iso8601(p.valid_until));
    if !tags.is_empty() {
        write_tags(&mut w, &tags);
    }
    w.opt(
        "AssertionEncryptionMode",
        settings.encryption_mode.as_deref(),
    );
    if !settings.private_keys.is_empty() {
        w.list("PrivateKeyList", &settings.private_keys, |w, k| {
            w.elem("KeyId", &k.id)
                .elem("Timestamp", &iso8601(k.uploaded));
        });
    }
    propagation::write(&mut w, &settings.propagation);
    Ok(w.finish())
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
fn update_settings(ctx: &Ctx, s: &mut SamlSettings) -> Result<bool, AwsError> {
    let remove = ctx.param("RemovePrivateKey");
    if remove.is_some() && add_private_key(ctx).is_some() {
        return Err(AwsError::invalid_input(
            "Specify either AddPrivateKey or RemovePrivateKey, not both: to rotate keys, add the new key and then remove the old one in a separate request.",
        ));
    }
    let mut changed = propagation::update(ctx, &mut s.propagation)?;
    if let Some(mode) = ctx.param("AssertionEncryptionMode") {
        s.encryption_mode = Some(mode.to_string());
        changed = true;
    }
    if let Some(key) = added_key(ctx)? {
        if s.private_keys.len() >= MAX_PRIVATE_KEYS {
            return Err(crate::handlers::iam_error(
                portcullis_core::IamError::LimitExceeded {
                    quota: portcullis_core::quotas::Quota::PrivateKeysPerSamlProvider,
                    max: MAX_PRIVATE_KEYS,
                },
            ));
        }
        s.private_keys.push(key);
        changed = true;
    }
    if let Some(id) = remove {
        let before = s.private_keys.len();
        s.private_keys.retain(|k| k.id != id);
        if s.private_keys.len() == before {
            return Err(AwsError::no_such_entity(format!(
                "The private key {id} does not exist on this SAML provider."
            )));
        }
        changed = true;
    }
    check_mode(s)?;
    Ok(changed)
}

pub fn update_saml_provider(ctx: &Ctx) -> HandlerResult {
    let p = find(ctx)?;
    let arn = p.arn();
    let until = ctx
        .param("SAMLMetadataDocument")
        .map(|doc| valid_until(doc, p.created).map(|u| (doc, u)))
        .transpose()?;
    let mut s = settings(ctx, &p.account, &arn)?;
    if update_settings(ctx, &mut s)? {
        ctx.app
            .store
            .set_saml_settings(&p.account, &arn, &s)
            .map_err(|e| match e {
                StoreError::NotFound => not_found(&arn),
                other => store_failure(other),
            })?;
    }
    if let Some((doc, until)) = until {
        ctx.app
            .store
            .update_saml_metadata(&p.account, &arn, doc, until)
            .map_err(|e| match e {
                StoreError::NotFound => not_found(&arn),
                other => store_failure(other),
            })?;
    }
    let mut w = XmlWriter::new();
    w.elem("SAMLProviderArn", &arn);
    Ok(w.finish())
}

pub fn delete_saml_provider(ctx: &Ctx) -> HandlerResult {
    let arn = arn_param(ctx)?;
    ctx.app
        .store
        .delete_saml_provider(ctx.account()?, arn)
        .map_err(|e| match e {
            StoreError::NotFound => not_found(arn),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn list_saml_providers(ctx: &Ctx) -> HandlerResult {
    let providers = ctx
        .app
        .store
        .list_saml_providers(ctx.account()?)
        .map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.list("SAMLProviderList", &providers, |w, p| {
        w.elem("Arn", &p.arn())
            .elem("ValidUntil", &iso8601(p.valid_until))
            .elem("CreateDate", &iso8601(p.created));
    });
    Ok(w.finish())
}

pub fn tag_saml_provider(ctx: &Ctx) -> Result<(), AwsError> {
    tagging::tag(ctx, &find(ctx)?.arn(), false)
}

pub fn untag_saml_provider(ctx: &Ctx) -> Result<(), AwsError> {
    tagging::untag(ctx, &find(ctx)?.arn(), false)
}

pub fn list_saml_provider_tags(ctx: &Ctx) -> Result<ListSAMLProviderTagsOutput, AwsError> {
    let (tags, is_truncated, marker) = tagging::list(ctx, &find(ctx)?.arn())?;
    Ok(ListSAMLProviderTagsOutput {
        tags,
        is_truncated,
        marker,
    })
}
