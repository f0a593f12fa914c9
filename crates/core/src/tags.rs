//! Tag rules shared by every taggable entity: the `Tags.member.N.Key/Value` list, AWS's key and
//! value constraints, the reserved `aws:` prefix and duplicate keys.

use crate::model::Tag;
use portcullis_proto::validate::{matches_pattern, validation_result};
use portcullis_proto::{AwsError, Params};

pub const MAX_TAGS: usize = 50;
const KEY_PATTERN: &str = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+";
const VALUE_PATTERN: &str = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*";

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
    if len >= 1 && !matches_pattern(KEY_PATTERN, key) {
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

/// Reads and checks the `Tags` list of a request (absent means none).
pub fn parse_tags(params: &Params, name: &str) -> Result<Vec<Tag>, AwsError> {
    let list = params.struct_list(name).unwrap_or_default();
    if list.len() > MAX_TAGS {
        return Err(AwsError::validation(format!(
            "1 validation error detected: Value at '{}' failed to satisfy constraint: Member must have length less than or equal to {MAX_TAGS}",
            name.to_ascii_lowercase()
        )));
    }
    let mut errors = Vec::new();
    let mut tags = Vec::with_capacity(list.len());
    for (i, fields) in list.iter().enumerate() {
        let n = i + 1;
        let key = fields.get("Key").copied();
        let value = fields.get("Value").copied();
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
                if !matches_pattern(VALUE_PATTERN, v) {
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
    validation_result(errors)?;
    check_tag_set(&tags)?;
    Ok(tags)
}

/// Reserved prefix and duplicate keys (case-insensitive) in one request.
pub fn check_tag_set(tags: &[Tag]) -> Result<(), AwsError> {
    if tags.iter().any(|t| reserved(&t.key)) {
        return Err(AwsError::invalid_input(
            "Tag keys starting with 'aws:' are reserved for internal use and cannot be used.",
        ));
    }
    for (i, a) in tags.iter().enumerate() {
        if tags[..i].iter().any(|b| b.key.eq_ignore_ascii_case(&a.key)) {
            return Err(AwsError::invalid_input(
                "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
            ));
        }
    }
    Ok(())
}

/// Reads and checks the `TagKeys` list of an Untag request.
pub fn parse_tag_keys(params: &Params, name: &str) -> Result<Vec<String>, AwsError> {
    let keys = params.list(name).unwrap_or_default();
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
        } else if !matches_pattern(KEY_PATTERN, k) {
            errors.push(format!(
                "{at} Member must satisfy regular expression pattern: {KEY_PATTERN}"
            ));
        }
    }
    validation_result(errors)?;
    Ok(keys.into_iter().map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<Vec<Tag>, AwsError> {
        parse_tags(&Params::parse(body.as_bytes()).unwrap(), "Tags")
    }

    #[test]
    fn valid_tags() {
        let tags = parse("Tags.member.1.Key=team&Tags.member.1.Value=a%20b&Tags.member.2.Key=%C3%A9t%C3%A9&Tags.member.2.Value=").unwrap();
        assert_eq!(
            tags,
            vec![
                Tag {
                    key: "team".into(),
                    value: "a b".into()
                },
                Tag {
                    key: "été".into(),
                    value: String::new()
                }
            ]
        );
        assert_eq!(parse("").unwrap(), vec![]);
    }

    #[test]
    fn invalid_tags() {
        assert_eq!(
            parse("Tags.member.1.Key=a%21&Tags.member.1.Value=x")
                .unwrap_err()
                .code,
            "ValidationError"
        );
        assert_eq!(
            parse("Tags.member.1.Key=aws%3Ax&Tags.member.1.Value=x")
                .unwrap_err()
                .code,
            "InvalidInput"
        );
        assert_eq!(parse("Tags.member.1.Key=A&Tags.member.1.Value=x&Tags.member.2.Key=a&Tags.member.2.Value=y").unwrap_err().code, "InvalidInput");
        let long = "v".repeat(257);
        assert_eq!(
            parse(&format!("Tags.member.1.Key=k&Tags.member.1.Value={long}"))
                .unwrap_err()
                .code,
            "ValidationError"
        );
        assert!(
            parse("Tags.member.1.Key=k")
                .unwrap_err()
                .message
                .contains("Value null at 'tags.1.member.value'")
        );
    }
}
