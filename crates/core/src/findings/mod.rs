//! Unused-access findings, of the kinds IAM Access Analyzer reports: unused roles, unused
//! access keys, unused console passwords, unused permissions (services a principal is allowed
//! but has not called), and access keys older than the rotation age. Computed from plain facts
//! that the caller gathers (from a store, or from any IAM endpoint), so the rules live here
//! once. The plan that acts on them is in [`cleanup`].

pub mod cis;
pub mod cleanup;
pub mod report_rows;
#[cfg(test)]
mod tests;

use crate::model::Tag;
use chrono::{DateTime, TimeDelta, Utc};

/// CIS AWS Foundations Benchmark: credentials unused for 45 days are disabled.
pub const DEFAULT_UNUSED_DAYS: u32 = 45;
/// CIS AWS Foundations Benchmark: access keys are rotated every 90 days.
pub const DEFAULT_ROTATION_DAYS: u32 = 90;
/// The tracking window, in days, as Access Analyzer bounds it.
pub const WINDOW_DAYS: std::ops::RangeInclusive<u32> = 1..=365;

/// The thresholds of the findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The tracking window: access unused for this many days is reported, and principals
    /// younger than it never are.
    pub unused_days: u32,
    /// Active access keys created this many days ago or more are reported as not rotated.
    pub rotation_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            unused_days: DEFAULT_UNUSED_DAYS,
            rotation_days: DEFAULT_ROTATION_DAYS,
        }
    }
}

impl Settings {
    /// Settings with the window checked against [`WINDOW_DAYS`].
    pub fn new(unused_days: u32, rotation_days: u32) -> Result<Self, String> {
        if !WINDOW_DAYS.contains(&unused_days) {
            return Err(format!(
                "the tracking window must be 1 to 365 days (got {unused_days})"
            ));
        }
        if rotation_days == 0 {
            return Err("the rotation age must be at least 1 day".into());
        }
        Ok(Settings {
            unused_days,
            rotation_days,
        })
    }
}

/// A service a principal's policies could allow, and its latest call to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceUse {
    /// The service namespace, e.g. `s3`.
    pub namespace: String,
    pub last_used: Option<DateTime<Utc>>,
}

/// An access key of a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyFacts {
    pub id: String,
    pub active: bool,
    pub created: DateTime<Utc>,
    pub last_used: Option<DateTime<Utc>>,
}

/// A user's console password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordFacts {
    pub created: DateTime<Utc>,
    pub last_used: Option<DateTime<Utc>>,
}

/// Whether a principal is a user or a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    User,
    Role,
}

impl PrincipalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Role => "role",
        }
    }
}

/// A user or role with everything the findings and the cleanup plan read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalFacts {
    pub kind: PrincipalKind,
    pub name: String,
    pub arn: String,
    pub path: String,
    pub created: DateTime<Utc>,
    pub tags: Vec<Tag>,
    /// The names of the user's groups (empty for roles).
    pub groups: Vec<String>,
    /// A role's last use (assumed, or a call of its sessions); a user's is its credentials'.
    pub last_used: Option<DateTime<Utc>>,
    pub password: Option<PasswordFacts>,
    pub keys: Vec<KeyFacts>,
    /// Services its permissions policies could allow.
    pub services: Vec<ServiceUse>,
    /// Its policies allow it to administer the account (see the cleanup plan's rule about
    /// the last administrator); the caller decides this with the policy engine.
    pub admin: bool,
}

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingKind {
    UnusedRole,
    UnusedAccessKey,
    UnusedPassword,
    UnusedPermission,
    KeyNotRotated,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::UnusedRole => "UnusedRole",
            FindingKind::UnusedAccessKey => "UnusedAccessKey",
            FindingKind::UnusedPassword => "UnusedPassword",
            FindingKind::UnusedPermission => "UnusedPermission",
            FindingKind::KeyNotRotated => "KeyNotRotated",
        }
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub principal_kind: PrincipalKind,
    pub principal: String,
    pub arn: String,
    /// The access key id the finding is about, or for unused permissions a summary of the
    /// services.
    pub resource: Option<String>,
    /// Unused permissions: the namespaces of the unused services, in catalogue order.
    pub services: Vec<String>,
    /// The last use, if there ever was one.
    pub last_used: Option<DateTime<Utc>>,
    /// Days since the last use (or since creation, never used), or the key's age.
    pub days: i64,
}

fn days_since(then: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - then).num_days()
}

/// The findings about `principals` at `now`, in the order of the principals.
pub fn findings(
    principals: &[PrincipalFacts],
    settings: &Settings,
    now: DateTime<Utc>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in principals {
        principal_findings(p, settings, now, &mut out);
    }
    out
}

fn principal_findings(
    p: &PrincipalFacts,
    settings: &Settings,
    now: DateTime<Utc>,
    out: &mut Vec<Finding>,
) {
    let window = TimeDelta::days(i64::from(settings.unused_days));
    let finding = |kind, resource: Option<&str>, last_used, days| Finding {
        kind,
        principal_kind: p.kind,
        principal: p.name.clone(),
        arn: p.arn.clone(),
        resource: resource.map(str::to_string),
        services: Vec::new(),
        last_used,
        days,
    };
    // Unused since `since` (its last use, or its creation when never used) for the window?
    let unused = |created: DateTime<Utc>, last_used: Option<DateTime<Utc>>| {
        let since = last_used.unwrap_or(created).max(created);
        (now - since >= window).then(|| days_since(since, now))
    };
    let rotation = TimeDelta::days(i64::from(settings.rotation_days));
    for k in p.keys.iter().filter(|k| k.active) {
        if now - k.created >= rotation {
            out.push(finding(
                FindingKind::KeyNotRotated,
                Some(&k.id),
                k.last_used,
                days_since(k.created, now),
            ));
        }
    }
    // A principal younger than the window has not had the chance to use what it holds.
    if now - p.created < window {
        return;
    }
    if p.kind == PrincipalKind::Role
        && let Some(days) = unused(p.created, p.last_used)
    {
        out.push(finding(FindingKind::UnusedRole, None, p.last_used, days));
        // A wholly unused role is one finding, not one per service as well.
        return;
    }
    for k in p.keys.iter().filter(|k| k.active) {
        if let Some(days) = unused(k.created, k.last_used) {
            out.push(finding(
                FindingKind::UnusedAccessKey,
                Some(&k.id),
                k.last_used,
                days,
            ));
        }
    }
    if let Some(pw) = &p.password
        && let Some(days) = unused(pw.created, pw.last_used)
    {
        out.push(finding(
            FindingKind::UnusedPassword,
            None,
            pw.last_used,
            days,
        ));
    }
    // Unused permissions are one finding per principal, as Access Analyzer makes them: the
    // services it has not called within the window (it may never have called them).
    let idle: Vec<(&ServiceUse, i64)> = p
        .services
        .iter()
        .filter_map(|s| unused(p.created, s.last_used).map(|d| (s, d)))
        .collect();
    if !idle.is_empty() {
        let names: Vec<String> = idle.iter().map(|(s, _)| s.namespace.clone()).collect();
        let shown = names.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
        let summary = match names.len() {
            n if n > 5 => format!("{n} services: {shown}, ..."),
            1 => format!("1 service: {shown}"),
            n => format!("{n} services: {shown}"),
        };
        let last_used = idle.iter().filter_map(|(s, _)| s.last_used).max();
        let days = idle.iter().map(|(_, d)| *d).min().unwrap_or_default();
        let mut f = finding(
            FindingKind::UnusedPermission,
            Some(&summary),
            last_used,
            days,
        );
        f.services = names;
        out.push(f);
    }
}
