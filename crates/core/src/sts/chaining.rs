//! What a new role session takes from the session that calls AssumeRole. The calling session's
//! transitive tags pass on, keep their transitivity and cannot be overridden; a transitive key
//! the request names must be one of its own tags. A source identity, once set, cannot change
//! and passes on; none may begin with `aws:`. A role session calling AssumeRole is role
//! chaining (see [`crate::sts::duration`]).

use crate::session::{Session, SessionPrincipal};
use crate::sts::StsError;

/// Whether a session of `parent` (absent: long-term credentials) assuming a role is role
/// chaining.
pub fn is_chained(parent: Option<&Session>) -> bool {
    matches!(
        parent.map(|s| &s.principal),
        Some(SessionPrincipal::Role { .. })
    )
}

/// A new session's tags and the keys of those that are transitive.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SessionTags {
    pub tags: Vec<(String, String)>,
    pub transitive_keys: Vec<String>,
}

/// The tags of a session assumed from `parent` with the `requested` tags, of which the keys
/// `transitive` are to pass on: the parent's transitive tags first, then the requested ones.
pub fn tags(
    parent: Option<&Session>,
    requested: Vec<(String, String)>,
    transitive: Vec<String>,
) -> Result<SessionTags, StsError> {
    let inherited: Vec<(String, String)> = parent
        .map(|s| {
            s.tags
                .iter()
                .filter(|(k, _)| {
                    s.transitive_tag_keys
                        .iter()
                        .any(|t| t.eq_ignore_ascii_case(k))
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    if !transitive
        .iter()
        .all(|key| requested.iter().any(|(k, _)| k.eq_ignore_ascii_case(key)))
    {
        return Err(StsError::TransitiveKeyNotRequested);
    }
    if requested
        .iter()
        .any(|(k, _)| inherited.iter().any(|(i, _)| i.eq_ignore_ascii_case(k)))
    {
        return Err(StsError::TransitiveKeyConflict);
    }
    let mut transitive_keys: Vec<String> = inherited.iter().map(|(k, _)| k.clone()).collect();
    transitive_keys.extend(transitive);
    let mut tags = inherited;
    tags.extend(requested);
    Ok(SessionTags {
        tags,
        transitive_keys,
    })
}

/// The source identity of a session assumed from `parent` with `requested`: the parent's,
/// which a request may repeat but not change, or the requested one.
pub fn source_identity(
    parent: Option<&Session>,
    requested: Option<&str>,
) -> Result<Option<String>, StsError> {
    let identity = match (parent.and_then(|s| s.source_identity.as_deref()), requested) {
        (Some(old), Some(new)) if old != new => return Err(StsError::SourceIdentityChanged),
        (Some(old), _) => Some(old.to_string()),
        (None, new) => new.map(str::to_string),
    };
    if identity
        .as_deref()
        .is_some_and(|s| s.to_ascii_lowercase().starts_with("aws:"))
    {
        return Err(StsError::SourceIdentityReserved);
    }
    Ok(identity)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    fn parent(principal: SessionPrincipal) -> Session {
        Session {
            principal,
            account: "123456789012".into(),
            access_key_id: String::new(),
            issued: 0,
            expires: 3600,
            policy: None,
            policy_arns: Vec::new(),
            tags: vec![pair("Team", "red"), pair("Cost", "9")],
            transitive_tag_keys: vec!["team".into()],
            source_identity: Some("alice".into()),
            mfa_at: None,
            chained: false,
            federated_provider: None,
        }
    }

    fn role_session() -> Session {
        parent(SessionPrincipal::Role {
            id: "AROA".into(),
            name: "r".into(),
            path: "/".into(),
            session: "s".into(),
        })
    }

    #[test]
    fn only_role_sessions_chain() {
        assert!(is_chained(Some(&role_session())));
        assert!(!is_chained(None));
        assert!(!is_chained(Some(&parent(SessionPrincipal::User {
            id: "AIDA".into()
        }))));
        assert!(!is_chained(Some(&parent(SessionPrincipal::Root))));
    }

    #[test]
    fn transitive_tags_pass_on_first() {
        let p = role_session();
        let got = tags(Some(&p), vec![pair("Project", "x")], vec!["project".into()]).unwrap();
        assert_eq!(got.tags, vec![pair("Team", "red"), pair("Project", "x")]);
        assert_eq!(got.transitive_keys, vec!["Team", "project"]);
        // Without a parent only the request counts.
        let got = tags(None, vec![pair("Team", "blue")], Vec::new()).unwrap();
        assert_eq!(got.tags, vec![pair("Team", "blue")]);
        assert!(got.transitive_keys.is_empty());
    }

    #[test]
    fn transitive_keys_must_be_requested_tags() {
        assert_eq!(
            tags(None, vec![pair("a", "1")], vec!["b".into()]),
            Err(StsError::TransitiveKeyNotRequested)
        );
        assert!(tags(None, vec![pair("a", "1")], vec!["A".into()]).is_ok());
    }

    #[test]
    fn inherited_transitive_tags_cannot_be_overridden() {
        let p = role_session();
        assert_eq!(
            tags(Some(&p), vec![pair("TEAM", "blue")], Vec::new()),
            Err(StsError::TransitiveKeyConflict)
        );
        // A tag of the parent that is not transitive may be set again.
        assert!(tags(Some(&p), vec![pair("Cost", "1")], Vec::new()).is_ok());
    }

    #[test]
    fn source_identity_is_kept_once_set() {
        let p = role_session();
        assert_eq!(
            source_identity(Some(&p), None),
            Ok(Some("alice".to_string()))
        );
        assert_eq!(
            source_identity(Some(&p), Some("alice")),
            Ok(Some("alice".to_string()))
        );
        assert_eq!(
            source_identity(Some(&p), Some("bob")),
            Err(StsError::SourceIdentityChanged)
        );
        assert_eq!(source_identity(None, Some("bob")), Ok(Some("bob".into())));
        assert_eq!(source_identity(None, None), Ok(None));
    }

    #[test]
    fn source_identity_may_not_take_the_aws_prefix() {
        assert_eq!(
            source_identity(None, Some("AWS:me")),
            Err(StsError::SourceIdentityReserved)
        );
        assert_eq!(
            source_identity(None, Some("aws:me")),
            Err(StsError::SourceIdentityReserved)
        );
        assert_eq!(
            source_identity(None, Some("awsme")),
            Ok(Some("awsme".into()))
        );
    }
}
