//! The storage conformance suite: the same checks run against every engine.

use chrono::{TimeDelta, Utc};
use portcullis_core::model::LastUsed;
use portcullis_core::store::Rename;
use portcullis_core::{
    AccessKey, Account, Group, KeyStatus, ManagedPolicy, OwnerKind, Store, StoreError, Tag, User,
};

use crate::conformance_credentials as creds;

pub(crate) const ACCT: &str = "111122223333";

pub(crate) fn setup(s: &dyn Store) {
    s.create_account(&Account {
        id: ACCT.into(),
        created: Utc::now(),
    })
    .unwrap();
}

pub(crate) fn user(name: &str, path: &str) -> User {
    User {
        account: ACCT.into(),
        id: format!("AIDA{}", name.to_uppercase()),
        name: name.into(),
        path: path.into(),
        created: Utc::now(),
        password_last_used: None,
        permissions_boundary: None,
    }
}

fn key(id: &str, user_id: Option<&str>) -> AccessKey {
    AccessKey {
        id: id.into(),
        account: ACCT.into(),
        user_id: user_id.map(str::to_string),
        status: KeyStatus::Active,
        sealed_secret: vec![1, 2, 3],
        created: Utc::now(),
        last_used: None,
    }
}

pub(crate) fn users_are_unique_ignoring_case(s: &dyn Store) {
    setup(s);
    s.create_user(&user("Alice", "/"), &[], 10).unwrap();
    assert_eq!(
        s.create_user(&user("alice", "/x/"), &[], 10),
        Err(StoreError::AlreadyExists)
    );
    assert_eq!(
        s.get_user(ACCT, "ALICE").unwrap().map(|u| u.name),
        Some("Alice".into())
    );
    assert_eq!(s.get_user("999999999999", "Alice").unwrap(), None);
}

pub(crate) fn user_quota(s: &dyn Store) {
    setup(s);
    s.create_user(&user("a", "/"), &[], 2).unwrap();
    s.create_user(&user("b", "/"), &[], 2).unwrap();
    assert_eq!(
        s.create_user(&user("c", "/"), &[], 2),
        Err(StoreError::LimitExceeded)
    );
}

pub(crate) fn list_users_paginates_and_filters(s: &dyn Store) {
    setup(s);
    for (n, p) in [
        ("d", "/"),
        ("b", "/eng/"),
        ("a", "/eng/x/"),
        ("c", "/ops/"),
        ("e", "/"),
    ] {
        s.create_user(&user(n, p), &[], 100).unwrap();
    }
    let p1 = s.list_users(ACCT, "/", None, 2).unwrap();
    assert_eq!(
        p1.items.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    let p2 = s
        .list_users(ACCT, "/", p1.next_marker.as_deref(), 2)
        .unwrap();
    assert_eq!(
        p2.items.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        ["c", "d"]
    );
    let p3 = s
        .list_users(ACCT, "/", p2.next_marker.as_deref(), 2)
        .unwrap();
    assert_eq!(
        p3.items.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        ["e"]
    );
    assert_eq!(p3.next_marker, None);
    let eng = s.list_users(ACCT, "/eng/", None, 100).unwrap();
    assert_eq!(eng.items.len(), 2);
}

pub(crate) fn update_user_renames_and_moves(s: &dyn Store) {
    setup(s);
    s.create_user(&user("a", "/"), &[], 10).unwrap();
    s.create_user(&user("b", "/"), &[], 10).unwrap();
    let upd = Rename {
        new_name: Some("B".into()),
        new_path: None,
    };
    assert_eq!(
        s.update_user(ACCT, "a", &upd),
        Err(StoreError::AlreadyExists)
    );
    let upd = Rename {
        new_name: Some("A2".into()),
        new_path: Some("/p/".into()),
    };
    let u = s.update_user(ACCT, "a", &upd).unwrap();
    assert_eq!((u.name.as_str(), u.path.as_str()), ("A2", "/p/"));
    assert!(s.get_user(ACCT, "a").unwrap().is_none());
    assert_eq!(
        s.update_user(ACCT, "zzz", &Rename::default()),
        Err(StoreError::NotFound)
    );
}

pub(crate) fn tags_replace_ignoring_case_and_respect_limit(s: &dyn Store) {
    setup(s);
    let t = |k: &str, v: &str| Tag {
        key: k.into(),
        value: v.into(),
    };
    let u = user("a", "/");
    s.create_user(&u, &[t("Dept", "1"), t("x", "y")], 10)
        .unwrap();
    s.tag_entity(&u.id, &[t("dept", "2")], true, 50).unwrap();
    assert_eq!(s.tags(&u.id).unwrap(), vec![t("dept", "2"), t("x", "y")]);
    assert_eq!(
        s.tag_entity(&u.id, &[t("n1", ""), t("n2", "")], true, 3),
        Err(StoreError::LimitExceeded)
    );
    assert_eq!(
        s.tags(&u.id).unwrap().len(),
        2,
        "a failed TagUser changes nothing"
    );
    s.untag_entity(&u.id, &["X".into()], true).unwrap();
    assert_eq!(s.tags(&u.id).unwrap(), vec![t("dept", "2")]);
}

pub(crate) fn tag_keys_can_be_case_sensitive(s: &dyn Store) {
    let t = |k: &str, v: &str| Tag {
        key: k.into(),
        value: v.into(),
    };
    s.tag_entity("ANPAX", &[t("Env", "1"), t("env", "2")], false, 50)
        .unwrap();
    assert_eq!(s.tags("ANPAX").unwrap(), vec![t("Env", "1"), t("env", "2")]);
    s.untag_entity("ANPAX", &["ENV".into()], false).unwrap();
    assert_eq!(s.tags("ANPAX").unwrap().len(), 2);
    s.untag_entity("ANPAX", &["env".into()], false).unwrap();
    assert_eq!(s.tags("ANPAX").unwrap(), vec![t("Env", "1")]);
}

pub(crate) fn access_keys_quota_status_and_delete_conflict(s: &dyn Store) {
    setup(s);
    let u = user("a", "/");
    s.create_user(&u, &[], 10).unwrap();
    s.create_access_key(&key("AKIA1", Some(&u.id)), 2).unwrap();
    s.create_access_key(&key("AKIA2", Some(&u.id)), 2).unwrap();
    assert_eq!(
        s.create_access_key(&key("AKIA3", Some(&u.id)), 2),
        Err(StoreError::LimitExceeded)
    );
    s.create_access_key(&key("AKIAROOT", None), 2).unwrap();
    assert_eq!(s.list_access_keys(ACCT, Some(&u.id)).unwrap().len(), 2);
    assert_eq!(s.list_access_keys(ACCT, None).unwrap().len(), 1);
    assert!(matches!(
        s.delete_user(ACCT, "a"),
        Err(StoreError::Conflict(_))
    ));
    s.update_access_key_status(ACCT, Some(&u.id), "AKIA1", KeyStatus::Inactive)
        .unwrap();
    assert_eq!(
        s.get_access_key("AKIA1").unwrap().map(|k| k.status),
        Some(KeyStatus::Inactive)
    );
    assert_eq!(
        s.update_access_key_status(ACCT, None, "AKIA1", KeyStatus::Active),
        Err(StoreError::NotFound),
        "owner must match"
    );
    s.delete_access_key(ACCT, Some(&u.id), "AKIA1").unwrap();
    s.delete_access_key(ACCT, Some(&u.id), "AKIA2").unwrap();
    assert_eq!(
        s.delete_access_key(ACCT, Some(&u.id), "AKIA2"),
        Err(StoreError::NotFound)
    );
    s.delete_user(ACCT, "a").unwrap();
    assert!(s.get_user(ACCT, "a").unwrap().is_none());
}

pub(crate) fn last_used_is_recorded_once_per_window(s: &dyn Store) {
    setup(s);
    s.create_access_key(&key("AKIAROOT", None), 2).unwrap();
    let t0 = Utc::now();
    let used = |at| LastUsed {
        at,
        service: "iam".into(),
        region: "us-east-1".into(),
    };
    s.record_access_key_use("AKIAROOT", &used(t0), t0 - TimeDelta::minutes(15))
        .unwrap();
    let t1 = t0 + TimeDelta::minutes(5);
    s.record_access_key_use("AKIAROOT", &used(t1), t1 - TimeDelta::minutes(15))
        .unwrap();
    let got = s
        .get_access_key("AKIAROOT")
        .unwrap()
        .and_then(|k| k.last_used)
        .map(|l| l.at);
    assert_eq!(
        got.map(|t| t.timestamp_micros()),
        Some(t0.timestamp_micros())
    );
    let t2 = t0 + TimeDelta::minutes(16);
    s.record_access_key_use("AKIAROOT", &used(t2), t2 - TimeDelta::minutes(15))
        .unwrap();
    let got = s
        .get_access_key("AKIAROOT")
        .unwrap()
        .and_then(|k| k.last_used)
        .map(|l| l.at);
    assert_eq!(
        got.map(|t| t.timestamp_micros()),
        Some(t2.timestamp_micros())
    );
}

pub(crate) fn wipe_removes_everything(s: &dyn Store) {
    setup(s);
    s.create_user(&user("a", "/"), &[], 10).unwrap();
    s.wipe().unwrap();
    assert!(s.list_accounts().unwrap().is_empty());
    assert!(s.get_user(ACCT, "a").unwrap().is_none());
}

fn group(name: &str, path: &str) -> Group {
    Group {
        account: ACCT.into(),
        id: format!("AGPA{}", name.to_uppercase()),
        name: name.into(),
        path: path.into(),
        created: Utc::now(),
    }
}

pub(crate) fn groups_membership_quotas_and_conflicts(s: &dyn Store) {
    setup(s);
    let (a, b) = (user("a", "/"), user("b", "/"));
    s.create_user(&a, &[], 10).unwrap();
    s.create_user(&b, &[], 10).unwrap();
    let (g1, g2, g3) = (group("Dev", "/"), group("ops", "/x/"), group("qa", "/"));
    s.create_group(&g1, 3).unwrap();
    assert_eq!(
        s.create_group(&group("dev", "/"), 3),
        Err(StoreError::AlreadyExists)
    );
    s.create_group(&g2, 3).unwrap();
    s.create_group(&g3, 3).unwrap();
    assert_eq!(
        s.create_group(&group("four", "/"), 3),
        Err(StoreError::LimitExceeded)
    );
    s.add_user_to_group(ACCT, &g1.id, &a.id, 2).unwrap();
    s.add_user_to_group(ACCT, &g1.id, &a.id, 2).unwrap();
    s.add_user_to_group(ACCT, &g2.id, &a.id, 2).unwrap();
    assert_eq!(
        s.add_user_to_group(ACCT, &g3.id, &a.id, 2),
        Err(StoreError::LimitExceeded)
    );
    s.add_user_to_group(ACCT, &g1.id, &b.id, 2).unwrap();
    assert_eq!(
        s.add_user_to_group(ACCT, "AGPANOPE", &b.id, 2),
        Err(StoreError::NotFound)
    );
    let members = s.list_group_members(ACCT, &g1.id, None, 1).unwrap();
    assert_eq!(
        members
            .items
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>(),
        ["a"]
    );
    let rest = s
        .list_group_members(ACCT, &g1.id, members.next_marker.as_deref(), 1)
        .unwrap();
    assert_eq!(
        rest.items
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>(),
        ["b"]
    );
    assert_eq!(rest.next_marker, None);
    let of_a = s.list_groups_for_user(ACCT, &a.id, None, 10).unwrap();
    assert_eq!(
        of_a.items
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>(),
        ["Dev", "ops"]
    );
    assert!(matches!(
        s.delete_group(ACCT, "dev"),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.delete_user(ACCT, "a"),
        Err(StoreError::Conflict(_))
    ));
    s.remove_user_from_group(ACCT, &g1.id, &a.id).unwrap();
    assert_eq!(
        s.remove_user_from_group(ACCT, &g1.id, &a.id),
        Err(StoreError::NotFound)
    );
    s.remove_user_from_group(ACCT, &g2.id, &a.id).unwrap();
    s.delete_user(ACCT, "a").unwrap();
    s.remove_user_from_group(ACCT, &g1.id, &b.id).unwrap();
    let renamed = s
        .update_group(
            ACCT,
            "DEV",
            &Rename {
                new_name: Some("Devs".into()),
                new_path: Some("/d/".into()),
            },
        )
        .unwrap();
    assert_eq!(renamed.arn(), format!("arn:aws:iam::{ACCT}:group/d/Devs"));
    assert_eq!(
        s.update_group(
            ACCT,
            "devs",
            &Rename {
                new_name: Some("OPS".into()),
                new_path: None
            }
        ),
        Err(StoreError::AlreadyExists)
    );
    let x = s.list_groups(ACCT, "/x/", None, 10).unwrap();
    assert_eq!(x.items.len(), 1);
    s.delete_group(ACCT, "devs").unwrap();
    assert_eq!(s.get_group(ACCT, "devs").unwrap(), None);
}

pub(crate) fn inline_policies_replace_and_respect_the_total(s: &dyn Store) {
    setup(s);
    let u = user("a", "/");
    s.create_user(&u, &[], 10).unwrap();
    s.put_inline_policy(&u.id, "p1", "{1}", 60, 100).unwrap();
    s.put_inline_policy(&u.id, "p1", "{2}", 70, 100).unwrap();
    assert_eq!(
        s.get_inline_policy(&u.id, "p1").unwrap().as_deref(),
        Some("{2}")
    );
    assert_eq!(
        s.put_inline_policy(&u.id, "p2", "{3}", 31, 100),
        Err(StoreError::LimitExceeded)
    );
    s.put_inline_policy(&u.id, "p0", "{4}", 30, 100).unwrap();
    assert_eq!(
        s.list_inline_policies(&u.id)
            .unwrap()
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        ["p0", "p1"]
    );
    assert!(matches!(
        s.delete_user(ACCT, "a"),
        Err(StoreError::Conflict(_))
    ));
    s.delete_inline_policy(&u.id, "p0").unwrap();
    s.delete_inline_policy(&u.id, "p1").unwrap();
    assert_eq!(
        s.delete_inline_policy(&u.id, "p1"),
        Err(StoreError::NotFound)
    );
    s.delete_user(ACCT, "a").unwrap();
    let g = group("g", "/");
    s.create_group(&g, 10).unwrap();
    s.put_inline_policy(&g.id, "p", "{}", 2, 100).unwrap();
    assert!(matches!(
        s.delete_group(ACCT, "g"),
        Err(StoreError::Conflict(_))
    ));
    s.delete_inline_policy(&g.id, "p").unwrap();
    s.delete_group(ACCT, "g").unwrap();
}

pub(crate) fn managed_policies_versions_and_attachments(s: &dyn Store) {
    setup(s);
    let now = Utc::now();
    let p = ManagedPolicy {
        account: ACCT.into(),
        id: "ANPAONE".into(),
        name: "Read".into(),
        path: "/".into(),
        description: Some("d".into()),
        default_version: "v1".into(),
        created: now,
        updated: now,
    };
    let arn = p.arn();
    s.create_policy(&p, "{v1}", 10).unwrap();
    assert_eq!(
        s.create_policy(
            &ManagedPolicy {
                id: "ANPATWO".into(),
                name: "read".into(),
                ..p.clone()
            },
            "{}",
            10
        ),
        Err(StoreError::AlreadyExists)
    );
    for n in 2..=5 {
        let v = s
            .create_policy_version(ACCT, &arn, &format!("{{v{n}}}"), n == 3, now, 5)
            .unwrap();
        assert_eq!(v.version_id, format!("v{n}"));
    }
    assert_eq!(
        s.create_policy_version(ACCT, &arn, "{v6}", false, now, 5),
        Err(StoreError::LimitExceeded)
    );
    assert_eq!(
        s.get_policy(ACCT, &arn).unwrap().map(|p| p.default_version),
        Some("v3".into())
    );
    let versions = s.list_policy_versions(ACCT, &arn).unwrap();
    assert_eq!(
        versions
            .iter()
            .map(|v| v.version_id.as_str())
            .collect::<Vec<_>>(),
        ["v5", "v4", "v3", "v2", "v1"]
    );
    assert!(versions.iter().filter(|v| v.is_default).count() == 1);
    assert!(matches!(
        s.delete_policy_version(ACCT, &arn, "v3"),
        Err(StoreError::Conflict(_))
    ));
    s.delete_policy_version(ACCT, &arn, "v1").unwrap();
    s.create_policy_version(ACCT, &arn, "{v6}", false, now, 5)
        .unwrap();
    s.set_default_policy_version(ACCT, &arn, "v6", now).unwrap();
    assert_eq!(
        s.get_policy_version(ACCT, &arn, "v6")
            .unwrap()
            .map(|v| (v.document, v.is_default)),
        Some(("{v6}".into(), true))
    );
    assert_eq!(
        s.set_default_policy_version(ACCT, &arn, "v1", now),
        Err(StoreError::NotFound)
    );

    let u = user("a", "/");
    s.create_user(&u, &[], 10).unwrap();
    s.attach_policy(ACCT, OwnerKind::User, &u.id, &arn, 2)
        .unwrap();
    s.attach_policy(ACCT, OwnerKind::User, &u.id, &arn, 2)
        .unwrap();
    s.attach_policy(
        ACCT,
        OwnerKind::User,
        &u.id,
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        2,
    )
    .unwrap();
    assert_eq!(
        s.attach_policy(
            ACCT,
            OwnerKind::User,
            &u.id,
            "arn:aws:iam::aws:policy/Other",
            2
        ),
        Err(StoreError::LimitExceeded)
    );
    assert_eq!(
        s.attached_policies(&u.id).unwrap(),
        [
            arn.clone(),
            "arn:aws:iam::aws:policy/ReadOnlyAccess".to_string()
        ]
    );
    assert_eq!(s.policy_usage(ACCT, &arn).unwrap(), (1, 0));
    let entities = s.entities_for_policy(ACCT, &arn, false).unwrap();
    assert_eq!(
        entities,
        vec![(
            OwnerKind::User,
            u.id.clone(),
            "a".to_string(),
            "/".to_string()
        )]
    );
    assert!(s.entities_for_policy(ACCT, &arn, true).unwrap().is_empty());
    assert!(matches!(
        s.delete_user(ACCT, "a"),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.delete_policy(ACCT, &arn),
        Err(StoreError::Conflict(_))
    ));
    s.detach_policy(ACCT, &u.id, &arn).unwrap();
    assert_eq!(
        s.detach_policy(ACCT, &u.id, &arn),
        Err(StoreError::NotFound)
    );
    s.set_user_boundary(ACCT, &u.id, Some(&arn)).unwrap();
    assert_eq!(s.policy_usage(ACCT, &arn).unwrap(), (0, 1));
    assert_eq!(
        s.get_user(ACCT, "a")
            .unwrap()
            .and_then(|u| u.permissions_boundary),
        Some(arn.clone())
    );
    s.set_user_boundary(ACCT, &u.id, None).unwrap();
    let r = crate::conformance_instance_profiles::role("r");
    s.create_role(&r, &[], 10).unwrap();
    s.set_role_boundary(ACCT, &r.id, Some(&arn)).unwrap();
    assert_eq!(
        s.policy_usage(ACCT, &arn).unwrap(),
        (0, 1),
        "a role's boundary counts"
    );
    assert!(matches!(
        s.delete_policy(ACCT, &arn),
        Err(StoreError::Conflict(_))
    ));
    s.set_role_boundary(ACCT, &r.id, None).unwrap();
    assert!(
        matches!(s.delete_policy(ACCT, &arn), Err(StoreError::Conflict(_))),
        "non-default versions remain"
    );
    for v in ["v2", "v3", "v4", "v5"] {
        s.delete_policy_version(ACCT, &arn, v).unwrap();
    }
    s.delete_policy(ACCT, &arn).unwrap();
    assert_eq!(s.get_policy(ACCT, &arn).unwrap(), None);
}

pub(crate) fn account_aliases_and_counts(s: &dyn Store) {
    setup(s);
    s.create_account(&Account {
        id: "444455556666".into(),
        created: Utc::now(),
    })
    .unwrap();
    s.create_account_alias(ACCT, "acme").unwrap();
    s.create_account_alias(ACCT, "acme").unwrap();
    assert_eq!(
        s.create_account_alias(ACCT, "other"),
        Err(StoreError::LimitExceeded)
    );
    assert_eq!(
        s.create_account_alias("444455556666", "acme"),
        Err(StoreError::AlreadyExists)
    );
    assert_eq!(s.account_aliases(ACCT).unwrap(), ["acme"]);
    assert_eq!(
        s.delete_account_alias(ACCT, "other"),
        Err(StoreError::NotFound)
    );
    s.delete_account_alias(ACCT, "acme").unwrap();
    assert!(s.account_aliases(ACCT).unwrap().is_empty());
    s.create_user(&user("a", "/"), &[], 10).unwrap();
    s.create_access_key(&key("AKIAROOT", None), 2).unwrap();
    let c = s.account_counts(ACCT).unwrap();
    assert_eq!(
        (c.users, c.groups, c.roles, c.policies, c.root_access_keys),
        (1, 0, 0, 0, 1)
    );
}

/// One named conformance check.
pub(crate) type Case = (&'static str, fn(&dyn Store));

pub(crate) const SUITE: &[Case] = &[
    (
        "users_are_unique_ignoring_case",
        users_are_unique_ignoring_case,
    ),
    ("user_quota", user_quota),
    (
        "list_users_paginates_and_filters",
        list_users_paginates_and_filters,
    ),
    (
        "update_user_renames_and_moves",
        update_user_renames_and_moves,
    ),
    (
        "tags_replace_ignoring_case_and_respect_limit",
        tags_replace_ignoring_case_and_respect_limit,
    ),
    (
        "access_keys_quota_status_and_delete_conflict",
        access_keys_quota_status_and_delete_conflict,
    ),
    (
        "last_used_is_recorded_once_per_window",
        last_used_is_recorded_once_per_window,
    ),
    ("wipe_removes_everything", wipe_removes_everything),
    (
        "groups_membership_quotas_and_conflicts",
        groups_membership_quotas_and_conflicts,
    ),
    (
        "inline_policies_replace_and_respect_the_total",
        inline_policies_replace_and_respect_the_total,
    ),
    (
        "tag_keys_can_be_case_sensitive",
        tag_keys_can_be_case_sensitive,
    ),
    ("account_aliases_and_counts", account_aliases_and_counts),
    (
        "managed_policies_versions_and_attachments",
        managed_policies_versions_and_attachments,
    ),
    ("ssh_keys", creds::ssh_keys),
    ("service_credentials", creds::service_credentials),
    ("signing_certificates", creds::signing_certificates),
    ("server_certificates", creds::server_certificates),
    (
        "credentials_block_user_deletion",
        creds::credentials_block_user_deletion,
    ),
];

/// Every case: the ones above and those of the entity families kept in their own files.
fn all_cases() -> impl Iterator<Item = &'static Case> {
    SUITE
        .iter()
        .chain(crate::conformance_instance_profiles::SUITE)
        .chain(crate::conformance_mfa::SUITE)
        .chain(crate::conformance_providers::SUITE)
        .chain(crate::conformance_reports::SUITE)
        .chain(crate::conformance_passwords::SUITE)
}

mod sqlite {
    use super::all_cases as cases;
    use crate::{Durability, SqliteStore};

    #[test]
    fn suite_in_memory() {
        for (name, case) in cases() {
            eprintln!("memory: {name}");
            case(&SqliteStore::in_memory().unwrap());
        }
    }

    #[test]
    fn suite_on_disk() {
        for (name, case) in cases() {
            eprintln!("file: {name}");
            let dir = tempfile::tempdir().unwrap();
            case(&SqliteStore::open(&dir.path().join("db.sqlite"), Durability::Full).unwrap());
        }
    }

    #[test]
    fn pragmas_are_wal_and_full() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStore::open(&dir.path().join("db.sqlite"), Durability::Full).unwrap();
        assert_eq!(s.pragmas().unwrap(), ("wal".to_string(), 2));
        drop(s);
        let again = SqliteStore::open(&dir.path().join("db.sqlite"), Durability::Normal).unwrap();
        assert_eq!(again.pragmas().unwrap(), ("wal".to_string(), 1));
    }
}
