//! The cleanup plan: what `portcullis cleanup` does about the findings, and why. Unused access
//! keys are deactivated and unused console passwords removed first; what undoes a step is kept
//! in tags on the user (`portcullis:cleanup:*`), which every IAM endpoint, AWS's included,
//! stores; keys are deleted and recovery records forgotten only once the recovery window has
//! passed, and until then [`undo`] plans the way back. Excluded principals (by tag, path or
//! group) are left alone, and so is the last user able to administer the account.

use super::{Finding, FindingKind, PrincipalFacts, PrincipalKind};
use crate::clock::iso8601;
use chrono::{DateTime, TimeDelta, Utc};

/// Every tag cleanup writes starts with this.
pub const TAG_PREFIX: &str = "portcullis:cleanup:";
/// `portcullis:cleanup:key:AKIA...`: when cleanup deactivated that key.
pub const KEY_TAG_PREFIX: &str = "portcullis:cleanup:key:";
/// When cleanup removed the user's console password.
pub const PASSWORD_TAG: &str = "portcullis:cleanup:password";
/// The removed password's hash, sealed (data directories only: AWS never reveals one).
pub const PASSWORD_HASH_TAG: &str = "portcullis:cleanup:password-hash";
/// Days a deactivated credential can still be restored before it is deleted.
pub const DEFAULT_RECOVERY_DAYS: u32 = 30;

/// Principals cleanup never touches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exclusions {
    /// Tag keys, each with a value that must match too (`None`: any value).
    pub tags: Vec<(String, Option<String>)>,
    /// Path prefixes, e.g. `/break-glass/`.
    pub paths: Vec<String>,
    /// Group names.
    pub groups: Vec<String>,
}

impl Exclusions {
    /// Why `p` is excluded, if it is.
    pub fn reason(&self, p: &PrincipalFacts) -> Option<String> {
        for (key, value) in &self.tags {
            let hit = p
                .tags
                .iter()
                .find(|t| &t.key == key && value.as_ref().is_none_or(|v| v == &t.value));
            if let Some(t) = hit {
                return Some(format!("excluded by tag {}={}", t.key, t.value));
            }
        }
        if let Some(path) = self.paths.iter().find(|x| p.path.starts_with(x.as_str())) {
            return Some(format!("excluded by path {path}"));
        }
        if let Some(g) = self.groups.iter().find(|g| p.groups.contains(g)) {
            return Some(format!("excluded by group {g}"));
        }
        None
    }
}

/// One thing cleanup does to a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    DeactivateKey(String),
    RemovePassword,
    /// The key was deactivated by cleanup and the recovery window has passed.
    DeleteKey(String),
    /// Drops the recovery record of a key (deleted, or reactivated by someone since).
    ForgetKey(String),
    /// Drops the recovery record of a removed password once the window has passed.
    ForgetPassword,
    ReactivateKey(String),
    RestorePassword,
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::DeactivateKey(_) => "deactivate-key",
            Action::RemovePassword => "remove-password",
            Action::DeleteKey(_) => "delete-key",
            Action::ForgetKey(_) => "forget-key-record",
            Action::ForgetPassword => "forget-password-record",
            Action::ReactivateKey(_) => "reactivate-key",
            Action::RestorePassword => "restore-password",
        }
    }

    /// The access key the action is about, if any.
    pub fn key_id(&self) -> Option<&str> {
        match self {
            Action::DeactivateKey(k)
            | Action::DeleteKey(k)
            | Action::ForgetKey(k)
            | Action::ReactivateKey(k) => Some(k),
            _ => None,
        }
    }
}

/// A step of a plan: an action on one user, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub user: String,
    pub action: Action,
    pub reason: String,
}

/// Something cleanup found but leaves alone, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    pub principal: String,
    /// The finding's kind or the credential concerned.
    pub what: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub kept: Vec<Kept>,
}

/// Cleanup's records on a user: deactivated keys and the removed password, with when.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recovery {
    pub keys: Vec<(String, DateTime<Utc>)>,
    pub password: Option<DateTime<Utc>>,
}

/// Reads cleanup's tags on `p` (ignoring any it cannot read).
pub fn recovery(p: &PrincipalFacts) -> Recovery {
    let mut out = Recovery::default();
    for t in &p.tags {
        let at = || {
            DateTime::parse_from_rfc3339(&t.value)
                .ok()
                .map(|d| d.to_utc())
        };
        if let Some(key) = t.key.strip_prefix(KEY_TAG_PREFIX) {
            if let Some(at) = at() {
                out.keys.push((key.to_string(), at));
            }
        } else if t.key == PASSWORD_TAG {
            out.password = at();
        }
    }
    out
}

/// The value of a recovery tag written at `now`.
pub fn tag_value(now: DateTime<Utc>) -> String {
    iso8601(now)
}

/// What to do at `now`: finish what earlier runs started whose recovery window has passed,
/// then deactivate what the findings show unused.
pub fn plan(
    principals: &[PrincipalFacts],
    findings: &[Finding],
    exclusions: &Exclusions,
    recovery_days: u32,
    now: DateTime<Utc>,
) -> Plan {
    let window = TimeDelta::days(i64::from(recovery_days));
    let mut plan = Plan::default();
    for p in principals.iter().filter(|p| p.kind == PrincipalKind::User) {
        finish_recovery(p, window, now, &mut plan);
    }
    for f in findings {
        let Some(p) = principals.iter().find(|p| p.arn == f.arn) else {
            continue;
        };
        let action = match (f.kind, &f.resource) {
            (FindingKind::UnusedAccessKey, Some(key)) => Action::DeactivateKey(key.clone()),
            (FindingKind::UnusedPassword, _) => Action::RemovePassword,
            (kind, resource) => {
                plan.kept.push(Kept {
                    principal: f.principal.clone(),
                    what: described(kind.as_str(), resource.as_deref()),
                    reason: "reported only: review and remove it yourself".into(),
                });
                continue;
            }
        };
        let reason = match f.last_used {
            Some(t) => format!("unused for {} days (last used {})", f.days, iso8601(t)),
            None => format!("never used in {} days", f.days),
        };
        if let Some(why) = exclusions.reason(p) {
            plan.kept.push(Kept {
                principal: f.principal.clone(),
                what: described(f.kind.as_str(), f.resource.as_deref()),
                reason: why,
            });
            continue;
        }
        plan.steps.push(Step {
            user: f.principal.clone(),
            action,
            reason,
        });
    }
    keep_last_admin(principals, &mut plan);
    plan
}

fn described(what: &str, resource: Option<&str>) -> String {
    match resource {
        Some(r) => format!("{what} {r}"),
        None => what.to_string(),
    }
}

/// Deletes keys (and forgets records) whose recovery window has passed.
fn finish_recovery(p: &PrincipalFacts, window: TimeDelta, now: DateTime<Utc>, plan: &mut Plan) {
    let rec = recovery(p);
    for (id, at) in rec.keys {
        let key = p.keys.iter().find(|k| k.id == id);
        let (action, reason) = match key {
            Some(k) if k.active => (
                Action::ForgetKey(id),
                "reactivated since cleanup deactivated it".to_string(),
            ),
            None => (
                Action::ForgetKey(id),
                "deleted since cleanup deactivated it".to_string(),
            ),
            Some(_) if now - at >= window => (
                Action::DeleteKey(id),
                format!(
                    "deactivated {}; the recovery window of {} days has passed",
                    iso8601(at),
                    window.num_days()
                ),
            ),
            Some(_) => continue,
        };
        plan.steps.push(Step {
            user: p.name.clone(),
            action,
            reason,
        });
    }
    if let Some(at) = rec.password {
        let reason = if p.password.is_some() {
            "a password was set again since cleanup removed it".to_string()
        } else if now - at >= window {
            format!(
                "removed {}; the recovery window of {} days has passed",
                iso8601(at),
                window.num_days()
            )
        } else {
            return;
        };
        plan.steps.push(Step {
            user: p.name.clone(),
            action: Action::ForgetPassword,
            reason,
        });
    }
}

/// True when `p` can still sign in or call after the plan's steps.
fn keeps_access(p: &PrincipalFacts, plan: &Plan) -> bool {
    let mine = |a: &Action| {
        plan.steps
            .iter()
            .any(|s| s.user == p.name && &s.action == a)
    };
    let key = p
        .keys
        .iter()
        .any(|k| k.active && !mine(&Action::DeactivateKey(k.id.clone())));
    key || (p.password.is_some() && !mine(&Action::RemovePassword))
}

/// Never leaves the account without a user able to administer it: when every administrator
/// would lose its credentials, the one used most recently keeps them.
fn keep_last_admin(principals: &[PrincipalFacts], plan: &mut Plan) {
    let admins: Vec<&PrincipalFacts> = principals
        .iter()
        .filter(|p| p.kind == PrincipalKind::User && p.admin)
        .collect();
    if admins.is_empty() || admins.iter().any(|p| keeps_access(p, plan)) {
        return;
    }
    let last_use = |p: &PrincipalFacts| {
        let keys = p.keys.iter().filter_map(|k| k.last_used);
        keys.chain(p.password.as_ref().and_then(|pw| pw.last_used))
            .max()
    };
    let Some(keep) = admins
        .iter()
        .filter(|p| p.keys.iter().any(|k| k.active) || p.password.is_some())
        .max_by_key(|p| (last_use(p), p.created))
    else {
        return;
    };
    let mut spared = Vec::new();
    plan.steps.retain(|s| {
        let spare = s.user == keep.name
            && matches!(s.action, Action::DeactivateKey(_) | Action::RemovePassword);
        if spare {
            spared.push(s.clone());
        }
        !spare
    });
    plan.kept.extend(spared.into_iter().map(|s| Kept {
        principal: s.user,
        what: described(s.action.name(), s.action.key_id()),
        reason: "the last user able to administer the account".into(),
    }));
}

/// The way back at `now`: reactivate the keys and restore the passwords cleanup took away
/// within the recovery window, for every user or only `user`.
pub fn undo(
    principals: &[PrincipalFacts],
    user: Option<&str>,
    recovery_days: u32,
    now: DateTime<Utc>,
) -> Plan {
    let window = TimeDelta::days(i64::from(recovery_days));
    let mut plan = Plan::default();
    let users = principals
        .iter()
        .filter(|p| p.kind == PrincipalKind::User && user.is_none_or(|u| u == p.name));
    for p in users {
        let rec = recovery(p);
        let mut consider = |action: Action, at: DateTime<Utc>| {
            let what = described(action.name(), action.key_id());
            if now - at < window {
                plan.steps.push(Step {
                    user: p.name.clone(),
                    action,
                    reason: format!("cleanup took it away {}", iso8601(at)),
                });
            } else {
                plan.kept.push(Kept {
                    principal: p.name.clone(),
                    what,
                    reason: "the recovery window has passed".into(),
                });
            }
        };
        for (id, at) in rec.keys {
            if p.keys.iter().any(|k| k.id == id && !k.active) {
                consider(Action::ReactivateKey(id), at);
            }
        }
        if let (Some(at), None) = (rec.password, &p.password) {
            consider(Action::RestorePassword, at);
        }
    }
    plan
}
