//! The findings' and the cleanup plan's rules, on hand-made facts.

use super::cleanup::{self, Action, Exclusions, KEY_TAG_PREFIX, PASSWORD_TAG};
use super::*;
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

fn ago(days: i64) -> DateTime<Utc> {
    now() - TimeDelta::days(days)
}

fn user(name: &str, created_days_ago: i64) -> PrincipalFacts {
    PrincipalFacts {
        kind: PrincipalKind::User,
        name: name.into(),
        arn: format!("arn:aws:iam::123456789012:user/{name}"),
        path: "/".into(),
        created: ago(created_days_ago),
        tags: vec![],
        groups: vec![],
        last_used: None,
        password: None,
        keys: vec![],
        services: vec![],
        admin: false,
    }
}

fn key(id: &str, created: i64, used: Option<i64>) -> KeyFacts {
    KeyFacts {
        id: id.into(),
        active: true,
        created: ago(created),
        last_used: used.map(ago),
    }
}

fn kinds(f: &[Finding]) -> Vec<(FindingKind, Option<&str>)> {
    f.iter().map(|f| (f.kind, f.resource.as_deref())).collect()
}

#[test]
fn keys_unused_for_the_window_and_old_keys_are_found() {
    let mut alice = user("alice", 200);
    alice.keys = vec![
        key("AKIAUSED", 100, Some(3)),
        key("AKIAIDLE", 100, Some(50)),
        key("AKIANEVER", 46, None),
    ];
    let mut k = key("AKIAOFF", 100, None);
    k.active = false;
    alice.keys.push(k);
    let f = findings(&[alice], &Settings::default(), now());
    assert_eq!(
        kinds(&f),
        [
            (FindingKind::KeyNotRotated, Some("AKIAUSED")),
            (FindingKind::KeyNotRotated, Some("AKIAIDLE")),
            (FindingKind::UnusedAccessKey, Some("AKIAIDLE")),
            (FindingKind::UnusedAccessKey, Some("AKIANEVER")),
        ]
    );
    assert_eq!(f[2].days, 50);
    assert_eq!(f[3].last_used, None);
}

#[test]
fn principals_younger_than_the_window_are_never_unused() {
    let mut young = user("young", 44);
    young.keys = vec![key("AKIAYOUNG", 44, None)];
    young.password = Some(PasswordFacts {
        created: ago(44),
        last_used: None,
    });
    let mut role = user("r", 10);
    role.kind = PrincipalKind::Role;
    assert!(findings(&[young.clone(), role], &Settings::default(), now()).is_empty());
    // A shorter window reports them.
    let short = Settings::new(30, 90).unwrap_or_default();
    let f = findings(&[young], &short, now());
    assert_eq!(
        kinds(&f),
        [
            (FindingKind::UnusedAccessKey, Some("AKIAYOUNG")),
            (FindingKind::UnusedPassword, None)
        ]
    );
}

#[test]
fn the_window_is_bounded() {
    assert!(Settings::new(0, 90).is_err());
    assert!(Settings::new(366, 90).is_err());
    assert!(Settings::new(365, 90).is_ok());
    assert!(Settings::new(45, 0).is_err());
}

#[test]
fn unused_roles_and_permissions() {
    let mut idle = user("idle", 100);
    idle.kind = PrincipalKind::Role;
    idle.last_used = Some(ago(60));
    idle.services = vec![ServiceUse {
        namespace: "s3".into(),
        last_used: None,
    }];
    let mut busy = user("busy", 100);
    busy.kind = PrincipalKind::Role;
    busy.last_used = Some(ago(1));
    busy.services = vec![
        ServiceUse {
            namespace: "s3".into(),
            last_used: Some(ago(1)),
        },
        ServiceUse {
            namespace: "ec2".into(),
            last_used: None,
        },
    ];
    let f = findings(&[idle, busy], &Settings::default(), now());
    assert_eq!(
        kinds(&f),
        [
            (FindingKind::UnusedRole, None),
            (FindingKind::UnusedPermission, Some("1 service: ec2"))
        ]
    );
    assert_eq!(f[1].services, ["ec2"]);
    assert_eq!(f[1].days, 100);
}

fn tag(key: &str, value: &str) -> crate::model::Tag {
    crate::model::Tag {
        key: key.into(),
        value: value.into(),
    }
}

#[test]
fn plan_deactivates_and_honours_exclusions() {
    let mut alice = user("alice", 100);
    alice.keys = vec![key("AKIAALICE", 100, Some(50))];
    alice.password = Some(PasswordFacts {
        created: ago(100),
        last_used: None,
    });
    let mut kept = user("kept", 100);
    kept.keys = vec![key("AKIAKEPT", 100, None)];
    kept.tags = vec![tag("cleanup", "keep")];
    let mut ops = user("ops", 100);
    ops.path = "/ops/".into();
    ops.keys = vec![key("AKIAOPS", 100, None)];
    let all = [alice, kept, ops];
    let f = findings(&all, &Settings::default(), now());
    let ex = Exclusions {
        tags: vec![("cleanup".into(), Some("keep".into()))],
        paths: vec!["/ops/".into()],
        groups: vec![],
    };
    let plan = cleanup::plan(&all, &f, &ex, 30, now());
    let steps: Vec<_> = plan
        .steps
        .iter()
        .map(|s| (s.user.as_str(), s.action.clone()))
        .collect();
    assert_eq!(
        steps,
        [
            ("alice", Action::DeactivateKey("AKIAALICE".into())),
            ("alice", Action::RemovePassword)
        ]
    );
    assert!(plan.steps[0].reason.contains("unused for 50 days"));
    let reasons: Vec<_> = plan.kept.iter().map(|k| k.reason.as_str()).collect();
    assert!(reasons.contains(&"excluded by tag cleanup=keep"));
    assert!(reasons.contains(&"excluded by path /ops/"));
}

#[test]
fn the_last_admin_keeps_its_credentials() {
    let mut a1 = user("admin1", 100);
    a1.admin = true;
    a1.keys = vec![key("AKIAA1", 80, Some(60))];
    let mut a2 = user("admin2", 100);
    a2.admin = true;
    a2.keys = vec![key("AKIAA2", 80, Some(50))];
    let all = [a1.clone(), a2.clone()];
    let f = findings(&all, &Settings::default(), now());
    let plan = cleanup::plan(&all, &f, &Exclusions::default(), 30, now());
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan.steps[0].action, Action::DeactivateKey("AKIAA1".into()));
    assert_eq!(plan.kept.len(), 1);
    assert_eq!(plan.kept[0].principal, "admin2");
    // With another admin still in use, both idle admins are cleaned.
    let mut a3 = user("admin3", 100);
    a3.admin = true;
    a3.keys = vec![key("AKIAA3", 80, Some(1))];
    let all = [a1, a2, a3];
    let f = findings(&all, &Settings::default(), now());
    let plan = cleanup::plan(&all, &f, &Exclusions::default(), 30, now());
    assert_eq!(plan.steps.len(), 2);
}

#[test]
fn recovery_window_deletes_after_and_undoes_within() {
    let mut bob = user("bob", 200);
    let mut k = key("AKIABOB", 200, Some(100));
    k.active = false;
    bob.keys = vec![k];
    bob.tags = vec![
        tag(&format!("{KEY_TAG_PREFIX}AKIABOB"), "2026-11-20T00:00:00Z"),
        tag(PASSWORD_TAG, "2026-11-20T00:00:00Z"),
    ];
    // 11 days after: nothing to finish yet, everything can be undone.
    let plan = cleanup::plan(&[bob.clone()], &[], &Exclusions::default(), 30, now());
    assert!(plan.steps.is_empty());
    let back = cleanup::undo(&[bob.clone()], None, 30, now());
    let actions: Vec<_> = back.steps.iter().map(|s| s.action.clone()).collect();
    assert_eq!(
        actions,
        [
            Action::ReactivateKey("AKIABOB".into()),
            Action::RestorePassword
        ]
    );
    assert!(
        cleanup::undo(&[bob.clone()], Some("carol"), 30, now())
            .steps
            .is_empty()
    );
    // 31 days after: delete, forget; undo is no longer possible.
    let later = now() + TimeDelta::days(20);
    let plan = cleanup::plan(&[bob.clone()], &[], &Exclusions::default(), 30, later);
    let actions: Vec<_> = plan.steps.iter().map(|s| s.action.clone()).collect();
    assert_eq!(
        actions,
        [Action::DeleteKey("AKIABOB".into()), Action::ForgetPassword]
    );
    let back = cleanup::undo(&[bob], None, 30, later);
    assert!(back.steps.is_empty());
    assert_eq!(back.kept.len(), 2);
}
