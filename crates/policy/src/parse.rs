//! JSON text → [`Policy`], with the validation IAM applies when a policy is
//! stored, and AWS's `MalformedPolicyDocument` messages.
//!
//! AWS validates in stages and answers with the first stage that fails, so a
//! document with several faults gets the message of the earliest stage (as
//! recorded against AWS in `tests/oracle/aws_validation.json`):
//!
//! 1. the shape of the whole document ("Syntax errors in policy."; here);
//! 2. the `Version`, when the caller asks for 2012-10-17
//!    ([`ParseOptions::require_current_version`]);
//! 3. "legacy parsing": the exact case of `Effect`, date condition values and
//!    the number of ARN parts ([`crate::checks::legacy`]);
//! 4. what the policy kind allows (principals, trust-policy elements);
//! 5. `Sid`s; then every statement's actions, then resources, then the form of
//!    resources, then of actions, then typed condition values.

use serde_json::{Map, Value};

use crate::checks;
use crate::error::{self, PolicyError};
use crate::model::{
    Clause, Condition, Policy, PolicyKind, PrincipalClause, PrincipalType, Principals, Version,
};
use crate::operators::ConditionOperator;
use crate::shaped::Shaped;
use crate::size::{self, SizeQuota};

/// Options for [`Policy::parse_with`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// A size quota to enforce on this one document (see [`SizeQuota`]).
    /// Aggregate quotas (all inline policies of a user) are the caller's to sum.
    pub quota: Option<SizeQuota>,
    /// Refuse a document whose `Version` is absent or `2008-10-17` with
    /// "Policy document must be version 2012-10-17 or greater.", as IAM does
    /// when it stores an identity policy (CreatePolicy, CreatePolicyVersion,
    /// Put*Policy). Off by default: documents stored earlier, and the
    /// evaluation of old-version documents, still parse.
    pub require_current_version: bool,
}

impl Policy {
    /// Parses and validates a policy document of the given kind.
    ///
    /// Checks, in order: the API character set, the size quota (none here; see
    /// [`Policy::parse_with`]), JSON syntax, then the grammar of spec §9.1.
    pub fn parse(text: &str, kind: PolicyKind) -> Result<Policy, PolicyError> {
        Self::parse_with(text, kind, &ParseOptions::default())
    }

    /// [`Policy::parse`] with a size quota and the version requirement.
    pub fn parse_with(
        text: &str,
        kind: PolicyKind,
        options: &ParseOptions,
    ) -> Result<Policy, PolicyError> {
        if !size::has_allowed_characters(text) {
            return Err(PolicyError::with_code(
                crate::ErrorCode::ValidationError,
                "Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
            ));
        }
        if let Some(quota) = &options.quota {
            quota.check(size::policy_size(text))?;
        }
        let value: Value = serde_json::from_str(text).map_err(|_| not_json(kind))?;
        Self::from_json_with(&value, kind, options)
    }

    /// Validates an already-decoded JSON value as a policy of the given kind.
    pub fn from_json(value: &Value, kind: PolicyKind) -> Result<Policy, PolicyError> {
        Self::from_json_with(value, kind, &ParseOptions::default())
    }

    fn from_json_with(
        value: &Value,
        kind: PolicyKind,
        options: &ParseOptions,
    ) -> Result<Policy, PolicyError> {
        let Value::Object(top) = value else {
            return Err(not_json(kind));
        };
        let (version, id, shaped) = shape_document(top, kind)?;
        if options.require_current_version && version != Some(Version::V2012_10_17) {
            return Err(PolicyError::malformed(error::VERSION_TOO_OLD));
        }
        checks::legacy(&shaped)?;
        for statement in &shaped {
            checks::kind_elements(statement, kind)?;
        }
        checks::sids(&shaped, kind)?;
        checks::statements(&shaped, kind)?;
        let statements = shaped.into_iter().map(Shaped::into_statement).collect();
        Ok(Policy {
            version,
            id,
            statements,
        })
    }
}

/// A document that is not JSON (or not a JSON object): identity policies get
/// the generic syntax message, trust and resource policies their own.
fn not_json(kind: PolicyKind) -> PolicyError {
    match kind {
        PolicyKind::Identity => PolicyError::syntax(),
        PolicyKind::Resource | PolicyKind::Trust => PolicyError::malformed(error::INVALID_JSON),
    }
}

type ShapedDocument = (Option<Version>, Option<String>, Vec<Shaped>);

fn shape_document(
    top: &Map<String, Value>,
    kind: PolicyKind,
) -> Result<ShapedDocument, PolicyError> {
    let mut version = None;
    let mut id = None;
    let mut statement = None;
    for (key, value) in top {
        match key.as_str() {
            "Version" => version = Some(parse_version(value)?),
            "Id" => id = Some(string(value)?.to_owned()),
            "Statement" => statement = Some(value),
            _ => return Err(PolicyError::syntax()),
        }
    }
    let shaped = match statement {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|item| shape_statement(item, kind))
            .collect::<Result<Vec<_>, _>>()?,
        Some(item @ Value::Object(_)) => vec![shape_statement(item, kind)?],
        _ => return Err(PolicyError::syntax()),
    };
    Ok((version, id, shaped))
}

fn string(value: &Value) -> Result<&str, PolicyError> {
    value.as_str().ok_or_else(PolicyError::syntax)
}

fn parse_version(value: &Value) -> Result<Version, PolicyError> {
    match string(value)? {
        "2012-10-17" => Ok(Version::V2012_10_17),
        "2008-10-17" => Ok(Version::V2008_10_17),
        _ => Err(PolicyError::syntax()),
    }
}

#[derive(Default)]
struct RawStatement<'a> {
    sid: Option<&'a Value>,
    effect: Option<&'a Value>,
    principal: Option<&'a Value>,
    not_principal: Option<&'a Value>,
    action: Option<&'a Value>,
    not_action: Option<&'a Value>,
    resource: Option<&'a Value>,
    not_resource: Option<&'a Value>,
    condition: Option<&'a Value>,
}

fn raw_statement(map: &Map<String, Value>) -> Result<RawStatement<'_>, PolicyError> {
    let mut raw = RawStatement::default();
    for (key, value) in map {
        let slot = match key.as_str() {
            "Sid" => &mut raw.sid,
            "Effect" => &mut raw.effect,
            "Principal" => &mut raw.principal,
            "NotPrincipal" => &mut raw.not_principal,
            "Action" => &mut raw.action,
            "NotAction" => &mut raw.not_action,
            "Resource" => &mut raw.resource,
            "NotResource" => &mut raw.not_resource,
            "Condition" => &mut raw.condition,
            _ => return Err(PolicyError::syntax()),
        };
        *slot = Some(value);
    }
    Ok(raw)
}

fn shape_statement(value: &Value, kind: PolicyKind) -> Result<Shaped, PolicyError> {
    let Value::Object(map) = value else {
        return Err(PolicyError::syntax());
    };
    let raw = raw_statement(map)?;
    let sid = raw.sid.map(string).transpose()?.map(str::to_owned);
    let effect = match raw.effect {
        None if kind == PolicyKind::Identity => return Err(PolicyError::syntax()),
        None => return Err(PolicyError::malformed("Missing required field Effect")),
        Some(value) => string(value)?,
    };
    if !effect.eq_ignore_ascii_case("Allow") && !effect.eq_ignore_ascii_case("Deny") {
        return Err(PolicyError::syntax());
    }
    let principal = match (raw.principal, raw.not_principal) {
        (Some(_), Some(_)) => return Err(PolicyError::syntax()),
        (Some(v), None) => Some(shape_principal(v, false, kind)?),
        (None, Some(v)) => Some(shape_principal(v, true, kind)?),
        (None, None) => None,
    };
    let action = either(raw.action, raw.not_action)?;
    let resource = either(raw.resource, raw.not_resource)?;
    let conditions = match raw.condition {
        None => Vec::new(),
        Some(value) => shape_conditions(value)?,
    };
    Ok(Shaped {
        sid,
        effect: effect.to_owned(),
        principal,
        action,
        resource,
        conditions,
    })
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: at most one of the pair,
/// a string or a list of strings (possibly empty: that is checked later).
fn either(plain: Option<&Value>, not: Option<&Value>) -> Result<Option<Clause>, PolicyError> {
    let (value, negated) = match (plain, not) {
        (Some(_), Some(_)) => return Err(PolicyError::syntax()),
        (Some(v), None) => (v, false),
        (None, Some(v)) => (v, true),
        (None, None) => return Ok(None),
    };
    let values = string_list(value)?.unwrap_or_default();
    Ok(Some(Clause { negated, values }))
}

/// The shape of a principal element. Identity policies may not have one at
/// all, so theirs is kept without looking inside.
fn shape_principal(
    value: &Value,
    negated: bool,
    kind: PolicyKind,
) -> Result<PrincipalClause, PolicyError> {
    let principals = match value {
        _ if kind == PolicyKind::Identity => Principals::Map(Vec::new()),
        Value::String(s) if s == "*" => Principals::Any,
        Value::Object(map) if !map.is_empty() => {
            let mut entries = Vec::new();
            for (key, value) in map {
                let kind = PrincipalType::from_key(key).ok_or_else(PolicyError::syntax)?;
                let values = string_list(value)?.ok_or_else(PolicyError::syntax)?;
                entries.push((kind, values));
            }
            Principals::Map(entries)
        }
        _ => return Err(PolicyError::syntax()),
    };
    Ok(PrincipalClause {
        negated,
        principals,
    })
}

/// A string or a list of strings; `Ok(None)` for an empty list.
fn string_list(value: &Value) -> Result<Option<Vec<String>>, PolicyError> {
    match value {
        Value::String(s) => Ok(Some(vec![s.clone()])),
        Value::Array(items) if items.is_empty() => Ok(None),
        Value::Array(items) => items
            .iter()
            .map(|v| string(v).map(str::to_owned))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        _ => Err(PolicyError::syntax()),
    }
}

fn condition_value(value: &Value) -> Result<String, PolicyError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(PolicyError::syntax()),
    }
}

/// The `Condition` element. An operator IAM does not know is accepted with an
/// empty block (it then tests nothing) and refused otherwise; condition keys
/// need no vendor prefix. Typed values are checked later.
fn shape_conditions(value: &Value) -> Result<Vec<Condition>, PolicyError> {
    let Value::Object(operators) = value else {
        return Err(PolicyError::syntax());
    };
    let mut out = Vec::new();
    for (name, block) in operators {
        let Value::Object(keys) = block else {
            return Err(PolicyError::syntax());
        };
        let Some(operator) = ConditionOperator::parse(name) else {
            if keys.is_empty() {
                continue;
            }
            return Err(PolicyError::syntax());
        };
        for (key, values) in keys {
            let values = match values {
                Value::Array(items) => items
                    .iter()
                    .map(condition_value)
                    .collect::<Result<Vec<_>, _>>()?,
                single => vec![condition_value(single)?],
            };
            out.push(Condition {
                operator,
                key: key.clone(),
                values,
            });
        }
    }
    Ok(out)
}
