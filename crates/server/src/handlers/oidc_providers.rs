//! OpenID Connect providers: CreateOpenIDConnectProvider, GetOpenIDConnectProvider,
//! DeleteOpenIDConnectProvider, ListOpenIDConnectProviders, UpdateOpenIDConnectProviderThumbprint,
//! Add/RemoveClientIDTo/FromOpenIDConnectProvider and provider tags.

use crate::handlers::propagation;
use crate::handlers::providers::check_arn;
use crate::handlers::tagging::parse_tags;
use crate::handlers::{Ctx, shapes, store_failure};
use portcullis_core::iam::providers;
use portcullis_core::{OidcProvider, StoreError};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    AddClientIDToOpenIDConnectProviderInput, CreateOpenIDConnectProviderInput,
    DeleteOpenIDConnectProviderInput, GetOpenIDConnectProviderInput,
    RemoveClientIDFromOpenIDConnectProviderInput, UpdateOpenIDConnectProviderThumbprintInput,
};
use portcullis_proto::output::{
    CreateOpenIDConnectProviderOutput, GetOpenIDConnectProviderOutput,
    ListOpenIDConnectProvidersOutput, OpenIDConnectProviderListEntry,
};

pub use portcullis_core::quotas::MAX_CLIENT_IDS;
pub use portcullis_core::quotas::MAX_OIDC_PROVIDERS;
pub use portcullis_core::quotas::MAX_THUMBPRINTS;

pub fn not_found(arn: &str) -> AwsError {
    AwsError::no_such_entity(format!("OpenIDConnect Provider not found for arn {arn}"))
}

/// The provider `arn` names, in the caller's account.
fn find(ctx: &Ctx, arn: &str) -> Result<OidcProvider, AwsError> {
    check_arn(arn, "oidc-provider")?;
    ctx.app
        .store
        .get_oidc_provider(ctx.account()?, arn)
        .map_err(store_failure)?
        .ok_or_else(|| not_found(arn))
}

/// The issuer URL without `https://`: a host (no port, no user info) and an optional path, with
/// no query or fragment.
fn parse_url(url: &str) -> Result<String, AwsError> {
    let Some(rest) = url.strip_prefix("https://") else {
        if url.contains("://") {
            return Err(AwsError::invalid_input(
                "Invalid Open ID Connect Provider URL. The URL must begin with https://.",
            ));
        }
        return Err(AwsError::validation("Invalid Open ID Connect Provider URL"));
    };
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let path_ok = path
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'?' && b != b'#');
    if host_ok && path_ok {
        Ok(rest.to_string())
    } else {
        Err(AwsError::invalid_input(
            "Invalid Open ID Connect Provider URL.",
        ))
    }
}

/// `ThumbprintList` (absent means none): at most five 40-character hex strings, kept lowercase.
fn parse_thumbprints(list: &[String]) -> Result<Vec<String>, AwsError> {
    if list.len() > MAX_THUMBPRINTS {
        return Err(AwsError::invalid_input(
            "Thumbprint list must contain fewer than 5 entries.",
        ));
    }
    list.iter()
        .map(|t| {
            if t.len() != 40 {
                Err(AwsError::invalid_input(
                    "Thumbprint must be exactly 40 characters.",
                ))
            } else if !t.bytes().all(|b| b.is_ascii_hexdigit()) {
                Err(AwsError::invalid_input(format!(
                    "Thumbprint {t} is not a hexadecimal SHA-1 fingerprint."
                )))
            } else {
                Ok(t.to_ascii_lowercase())
            }
        })
        .collect()
}

fn client_id_quota() -> AwsError {
    crate::handlers::iam_error(portcullis_core::IamError::LimitExceeded {
        quota: portcullis_core::quotas::Quota::ClientIdsPerOpenIdConnectProvider,
        max: MAX_CLIENT_IDS,
    })
}

/// `ClientIDList` (absent means none), duplicates dropped, each 1-255 characters.
fn parse_client_ids(list: &[String]) -> Result<Vec<String>, AwsError> {
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for (i, id) in list.iter().enumerate() {
        let len = id.encode_utf16().count();
        if !(1..=255).contains(&len) {
            let bound = if len == 0 {
                "greater than or equal to 1"
            } else {
                "less than or equal to 255"
            };
            return Err(AwsError::validation(format!(
                "1 validation error detected: Value '{id}' at 'clientIDList.{}.member' failed to satisfy constraint: Member must have length {bound}",
                i + 1
            )));
        }
        if !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    if out.len() > MAX_CLIENT_IDS {
        return Err(client_id_quota());
    }
    Ok(out)
}

pub fn create_open_id_connect_provider(
    ctx: &Ctx,
) -> Result<CreateOpenIDConnectProviderOutput, AwsError> {
    let i: &CreateOpenIDConnectProviderInput = ctx.input()?;
    let given = i.url.as_str();
    let provider = OidcProvider {
        account: ctx.account()?.to_string(),
        url: parse_url(given)?,
        client_ids: parse_client_ids(i.client_id_list.as_deref().unwrap_or_default())?,
        thumbprints: parse_thumbprints(i.thumbprint_list.as_deref().unwrap_or_default())?,
        created: ctx.now,
    };
    let tags = parse_tags(i.tags.as_deref(), "Tags")?;
    let propagation = propagation::for_create(
        i.context_provider.as_ref(),
        i.identity_center_instance_arn.as_deref(),
    )?;
    crate::handlers::write(ctx, |tx| {
        providers::create_oidc(tx, &provider, &propagation, &tags, given)
    })?;
    Ok(CreateOpenIDConnectProviderOutput {
        open_id_connect_provider_arn: Some(provider.arn()),
        tags: shapes::tags_if_any(&tags),
    })
}

pub fn get_open_id_connect_provider(ctx: &Ctx) -> Result<GetOpenIDConnectProviderOutput, AwsError> {
    let arn = &ctx
        .input::<GetOpenIDConnectProviderInput>()?
        .open_id_connect_provider_arn;
    let p = find(ctx, arn)?;
    let tags = ctx.app.store.tags(&p.arn()).map_err(store_failure)?;
    let settings = ctx
        .app
        .store
        .oidc_propagation(&p.account, &p.arn())
        .map_err(store_failure)?;
    let (context_provider, identity_center_instance_arn) = propagation::shape(&settings);
    Ok(GetOpenIDConnectProviderOutput {
        url: Some(p.url),
        client_id_list: Some(p.client_ids),
        thumbprint_list: Some(p.thumbprints),
        create_date: Some(p.created),
        tags: shapes::tags_if_any(&tags),
        context_provider,
        identity_center_instance_arn,
        identity_store_arn: None,
    })
}

pub fn delete_open_id_connect_provider(ctx: &Ctx) -> Result<(), AwsError> {
    let arn = ctx
        .input::<DeleteOpenIDConnectProviderInput>()?
        .open_id_connect_provider_arn
        .as_str();
    check_arn(arn, "oidc-provider")?;
    ctx.app
        .store
        .delete_oidc_provider(ctx.account()?, arn)
        .map_err(|e| match e {
            StoreError::NotFound => {
                AwsError::no_such_entity(format!("OpenId connect Provider {arn} cannot be found."))
            }
            other => store_failure(other),
        })
}

pub fn list_open_id_connect_providers(
    ctx: &Ctx,
) -> Result<ListOpenIDConnectProvidersOutput, AwsError> {
    let providers = ctx
        .app
        .store
        .list_oidc_providers(ctx.account()?)
        .map_err(store_failure)?;
    Ok(ListOpenIDConnectProvidersOutput {
        open_id_connect_provider_list: Some(
            providers
                .iter()
                .map(|p| OpenIDConnectProviderListEntry {
                    arn: Some(p.arn()),
                    is_trusted_identity_propagation_enabled: None,
                })
                .collect(),
        ),
    })
}

/// Maps a store failure on an existing provider's update.
fn update_error(arn: &str) -> impl Fn(StoreError) -> AwsError + '_ {
    move |e| match e {
        StoreError::NotFound => not_found(arn),
        other => store_failure(other),
    }
}

pub fn update_open_id_connect_provider_thumbprint(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateOpenIDConnectProviderThumbprintInput = ctx.input()?;
    let p = find(ctx, &i.open_id_connect_provider_arn)?;
    let arn = p.arn();
    let thumbprints = parse_thumbprints(&i.thumbprint_list)?;
    ctx.app
        .store
        .set_oidc_thumbprints(&p.account, &arn, &thumbprints)
        .map_err(update_error(&arn))
}

pub fn add_client_id_to_open_id_connect_provider(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &AddClientIDToOpenIDConnectProviderInput = ctx.input()?;
    let p = find(ctx, &i.open_id_connect_provider_arn)?;
    let arn = p.arn();
    crate::handlers::write(ctx, |tx| {
        providers::add_client_id(tx, &p.account, &arn, &i.client_id)
    })
}

pub fn remove_client_id_from_open_id_connect_provider(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &RemoveClientIDFromOpenIDConnectProviderInput = ctx.input()?;
    let p = find(ctx, &i.open_id_connect_provider_arn)?;
    let arn = p.arn();
    ctx.app
        .store
        .remove_oidc_client_id(&p.account, &arn, &i.client_id)
        .map_err(update_error(&arn))
}

crate::handlers::tagging::tag_handlers!(
    tag_open_id_connect_provider(TagOpenIDConnectProviderInput), untag_open_id_connect_provider(UntagOpenIDConnectProviderInput), list_open_id_connect_provider_tags(ListOpenIDConnectProviderTagsInput) -> ListOpenIDConnectProviderTagsOutput,
    open_id_connect_provider_arn, |ctx, name| find(ctx, name)?.arn(), fold_case: false
);

#[cfg(test)]
mod tests {
    use super::parse_url;

    #[test]
    fn issuer_urls() {
        assert_eq!(
            parse_url("https://token.actions.githubusercontent.com").unwrap(),
            "token.actions.githubusercontent.com"
        );
        assert_eq!(
            parse_url("https://login.example.com/tenant/v2.0").unwrap(),
            "login.example.com/tenant/v2.0"
        );
        assert_eq!(
            parse_url("http://example.com").unwrap_err().code,
            "InvalidInput"
        );
        assert_eq!(
            parse_url("example.com").unwrap_err().code,
            "ValidationError"
        );
        for bad in [
            "https://",
            "https://example.com:8443",
            "https://example.com/x?y=1",
            "https://example.com/#f",
            "https://user@example.com",
            "https://exa mple.com",
        ] {
            assert_eq!(parse_url(bad).unwrap_err().code, "InvalidInput", "{bad}");
        }
    }
}
