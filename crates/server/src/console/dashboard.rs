//! The dashboard: the account's security practices as recommendations with their state (root
//! access keys and password, the password policy's strength, console users without MFA,
//! access keys older than 90 days, users, keys and passwords unused for 45 days or more as CIS
//! counts them, long-term keys where a role would do), each linking to where it is fixed. It
//! reads what iam:ListUsers and iam:GetAccountPasswordPolicy would show, and says so when the
//! signed-in principal may not.

use super::Cx;
use super::guard::{allowed, render, with_session};
use super::signin::ROOT_PASSWORD;
use super::view::Out;
use super::who::Who;
use chrono::TimeDelta;
use portcullis_core::KeyStatus;
use portcullis_proto::Operation;
use serde_json::{Value, json};

/// Keys older than this should be rotated.
const KEY_AGE: TimeDelta = TimeDelta::days(90);
/// Credentials unused this long should be removed (CIS).
const UNUSED: TimeDelta = TimeDelta::days(45);

fn item(ok: bool, title: &str, detail: String, link: &str, fix: &str) -> Value {
    json!({"ok": ok, "title": title, "detail": detail, "link": link, "fix": fix})
}

/// `/console/home`.
pub fn page(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let recs = match allowed(cx, who, Operation::ListUsers, &[]) {
            Ok(()) => Ok(recommendations(cx, who)),
            Err(why) => Err(why),
        };
        let (items, denied) = match recs {
            Ok(items) => (items, None),
            Err(why) => (Vec::new(), Some(why)),
        };
        let passed = items.iter().filter(|i| i["ok"] == json!(true)).count();
        render(
            cx,
            who,
            "home",
            "dashboard.html",
            json!({
                "items": items,
                "passed": passed,
                "total": items.len(),
                "denied": denied,
            }),
        )
    })
}

fn recommendations(cx: &Cx, who: &Who) -> Vec<Value> {
    let store = &cx.app.store;
    let account = &who.state.account;
    let now = cx.now;
    let users = store
        .list_users(account, "/", None, 5000)
        .map(|p| p.items)
        .unwrap_or_default();
    let root_keys = store
        .list_access_keys(account, None)
        .unwrap_or_default()
        .into_iter()
        .filter(|k| k.status == KeyStatus::Active)
        .count();
    let root_password = store
        .account_setting(account, ROOT_PASSWORD)
        .ok()
        .flatten()
        .is_some();
    let policy = store.password_policy(account).ok().flatten();
    let strong = policy.as_ref().is_some_and(|p| {
        p.minimum_length >= 14
            && p.require_symbols
            && p.require_numbers
            && p.require_uppercase
            && p.require_lowercase
            && p.reuse_prevention.is_some_and(|n| n >= 24)
    });
    let (mut console_no_mfa, mut old_keys, mut unused, mut with_keys) = (0, 0, 0, 0);
    for u in &users {
        let profile = store.login_profile(account, &u.id).ok().flatten();
        let mfa = store
            .mfa_devices_for_user(account, &u.id)
            .unwrap_or_default()
            .iter()
            .any(|d| d.enabled.is_some());
        if profile.is_some() && !mfa {
            console_no_mfa += 1;
        }
        let keys = store
            .list_access_keys(account, Some(&u.id))
            .unwrap_or_default();
        let active: Vec<_> = keys
            .iter()
            .filter(|k| k.status == KeyStatus::Active)
            .collect();
        if !active.is_empty() {
            with_keys += 1;
        }
        old_keys += active.iter().filter(|k| now - k.created > KEY_AGE).count();
        let stale = |used: Option<chrono::DateTime<chrono::Utc>>,
                     since: chrono::DateTime<chrono::Utc>| {
            now - used.unwrap_or(since) > UNUSED
        };
        let password_stale = profile
            .as_ref()
            .is_some_and(|p| stale(u.password_last_used, p.created));
        let key_stale = active
            .iter()
            .any(|k| stale(k.last_used.as_ref().map(|l| l.at), k.created));
        if password_stale || key_stale {
            unused += 1;
        }
    }
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    vec![
        item(
            root_keys == 0,
            "No access keys for the root user",
            if root_keys == 0 {
                "The root user has no active access keys.".into()
            } else {
                format!(
                    "The root user has {}. Create an IAM user or role for daily work and deactivate them.",
                    plural(root_keys, "active access key", "active access keys")
                )
            },
            "/console/users",
            "Use IAM users",
        ),
        item(
            root_password,
            "A console password for the root user",
            if root_password {
                "The root user signs in with its own password; keep it for account recovery only."
                    .into()
            } else {
                "Set one with `portcullis account set-root-password`, then keep it safe.".into()
            },
            "/console/home",
            "How",
        ),
        item(
            strong,
            "A strong password policy",
            match &policy {
                None => {
                    "No password policy is set: AWS's default rules apply (8 characters).".into()
                }
                Some(p) if strong => format!(
                    "At least {} characters with all character classes, 24 remembered.",
                    p.minimum_length
                ),
                Some(p) => format!(
                    "At least {} characters; ask for 14 or more, every character class and 24 remembered passwords.",
                    p.minimum_length
                ),
            },
            "/console/users",
            "Review users",
        ),
        item(
            console_no_mfa == 0,
            "MFA for every user who signs in",
            if console_no_mfa == 0 {
                "Every user with a console password has an MFA device.".into()
            } else {
                format!(
                    "{} a console password but no MFA device.",
                    plural(console_no_mfa, "user has", "users have")
                )
            },
            "/console/users",
            "Assign MFA",
        ),
        item(
            old_keys == 0,
            "Access keys rotated within 90 days",
            if old_keys == 0 {
                "No active access key is older than 90 days.".into()
            } else {
                format!(
                    "{} older than 90 days.",
                    plural(old_keys, "active key is", "active keys are")
                )
            },
            "/console/users",
            "Rotate keys",
        ),
        item(
            unused == 0,
            "No credentials unused for 45 days",
            if unused == 0 {
                "Every password and active key was used in the last 45 days.".into()
            } else {
                format!(
                    "{} a password or key unused for 45 days or more: remove what is not needed.",
                    plural(unused, "user has", "users have")
                )
            },
            "/console/users",
            "Review users",
        ),
        item(
            with_keys == 0,
            "Roles instead of long-term keys",
            if with_keys == 0 {
                "No user holds an active long-term access key.".into()
            } else {
                format!(
                    "{} long-term access keys; where a workload can assume a role, temporary credentials are safer.",
                    plural(with_keys, "user holds", "users hold")
                )
            },
            "/console/roles",
            "See roles",
        ),
    ]
}
