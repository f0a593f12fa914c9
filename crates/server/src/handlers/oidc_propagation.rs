//! UpdateOpenIDConnectProvider: sets or removes the trusted identity propagation settings of an
//! OpenID Connect provider, read, changed and written in one transaction by core
//! (`portcullis_core::iam::providers::update_oidc_propagation`; the request is read by
//! [`crate::handlers::propagation`], shared with SAML providers). Each request changes one of the
//! context provider and the IAM Identity Center association.

use crate::handlers::propagation::{self, Change};
use crate::handlers::providers::check_arn;
use crate::handlers::{Ctx, write};
use portcullis_core::iam::providers;
use portcullis_proto::AwsError;
use portcullis_proto::input::UpdateOpenIDConnectProviderInput;

pub fn update_open_id_connect_provider(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateOpenIDConnectProviderInput = ctx.input()?;
    let arn = i.open_id_connect_provider_arn.as_str();
    check_arn(arn, "oidc-provider")?;
    let account = ctx.account()?;
    let change = propagation::rules_change(Change {
        context_provider: i.context_provider.as_ref(),
        identity_center_instance_arn: i.identity_center_instance_arn.as_deref(),
        remove_context_provider: i.remove_context_provider,
        remove_identity_center_instance: i.remove_identity_center_instance,
    });
    write(ctx, |tx| {
        providers::update_oidc_propagation(tx, account, arn, &change)
    })
}
