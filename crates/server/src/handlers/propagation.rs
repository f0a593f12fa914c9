//! Trusted identity propagation settings shared by OpenID Connect and SAML providers, as the
//! wire carries them: a request's `ContextProvider` is read into core's
//! [`portcullis_core::iam::propagation`] request, whose rules (key syntax, the subject type, the
//! IAM Identity Center association needing a context provider, one change per update) decide,
//! and the stored settings are shaped back into GetOpenIDConnectProvider's and
//! GetSAMLProvider's `ContextProvider`.

use crate::handlers::iam_error;
use portcullis_core::iam::propagation::{self as rules, ContextRequest, KeyRequest};
use portcullis_core::reports::IdentityPropagation;
use portcullis_proto::{AwsError, input, output};

fn request(c: &input::ContextProvider) -> ContextRequest<'_> {
    ContextRequest {
        subject_source_key: c.subject_source_key.as_deref(),
        subject_type_value: c.subject_type_value.as_deref(),
        subject_type_source_key: c.subject_type_source_key.as_deref(),
        keys: c
            .key_definition_list
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|d| KeyRequest {
                source_key: d.source_key.as_deref(),
                target_key: d.target_key.as_deref(),
            })
            .collect(),
    }
}

/// The settings of a Create request: `ContextProvider` and `IdentityCenterInstanceArn`.
pub fn for_create(
    context: Option<&input::ContextProvider>,
    instance: Option<&str>,
) -> Result<IdentityPropagation, AwsError> {
    rules::for_create(context.map(request).as_ref(), instance).map_err(iam_error)
}

/// What an Update request (UpdateOpenIDConnectProvider, UpdateSAMLProvider) asks of the
/// settings: its `ContextProvider`, `IdentityCenterInstanceArn`, `RemoveContextProvider` and
/// `RemoveIdentityCenterInstance`.
#[derive(Clone, Copy, Debug)]
pub struct Change<'a> {
    pub context_provider: Option<&'a input::ContextProvider>,
    pub identity_center_instance_arn: Option<&'a str>,
    pub remove_context_provider: Option<bool>,
    pub remove_identity_center_instance: Option<bool>,
}

/// The request's [`Change`] as core's rules read it.
pub fn rules_change(change: Change<'_>) -> rules::Change<'_> {
    rules::Change {
        context_provider: change.context_provider.map(request),
        identity_center_instance_arn: change.identity_center_instance_arn,
        remove_context_provider: change.remove_context_provider,
        remove_identity_center_instance: change.remove_identity_center_instance,
    }
}

/// Applies an Update request's [`Change`] to `current`. False when the request asks for none.
pub fn update(change: Change<'_>, current: &mut IdentityPropagation) -> Result<bool, AwsError> {
    rules::update(&rules_change(change), current).map_err(iam_error)
}

/// [`update`] for a request that changes nothing else (UpdateOpenIDConnectProvider): asking
/// for no change is refused.
pub fn update_required(
    change: Change<'_>,
    current: &mut IdentityPropagation,
) -> Result<(), AwsError> {
    rules::update_required(&rules_change(change), current).map_err(iam_error)
}

/// `ContextProvider` and `IdentityCenterInstanceArn` of GetOpenIDConnectProvider and
/// GetSAMLProvider.
pub fn shape(p: &IdentityPropagation) -> (Option<output::ContextProvider>, Option<String>) {
    let context = rules::context_provider(p).map(|cp| output::ContextProvider {
        key_definition_list: Some(
            cp.keys
                .into_iter()
                .map(|k| output::ContextProviderKeyDefinition {
                    source_key: k.source,
                    target_key: k.target,
                })
                .collect(),
        ),
        subject_source_key: cp.subject_source_key,
        subject_type_value: cp.subject_type_value,
        subject_type_source_key: cp.subject_type_source_key,
    });
    (context, p.identity_center_instance.clone())
}
