//! UpdateOpenIDConnectProvider: sets or removes the trusted identity propagation settings of an
//! OpenID Connect provider (the rules live in [`crate::handlers::propagation`], shared with SAML
//! providers). Each request changes one of the context provider and the IAM Identity Center
//! association.

use crate::handlers::providers::check_arn;
use crate::handlers::{Ctx, HandlerResult, propagation, store_failure};
use portcullis_core::StoreError;
use portcullis_proto::AwsError;

fn not_found(arn: &str) -> AwsError {
    AwsError::no_such_entity(format!("OpenIDConnect Provider not found for arn {arn}"))
}

pub fn update_open_id_connect_provider(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required("OpenIDConnectProviderArn");
    check_arn(arn, "oidc-provider")?;
    let account = ctx.account()?;
    let store = &ctx.app.store;
    let mut current = store.oidc_propagation(account, arn).map_err(|e| match e {
        StoreError::NotFound => not_found(arn),
        other => store_failure(other),
    })?;
    if !propagation::update(ctx, &mut current)? {
        return Err(AwsError::invalid_input(
            "Specify a context provider or an IAM Identity Center instance to set or remove.",
        ));
    }
    store
        .set_oidc_propagation(account, arn, &current)
        .map_err(|e| match e {
            StoreError::NotFound => not_found(arn),
            other => store_failure(other),
        })?;
    Ok(String::new())
}
