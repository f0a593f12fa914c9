//! The content checks of policy validation, run on statements whose shape is
//! already right (see the stage list in `parse.rs`), with AWS's messages:
//! legacy parsing, what each policy kind allows, `Sid`s, the presence and form
//! of actions and resources, trust-policy actions and typed condition values.

use std::collections::HashSet;

use crate::error::{self, PolicyError};
use crate::model::{Clause, PolicyKind, PrincipalType, Principals};
use crate::operators::Family;
use crate::shaped::Shaped;
use crate::values;

/// "The policy failed legacy parsing": an `Effect` not written exactly
/// `Allow`/`Deny`, a date condition value that is not a date, or an ARN with
/// too few parts or no service.
pub(crate) fn legacy(statements: &[Shaped]) -> Result<(), PolicyError> {
    let legacy = || PolicyError::malformed(error::LEGACY_PARSING);
    for statement in statements {
        if statement.effect != "Allow" && statement.effect != "Deny" {
            return Err(legacy());
        }
        let dates = statement
            .conditions
            .iter()
            .filter(|c| c.operator.operator.family() == Family::Date)
            .flat_map(|c| &c.values);
        for value in dates {
            if values::parse_date(value).is_none() {
                return Err(legacy());
            }
        }
        let resources = statement.resource.iter().flat_map(|c| &c.values);
        for resource in resources {
            if !legacy_arn_ok(resource) {
                return Err(legacy());
            }
        }
    }
    Ok(())
}

/// An `arn:` value of a valid partition with a region part needs all six
/// parts and a service. (Other partitions are refused later, with their own
/// message.)
fn legacy_arn_ok(resource: &str) -> bool {
    let parts: Vec<&str> = resource.split(':').collect();
    match parts.as_slice() {
        ["arn", "aws" | "*", service, _, rest @ ..] => !service.is_empty() && rest.len() >= 2,
        _ => true,
    }
}

/// What the policy kind allows: principals (none in identity policies,
/// required elsewhere, never `NotPrincipal` in trust policies), no resources
/// in trust policies, and principal values of a valid form.
pub(crate) fn kind_elements(statement: &Shaped, kind: PolicyKind) -> Result<(), PolicyError> {
    match (&statement.principal, kind) {
        (Some(_), PolicyKind::Identity) => {
            return Err(PolicyError::malformed(error::NO_PRINCIPAL_ALLOWED));
        }
        (None, PolicyKind::Resource | PolicyKind::Trust) => {
            return Err(PolicyError::malformed("Missing required field Principal"));
        }
        (Some(p), PolicyKind::Trust) if p.negated => {
            return Err(PolicyError::malformed("Has prohibited field NotPrincipal"));
        }
        _ => {}
    }
    if let (PolicyKind::Trust, Some(clause)) = (kind, &statement.resource) {
        let name = if clause.negated {
            "NotResource"
        } else {
            "Resource"
        };
        return Err(PolicyError::malformed(format!(
            "Has prohibited field {name}"
        )));
    }
    if let Some(Principals::Map(entries)) = statement.principal.as_ref().map(|p| &p.principals) {
        for (kind, values) in entries {
            for value in values {
                check_principal(*kind, value)?;
            }
        }
    }
    Ok(())
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

/// `Sid`s: alphanumeric outside resource policies, and unique (empty ones
/// aside).
pub(crate) fn sids(statements: &[Shaped], kind: PolicyKind) -> Result<(), PolicyError> {
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

fn non_empty(clause: Option<&Clause>) -> bool {
    clause.is_some_and(|c| !c.values.is_empty())
}

/// Each check over every statement before the next check: actions present,
/// resources present (not in trust policies), the form of resources, the
/// form of actions, trust-policy actions, then typed condition values.
pub(crate) fn statements(statements: &[Shaped], kind: PolicyKind) -> Result<(), PolicyError> {
    if !statements.iter().all(|s| non_empty(s.action.as_ref())) {
        return Err(PolicyError::malformed(error::MISSING_ACTIONS));
    }
    if kind != PolicyKind::Trust {
        if !statements.iter().all(|s| non_empty(s.resource.as_ref())) {
            return Err(PolicyError::malformed(error::MISSING_RESOURCES));
        }
        for resource in statements.iter().flat_map(|s| s.resource.iter()) {
            resource.values.iter().try_for_each(|r| check_resource(r))?;
        }
    }
    let actions = || statements.iter().flat_map(|s| s.action.iter());
    for action in actions() {
        action.values.iter().try_for_each(|a| check_action(a))?;
    }
    if kind == PolicyKind::Trust {
        let allowed = actions()
            .filter(|c| !c.negated)
            .flat_map(|c| &c.values)
            .all(|a| is_assume_role_action(a));
        if !allowed {
            return Err(PolicyError::malformed(error::TRUST_ACTIONS));
        }
    }
    for condition in statements.iter().flat_map(|s| &s.conditions) {
        let family = condition.operator.operator.family();
        condition
            .values
            .iter()
            .try_for_each(|v| check_typed_value(family, v))?;
    }
    Ok(())
}

/// The form of one resource: an ARN (the first part may be anything) in the
/// `aws` partition, with a service, no region for IAM and S3 buckets, and an
/// IAM resource of a known type.
fn check_resource(resource: &str) -> Result<(), PolicyError> {
    if resource == "*" {
        return Ok(());
    }
    let Some((_, rest)) = resource.split_once(':') else {
        return Err(PolicyError::malformed(format!(
            "Resource {resource} must be in ARN format or \"*\"."
        )));
    };
    let (partition, rest) = match rest.split_once(':') {
        Some((partition, rest)) => (partition, Some(rest)),
        None => (rest, None),
    };
    if partition != "aws" && partition != "*" {
        let parts: Vec<&str> = rest.unwrap_or_default().split(':').collect();
        let part = |i: usize| parts.get(i).copied().unwrap_or("*");
        let service = match parts.as_slice() {
            [""] => "*",
            _ => part(0),
        };
        let tail = match parts.get(3..) {
            Some(tail) if !tail.is_empty() => tail.join(":"),
            _ => "*".to_owned(),
        };
        return Err(PolicyError::malformed(format!(
            "Partition \"{partition}\" is not valid for resource \"arn:{partition}:{service}:{}:{}:{tail}\".",
            part(1),
            part(2)
        )));
    }
    let Some(rest) = rest else {
        return Err(PolicyError::malformed(error::RESOURCE_VENDOR));
    };
    let mut parts = rest.splitn(4, ':');
    let service = parts.next().unwrap_or_default();
    let region = parts.next().unwrap_or_default();
    let account = parts.next().unwrap_or_default();
    let path = parts.next().unwrap_or_default();
    match service {
        "iam" if !region.is_empty() => Err(PolicyError::malformed(format!(
            "IAM resource {resource} cannot contain region information."
        ))),
        // Bucket and object ARNs have neither region nor account; access
        // points and other regional S3 resources have both.
        "s3" if !region.is_empty() && account.is_empty() => Err(PolicyError::malformed(format!(
            "Resource {resource} can not contain region information."
        ))),
        "iam" if !iam_path_ok(path) => Err(PolicyError::malformed(error::IAM_RESOURCE_PATH)),
        _ => Ok(()),
    }
}

const IAM_RESOURCE_TYPES: [&str; 13] = [
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
];

/// Resource types newer than AWS's message, which AWS accepts all the same (its own managed
/// policies name `role-template/` resources).
const NEWER_IAM_RESOURCE_TYPES: [&str; 3] =
    ["role-template/", "delegation-request/", "assumed-role/"];

fn iam_path_ok(path: &str) -> bool {
    path.starts_with('*')
        || path.starts_with("root")
        || IAM_RESOURCE_TYPES
            .iter()
            .chain(&NEWER_IAM_RESOURCE_TYPES)
            .any(|t| path.starts_with(t))
}

/// The form of one action: `*`, or `vendor:name` with one colon and a vendor
/// of letters, digits, `-`, `_` and `.` (the name may hold anything).
fn check_action(pattern: &str) -> Result<(), PolicyError> {
    if pattern == "*" {
        return Ok(());
    }
    let mut parts = pattern.split(':');
    let vendor = parts.next().unwrap_or_default();
    if parts.next().is_none() {
        return Err(PolicyError::malformed(error::VENDOR_PREFIX));
    }
    if parts.next().is_some() {
        return Err(PolicyError::malformed(error::ONE_COLON));
    }
    if vendor.is_empty() {
        return Err(PolicyError::malformed(error::VENDOR_PREFIX));
    }
    if vendor.contains(['*', '?']) {
        return Err(PolicyError::malformed(error::VENDOR_WILDCARD));
    }
    let vendor_ok = vendor
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !vendor_ok {
        return Err(PolicyError::malformed(format!(
            "Vendor {vendor} is not valid"
        )));
    }
    Ok(())
}

/// The STS actions a trust policy may allow.
const ASSUME_ROLE_ACTIONS: [&str; 6] = [
    "AssumeRole",
    "AssumeRoleWithSAML",
    "AssumeRoleWithWebIdentity",
    "TagSession",
    "SetSourceIdentity",
    "SetContext",
];

/// True when an action of a trust policy names (or, with wildcards, covers)
/// one of the STS actions that act on a role's trust policy.
fn is_assume_role_action(action: &str) -> bool {
    if action == "*" {
        return true;
    }
    let Some((vendor, name)) = action.split_once(':') else {
        return false;
    };
    if !vendor.eq_ignore_ascii_case("sts") {
        return false;
    }
    let pattern = crate::matching::Pattern::glob(name, true);
    ASSUME_ROLE_ACTIONS.iter().any(|a| pattern.matches(a))
}

/// Literal values of typed operators must parse (we reject what would
/// otherwise silently never match; see the crate notes). Dates were checked
/// by legacy parsing.
fn check_typed_value(family: Family, value: &str) -> Result<(), PolicyError> {
    let ok = match family {
        Family::String | Family::Arn | Family::Bool | Family::Date => true,
        Family::Numeric => values::parse_number(value).is_some(),
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
