//! OpenID Connect providers: CreateOpenIDConnectProvider, GetOpenIDConnectProvider,
//! DeleteOpenIDConnectProvider, ListOpenIDConnectProviders, UpdateOpenIDConnectProviderThumbprint,
//! Add/RemoveClientIDTo/FromOpenIDConnectProvider and provider tags.

use crate::handlers::propagation;
use crate::handlers::providers::check_arn;
use crate::handlers::tagging::parse_tags;
use crate::handlers::{Ctx, iam_error, shapes, store_failure};
use portcullis_core::error::EntityKind;
use portcullis_core::iam::{provider_inputs, providers};
use portcullis_core::{IamError, OidcProvider};
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
    iam_error(IamError::no_such(EntityKind::OidcProvider, arn))
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

pub fn create_open_id_connect_provider(
    ctx: &Ctx,
) -> Result<CreateOpenIDConnectProviderOutput, AwsError> {
    let i: &CreateOpenIDConnectProviderInput = ctx.input()?;
    let given = i.url.as_str();
    let provider = OidcProvider {
        account: ctx.account()?.to_string(),
        url: provider_inputs::oidc_url(given).map_err(iam_error)?,
        client_ids: provider_inputs::client_ids(i.client_id_list.as_deref().unwrap_or_default())
            .map_err(iam_error)?,
        thumbprints: provider_inputs::thumbprints(i.thumbprint_list.as_deref().unwrap_or_default())
            .map_err(iam_error)?,
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
    let account = ctx.account()?;
    crate::handlers::write(ctx, |tx| providers::delete_oidc(tx, account, arn))
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

pub fn update_open_id_connect_provider_thumbprint(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateOpenIDConnectProviderThumbprintInput = ctx.input()?;
    let p = find(ctx, &i.open_id_connect_provider_arn)?;
    let arn = p.arn();
    let thumbprints = provider_inputs::thumbprints(&i.thumbprint_list).map_err(iam_error)?;
    crate::handlers::write(ctx, |tx| {
        providers::set_thumbprints(tx, &p.account, &arn, &thumbprints)
    })
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
    crate::handlers::write(ctx, |tx| {
        providers::remove_client_id(tx, &p.account, &arn, &i.client_id)
    })
}

crate::handlers::tagging::tag_handlers!(
    tag_open_id_connect_provider(TagOpenIDConnectProviderInput), untag_open_id_connect_provider(UntagOpenIDConnectProviderInput), list_open_id_connect_provider_tags(ListOpenIDConnectProviderTagsInput) -> ListOpenIDConnectProviderTagsOutput,
    open_id_connect_provider_arn, |ctx, name| find(ctx, name)?.arn(), fold_case: false
);
