//! Conformance cases for policies: inline policies and their total size; managed policies, their
//! versions, attachments and use as permissions boundaries.

use super::{
    ACCT, dependents, group, put_group, put_role, put_user, remove_group, remove_user, role, setup,
    tx, user,
};
use chrono::Utc;
use portcullis_core::{ManagedPolicy, OwnerKind, Store, StoreError};

fn inline_policies_replace_and_add_up(s: &dyn Store) {
    setup(s);
    let u = user("a", "/");
    put_user(s, &u, &[]);
    tx(s, |t| t.upsert_inline_policy(&u.id, "p1", "{1}", 60)).unwrap();
    tx(s, |t| t.upsert_inline_policy(&u.id, "p1", "{2}", 70)).unwrap();
    assert_eq!(
        s.get_inline_policy(&u.id, "p1").unwrap().as_deref(),
        Some("{2}")
    );
    assert_eq!(tx(s, |t| t.inline_policies_size(&u.id, "p2")), Ok(70));
    assert_eq!(
        tx(s, |t| t.inline_policies_size(&u.id, "p1")),
        Ok(0),
        "the policy being replaced does not count"
    );
    tx(s, |t| t.upsert_inline_policy(&u.id, "p0", "{4}", 30)).unwrap();
    assert_eq!(tx(s, |t| t.inline_policies_size(&u.id, "")), Ok(100));
    assert_eq!(
        s.list_inline_policies(&u.id)
            .unwrap()
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        ["p0", "p1"]
    );
    assert_eq!(dependents(s, &u.id).inline_policies, 2);
    tx(s, |t| t.delete_inline_policy(&u.id, "p0")).unwrap();
    tx(s, |t| t.delete_inline_policy(&u.id, "p1")).unwrap();
    assert_eq!(
        tx(s, |t| t.delete_inline_policy(&u.id, "p1")),
        Err(StoreError::NotFound)
    );
    remove_user(s, &u.id);
    let g = group("g", "/");
    put_group(s, &g);
    tx(s, |t| t.upsert_inline_policy(&g.id, "p", "{}", 2)).unwrap();
    assert_eq!(dependents(s, &g.id).inline_policies, 1);
    tx(s, |t| t.delete_inline_policy(&g.id, "p")).unwrap();
    remove_group(s, &g.id);
}

fn managed_policies_versions_and_attachments(s: &dyn Store) {
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
    tx(s, |t| t.insert_policy(&p, "{v1}")).unwrap();
    assert_eq!(tx(s, |t| t.policy_name_taken(ACCT, "READ")), Ok(true));
    assert_eq!(tx(s, |t| t.policy_name_taken(ACCT, "Write")), Ok(false));
    assert_eq!(tx(s, |t| t.count_policies(ACCT)), Ok(1));
    for n in 2..=5 {
        let v = tx(s, |t| {
            t.insert_policy_version(&p.id, &format!("{{v{n}}}"), n == 3, now)
        })
        .unwrap();
        assert_eq!(v.version_id, format!("v{n}"));
    }
    assert_eq!(tx(s, |t| t.count_policy_versions(&p.id)), Ok(5));
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
    let pid = p.id.clone();
    assert_eq!(
        tx(s, |t| t.policy(ACCT, &arn))
            .unwrap()
            .map(|p| p.default_version),
        Some("v3".into()),
        "core reads the default version before deleting one"
    );
    tx(s, |t| t.remove_policy_version(&pid, "v1")).unwrap();
    assert_eq!(
        tx(s, |t| t.remove_policy_version(&pid, "v1")),
        Err(StoreError::NotFound)
    );
    tx(s, |t| t.insert_policy_version(&pid, "{v6}", false, now)).unwrap();
    tx(s, |t| t.set_default_policy_version(ACCT, &arn, "v6", now)).unwrap();
    assert_eq!(
        s.get_policy_version(ACCT, &arn, "v6")
            .unwrap()
            .map(|v| (v.document, v.is_default)),
        Some(("{v6}".into(), true))
    );
    assert_eq!(
        tx(s, |t| t.set_default_policy_version(ACCT, &arn, "v1", now)),
        Err(StoreError::NotFound)
    );

    let u = user("a", "/");
    put_user(s, &u, &[]);
    tx(s, |t| {
        t.insert_attachment(ACCT, OwnerKind::User, &u.id, &arn)
    })
    .unwrap();
    assert_eq!(tx(s, |t| t.is_attached(&u.id, &arn)), Ok(true));
    let read_only = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    assert_eq!(tx(s, |t| t.is_attached(&u.id, read_only)), Ok(false));
    tx(s, |t| {
        t.insert_attachment(ACCT, OwnerKind::User, &u.id, read_only)
    })
    .unwrap();
    assert_eq!(tx(s, |t| t.count_attachments(&u.id)), Ok(2));
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
    assert_eq!(dependents(s, &u.id).attached_policies, 2);
    assert_eq!(tx(s, |t| t.policy_usage(ACCT, &arn)), Ok((1, 0)));
    tx(s, |t| t.detach_policy(ACCT, &u.id, &arn)).unwrap();
    assert_eq!(
        tx(s, |t| t.detach_policy(ACCT, &u.id, &arn)),
        Err(StoreError::NotFound)
    );
    tx(s, |t| t.set_user_boundary(ACCT, &u.id, Some(&arn))).unwrap();
    assert_eq!(s.policy_usage(ACCT, &arn).unwrap(), (0, 1));
    assert_eq!(
        s.get_user(ACCT, "a")
            .unwrap()
            .and_then(|u| u.permissions_boundary),
        Some(arn.clone())
    );
    tx(s, |t| t.set_user_boundary(ACCT, &u.id, None)).unwrap();
    let r = role("r");
    put_role(s, &r, &[]);
    tx(s, |t| t.set_role_boundary(ACCT, &r.id, Some(&arn))).unwrap();
    assert_eq!(
        s.policy_usage(ACCT, &arn).unwrap(),
        (0, 1),
        "a role's boundary counts"
    );
    assert_eq!(tx(s, |t| t.policy_usage(ACCT, &arn)), Ok((0, 1)));
    tx(s, |t| t.set_role_boundary(ACCT, &r.id, None)).unwrap();
    assert_eq!(tx(s, |t| t.policy_usage(ACCT, &arn)), Ok((0, 0)));
    assert_eq!(tx(s, |t| t.count_policy_versions(&pid)), Ok(5));
    for v in ["v2", "v3", "v4", "v5"] {
        tx(s, |t| t.remove_policy_version(&pid, v)).unwrap();
    }
    assert_eq!(tx(s, |t| t.count_policy_versions(&pid)), Ok(1));
    tx(s, |t| t.remove_policy(&pid)).unwrap();
    assert_eq!(
        s.list_policy_versions(ACCT, &arn),
        Err(StoreError::NotFound)
    );
    assert_eq!(s.get_policy(ACCT, &arn).unwrap(), None);
}

cases![
    inline_policies_replace_and_add_up,
    managed_policies_versions_and_attachments,
];
