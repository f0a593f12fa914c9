//! SAML providers: CreateSAMLProvider, GetSAMLProvider, UpdateSAMLProvider, DeleteSAMLProvider,
//! ListSAMLProviders and provider tags. Encrypted assertions (private keys) and IAM Identity
//! Center links are not supported: requests that use them are refused rather than ignored.

use crate::handlers::providers::{check_arn, created_response};
use crate::handlers::users::write_tags;
use crate::handlers::{Ctx, HandlerResult, store_failure, tagging};
use chrono::{DateTime, Utc};
use portcullis_core::clock::iso8601;
use portcullis_core::saml_metadata::{self, default_valid_until};
use portcullis_core::tags::parse_tags;
use portcullis_core::{SamlProvider, StoreError};
use portcullis_proto::AwsError;
use portcullis_proto::xml::XmlWriter;

/// AWS's quota of SAML providers per account.
pub const MAX_SAML_PROVIDERS: usize = 100;
const ARN_PARAM: &str = "SAMLProviderArn";
/// Parameters for features this server does not have.
const UNSUPPORTED: &[&str] = &[
    "AssertionEncryptionMode",
    "AddPrivateKey",
    "RemovePrivateKey",
    "ContextProvider",
    "IdentityCenterInstanceArn",
    "RemoveContextProvider",
    "RemoveIdentityCenterInstance",
];

fn refuse_unsupported(ctx: &Ctx) -> Result<(), AwsError> {
    match UNSUPPORTED.iter().find(|p| ctx.params.contains(p)) {
        Some(p) => Err(AwsError::new(
            "NotImplemented",
            400,
            format!("{p} is not supported by this Portcullis server yet."),
        )),
        None => Ok(()),
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
    refuse_unsupported(ctx)?;
    let name = ctx.required("Name");
    let metadata = ctx.required("SAMLMetadataDocument");
    let tags = parse_tags(&ctx.params, "Tags")?;
    let provider = SamlProvider {
        account: ctx.account()?.to_string(),
        name: name.to_string(),
        uuid: uuid::Uuid::new_v4().to_string(),
        metadata: metadata.to_string(),
        created: ctx.now,
        valid_until: valid_until(metadata, ctx.now)?,
    };
    ctx.app
        .store
        .create_saml_provider(&provider, &tags, MAX_SAML_PROVIDERS)
        .map_err(|e| match e {
            StoreError::AlreadyExists => {
                AwsError::already_exists(format!("SAMLProvider {name} already exists."))
            }
            StoreError::LimitExceeded => AwsError::limit_exceeded(format!(
                "Cannot exceed quota for SAMLProvidersPerAccount: {MAX_SAML_PROVIDERS}"
            )),
            other => store_failure(other),
        })?;
    Ok(created_response("SAMLProviderArn", &provider.arn(), &tags))
}

pub fn get_saml_provider(ctx: &Ctx) -> HandlerResult {
    let p = find(ctx)?;
    let tags = ctx.app.store.tags(&p.arn()).map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.elem("SAMLProviderUUID", &p.uuid)
        .elem("SAMLMetadataDocument", &p.metadata)
        .elem("CreateDate", &iso8601(p.created))
        .elem("ValidUntil", &iso8601(p.valid_until));
    if !tags.is_empty() {
        write_tags(&mut w, &tags);
    }
    Ok(w.finish())
}

pub fn update_saml_provider(ctx: &Ctx) -> HandlerResult {
    refuse_unsupported(ctx)?;
    let p = find(ctx)?;
    let arn = p.arn();
    if let Some(doc) = ctx.params.get("SAMLMetadataDocument") {
        let until = valid_until(doc, p.created)?;
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

pub fn tag_saml_provider(ctx: &Ctx) -> HandlerResult {
    tagging::tag(ctx, &find(ctx)?.arn(), false)
}

pub fn untag_saml_provider(ctx: &Ctx) -> HandlerResult {
    tagging::untag(ctx, &find(ctx)?.arn(), false)
}

pub fn list_saml_provider_tags(ctx: &Ctx) -> HandlerResult {
    tagging::list(ctx, &find(ctx)?.arn())
}
