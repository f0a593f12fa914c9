//! The IAM checks of the CIS AWS Foundations Benchmark, and the seed's practices, over plain
//! facts about one account that the caller gathers from any IAM endpoint. Each check passes,
//! fails (naming what fails it), warns (a practice, not a benchmark control) or does not
//! apply. The control numbers are the benchmark's IAM section as of v3.0.0; later versions
//! renumber some of them, the checks themselves are unchanged.

use super::Settings;
use crate::clock::iso8601;
use chrono::{DateTime, TimeDelta, Utc};

/// An access key as the credential report shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportKey {
    pub active: bool,
    pub last_rotated: Option<DateTime<Utc>>,
    pub last_used: Option<DateTime<Utc>>,
}

/// A user (not the root) as the credential report shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportUser {
    pub name: String,
    pub created: Option<DateTime<Utc>>,
    pub password_enabled: bool,
    pub password_last_used: Option<DateTime<Utc>>,
    pub password_last_changed: Option<DateTime<Utc>>,
    pub mfa_active: bool,
    pub keys: Vec<ReportKey>,
}

/// The account password policy's members the benchmark reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyFacts {
    pub minimum_length: u32,
    pub reuse_prevention: Option<u32>,
}

/// Everything the checks read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountFacts {
    pub root_mfa: bool,
    pub root_keys: u32,
    /// `None`: no custom policy is set.
    pub password_policy: Option<PolicyFacts>,
    pub users: Vec<ReportUser>,
    /// Users with policies attached or inline (not only through groups).
    pub users_with_own_policies: Vec<String>,
    /// Attached policies (ARNs) that allow `*` on `*`.
    pub full_admin_policies: Vec<String>,
    /// Roles with AWSSupportAccess attached.
    pub support_roles: Vec<String>,
    /// Server certificates (names) past their expiration.
    pub expired_certificates: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Warn,
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Warn => "WARN",
            Status::NotApplicable => "N/A",
        }
    }
}

/// One check's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub id: &'static str,
    /// The benchmark control (v3.0.0 numbering), or `practice`.
    pub control: &'static str,
    pub title: &'static str,
    pub status: Status,
    /// What fails (or warns) it.
    pub details: Vec<String>,
}

fn check(
    id: &'static str,
    control: &'static str,
    title: &'static str,
    failing: Vec<String>,
) -> Check {
    Check {
        id,
        control,
        title,
        status: if failing.is_empty() {
            Status::Pass
        } else {
            Status::Fail
        },
        details: failing,
    }
}

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(iso8601).unwrap_or_else(|| "never".into())
}

/// Runs every check at `now`.
pub fn checks(facts: &AccountFacts, settings: &Settings, now: DateTime<Utc>) -> Vec<Check> {
    let unused = TimeDelta::days(i64::from(settings.unused_days));
    let rotation = TimeDelta::days(i64::from(settings.rotation_days));
    let policy = facts.password_policy;
    let no_policy = || vec!["no account password policy is set".to_string()];
    let mut out = vec![
        check(
            "root-no-access-keys",
            "1.4",
            "No root user access key exists",
            match facts.root_keys {
                0 => vec![],
                n => vec![format!("the root user has {n} access key(s)")],
            },
        ),
        check(
            "root-mfa",
            "1.5",
            "MFA is enabled for the root user",
            if facts.root_mfa {
                vec![]
            } else {
                vec!["the root user has no MFA device".into()]
            },
        ),
        check(
            "password-length",
            "1.8",
            "The password policy requires at least 14 characters",
            match policy {
                None => no_policy(),
                Some(p) if p.minimum_length < 14 => {
                    vec![format!("minimum length is {}", p.minimum_length)]
                }
                Some(_) => vec![],
            },
        ),
        check(
            "password-reuse",
            "1.9",
            "The password policy prevents reuse of the last 24 passwords",
            match policy {
                None => no_policy(),
                Some(p) if p.reuse_prevention.unwrap_or(0) < 24 => vec![format!(
                    "reuse prevention is {}",
                    p.reuse_prevention
                        .map_or("off".to_string(), |n| n.to_string())
                )],
                Some(_) => vec![],
            },
        ),
        check(
            "console-users-mfa",
            "1.10",
            "MFA is enabled for every user with a console password",
            facts
                .users
                .iter()
                .filter(|u| u.password_enabled && !u.mfa_active)
                .map(|u| format!("{} has a console password and no MFA", u.name))
                .collect(),
        ),
    ];
    let mut stale = Vec::new();
    let mut two_keys = Vec::new();
    let mut old_keys = Vec::new();
    for u in &facts.users {
        // Unused since its last use, or since it was set (never used).
        let idle = |last: Option<DateTime<Utc>>, since: Option<DateTime<Utc>>| {
            last.or(since).is_some_and(|t| now - t >= unused)
        };
        if u.password_enabled && idle(u.password_last_used, u.password_last_changed) {
            stale.push(format!(
                "{}: console password unused since {}",
                u.name,
                when(u.password_last_used)
            ));
        }
        for (i, k) in u.keys.iter().enumerate().filter(|(_, k)| k.active) {
            if idle(k.last_used, k.last_rotated) {
                stale.push(format!(
                    "{}: access key {} unused since {}",
                    u.name,
                    i + 1,
                    when(k.last_used)
                ));
            }
            if k.last_rotated.is_some_and(|t| now - t >= rotation) {
                old_keys.push(format!(
                    "{}: access key {} last rotated {}",
                    u.name,
                    i + 1,
                    when(k.last_rotated)
                ));
            }
        }
        if u.keys.iter().filter(|k| k.active).count() > 1 {
            two_keys.push(format!("{} has two active access keys", u.name));
        }
    }
    out.push(check(
        "unused-credentials",
        "1.12",
        "Credentials unused for 45 days or more are disabled",
        stale,
    ));
    out.push(check(
        "one-active-key",
        "1.13",
        "Each user has at most one active access key",
        two_keys,
    ));
    out.push(check(
        "keys-rotated",
        "1.14",
        "Access keys are rotated every 90 days or less",
        old_keys,
    ));
    out.push(check(
        "permissions-through-groups",
        "1.15",
        "Users receive permissions only through groups",
        facts
            .users_with_own_policies
            .iter()
            .map(|u| format!("{u} has policies of its own"))
            .collect(),
    ));
    out.push(check(
        "no-full-admin-policies",
        "1.16",
        "No attached policy allows full \"*:*\" administrative privileges",
        facts
            .full_admin_policies
            .iter()
            .map(|p| format!("{p} allows * on * and is attached"))
            .collect(),
    ));
    out.push(check(
        "support-role",
        "1.17",
        "A support role exists (AWSSupportAccess attached to a role)",
        if facts.support_roles.is_empty() {
            vec!["no role has AWSSupportAccess attached".into()]
        } else {
            vec![]
        },
    ));
    out.push(check(
        "expired-certificates",
        "1.19",
        "Expired server certificates are removed",
        facts
            .expired_certificates
            .iter()
            .map(|c| format!("{c} has expired"))
            .collect(),
    ));
    out.push(Check {
        id: "access-analyzer",
        control: "1.20",
        title: "IAM Access Analyzer is enabled",
        status: Status::NotApplicable,
        details: vec!["not an IAM API: check it in each region of an AWS account".into()],
    });
    let long_term: Vec<String> = facts
        .users
        .iter()
        .filter(|u| u.keys.iter().any(|k| k.active))
        .map(|u| format!("{} has a long-term access key", u.name))
        .collect();
    out.push(Check {
        id: "roles-over-long-term-keys",
        control: "practice",
        title: "Workloads use roles and short-lived credentials instead of long-term keys",
        status: if long_term.is_empty() {
            Status::Pass
        } else {
            Status::Warn
        },
        details: long_term,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn status(checks: &[Check], id: &str) -> Status {
        checks
            .iter()
            .find(|c| c.id == id)
            .map_or(Status::NotApplicable, |c| c.status)
    }

    #[test]
    fn a_fresh_account_fails_the_root_and_policy_checks() {
        let facts = AccountFacts {
            root_keys: 1,
            ..AccountFacts::default()
        };
        let c = checks(&facts, &Settings::default(), now());
        for id in [
            "root-no-access-keys",
            "root-mfa",
            "password-length",
            "password-reuse",
            "support-role",
        ] {
            assert_eq!(status(&c, id), Status::Fail, "{id}");
        }
        for id in [
            "console-users-mfa",
            "unused-credentials",
            "one-active-key",
            "keys-rotated",
            "permissions-through-groups",
            "no-full-admin-policies",
            "expired-certificates",
            "roles-over-long-term-keys",
        ] {
            assert_eq!(status(&c, id), Status::Pass, "{id}");
        }
        assert_eq!(status(&c, "access-analyzer"), Status::NotApplicable);
    }

    #[test]
    fn user_credentials_are_checked() {
        let day = |d: i64| Some(now() - TimeDelta::days(d));
        let key = |rotated, used| ReportKey {
            active: true,
            last_rotated: day(rotated),
            last_used: used,
        };
        let facts = AccountFacts {
            root_mfa: true,
            password_policy: Some(PolicyFacts {
                minimum_length: 14,
                reuse_prevention: Some(24),
            }),
            users: vec![ReportUser {
                name: "alice".into(),
                created: day(200),
                password_enabled: true,
                password_last_used: day(46),
                password_last_changed: day(100),
                mfa_active: false,
                keys: vec![key(100, day(1)), key(10, None)],
            }],
            support_roles: vec!["support".into()],
            ..AccountFacts::default()
        };
        let c = checks(&facts, &Settings::default(), now());
        assert_eq!(status(&c, "password-length"), Status::Pass);
        assert_eq!(status(&c, "password-reuse"), Status::Pass);
        assert_eq!(status(&c, "support-role"), Status::Pass);
        for id in [
            "console-users-mfa",
            "unused-credentials",
            "one-active-key",
            "keys-rotated",
        ] {
            assert_eq!(status(&c, id), Status::Fail, "{id}");
        }
        let stale = c
            .iter()
            .find(|c| c.id == "unused-credentials")
            .map(|c| c.details.clone());
        // The key used yesterday and the key made 10 days ago are not stale; the password is.
        assert_eq!(stale.map(|d| d.len()), Some(1));
        assert_eq!(status(&c, "roles-over-long-term-keys"), Status::Warn);
    }
}
