//! Account-wide settings: SetSecurityTokenServicePreferences, Get/PutAccountProperties and
//! outbound web identity federation (Enable/Disable/GetOutboundWebIdentityFederationInfo).

use crate::handlers::{Ctx, iam_error, store_failure, write};
use portcullis_core::iam::account_properties::{self, OUTBOUND_ENABLED, OUTBOUND_ISSUER};
use portcullis_proto::AwsError;
use portcullis_proto::input::{PutAccountPropertiesInput, SetSecurityTokenServicePreferencesInput};
use portcullis_proto::output::{
    EnableOutboundWebIdentityFederationOutput, Entries, GetAccountPropertiesOutput,
    GetOutboundWebIdentityFederationInfoOutput,
};

/// `v1Token` or `v2Token`; absent means `v1Token`, AWS's default.
pub const STS_TOKEN_VERSION: &str = "sts.global-endpoint-token-version";
const PROPERTY_PREFIX: &str = "property:";

fn setting(ctx: &Ctx, key: &str) -> Result<Option<String>, AwsError> {
    ctx.app
        .store
        .account_setting(ctx.account()?, key)
        .map_err(store_failure)
}

fn put(ctx: &Ctx, settings: &[(String, Option<String>)]) -> Result<(), AwsError> {
    let account = ctx.account()?;
    write(ctx, |tx| {
        account_properties::put_settings(tx, account, settings)
    })
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

pub fn put_account_properties(ctx: &Ctx) -> Result<(), AwsError> {
    let entries: Vec<(&str, &str)> = ctx
        .input::<PutAccountPropertiesInput>()?
        .properties
        .0
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_deref().unwrap_or_default()))
        .collect();
    account_properties::check_properties(&entries).map_err(iam_error)?;
    let settings: Vec<(String, Option<String>)> = entries
        .iter()
        .map(|(k, v)| (format!("{PROPERTY_PREFIX}{k}"), Some(v.to_string())))
        .collect();
    put(ctx, &settings)
}

fn outbound_enabled(ctx: &Ctx) -> Result<bool, AwsError> {
    Ok(setting(ctx, OUTBOUND_ENABLED)?.is_some())
}

/// The issuer keeps its identifier when the feature is disabled and enabled again.
pub fn enable_outbound_web_identity_federation(
    ctx: &Ctx,
) -> Result<EnableOutboundWebIdentityFederationOutput, AwsError> {
    let new_issuer = format!("https://{}.tokens.sts.global.api.aws", uuid::Uuid::new_v4());
    let account = ctx.account()?;
    let issuer = write(ctx, |tx| {
        account_properties::enable_outbound(tx, account, &new_issuer)
    })?;
    Ok(EnableOutboundWebIdentityFederationOutput {
        issuer_identifier: Some(issuer),
    })
}

pub fn disable_outbound_web_identity_federation(ctx: &Ctx) -> Result<(), AwsError> {
    let account = ctx.account()?;
    write(ctx, |tx| account_properties::disable_outbound(tx, account))
}

pub fn get_outbound_web_identity_federation_info(
    ctx: &Ctx,
) -> Result<GetOutboundWebIdentityFederationInfoOutput, AwsError> {
    account_properties::check_outbound_enabled(outbound_enabled(ctx)?).map_err(iam_error)?;
    Ok(GetOutboundWebIdentityFederationInfoOutput {
        issuer_identifier: Some(setting(ctx, OUTBOUND_ISSUER)?.unwrap_or_default()),
        jwt_vending_enabled: Some(true),
    })
}
