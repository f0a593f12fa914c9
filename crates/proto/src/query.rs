//! AWS Query parameter decoding: `application/x-www-form-urlencoded` bodies and query strings
//! (`+` is a space), `Name.member.N` lists, `Name.member.N.Field` lists of structures and
//! `Name.entry.N.key/value` maps.

use crate::error::AwsError;
use percent_encoding::percent_decode;
use std::collections::BTreeMap;

/// The decoded parameters of one request. `Debug` shows the names only: values may be secrets
/// (passwords, private keys, tokens), which only the typed inputs (`input.rs`) hold as such.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    map: BTreeMap<String, String>,
}

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.map.keys()).finish()
    }
}

fn decode_component(raw: &[u8]) -> Result<String, AwsError> {
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_decode(&plus_as_space)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| {
            AwsError::malformed_query_string(
                "The request contains a parameter that is not valid UTF-8.",
            )
        })
}

/// Splits `Name.member.12.Field` after `prefix` into (12, "Field").
fn index_after<'a>(key: &'a str, prefix: &str) -> Option<(u32, &'a str)> {
    let rest = key.strip_prefix(prefix)?;
    let (n, tail) = match rest.find('.') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.starts_with('0') {
        return None;
    }
    Some((n.parse().ok()?, tail))
}

/// The most parameters one request may carry (far above any real request: the largest lists
/// IAM takes hold 1,000 members of a few fields each).
pub const MAX_PARAMS: usize = 10_000;

impl Params {
    /// Decodes a form body or a query string. The first occurrence of a name wins.
    pub fn parse(input: &[u8]) -> Result<Self, AwsError> {
        let mut p = Params::default();
        p.extend(input)?;
        Ok(p)
    }

    /// Adds the parameters of another encoded source; names already present are kept. More
    /// than [`MAX_PARAMS`] parameters in all (list members included) are refused before they
    /// are decoded.
    pub fn extend(&mut self, input: &[u8]) -> Result<(), AwsError> {
        for pair in input.split(|&b| b == b'&') {
            if pair.is_empty() {
                continue;
            }
            if self.map.len() >= MAX_PARAMS {
                return Err(AwsError::validation(format!(
                    "The request has more than {MAX_PARAMS} parameters."
                )));
            }
            let (k, v) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            let key = decode_component(k)?;
            let value = decode_component(v)?;
            self.map.entry(key).or_insert(value);
        }
        Ok(())
    }

    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.map.insert(key.into(), value.into());
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }

    /// True when `name` or any `name.…` member is present (no allocation: this runs for every
    /// parameter of every request).
    pub fn contains(&self, name: &str) -> bool {
        self.with_prefix(name)
            .any(|(k, _)| k.len() == name.len() || k.as_bytes()[name.len()] == b'.')
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Entries whose key starts with `prefix`, in key order.
    fn with_prefix<'a, 'p>(
        &'a self,
        prefix: &'p str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a, 'p> {
        use std::ops::Bound;
        self.map
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// `Name.member.N` values ordered by N; `None` when the list is absent, empty for `Name=`.
    pub fn list(&self, name: &str) -> Option<Vec<&str>> {
        let prefix = format!("{name}.member.");
        let mut items: Vec<(u32, &str)> = self
            .with_prefix(&prefix)
            .filter_map(|(k, v)| {
                index_after(k, &prefix)
                    .filter(|(_, t)| t.is_empty())
                    .map(|(n, _)| (n, v))
            })
            .collect();
        if items.is_empty() {
            return self.map.contains_key(name).then(Vec::new);
        }
        items.sort_by_key(|(n, _)| *n);
        Some(items.into_iter().map(|(_, v)| v).collect())
    }

    /// `Name.member.N.Field` structures ordered by N, each as field → value.
    pub fn struct_list(&self, name: &str) -> Option<Vec<BTreeMap<&str, &str>>> {
        let prefix = format!("{name}.member.");
        let mut by_index: BTreeMap<u32, BTreeMap<&str, &str>> = BTreeMap::new();
        for (k, v) in self.with_prefix(&prefix) {
            if let Some((n, field)) = index_after(k, &prefix)
                && !field.is_empty()
            {
                by_index.entry(n).or_default().insert(field, v);
            }
        }
        if by_index.is_empty() {
            return self.map.contains_key(name).then(Vec::new);
        }
        Some(by_index.into_values().collect())
    }

    /// `Name.entry.N.key` / `Name.entry.N.value` pairs ordered by N.
    pub fn map_entries(&self, name: &str) -> Vec<(&str, Option<&str>)> {
        self.struct_list_with(name, "entry")
            .into_iter()
            .filter_map(|m| Some((*m.get("key")?, m.get("value").copied())))
            .collect()
    }

    fn struct_list_with(&self, name: &str, infix: &str) -> Vec<BTreeMap<&str, &str>> {
        let prefix = format!("{name}.{infix}.");
        let mut by_index: BTreeMap<u32, BTreeMap<&str, &str>> = BTreeMap::new();
        for (k, v) in self.with_prefix(&prefix) {
            if let Some((n, field)) = index_after(k, &prefix) {
                by_index.entry(n).or_default().insert(field, v);
            }
        }
        by_index.into_values().collect()
    }

    /// The indexes N of `Name.INFIX.N` and `Name.INFIX.N.…` members (`infix` is `member` for
    /// lists, `entry` for maps), ascending and each once; gaps and any order are accepted, as
    /// AWS accepts them.
    pub fn indexes(&self, name: &str, infix: &str) -> Vec<u32> {
        let prefix = format!("{name}.{infix}.");
        let mut seen: Vec<u32> = self
            .with_prefix(&prefix)
            .filter_map(|(k, _)| index_after(k, &prefix).map(|(n, _)| n))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen
    }

    /// How many members a list parameter has (0 when absent).
    pub fn list_len(&self, name: &str) -> usize {
        self.indexes(name, "member").len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_form_encoding() {
        let p =
            Params::parse(b"Action=CreateUser&UserName=a+b%2Fc&Empty=&Flag").unwrap_or_default();
        assert_eq!(p.get("Action"), Some("CreateUser"));
        assert_eq!(p.get("UserName"), Some("a b/c"));
        assert_eq!(p.get("Empty"), Some(""));
        assert_eq!(p.get("Flag"), Some(""));
        assert_eq!(p.get("Missing"), None);
    }

    #[test]
    fn rejects_invalid_utf8() {
        let err = Params::parse(b"UserName=%FF%FE").err();
        assert_eq!(
            err.map(|e| e.code.into_owned()),
            Some("MalformedQueryString".to_string())
        );
    }

    #[test]
    fn lists_are_ordered_by_index_not_text() {
        let p = Params::parse(b"K.member.10=j&K.member.2=b&K.member.1=a&K.member.3=c&K.member.4=d&K.member.5=e&K.member.6=f&K.member.7=g&K.member.8=h&K.member.9=i")
            .unwrap_or_default();
        assert_eq!(
            p.list("K"),
            Some(vec!["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"])
        );
        assert_eq!(p.list_len("K"), 10);
        assert_eq!(p.list("Other"), None);
        let empty = Params::parse(b"Tags=").unwrap_or_default();
        assert_eq!(empty.list("Tags"), Some(vec![]));
        assert_eq!(empty.struct_list("Tags"), Some(vec![]));
    }

    #[test]
    fn too_many_parameters_are_refused() {
        let many: String = (0..MAX_PARAMS + 1).map(|i| format!("P{i}=v&")).collect();
        let err = Params::parse(many.as_bytes())
            .err()
            .map(|e| e.code.to_string());
        assert_eq!(err.as_deref(), Some("ValidationError"));
        let enough: String = (0..MAX_PARAMS).map(|i| format!("P{i}=v&")).collect();
        assert!(Params::parse(enough.as_bytes()).is_ok());
    }

    #[test]
    fn contains_sees_a_name_or_its_members_only() {
        let p = Params::parse(b"TagsX=1&Tags-a=2&Path=%2F").unwrap_or_default();
        assert!(!p.contains("Tags"));
        assert!(p.contains("Path"));
        assert!(!p.contains("Pat"));
        let p = Params::parse(b"Tags.member.1.Key=k&Tags-a=2").unwrap_or_default();
        assert!(p.contains("Tags"));
        assert!(p.contains("Tags.member.1"));
        assert!(!p.contains("Tags.member.2"));
        let p = Params::parse(b"Tags=").unwrap_or_default();
        assert!(p.contains("Tags"));
    }

    #[test]
    fn struct_lists_and_maps() {
        let p = Params::parse(b"Tags.member.2.Key=b&Tags.member.1.Key=a&Tags.member.1.Value=1&P.entry.1.key=x&P.entry.1.value=y")
            .unwrap_or_default();
        let tags = p.struct_list("Tags").unwrap_or_default();
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0].get("Key"), Some(&"a"));
        assert_eq!(tags[0].get("Value"), Some(&"1"));
        assert_eq!(tags[1].get("Value"), None);
        assert_eq!(p.map_entries("P"), vec![("x", Some("y"))]);
        assert_eq!(p.list_len("Tags"), 2);
    }

    #[test]
    fn malformed_indexes_are_ignored() {
        let p = Params::parse(b"K.member.0=z&K.member.x=y&K.member.01=w&K.member.1=a")
            .unwrap_or_default();
        assert_eq!(p.list("K"), Some(vec!["a"]));
    }
}
