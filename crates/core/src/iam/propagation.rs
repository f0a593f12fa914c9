//! Trusted identity propagation rules shared by OpenID Connect and SAML providers: the
//! `ContextProvider` (how the subject and context keys come from a token or assertion) and the
//! IAM Identity Center association. Keys are 1-128 ASCII letters, digits, single inner spaces
//! and `_.:/=+-@#`; a subject type is a value or a source key, not both; the association needs
//! a context provider, so the context provider is removed only once no instance is associated;
//! an update changes one of the two. Each refusal is AWS's InvalidInput or ValidationError.

use serde::{Deserialize, Serialize};

use crate::error::{IamError, IamResult};
use crate::quotas::MAX_PROPAGATION_KEY_DEFINITIONS as MAX_KEY_DEFINITIONS;
use crate::reports::IdentityPropagation;
use crate::store::StoreError;

/// One stored key definition: a source key and, optionally, the key it is renamed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyDefinition {
    pub source: String,
    pub target: Option<String>,
}

/// The stored form of a `ContextProvider` (kept as JSON in [`IdentityPropagation`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextProvider {
    pub subject_source_key: String,
    pub subject_type_value: Option<String>,
    pub subject_type_source_key: Option<String>,
    pub keys: Vec<KeyDefinition>,
}

/// A request's `KeyDefinitionList` entry, as given.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyRequest<'a> {
    pub source_key: Option<&'a str>,
    pub target_key: Option<&'a str>,
}

/// A request's `ContextProvider`, as given.
#[derive(Clone, Debug, Default)]
pub struct ContextRequest<'a> {
    pub subject_source_key: Option<&'a str>,
    pub subject_type_value: Option<&'a str>,
    pub subject_type_source_key: Option<&'a str>,
    pub keys: Vec<KeyRequest<'a>>,
}

fn invalid(message: impl Into<String>) -> IamError {
    IamError::InvalidInput(message.into())
}

/// A source or target key, checked; `field` names it in the refusal.
fn check_key(field: &str, key: &str) -> IamResult<String> {
    let chars_ok = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || "_.:/=+-@#".contains(c));
    let spaces_ok = !key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  ");
    if (1..=128).contains(&key.len()) && chars_ok && spaces_ok {
        Ok(key.to_string())
    } else {
        Err(invalid(format!(
            "{field} {key} is not valid: keys contain 1 to 128 ASCII letters, digits, single spaces and _ . : / = + - @ #, and do not start or end with a space."
        )))
    }
}

/// Checks a request's `ContextProvider` and gives its stored form.
pub fn parse_context_provider(c: &ContextRequest<'_>) -> IamResult<ContextProvider> {
    let subject = c.subject_source_key.ok_or_else(|| {
        IamError::Validation(
            "1 validation error detected: Value null at 'contextProvider.subjectSourceKey' failed to satisfy constraint: Member must not be null"
                .to_string(),
        )
    })?;
    let type_value = c.subject_type_value.map(str::to_string);
    let type_key = c
        .subject_type_source_key
        .map(|k| check_key("SubjectTypeSourceKey", k))
        .transpose()?;
    if type_value.is_some() && type_key.is_some() {
        return Err(invalid(
            "Specify either SubjectTypeValue or SubjectTypeSourceKey, not both.",
        ));
    }
    if type_value.as_ref().is_some_and(|v| v.len() > 128) {
        return Err(invalid("SubjectTypeValue must be at most 128 characters."));
    }
    if c.keys.len() > MAX_KEY_DEFINITIONS {
        return Err(invalid(format!(
            "KeyDefinitionList must have at most {MAX_KEY_DEFINITIONS} entries."
        )));
    }
    let keys = c
        .keys
        .iter()
        .map(|d| {
            Ok(KeyDefinition {
                source: check_key("SourceKey", d.source_key.unwrap_or_default())?,
                target: d
                    .target_key
                    .map(|t| check_key("TargetKey", t))
                    .transpose()?,
            })
        })
        .collect::<IamResult<Vec<_>>>()?;
    Ok(ContextProvider {
        subject_source_key: check_key("SubjectSourceKey", subject)?,
        subject_type_value: type_value,
        subject_type_source_key: type_key,
        keys,
    })
}

fn context_json(c: &ContextRequest<'_>) -> IamResult<String> {
    serde_json::to_string(&parse_context_provider(c)?)
        .map_err(|e| IamError::Store(StoreError::Backend(e.to_string())))
}

fn check_instance(instance: &str) -> IamResult<String> {
    if instance.starts_with("arn:aws:sso:::instance/") {
        Ok(instance.to_string())
    } else {
        Err(invalid(format!(
            "IdentityCenterInstanceArn {instance} is not a valid IAM Identity Center instance ARN."
        )))
    }
}

fn need_context() -> IamError {
    invalid("Set a context provider before associating an IAM Identity Center instance.")
}

/// The settings of a Create request: `ContextProvider` and `IdentityCenterInstanceArn`, the
/// instance only with a context provider.
pub fn for_create(
    context: Option<&ContextRequest<'_>>,
    instance: Option<&str>,
) -> IamResult<IdentityPropagation> {
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
#[derive(Clone, Debug, Default)]
pub struct Change<'a> {
    pub context_provider: Option<ContextRequest<'a>>,
    pub identity_center_instance_arn: Option<&'a str>,
    pub remove_context_provider: Option<bool>,
    pub remove_identity_center_instance: Option<bool>,
}

/// Applies an Update request's [`Change`] to `current`. False when the request asks for none.
pub fn update(change: &Change<'_>, current: &mut IdentityPropagation) -> IamResult<bool> {
    let set_context = change.context_provider.as_ref();
    let remove_context = change.remove_context_provider == Some(true);
    let set_instance = change.identity_center_instance_arn;
    let remove_instance = change.remove_identity_center_instance == Some(true);
    if set_context.is_some() && remove_context {
        return Err(invalid(
            "Specify either ContextProvider or RemoveContextProvider, not both.",
        ));
    }
    if set_instance.is_some() && remove_instance {
        return Err(invalid(
            "Specify either IdentityCenterInstanceArn or RemoveIdentityCenterInstance, not both.",
        ));
    }
    let context_change = set_context.is_some() || remove_context;
    let instance_change = set_instance.is_some() || remove_instance;
    if context_change && instance_change {
        return Err(invalid(
            "A request can change either the context provider or the IAM Identity Center association, not both.",
        ));
    }
    if let Some(c) = set_context {
        current.context_provider = Some(context_json(c)?);
    } else if remove_context {
        if current.identity_center_instance.is_some() {
            return Err(invalid(
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

/// UpdateOpenIDConnectProvider's [`update`] (it changes nothing else): a request that asks for
/// no change is refused.
pub fn update_required(change: &Change<'_>, current: &mut IdentityPropagation) -> IamResult<()> {
    if update(change, current)? {
        Ok(())
    } else {
        Err(IamError::NoPropagationChange)
    }
}

/// The stored context provider of `p`, if any.
pub fn context_provider(p: &IdentityPropagation) -> Option<ContextProvider> {
    p.context_provider
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
}

#[cfg(test)]
mod tests;
