//! OpenID Connect providers: CreateOpenIDConnectProvider, GetOpenIDConnectProvider,
//! DeleteOpenIDConnectProvider, ListOpenIDConnectProviders, UpdateOpenIDConnectProviderThumbprint,
//! Add/RemoveClientIDTo/FromOpenIDConnectProvider and provider tags.

use crate::handlers::providers::{check_arn, created_response};
use crate::handlers::tagging::parse_tags;
use crate::handlers::users::write_tags;
use crate::handlers::{Ctx, HandlerResult, store_failure, tagging};
use portcullis_core::clock::iso8601;
use portcullis_core::iam::providers;
use portcullis_core::{OidcProvider, StoreError};
use portcullis_proto::AwsError;
use portcullis_proto::output::ListOpenIDConnectProviderTagsOutput;
use portcullis_proto::xml::XmlWriter;

pub use portcullis_core::quotas::MAX_CLIENT_IDS;
pub use portcullis_core::quotas::MAX_OIDC_PROVIDERS;
pub use portcullis_core::quotas::MAX_THUMBPRINTS;
const ARN_PARAM: &str = "OpenIDConnectProviderArn";

fn not_found(arn: &str) -> AwsError {
    AwsError::no_such_entity(format!("OpenIDConnect Provider not found for arn {arn}"))
}

/// The provider the request's ARN names, in the caller's account.
fn find(ctx: &Ctx) -> Result<OidcProvider, AwsError> {
    let arn = ctx.required(ARN_PARAM);
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
fn parse_thumbprints(ctx: &Ctx) -> Result<Vec<String>, AwsError> {
    let list = ctx.input.strings("ThumbprintList").unwrap_or_default();
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
fn parse_client_ids(ctx: &Ctx) -> Result<Vec<String>, AwsError> {
    let list = ctx.input.strings("ClientIDList").unwrap_or_default();
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

pub fn create_open_id_connect_provider(ctx: &Ctx) -> HandlerResult {
    let given = ctx.required("Url");
    let provider = OidcProvider {
        account: ctx.account()?.to_string(),
        url: parse_url(given)?,
        client_ids: parse_client_ids(ctx)?,
        thumbprints: parse_thumbprints(ctx)?,
        created: ctx.now,
    };
    let tags = parse_tags(ctx.input.tags("Tags"), "Tags")?;
    let propagation = crate::handlers::propagation::for_create(ctx)?;
    crate::handlers::write(ctx, |tx| {
        providers::create_oidc(tx, &provider, &propagation, &tags, given)
    })?;
    Ok(created_response(
        "OpenIDConnectProviderArn",
        &provider.arn(),
        &tags,
    ))
}

pub fn get_open_id_connect_provider(ctx: &Ctx) -> HandlerResult {
    let p = find(ctx)?;
    let tags = ctx.app.store.tags(&p.arn()).map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.elem("Url", &p.url);
    w.list("ClientIDList", &p.client_ids, |w, id| {
        w.text(id);
    });
    w.list("ThumbprintList", &p.thumbprints, |w, t| {
        w.text(t);
    });
    w.elem("CreateDate", &iso8601(p.created));
    if !tags.is_empty() {
        write_tags(&mut w, &tags);
    }
    let propagation = ctx
        .app
        .store
        .oidc_propagation(&p.account, &p.arn())
        .map_err(store_failure)?;
    crate::handlers::propagation::write(&mut w, &propagation);
    Ok(w.finish())
}

pub fn delete_open_id_connect_provider(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required(ARN_PARAM);
    check_arn(arn, "oidc-provider")?;
    ctx.app
        .store
        .delete_oidc_provider(ctx.account()?, arn)
        .map_err(|e| match e {
            StoreError::NotFound => {
                AwsError::no_such_entity(format!("OpenId connect Provider {arn} cannot be found."))
            }
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn list_open_id_connect_providers(ctx: &Ctx) -> HandlerResult {
    let providers = ctx
        .app
        .store
        .list_oidc_providers(ctx.account()?)
        .map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.list("OpenIDConnectProviderList", &providers, |w, p| {
        w.elem("Arn", &p.arn());
    });
    Ok(w.finish())
}

/// Maps a store failure on an existing provider's update.
fn update_error(arn: &str) -> impl Fn(StoreError) -> AwsError + '_ {
    move |e| match e {
        StoreError::NotFound => not_found(arn),
        other => store_failure(other),
    }
}

pub fn update_open_id_connect_provider_thumbprint(ctx: &Ctx) -> HandlerResult {
    let p = find(ctx)?;
    let arn = p.arn();
    let thumbprints = parse_thumbprints(ctx)?;
    ctx.app
        .store
        .set_oidc_thumbprints(&p.account, &arn, &thumbprints)
        .map_err(update_error(&arn))?;
    Ok(String::new())
}

pub fn add_client_id_to_open_id_connect_provider(ctx: &Ctx) -> HandlerResult {
    let p = find(ctx)?;
    let arn = p.arn();
    let client_id = ctx.required("ClientID");
    crate::handlers::write(ctx, |tx| {
        providers::add_client_id(tx, &p.account, &arn, client_id)
    })?;
    Ok(String::new())
}

pub fn remove_client_id_from_open_id_connect_provider(ctx: &Ctx) -> HandlerResult {
    let p = find(ctx)?;
    let arn = p.arn();
    ctx.app
        .store
        .remove_oidc_client_id(&p.account, &arn, ctx.required("ClientID"))
        .map_err(update_error(&arn))?;
    Ok(String::new())
}

pub fn tag_open_id_connect_provider(ctx: &Ctx) -> Result<(), AwsError> {
    tagging::tag(ctx, &find(ctx)?.arn(), false)
}

pub fn untag_open_id_connect_provider(ctx: &Ctx) -> Result<(), AwsError> {
    tagging::untag(ctx, &find(ctx)?.arn(), false)
}

pub fn list_open_id_connect_provider_tags(
    ctx: &Ctx,
) -> Result<ListOpenIDConnectProviderTagsOutput, AwsError> {
    let (tags, is_truncated, marker) = tagging::list(ctx, &find(ctx)?.arn())?;
    Ok(ListOpenIDConnectProviderTagsOutput {
        tags,
        is_truncated,
        marker,
    })
}

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
