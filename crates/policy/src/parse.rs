//! JSON text → [`Policy`], with the validation IAM applies when a policy is
//! stored, and AWS's `MalformedPolicyDocument` messages.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::error::{self, PolicyError};
use crate::model::{
    Clause, Condition, Effect, Policy, PolicyKind, PrincipalClause, PrincipalType, Principals,
    Statement, Version,
};
use crate::operators::{ConditionOperator, Family};
use crate::size::{self, SizeQuota};
use crate::values;

/// Options for [`Policy::parse_with`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// A size quota to enforce on this one document (see [`SizeQuota`]).
    /// Aggregate quotas (all inline policies of a user) are the caller's to sum.
    pub quota: Option<SizeQuota>,
}

impl Policy {
    /// Parses and validates a policy document of the given kind.
    ///
    /// Checks, in order: the API character set, the size quota (none here; see
    /// [`Policy::parse_with`]), JSON syntax, then the grammar of spec §9.1.
    pub fn parse(text: &str, kind: PolicyKind) -> Result<Policy, PolicyError> {
        Self::parse_with(text, kind, &ParseOptions::default())
    }

    /// [`Policy::parse`] with a size quota.
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
        let value: Value =
            serde_json::from_str(text).map_err(|_| PolicyError::malformed(error::INVALID_JSON))?;
        Self::from_json(&value, kind)
    }

    /// Validates an already-decoded JSON value as a policy of the given kind.
    pub fn from_json(value: &Value, kind: PolicyKind) -> Result<Policy, PolicyError> {
        let Value::Object(top) = value else {
            return Err(PolicyError::malformed(error::INVALID_JSON));
        };
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
        let statements = match statement {
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|item| parse_statement(item, kind))
                .collect::<Result<Vec<_>, _>>()?,
            Some(item @ Value::Object(_)) => vec![parse_statement(item, kind)?],
            _ => return Err(PolicyError::syntax()),
        };
        check_sids(&statements, kind)?;
        Ok(Policy {
            version,
            id,
            statements,
        })
    }
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

fn check_sids(statements: &[Statement], kind: PolicyKind) -> Result<(), PolicyError> {
    let mut seen = HashSet::new();
    for sid in statements.iter().filter_map(|s| s.sid.as_deref()) {
        if kind != PolicyKind::Resource && !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(PolicyError::malformed(error::SID_ALPHANUMERIC));
        }
        if !sid.is_empty() && !seen.insert(sid) {
            return Err(PolicyError::malformed(error::SID_UNIQUE));
        }
    }
    Ok(())
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

fn parse_statement(value: &Value, kind: PolicyKind) -> Result<Statement, PolicyError> {
    let Value::Object(map) = value else {
        return Err(PolicyError::syntax());
    };
    let raw = raw_statement(map)?;
    let sid = raw.sid.map(string).transpose()?.map(str::to_owned);
    let effect = match raw.effect {
        None => return Err(PolicyError::malformed("Missing required field Effect")),
        Some(value) => match string(value)? {
            "Allow" => Effect::Allow,
            "Deny" => Effect::Deny,
            _ => return Err(PolicyError::malformed(error::LEGACY_PARSING)),
        },
    };
    let principal = parse_principal_clause(&raw, kind)?;
    let action = match (raw.action, raw.not_action) {
        (Some(_), Some(_)) => return Err(PolicyError::syntax()),
        (None, None) => return Err(PolicyError::malformed(error::MISSING_ACTIONS)),
        (Some(v), None) => clause(v, false, error::MISSING_ACTIONS)?,
        (None, Some(v)) => clause(v, true, error::MISSING_ACTIONS)?,
    };
    for pattern in &action.values {
        check_action(pattern)?;
    }
    let resource = parse_resource_clause(&raw, kind)?;
    let conditions = match raw.condition {
        None => Vec::new(),
        Some(value) => parse_conditions(value)?,
    };
    Ok(Statement {
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}

fn parse_principal_clause(
    raw: &RawStatement<'_>,
    kind: PolicyKind,
) -> Result<Option<PrincipalClause>, PolicyError> {
    let (value, negated) = match (raw.principal, raw.not_principal) {
        (Some(_), Some(_)) => return Err(PolicyError::syntax()),
        (Some(v), None) => (v, false),
        (None, Some(v)) => (v, true),
        (None, None) => {
            return match kind {
                PolicyKind::Identity => Ok(None),
                PolicyKind::Resource | PolicyKind::Trust => {
                    Err(PolicyError::malformed("Missing required field Principal"))
                }
            };
        }
    };
    match kind {
        PolicyKind::Identity => return Err(PolicyError::malformed(error::NO_PRINCIPAL_ALLOWED)),
        PolicyKind::Trust if negated => {
            return Err(PolicyError::malformed("Has prohibited field NotPrincipal"));
        }
        _ => {}
    }
    let principals = match value {
        Value::String(s) if s == "*" => Principals::Any,
        Value::Object(map) if !map.is_empty() => {
            let mut entries = Vec::new();
            for (key, value) in map {
                let kind = PrincipalType::from_key(key).ok_or_else(PolicyError::syntax)?;
                let values = string_list(value)?.ok_or_else(PolicyError::syntax)?;
                for v in &values {
                    check_principal(kind, v)?;
                }
                entries.push((kind, values));
            }
            Principals::Map(entries)
        }
        _ => return Err(PolicyError::syntax()),
    };
    Ok(Some(PrincipalClause {
        negated,
        principals,
    }))
}

fn invalid_principal(kind: PrincipalType, value: &str) -> PolicyError {
    PolicyError::malformed(format!(
        "Invalid principal in policy: \"{}\":\"{}\"",
        kind.as_str(),
        value
    ))
}

/// Shape checks on one principal value. Existence of the named IAM entity is
/// the server's to check (AWS also answers "Invalid principal in policy").
fn check_principal(kind: PrincipalType, value: &str) -> Result<(), PolicyError> {
    if value == "*" {
        return Ok(());
    }
    if value.is_empty() || value.contains(['*', '?']) {
        return Err(invalid_principal(kind, value));
    }
    if kind != PrincipalType::Aws {
        return Ok(());
    }
    let is_account = value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit());
    let is_unique_id = value.len() >= 16
        && value.starts_with('A')
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    let is_arn = crate::matching::Arn::parse(value).is_some_and(|arn| {
        matches!(arn.service, "iam" | "sts")
            && arn.account.len() == 12
            && arn.account.bytes().all(|b| b.is_ascii_digit())
            && !arn.resource.is_empty()
    });
    if is_account || is_unique_id || is_arn {
        Ok(())
    } else {
        Err(invalid_principal(kind, value))
    }
}

fn parse_resource_clause(
    raw: &RawStatement<'_>,
    kind: PolicyKind,
) -> Result<Option<Clause>, PolicyError> {
    if kind == PolicyKind::Trust {
        if raw.resource.is_some() {
            return Err(PolicyError::malformed("Has prohibited field Resource"));
        }
        if raw.not_resource.is_some() {
            return Err(PolicyError::malformed("Has prohibited field NotResource"));
        }
        return Ok(None);
    }
    let clause = match (raw.resource, raw.not_resource) {
        (Some(_), Some(_)) => return Err(PolicyError::syntax()),
        (None, None) => return Err(PolicyError::malformed(error::MISSING_RESOURCES)),
        (Some(v), None) => clause(v, false, error::MISSING_RESOURCES)?,
        (None, Some(v)) => clause(v, true, error::MISSING_RESOURCES)?,
    };
    for value in &clause.values {
        if value != "*" && crate::matching::Arn::parse(value).is_none() {
            return Err(PolicyError::malformed(format!(
                "Resource {value} must be in ARN format or \"*\"."
            )));
        }
    }
    Ok(Some(clause))
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

fn clause(value: &Value, negated: bool, if_empty: &str) -> Result<Clause, PolicyError> {
    let values = string_list(value)?.ok_or_else(|| PolicyError::malformed(if_empty))?;
    Ok(Clause { negated, values })
}

fn check_action(pattern: &str) -> Result<(), PolicyError> {
    if pattern == "*" {
        return Ok(());
    }
    let mut parts = pattern.split(':');
    let vendor = parts.next().unwrap_or_default();
    let Some(_name) = parts.next() else {
        return Err(PolicyError::malformed(error::VENDOR_PREFIX));
    };
    if parts.next().is_some() {
        return Err(PolicyError::malformed(error::ONE_COLON));
    }
    if vendor.is_empty() {
        return Err(PolicyError::malformed(error::VENDOR_PREFIX));
    }
    if vendor.contains(['*', '?']) {
        return Err(PolicyError::malformed(error::VENDOR_WILDCARD));
    }
    Ok(())
}

fn condition_value(value: &Value) -> Result<String, PolicyError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(PolicyError::syntax()),
    }
}

fn parse_conditions(value: &Value) -> Result<Vec<Condition>, PolicyError> {
    let Value::Object(operators) = value else {
        return Err(PolicyError::syntax());
    };
    let mut out = Vec::new();
    for (name, block) in operators {
        let operator = ConditionOperator::parse(name).ok_or_else(PolicyError::syntax)?;
        let Value::Object(keys) = block else {
            return Err(PolicyError::syntax());
        };
        for (key, values) in keys {
            if !key.contains(':') || key.starts_with(':') {
                return Err(PolicyError::malformed(error::VENDOR_PREFIX));
            }
            let values = match values {
                Value::Array(items) if !items.is_empty() => items
                    .iter()
                    .map(condition_value)
                    .collect::<Result<Vec<_>, _>>()?,
                Value::Array(_) => return Err(PolicyError::syntax()),
                single => vec![condition_value(single)?],
            };
            for v in &values {
                check_typed_value(operator.operator.family(), v)?;
            }
            out.push(Condition {
                operator,
                key: key.clone(),
                values,
            });
        }
    }
    Ok(out)
}

/// Literal values of typed operators must parse (we reject what would
/// otherwise silently never match; see the crate notes).
fn check_typed_value(family: Family, value: &str) -> Result<(), PolicyError> {
    let ok = match family {
        Family::String | Family::Arn | Family::Bool => true,
        Family::Numeric => values::parse_number(value).is_some(),
        Family::Date => values::parse_date(value).is_some(),
        Family::Binary => values::decode_base64(value).is_some(),
        Family::Ip => values::Cidr::parse(value).is_some(),
        Family::Null => values::parse_bool(value).is_some(),
    };
    if ok {
        Ok(())
    } else {
        Err(PolicyError::syntax())
    }
}
