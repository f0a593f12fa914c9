//! Account-wide settings: SetSecurityTokenServicePreferences, Get/PutAccountProperties and
//! outbound web identity federation (Enable/Disable/GetOutboundWebIdentityFederationInfo).

use crate::handlers::{Ctx, store_failure};
use portcullis_proto::AwsError;
use portcullis_proto::input::{PutAccountPropertiesInput, SetSecurityTokenServicePreferencesInput};
use portcullis_proto::output::{
    EnableOutboundWebIdentityFederationOutput, Entries, GetAccountPropertiesOutput,
    GetOutboundWebIdentityFederationInfoOutput,
};
use portcullis_proto::validate::matches_pattern;

/// `v1Token` or `v2Token`; absent means `v1Token`, AWS's default.
pub const STS_TOKEN_VERSION: &str = "sts.global-endpoint-token-version";
const PROPERTY_PREFIX: &str = "property:";
const OUTBOUND_ISSUER: &str = "outbound-federation.issuer";
const OUTBOUND_ENABLED: &str = "outbound-federation.enabled";
const PROPERTY_KEY_PATTERN: &str = "^[A-Za-z][A-Za-z0-9/_-]*$";

fn setting(ctx: &Ctx, key: &str) -> Result<Option<String>, AwsError> {
    ctx.app
        .store
        .account_setting(ctx.account()?, key)
        .map_err(store_failure)
}

fn put(ctx: &Ctx, settings: &[(String, Option<String>)]) -> Result<(), AwsError> {
    ctx.app
        .store
        .put_account_settings(ctx.account()?, settings)
        .map_err(store_failure)
}

/// The account's GlobalEndpointTokenVersion as GetAccountSummary reports it: 1 or 2.
pub fn sts_token_version(ctx: &Ctx) -> Result<i64, AwsError> {
    Ok(match setting(ctx, STS_TOKEN_VERSION)?.as_deref() {
        Some("v2Token") => 2,
        _ => 1,
    })
}

pub fn set_security_token_service_preferences(ctx: &Ctx) -> Result<(), AwsError> {
    let version = &ctx
        .input::<SetSecurityTokenServicePreferencesInput>()?
        .global_endpoint_token_version;
    put(
        ctx,
        &[(STS_TOKEN_VERSION.to_string(), Some(version.clone()))],
    )
}

pub fn get_account_properties(ctx: &Ctx) -> Result<GetAccountPropertiesOutput, AwsError> {
    let props = ctx
        .app
        .store
        .account_settings(ctx.account()?, PROPERTY_PREFIX)
        .map_err(store_failure)?;
    Ok(GetAccountPropertiesOutput {
        properties: Some(Entries(
            props
                .into_iter()
                .map(|(k, v)| (k.strip_prefix(PROPERTY_PREFIX).unwrap_or(&k).to_string(), v))
                .collect(),
        )),
    })
}

fn property_error(i: usize, field: &str, what: &str, value: &str) -> AwsError {
    AwsError::validation(format!(
        "1 validation error detected: Value '{value}' at 'properties.{i}.member.{field}' failed to satisfy constraint: {what}"
    ))
}

/// AWS's wording for a length outside 1..=max.
fn length_violation(len: usize, max: usize) -> Option<String> {
    if len == 0 {
        Some("Member must have length greater than or equal to 1".to_string())
    } else if len > max {
        Some(format!(
            "Member must have length less than or equal to {max}"
        ))
    } else {
        None
    }
}

/// Checks one `Namespace/PropertyName` key and its value; answers the key's namespace.
fn check_property<'a>(i: usize, key: &'a str, value: &str) -> Result<&'a str, AwsError> {
    if let Some(what) = length_violation(key.encode_utf16().count(), 50) {
        return Err(property_error(i, "key", &what, key));
    }
    if !matches_pattern(PROPERTY_KEY_PATTERN, key) {
        return Err(property_error(
            i,
            "key",
            &format!("Member must satisfy regular expression pattern: {PROPERTY_KEY_PATTERN}"),
            key,
        ));
    }
    if let Some(what) = length_violation(value.encode_utf16().count(), 1024) {
        return Err(property_error(i, "value", &what, value));
    }
    match key.split_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => Ok(ns),
        _ => Err(AwsError::invalid_input(format!(
            "Property key {key} must be in the format Namespace/PropertyName."
        ))),
    }
}

pub fn put_account_properties(ctx: &Ctx) -> Result<(), AwsError> {
    let entries: Vec<(&str, Option<&str>)> = ctx
        .input::<PutAccountPropertiesInput>()?
        .properties
        .0
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_deref()))
        .collect();
    if entries.is_empty() {
        return Err(AwsError::invalid_input(
            "At least one property must be specified.",
        ));
    }
    let mut namespace: Option<&str> = None;
    let mut settings = Vec::with_capacity(entries.len());
    for (i, (key, value)) in entries.iter().enumerate() {
        let value = value.unwrap_or_default();
        let ns = check_property(i + 1, key, value)?;
        match namespace {
            Some(first) if first != ns => {
                return Err(AwsError::invalid_input(
                    "All properties in a request must belong to the same namespace.",
                ));
            }
            _ => namespace = Some(ns),
        }
        settings.push((format!("{PROPERTY_PREFIX}{key}"), Some(value.to_string())));
    }
    put(ctx, &settings)
}

fn outbound_enabled(ctx: &Ctx) -> Result<bool, AwsError> {
    Ok(setting(ctx, OUTBOUND_ENABLED)?.is_some())
}

fn feature_disabled() -> AwsError {
    AwsError::new(
        "FeatureDisabled",
        404,
        "Outbound identity federation is disabled for your AWS account.",
    )
}

/// The issuer keeps its identifier when the feature is disabled and enabled again.
pub fn enable_outbound_web_identity_federation(
    ctx: &Ctx,
) -> Result<EnableOutboundWebIdentityFederationOutput, AwsError> {
    if outbound_enabled(ctx)? {
        return Err(AwsError::new(
            "FeatureEnabled",
            409,
            "Outbound identity federation is already enabled for your AWS account.",
        ));
    }
    let issuer = match setting(ctx, OUTBOUND_ISSUER)? {
        Some(i) => i,
        None => format!("https://{}.tokens.sts.global.api.aws", uuid::Uuid::new_v4()),
    };
    put(
        ctx,
        &[
            (OUTBOUND_ISSUER.to_string(), Some(issuer.clone())),
            (OUTBOUND_ENABLED.to_string(), Some("true".to_string())),
        ],
    )?;
    Ok(EnableOutboundWebIdentityFederationOutput {
        issuer_identifier: Some(issuer),
    })
}

pub fn disable_outbound_web_identity_federation(ctx: &Ctx) -> Result<(), AwsError> {
    if !outbound_enabled(ctx)? {
        return Err(feature_disabled());
    }
    put(ctx, &[(OUTBOUND_ENABLED.to_string(), None)])
}

pub fn get_outbound_web_identity_federation_info(
    ctx: &Ctx,
) -> Result<GetOutboundWebIdentityFederationInfoOutput, AwsError> {
    if !outbound_enabled(ctx)? {
        return Err(feature_disabled());
    }
    Ok(GetOutboundWebIdentityFederationInfoOutput {
        issuer_identifier: Some(setting(ctx, OUTBOUND_ISSUER)?.unwrap_or_default()),
        jwt_vending_enabled: Some(true),
    })
}
