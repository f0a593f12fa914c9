//! Checks a request's top-level parameters against the constraints in AWS's model (required,
//! length, pattern, enum, numeric range, list size) and words failures as AWS does:
//! `1 validation error detected: Value 'x' at 'userName' failed to satisfy constraint: ...`.

use crate::error::AwsError;
use crate::ops::{OpInfo, Param, ParamKind};
use crate::query::Params;
use regex::Regex;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Java-style model pattern to a Rust regex anchored at both ends; `\w` and `\d` are ASCII as in Java.
fn to_rust_regex(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut depth = 0usize;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('w') => out.push_str(if depth > 0 {
                    "0-9A-Za-z_"
                } else {
                    "[0-9A-Za-z_]"
                }),
                Some('d') => out.push_str(if depth > 0 { "0-9" } else { "[0-9]" }),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push_str("\\\\"),
            },
            '[' => {
                depth += 1;
                out.push(c);
            }
            ']' => {
                depth = depth.saturating_sub(1);
                out.push(c);
            }
            c => out.push(c),
        }
    }
    let body = out.strip_prefix('^').unwrap_or(&out);
    let body = body.strip_suffix('$').unwrap_or(body);
    format!("^(?:{body})$")
}

/// Compiled model patterns, shared by all requests. A pattern Rust's regex cannot express (the
/// account-alias look-ahead) is `None` and checked by the domain code instead.
/// Each is compiled once and kept for the life of the process (the model has a fixed, small set
/// of patterns), so matching reuses the regex's own per-thread caches instead of a fresh clone's.
fn compiled(pattern: &'static str) -> Option<&'static Regex> {
    type Cache = HashMap<&'static str, Option<&'static Regex>>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut guard = cache.lock().unwrap_or_else(|e| e.into_inner());
    *guard.entry(pattern).or_insert_with(|| {
        Regex::new(&to_rust_regex(pattern))
            .ok()
            .map(|re| &*Box::leak(Box::new(re)))
    })
}

/// Whether `value` fully matches a model pattern.
pub fn matches_pattern(pattern: &'static str, value: &str) -> bool {
    compiled(pattern).is_none_or(|re| re.is_match(value))
}

fn describe(p: &Param, value: Option<&str>) -> String {
    match value {
        None => format!("Value null at '{}'", p.wire),
        Some(_) if p.sensitive => format!("Value at '{}'", p.wire),
        Some(v) => format!("Value '{}' at '{}'", v, p.wire),
    }
}

fn check_one(p: &Param, params: &Params, errors: &mut Vec<String>) -> Result<(), AwsError> {
    let value = params.get(p.name);
    let present = value.is_some() || params.contains(p.name);
    if !present {
        if p.required {
            errors.push(format!(
                "{} failed to satisfy constraint: Member must not be null",
                describe(p, None)
            ));
        }
        return Ok(());
    }
    let fail = |errors: &mut Vec<String>, what: String| {
        errors.push(format!(
            "{} failed to satisfy constraint: {what}",
            describe(p, value)
        ));
    };
    match p.kind {
        ParamKind::Str {
            min,
            max,
            pattern,
            enums,
        } => {
            let v = value.unwrap_or("");
            let len = v.encode_utf16().count();
            // AWS reports the pattern before the length, and checks the pattern of an empty
            // value too (`Value '' at 'userName' ... pattern ...; ... length ... 1`).
            if let Some(pat) = pattern
                && !matches_pattern(pat, v)
            {
                // AWS words a malformed path on its own, not as a model constraint.
                if p.name == "Path" || p.name == "NewPath" {
                    return Err(AwsError::validation(
                        "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.",
                    ));
                }
                fail(
                    errors,
                    format!("Member must satisfy regular expression pattern: {pat}"),
                );
            }
            if len < min {
                fail(
                    errors,
                    format!("Member must have length greater than or equal to {min}"),
                );
            }
            if max > 0 && len > max {
                fail(
                    errors,
                    format!("Member must have length less than or equal to {max}"),
                );
            }
            if !enums.is_empty() && !enums.contains(&v) {
                fail(errors, "Member must satisfy enum value set".to_string());
            }
        }
        ParamKind::Int { min, max } => {
            let n = number(p.name, value.unwrap_or(""))?;
            if n < min {
                fail(
                    errors,
                    format!("Member must have value greater than or equal to {min}"),
                );
            }
            if n > max {
                fail(
                    errors,
                    format!("Member must have value less than or equal to {max}"),
                );
            }
        }
        ParamKind::Bool => {
            let v = value.unwrap_or("");
            if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({v}) for parameter {} is invalid. Expected a boolean.",
                    p.name
                )));
            }
        }
        ParamKind::List { min, max } => {
            let n = params.list_len(p.name);
            if n < min {
                errors.push(format!("Value at '{}' failed to satisfy constraint: Member must have length greater than or equal to {min}", p.wire));
            }
            if max > 0 && n > max {
                errors.push(format!("Value at '{}' failed to satisfy constraint: Member must have length less than or equal to {max}", p.wire));
            }
        }
        ParamKind::Timestamp | ParamKind::Nested => {}
    }
    Ok(())
}

/// The number member `name` sent as `text` (surrounding spaces allowed), or AWS's
/// InvalidParameterValue for text that is no number.
pub fn number(name: &str, text: &str) -> Result<i64, AwsError> {
    text.trim().parse().map_err(|_| {
        AwsError::invalid_parameter_value(format!(
            "Value ({text}) for parameter {name} is invalid. Expected a number."
        ))
    })
}

/// AWS's ValidationError for a list of failed constraints (`N validation errors detected: a; b`).
pub fn validation_result(errors: Vec<String>) -> Result<(), AwsError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(validation_error(&errors))
    }
}

/// The `ValidationError` reporting constraint failures (at least one) together, as AWS does.
pub fn validation_error(errors: &[String]) -> AwsError {
    AwsError::validation(portcullis_core::error::validation_message(errors))
}

/// Validates every top-level parameter of `op`; all failures are reported together.
pub fn validate(op: &OpInfo, params: &Params) -> Result<(), AwsError> {
    let mut errors = Vec::new();
    for p in op.params {
        check_one(p, params, &mut errors)?;
    }
    validation_result(errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::Operation;

    fn check(op: Operation, body: &str) -> Result<(), String> {
        let params = Params::parse(body.as_bytes()).map_err(|e| e.message)?;
        validate(op.info(), &params).map_err(|e| format!("{}: {}", e.code, e.message))
    }

    #[test]
    fn accepts_valid_input() {
        assert_eq!(
            check(
                Operation::CreateUser,
                "UserName=alice.b%40x&Path=%2Fa%2Fb%2F"
            ),
            Ok(())
        );
        assert_eq!(
            check(Operation::ListUsers, "MaxItems=1000&PathPrefix=%2F"),
            Ok(())
        );
    }

    #[test]
    fn missing_required_member() {
        assert_eq!(
            check(Operation::CreateUser, ""),
            Err("ValidationError: 1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null".into())
        );
    }

    #[test]
    fn pattern_and_length_use_aws_wording() {
        assert_eq!(
            check(Operation::CreateUser, "UserName=bad%20name"),
            Err("ValidationError: 1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+".into())
        );
        let long = "a".repeat(65);
        let err = check(Operation::CreateUser, &format!("UserName={long}"))
            .err()
            .unwrap_or_default();
        assert!(
            err.ends_with("Member must have length less than or equal to 64"),
            "{err}"
        );
        let two = check(
            Operation::CreateUser,
            &format!("UserName={long}&PermissionsBoundary=short"),
        )
        .err()
        .unwrap_or_default();
        assert!(
            two.starts_with("ValidationError: 2 validation errors detected: "),
            "{two}"
        );
        // A malformed path gets AWS's own sentence, not the model's pattern.
        assert_eq!(
            check(Operation::CreateUser, "UserName=u&Path=nope"),
            Err("ValidationError: The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.".into())
        );
    }

    #[test]
    fn pattern_comes_before_length_and_applies_to_empty_values() {
        // The order and the empty-value pattern check of AWS's answers, e.g. for an empty
        // Cognito user name or a one-character STS session name.
        assert_eq!(
            check(Operation::CreateUser, "UserName="),
            Err("ValidationError: 2 validation errors detected: Value '' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+; Value '' at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1".into())
        );
        let err = check(
            Operation::AssumeRole,
            "RoleArn=arn:aws:iam::123456789012:role/r&RoleSessionName=!",
        )
        .err()
        .unwrap_or_default();
        assert_eq!(
            err,
            "ValidationError: 2 validation errors detected: Value '!' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; Value '!' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"
        );
    }

    #[test]
    fn word_class_is_ascii_like_java() {
        assert!(check(Operation::CreateUser, "UserName=%C3%A9").is_err());
    }

    #[test]
    fn numbers_enums_and_lists() {
        let e = check(Operation::ListUsers, "MaxItems=0")
            .err()
            .unwrap_or_default();
        assert!(
            e.ends_with("Member must have value greater than or equal to 1"),
            "{e}"
        );
        let e = check(Operation::ListUsers, "MaxItems=ten")
            .err()
            .unwrap_or_default();
        assert!(e.starts_with("InvalidParameterValue"), "{e}");
        let e = check(
            Operation::UpdateAccessKey,
            "AccessKeyId=AKIAAAAAAAAAAAAAAAAA&Status=On",
        )
        .err()
        .unwrap_or_default();
        assert!(e.ends_with("Member must satisfy enum value set"), "{e}");
        let tags: String = (1..=51)
            .map(|i| format!("&Tags.member.{i}.Key=k{i}"))
            .collect();
        let e = check(Operation::CreateUser, &format!("UserName=a{tags}"))
            .err()
            .unwrap_or_default();
        assert!(e.contains("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"), "{e}");
    }

    #[test]
    fn sensitive_values_stay_out_of_messages() {
        let e = check(Operation::ChangePassword, "OldPassword=&NewPassword=secret")
            .err()
            .unwrap_or_default();
        assert!(e.contains("Value at 'oldPassword'"), "{e}");
        assert!(!e.contains("secret"), "{e}");
    }

    #[test]
    fn every_model_pattern_compiles_except_lookahead() {
        for op in Operation::all() {
            for p in op.info().params {
                if let ParamKind::Str {
                    pattern: Some(pat), ..
                } = p.kind
                {
                    let ok = Regex::new(&to_rust_regex(pat)).is_ok();
                    assert!(ok || pat.contains("(?!"), "{pat}");
                }
            }
        }
    }
}
