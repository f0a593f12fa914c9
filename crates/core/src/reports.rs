//! Account-level records that are neither principals nor credentials: report jobs (service
//! last accessed, Organizations access) and the per-service, per-action record of when each
//! user or role last called AWS.

use chrono::{DateTime, Utc};

/// What a report job covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    /// GenerateServiceLastAccessedDetails: the target is a user, group, role or policy ARN.
    ServiceLastAccessed,
    /// GenerateOrganizationsAccessReport: the target is an Organizations entity path.
    OrganizationsAccess,
}

impl ReportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::ServiceLastAccessed => "service-last-accessed",
            ReportKind::OrganizationsAccess => "organizations-access",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "service-last-accessed" => Some(ReportKind::ServiceLastAccessed),
            "organizations-access" => Some(ReportKind::OrganizationsAccess),
            _ => None,
        }
    }
}

/// A report job: what was asked for and when. The report itself is computed when read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportJob {
    /// A 36-character UUID.
    pub id: String,
    pub account: String,
    pub kind: ReportKind,
    pub target: String,
    /// `SERVICE_LEVEL` or `ACTION_LEVEL` (service reports), or the Organizations policy id
    /// (empty when none was given).
    pub detail: String,
    pub created: DateTime<Utc>,
}

/// The latest call of one user or role (by unique id) to one action of one service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceAccess {
    pub entity_id: String,
    /// The service namespace, e.g. `iam`.
    pub service: String,
    /// The operation name, e.g. `ListUsers`.
    pub action: String,
    pub at: DateTime<Utc>,
    pub region: String,
}

/// The trusted identity propagation settings of an OpenID Connect or SAML provider.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdentityPropagation {
    /// The context provider, as canonical JSON of the request's `ContextProvider`.
    pub context_provider: Option<String>,
    /// The associated IAM Identity Center instance ARN.
    pub identity_center_instance: Option<String>,
}

/// What asking to generate an account's credential report found: one generation runs at a
/// time per account, across every server that shares the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportClaim {
    /// A report generated recently enough exists: nothing to generate.
    Fresh,
    /// Another request claimed the generation recently and has not stored its report yet.
    InProgress,
    /// The caller is to generate the report (storing it ends the claim); `expired` tells
    /// whether an older report exists.
    Claimed { expired: bool },
}
