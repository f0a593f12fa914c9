//! The parsed form of a policy document (what [`crate::Policy::parse`]
//! returns). It keeps the policy's own strings so it can be serialized back.

use crate::operators::ConditionOperator;

/// Where a policy document is used; decides which elements it may contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Identity-based policy (inline or managed), permissions boundary or STS
    /// session policy: no Principal/NotPrincipal; Resource or NotResource required.
    Identity,
    /// Resource-based policy: Principal or NotPrincipal required; Resource or
    /// NotResource required.
    Resource,
    /// Role trust policy: Principal required; no NotPrincipal, no
    /// Resource/NotResource.
    Trust,
}

/// The policy language version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    /// `2012-10-17`: policy variables are expanded.
    V2012_10_17,
    /// `2008-10-17` (also what an absent Version means): variables are literal text.
    V2008_10_17,
}

impl Version {
    /// The version string.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2012_10_17 => "2012-10-17",
            Version::V2008_10_17 => "2008-10-17",
        }
    }
}

/// A parsed and validated policy document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `Version` as written (`None` when absent, which behaves as 2008-10-17).
    pub version: Option<Version>,
    /// `Id`, if present.
    pub id: Option<String>,
    /// The statements in document order.
    pub statements: Vec<Statement>,
}

impl Policy {
    /// True when policy variables are expanded (Version 2012-10-17).
    pub fn expands_variables(&self) -> bool {
        self.version == Some(Version::V2012_10_17)
    }
}

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `"Allow"`.
    Allow,
    /// `"Deny"`.
    Deny,
}

impl Effect {
    /// The JSON value.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// One statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// `Sid`, if present.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Principal` or `NotPrincipal`, if present.
    pub principal: Option<PrincipalClause>,
    /// `Action` or `NotAction`.
    pub action: Clause,
    /// `Resource` or `NotResource`, if present (absent in trust policies).
    pub resource: Option<Clause>,
    /// The conditions, one per (operator, key) pair, in document order.
    pub conditions: Vec<Condition>,
}

/// A list of action or resource patterns, or its `Not...` form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// True for `NotAction` / `NotResource`.
    pub negated: bool,
    /// The patterns as written.
    pub values: Vec<String>,
}

/// `Principal` or `NotPrincipal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalClause {
    /// True for `NotPrincipal`.
    pub negated: bool,
    /// The principals named.
    pub principals: Principals,
}

/// The value of a Principal element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principals {
    /// `"*"`: everyone, including anonymous callers.
    Any,
    /// `{"AWS": ..., "Service": ..., ...}`, entries in document order.
    Map(Vec<(PrincipalType, Vec<String>)>),
}

/// The key of an entry in a Principal map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrincipalType {
    /// `"AWS"`: accounts, users, roles, sessions, or `"*"`.
    Aws,
    /// `"Service"`: service principals such as `ec2.amazonaws.com`.
    Service,
    /// `"Federated"`: OIDC / SAML providers and the built-in web identity providers.
    Federated,
    /// `"CanonicalUser"`: S3 canonical user ids (never match IAM callers).
    CanonicalUser,
}

impl PrincipalType {
    /// The JSON key.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::Aws => "AWS",
            PrincipalType::Service => "Service",
            PrincipalType::Federated => "Federated",
            PrincipalType::CanonicalUser => "CanonicalUser",
        }
    }

    pub(crate) fn from_key(key: &str) -> Option<PrincipalType> {
        match key {
            "AWS" => Some(PrincipalType::Aws),
            "Service" => Some(PrincipalType::Service),
            "Federated" => Some(PrincipalType::Federated),
            "CanonicalUser" => Some(PrincipalType::CanonicalUser),
            _ => None,
        }
    }
}

/// One condition: an operator applied to one context key with its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The operator.
    pub operator: ConditionOperator,
    /// The condition key as written (matched case-insensitively).
    pub key: String,
    /// The policy values, JSON numbers and booleans turned into their text.
    pub values: Vec<String>,
}
