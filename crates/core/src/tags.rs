//! Tag rules shared by every taggable entity: AWS's key and value constraints, the limit of
//! 50 tags, the reserved `aws:` prefix and duplicate keys. The server decodes the request's
//! `Tags.member.N.Key/Value` and `TagKeys.member.N` lists and hands them here; each
//! [`TagError`] carries AWS's wording, and the server picks the error code.

use crate::model::Tag;
use regex::Regex;
use std::sync::LazyLock;

pub const MAX_TAGS: usize = 50;
const KEY_PATTERN: &str = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+";
const VALUE_PATTERN: &str = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*";

/// Why tags were refused, worded as AWS words it.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    /// Constraint violations, one AWS sentence each, reported together as a `ValidationError`
    /// (`N validation error(s) detected: ...`). Never empty.
    #[error("{}", .0.join("; "))]
    Invalid(Vec<String>),
    /// A key with the reserved `aws:` prefix (`InvalidInput` in IAM).
    #[error("Tag keys starting with 'aws:' are reserved for internal use and cannot be used.")]
    Reserved,
    /// Two keys equal but for case (`InvalidInput` in IAM).
    #[error("Duplicate tag keys found. Please note that Tag keys are case insensitive.")]
    Duplicate,
}

/// A model pattern compiled as the wire validator compiles it: anchored at both ends.
fn anchored(pattern: &str) -> Option<Regex> {
    Regex::new(&format!("^(?:{pattern})$")).ok()
}

static KEY: LazyLock<Option<Regex>> = LazyLock::new(|| anchored(KEY_PATTERN));
static VALUE: LazyLock<Option<Regex>> = LazyLock::new(|| anchored(VALUE_PATTERN));

fn matches(re: &LazyLock<Option<Regex>>, value: &str) -> bool {
    re.as_ref().is_none_or(|re| re.is_match(value))
}

fn constraint(n: usize, field: &str, value: &str, what: &str) -> String {
    format!("Value '{value}' at 'tags.{n}.member.{field}' failed to satisfy constraint: {what}")
}

fn check_key(key: &str, n: usize, field: &str, errors: &mut Vec<String>) {
    let len = key.encode_utf16().count();
    if len < 1 {
        errors.push(constraint(
            n,
            field,
            key,
            "Member must have length greater than or equal to 1",
        ));
    }
    if len > 128 {
        errors.push(constraint(
            n,
            field,
            key,
            "Member must have length less than or equal to 128",
        ));
    }
    if len >= 1 && !matches(&KEY, key) {
        errors.push(constraint(
            n,
            field,
            key,
            &format!("Member must satisfy regular expression pattern: {KEY_PATTERN}"),
        ));
    }
}

fn reserved(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

fn invalid(errors: Vec<String>) -> Result<(), TagError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(TagError::Invalid(errors))
    }
}

/// Checks a request's tags, given as (key, value) pairs in list order with either half
/// possibly missing; `list` is the list's name in AWS's messages (`tags`).
pub fn check_tags(
    list: &str,
    entries: &[(Option<&str>, Option<&str>)],
) -> Result<Vec<Tag>, TagError> {
    if entries.len() > MAX_TAGS {
        return Err(TagError::Invalid(vec![format!(
            "Value at '{list}' failed to satisfy constraint: Member must have length less than or equal to {MAX_TAGS}"
        )]));
    }
    let mut errors = Vec::new();
    let mut tags = Vec::with_capacity(entries.len());
    for (i, &(key, value)) in entries.iter().enumerate() {
        let n = i + 1;
        match key {
            None => errors.push(format!("Value null at 'tags.{n}.member.key' failed to satisfy constraint: Member must not be null")),
            Some(k) => check_key(k, n, "key", &mut errors),
        }
        match value {
            None => errors.push(format!("Value null at 'tags.{n}.member.value' failed to satisfy constraint: Member must not be null")),
            Some(v) => {
                if v.encode_utf16().count() > 256 {
                    errors.push(constraint(n, "value", v, "Member must have length less than or equal to 256"));
                }
                if !matches(&VALUE, v) {
                    errors.push(constraint(n, "value", v, &format!("Member must satisfy regular expression pattern: {VALUE_PATTERN}")));
                }
            }
        }
        if let (Some(k), Some(v)) = (key, value) {
            tags.push(Tag {
                key: k.to_string(),
                value: v.to_string(),
            });
        }
    }
    invalid(errors)?;
    check_tag_set(&tags)?;
    Ok(tags)
}

/// Reserved prefix and duplicate keys (case-insensitive) in one request.
pub fn check_tag_set(tags: &[Tag]) -> Result<(), TagError> {
    if tags.iter().any(|t| reserved(&t.key)) {
        return Err(TagError::Reserved);
    }
    for (i, a) in tags.iter().enumerate() {
        if tags[..i].iter().any(|b| b.key.eq_ignore_ascii_case(&a.key)) {
            return Err(TagError::Duplicate);
        }
    }
    Ok(())
}

/// Checks the keys of an Untag request.
pub fn check_tag_keys(keys: &[&str]) -> Result<Vec<String>, TagError> {
    let mut errors = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let len = k.encode_utf16().count();
        let at = format!(
            "Value '{k}' at 'tagKeys.{}.member' failed to satisfy constraint:",
            i + 1
        );
        if !(1..=128).contains(&len) {
            errors.push(format!(
                "{at} Member must have length less than or equal to 128"
            ));
        } else if !matches(&KEY, k) {
            errors.push(format!(
                "{at} Member must satisfy regular expression pattern: {KEY_PATTERN}"
            ));
        }
    }
    invalid(errors)?;
    Ok(keys.iter().map(|k| k.to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(k: &str, v: &str) -> Tag {
        Tag {
            key: k.into(),
            value: v.into(),
        }
    }

    fn check(entries: &[(Option<&str>, Option<&str>)]) -> Result<Vec<Tag>, TagError> {
        check_tags("tags", entries)
    }

    #[test]
    fn valid_tags() {
        let tags = check(&[(Some("team"), Some("a b")), (Some("été"), Some(""))]).unwrap();
        assert_eq!(tags, vec![tag("team", "a b"), tag("été", "")]);
        assert_eq!(check(&[]).unwrap(), vec![]);
    }

    #[test]
    fn invalid_tags() {
        assert!(matches!(
            check(&[(Some("a!"), Some("x"))]),
            Err(TagError::Invalid(_))
        ));
        assert_eq!(
            check(&[(Some("aws:x"), Some("x"))]),
            Err(TagError::Reserved)
        );
        assert_eq!(
            check(&[(Some("A"), Some("x")), (Some("a"), Some("y"))]),
            Err(TagError::Duplicate)
        );
        let long = "v".repeat(257);
        assert!(matches!(
            check(&[(Some("k"), Some(&long))]),
            Err(TagError::Invalid(_))
        ));
        assert_eq!(
            check(&[(Some("k"), None)]).unwrap_err().to_string(),
            "Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null"
        );
        let many = vec![(Some("k"), Some("v")); MAX_TAGS + 1];
        assert_eq!(
            check(&many).unwrap_err().to_string(),
            "Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"
        );
    }

    #[test]
    fn constraint_failures_are_reported_together() {
        let Err(TagError::Invalid(errors)) = check(&[(Some(""), Some("x")), (None, Some("y"))])
        else {
            panic!("expected constraint failures");
        };
        assert_eq!(errors.len(), 2);
        assert!(errors[0].contains("'tags.1.member.key'"));
        assert!(errors[1].starts_with("Value null at 'tags.2.member.key'"));
    }

    #[test]
    fn tag_keys() {
        assert_eq!(check_tag_keys(&["a", "b"]).unwrap(), ["a", "b"]);
        let Err(TagError::Invalid(errors)) = check_tag_keys(&["", "a!"]) else {
            panic!("expected constraint failures");
        };
        assert_eq!(errors.len(), 2);
        assert!(errors[1].starts_with("Value 'a!' at 'tagKeys.2.member'"));
    }
}
