//! UpdateOpenIDConnectProvider: sets or removes the trusted identity propagation settings of an
//! OpenID Connect provider (the rules live in [`crate::handlers::propagation`], shared with SAML
//! providers). Each request changes one of the context provider and the IAM Identity Center
//! association.

use crate::handlers::oidc_providers::not_found;
use crate::handlers::propagation::{self, Change};
use crate::handlers::providers::check_arn;
use crate::handlers::{Ctx, store_failure};
use portcullis_core::StoreError;
use portcullis_proto::AwsError;
use portcullis_proto::input::UpdateOpenIDConnectProviderInput;

pub fn update_open_id_connect_provider(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateOpenIDConnectProviderInput = ctx.input()?;
    let arn = i.open_id_connect_provider_arn.as_str();
    check_arn(arn, "oidc-provider")?;
    let account = ctx.account()?;
    let store = &ctx.app.store;
    let stored = |e| match e {
        StoreError::NotFound => not_found(arn),
        other => store_failure(other),
    };
    let mut current = store.oidc_propagation(account, arn).map_err(stored)?;
    let change = Change {
        context_provider: i.context_provider.as_ref(),
        identity_center_instance_arn: i.identity_center_instance_arn.as_deref(),
        remove_context_provider: i.remove_context_provider,
        remove_identity_center_instance: i.remove_identity_center_instance,
    };
    propagation::update_required(change, &mut current)?;
    store
        .set_oidc_propagation(account, arn, &current)
        .map_err(stored)
}
