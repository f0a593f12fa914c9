//! Matching the caller against `Principal` / `NotPrincipal` elements.

use crate::context::Caller;
use crate::matching::Arn;
use crate::model::{PrincipalClause, PrincipalType, Principals};

/// How specifically a resource-policy Allow named the caller; decides whether
/// that Allow is enough on its own in the same account (spec §9.6 table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalMatch {
    /// The caller's account (`123456789012` or `arn:aws:iam::...:root`), or a
    /// `NotPrincipal` Allow: the account's identity policies must also allow.
    Account,
    /// The IAM role whose session calls: overrides a missing identity Allow
    /// but not a permissions boundary or session policy.
    RoleArn,
    /// The caller itself (user, role session, federated user, service,
    /// federated provider, `*`): sufficient on its own in the same account.
    Direct,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    Everyone,
    AnyAws,
    Account(String),
    User(String),
    Role(String),
    Session(String),
    FederatedUser(String),
    UniqueId(String),
    Service(String),
    Federated(String),
    Never,
}

/// One identity a caller presents (a role session presents its account, its
/// role and itself).
#[derive(Clone, Copy, Debug)]
enum Identity<'a> {
    Account(&'a str),
    User(&'a str, Option<&'a str>),
    Role(&'a str, Option<&'a str>),
    Session(&'a str),
    FederatedUser(&'a str),
    Service(&'a str),
    Federated(&'a str),
    Anonymous,
}

fn identities(caller: &Caller) -> Vec<Identity<'_>> {
    match caller {
        Caller::Root { account } => vec![Identity::Account(account)],
        Caller::User {
            arn,
            account,
            unique_id,
        } => vec![
            Identity::Account(account),
            Identity::User(arn, unique_id.as_deref()),
        ],
        Caller::RoleSession {
            role_arn,
            session_arn,
            account,
            role_unique_id,
        } => vec![
            Identity::Account(account),
            Identity::Role(role_arn, role_unique_id.as_deref()),
            Identity::Session(session_arn),
        ],
        Caller::FederatedUser { arn, account } => {
            vec![Identity::Account(account), Identity::FederatedUser(arn)]
        }
        Caller::Service { name } => vec![Identity::Service(name)],
        Caller::Federated { provider } => vec![Identity::Federated(provider)],
        Caller::Anonymous => vec![Identity::Anonymous],
    }
}

fn aws_entry(value: &str) -> Entry {
    if value == "*" {
        return Entry::AnyAws;
    }
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Entry::Account(value.to_owned());
    }
    if let Some(arn) = Arn::parse(value) {
        let owned = value.to_owned();
        return match (arn.service, arn.resource) {
            ("iam", "root") => Entry::Account(arn.account.to_owned()),
            ("iam", r) if r.starts_with("user/") => Entry::User(owned),
            ("iam", r) if r.starts_with("role/") => Entry::Role(owned),
            ("sts", r) if r.starts_with("assumed-role/") => Entry::Session(owned),
            ("sts", r) if r.starts_with("federated-user/") => Entry::FederatedUser(owned),
            _ => Entry::Never,
        };
    }
    if value.starts_with('A') && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Entry::UniqueId(value.to_owned());
    }
    Entry::Never
}

/// A compiled Principal or NotPrincipal element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PrincipalMatcher {
    negated: bool,
    entries: Vec<Entry>,
}

impl PrincipalMatcher {
    pub(crate) fn compile(clause: &PrincipalClause) -> PrincipalMatcher {
        let entries = match &clause.principals {
            Principals::Any => vec![Entry::Everyone],
            Principals::Map(map) => map
                .iter()
                .flat_map(|(kind, values)| {
                    values.iter().map(move |v| match kind {
                        PrincipalType::Aws => aws_entry(v),
                        PrincipalType::Service if v == "*" => Entry::Everyone,
                        PrincipalType::Service => Entry::Service(v.clone()),
                        PrincipalType::Federated if v == "*" => Entry::Everyone,
                        PrincipalType::Federated => Entry::Federated(v.clone()),
                        PrincipalType::CanonicalUser => Entry::Never,
                    })
                })
                .collect(),
        };
        PrincipalMatcher {
            negated: clause.negated,
            entries,
        }
    }

    fn entry_matches(entry: &Entry, identity: Identity<'_>) -> Option<PrincipalMatch> {
        use Identity as I;
        let direct = Some(PrincipalMatch::Direct);
        match (entry, identity) {
            (Entry::Everyone, _) => direct,
            (Entry::AnyAws, I::Service(_) | I::Federated(_)) => None,
            (Entry::AnyAws, _) => direct,
            (Entry::Account(a), I::Account(b)) if a == b => Some(PrincipalMatch::Account),
            (Entry::User(a), I::User(b, _)) if a == b => direct,
            (Entry::UniqueId(a), I::User(_, Some(b))) if a == b => direct,
            (Entry::Role(a), I::Role(b, _)) if a == b => Some(PrincipalMatch::RoleArn),
            (Entry::UniqueId(a), I::Role(_, Some(b))) if a == b => Some(PrincipalMatch::RoleArn),
            (Entry::Session(a), I::Session(b)) if a == b => direct,
            (Entry::FederatedUser(a), I::FederatedUser(b)) if a == b => direct,
            (Entry::Service(a), I::Service(b)) if a.eq_ignore_ascii_case(b) => direct,
            (Entry::Federated(a), I::Federated(b)) if a == b => direct,
            _ => None,
        }
    }

    /// `Some(strength)` when the element applies to the caller.
    ///
    /// `Principal`: applies when any of the caller's identities is named (the
    /// strongest match wins). `NotPrincipal`: applies unless every identity of
    /// the caller (account, role, session...) is named, as AWS documents.
    pub(crate) fn applies(&self, caller: &Caller) -> Option<PrincipalMatch> {
        let ids = identities(caller);
        if self.negated {
            let all_named = ids.iter().all(|id| {
                self.entries
                    .iter()
                    .any(|e| Self::entry_matches(e, *id).is_some())
            });
            return (!all_named).then_some(PrincipalMatch::Account);
        }
        ids.iter()
            .flat_map(|id| {
                self.entries
                    .iter()
                    .filter_map(|e| Self::entry_matches(e, *id))
            })
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(json: &str, negated: bool) -> PrincipalMatcher {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let principals = match value {
            serde_json::Value::String(_) => Principals::Any,
            serde_json::Value::Object(map) => Principals::Map(
                map.iter()
                    .map(|(k, v)| {
                        let vals = match v {
                            serde_json::Value::String(s) => vec![s.clone()],
                            serde_json::Value::Array(a) => {
                                a.iter().map(|x| x.as_str().unwrap().to_owned()).collect()
                            }
                            _ => panic!(),
                        };
                        (PrincipalType::from_key(k).unwrap(), vals)
                    })
                    .collect(),
            ),
            _ => panic!(),
        };
        PrincipalMatcher::compile(&PrincipalClause {
            negated,
            principals,
        })
    }

    fn session() -> Caller {
        Caller::RoleSession {
            role_arn: "arn:aws:iam::111111111111:role/r".into(),
            session_arn: "arn:aws:sts::111111111111:assumed-role/r/s".into(),
            account: "111111111111".into(),
            role_unique_id: Some("AROAEXAMPLE".into()),
        }
    }

    #[test]
    fn strengths() {
        let c = session();
        assert_eq!(
            matcher(r#"{"AWS":"111111111111"}"#, false).applies(&c),
            Some(PrincipalMatch::Account)
        );
        assert_eq!(
            matcher(r#"{"AWS":"arn:aws:iam::111111111111:role/r"}"#, false).applies(&c),
            Some(PrincipalMatch::RoleArn)
        );
        assert_eq!(
            matcher(
                r#"{"AWS":["111111111111","arn:aws:sts::111111111111:assumed-role/r/s"]}"#,
                false
            )
            .applies(&c),
            Some(PrincipalMatch::Direct)
        );
        assert_eq!(
            matcher(r#"{"AWS":"222222222222"}"#, false).applies(&c),
            None
        );
        assert_eq!(
            matcher(r#"{"Service":"ec2.amazonaws.com"}"#, false).applies(&c),
            None
        );
        assert_eq!(
            matcher(r#"{"Service":"ec2.amazonaws.com"}"#, false).applies(&Caller::Service {
                name: "ec2.amazonaws.com".into()
            }),
            Some(PrincipalMatch::Direct)
        );
        assert_eq!(
            matcher(r#"{"AWS":"*"}"#, false).applies(&Caller::Service {
                name: "ec2.amazonaws.com".into()
            }),
            None
        );
        assert_eq!(
            matcher(r#""*""#, false).applies(&Caller::Anonymous),
            Some(PrincipalMatch::Direct)
        );
    }

    #[test]
    fn not_principal_needs_every_identity() {
        let c = session();
        // Naming only the session leaves the role and account unnamed: applies.
        let m = matcher(
            r#"{"AWS":"arn:aws:sts::111111111111:assumed-role/r/s"}"#,
            true,
        );
        assert!(m.applies(&c).is_some());
        let m = matcher(
            r#"{"AWS":["arn:aws:sts::111111111111:assumed-role/r/s","arn:aws:iam::111111111111:role/r","arn:aws:iam::111111111111:root"]}"#,
            true,
        );
        assert!(m.applies(&c).is_none());
    }
}
