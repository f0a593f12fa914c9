//! Trusted identity propagation settings shared by OpenID Connect and SAML providers: the
//! `ContextProvider` (how the subject and context keys come from a token or assertion) and the
//! IAM Identity Center association. The association needs a context provider, so the context
//! provider is removed only once no instance is associated; an update changes one of the two.

use portcullis_core::reports::IdentityPropagation;
use portcullis_proto::{AwsError, input, output};
use serde::{Deserialize, Serialize};

use portcullis_core::quotas::MAX_PROPAGATION_KEY_DEFINITIONS as MAX_KEY_DEFINITIONS;

#[derive(Debug, Serialize, Deserialize)]
struct KeyDefinition {
    source: String,
    target: Option<String>,
}

/// The stored form of a `ContextProvider`.
#[derive(Debug, Serialize, Deserialize)]
struct ContextProvider {
    subject_source_key: String,
    subject_type_value: Option<String>,
    subject_type_source_key: Option<String>,
    keys: Vec<KeyDefinition>,
}

/// A source or target key: 1-128 ASCII letters, digits, single inner spaces and `_.:/=+-@#`.
fn check_key(field: &str, key: &str) -> Result<String, AwsError> {
    let chars_ok = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || "_.:/=+-@#".contains(c));
    let spaces_ok = !key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  ");
    if (1..=128).contains(&key.len()) && chars_ok && spaces_ok {
        Ok(key.to_string())
    } else {
        Err(AwsError::invalid_input(format!(
            "{field} {key} is not valid: keys contain 1 to 128 ASCII letters, digits, single spaces and _ . : / = + - @ #, and do not start or end with a space."
        )))
    }
}

fn parse_context_provider(c: &input::ContextProvider) -> Result<ContextProvider, AwsError> {
    let subject = c.subject_source_key.as_deref().ok_or_else(|| {
        AwsError::validation(
            "1 validation error detected: Value null at 'contextProvider.subjectSourceKey' failed to satisfy constraint: Member must not be null",
        )
    })?;
    let type_value = c.subject_type_value.clone();
    let type_key = c
        .subject_type_source_key
        .as_deref()
        .map(|k| check_key("SubjectTypeSourceKey", k))
        .transpose()?;
    if type_value.is_some() && type_key.is_some() {
        return Err(AwsError::invalid_input(
            "Specify either SubjectTypeValue or SubjectTypeSourceKey, not both.",
        ));
    }
    if type_value.as_ref().is_some_and(|v| v.len() > 128) {
        return Err(AwsError::invalid_input(
            "SubjectTypeValue must be at most 128 characters.",
        ));
    }
    let defs = c.key_definition_list.as_deref().unwrap_or_default();
    if defs.len() > MAX_KEY_DEFINITIONS {
        return Err(AwsError::invalid_input(format!(
            "KeyDefinitionList must have at most {MAX_KEY_DEFINITIONS} entries."
        )));
    }
    let keys = defs
        .iter()
        .map(|d| {
            let source = d.source_key.as_deref().unwrap_or_default();
            Ok(KeyDefinition {
                source: check_key("SourceKey", source)?,
                target: d
                    .target_key
                    .as_deref()
                    .map(|t| check_key("TargetKey", t))
                    .transpose()?,
            })
        })
        .collect::<Result<Vec<_>, AwsError>>()?;
    Ok(ContextProvider {
        subject_source_key: check_key("SubjectSourceKey", subject)?,
        subject_type_value: type_value,
        subject_type_source_key: type_key,
        keys,
    })
}

fn context_json(c: &input::ContextProvider) -> Result<String, AwsError> {
    serde_json::to_string(&parse_context_provider(c)?).map_err(|_| AwsError::internal())
}

fn check_instance(instance: &str) -> Result<String, AwsError> {
    if instance.starts_with("arn:aws:sso:::instance/") {
        Ok(instance.to_string())
    } else {
        Err(AwsError::invalid_input(format!(
            "IdentityCenterInstanceArn {instance} is not a valid IAM Identity Center instance ARN."
        )))
    }
}

fn need_context() -> AwsError {
    AwsError::invalid_input(
        "Set a context provider before associating an IAM Identity Center instance.",
    )
}

/// The settings of a Create request: `ContextProvider` and `IdentityCenterInstanceArn`, the
/// instance only with a context provider.
pub fn for_create(
    context: Option<&input::ContextProvider>,
    instance: Option<&str>,
) -> Result<IdentityPropagation, AwsError> {
    let context_provider = context.map(context_json).transpose()?;
    let identity_center_instance = instance.map(check_instance).transpose()?;
    if identity_center_instance.is_some() && context_provider.is_none() {
        return Err(need_context());
    }
    Ok(IdentityPropagation {
        context_provider,
        identity_center_instance,
    })
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

/// Applies an Update request's [`Change`] to `current`. False when the request asks for none.
pub fn update(change: Change<'_>, current: &mut IdentityPropagation) -> Result<bool, AwsError> {
    let set_context = change.context_provider;
    let remove_context = change.remove_context_provider == Some(true);
    let set_instance = change.identity_center_instance_arn;
    let remove_instance = change.remove_identity_center_instance == Some(true);
    if set_context.is_some() && remove_context {
        return Err(AwsError::invalid_input(
            "Specify either ContextProvider or RemoveContextProvider, not both.",
        ));
    }
    if set_instance.is_some() && remove_instance {
        return Err(AwsError::invalid_input(
            "Specify either IdentityCenterInstanceArn or RemoveIdentityCenterInstance, not both.",
        ));
    }
    let context_change = set_context.is_some() || remove_context;
    let instance_change = set_instance.is_some() || remove_instance;
    if context_change && instance_change {
        return Err(AwsError::invalid_input(
            "A request can change either the context provider or the IAM Identity Center association, not both.",
        ));
    }
    if let Some(c) = set_context {
        current.context_provider = Some(context_json(c)?);
    } else if remove_context {
        if current.identity_center_instance.is_some() {
            return Err(AwsError::invalid_input(
                "Remove the IAM Identity Center association before removing the context provider.",
            ));
        }
        current.context_provider = None;
    } else if let Some(instance) = set_instance {
        if current.context_provider.is_none() {
            return Err(need_context());
        }
        current.identity_center_instance = Some(check_instance(instance)?);
    } else if remove_instance {
        current.identity_center_instance = None;
    }
    Ok(context_change || instance_change)
}

/// `ContextProvider` and `IdentityCenterInstanceArn` of GetOpenIDConnectProvider and
/// GetSAMLProvider.
pub fn shape(p: &IdentityPropagation) -> (Option<output::ContextProvider>, Option<String>) {
    let context = p
        .context_provider
        .as_deref()
        .and_then(|j| serde_json::from_str::<ContextProvider>(j).ok())
        .map(|cp| output::ContextProvider {
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
