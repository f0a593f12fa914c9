//! Conformance cases for instance profiles and the roles they contain.

use super::{
    ACCT, dependents, instance_profile, put_profile, put_profile_role, put_role, remove_role, role,
    setup, tx,
};
use portcullis_core::{InstanceProfile, Store, StoreError, Tag};

fn names(p: &[InstanceProfile]) -> Vec<&str> {
    p.iter().map(|p| p.name.as_str()).collect()
}

fn unique_counted_tags_and_listing(s: &dyn Store) {
    setup(s);
    let tag = Tag {
        key: "Env".into(),
        value: "prod".into(),
    };
    put_profile(
        s,
        &instance_profile("Web", "/app/"),
        std::slice::from_ref(&tag),
    );
    let mut twin = instance_profile("web", "/");
    twin.id = "AIPAOTHER".into();
    assert_eq!(
        tx(s, |t| t.insert_instance_profile(&twin, &[])),
        Err(StoreError::AlreadyExists)
    );
    put_profile(s, &instance_profile("batch", "/"), &[]);
    put_profile(s, &instance_profile("api", "/app/x/"), &[]);
    assert_eq!(tx(s, |t| t.count_instance_profiles(ACCT)), Ok(3));
    assert_eq!(
        tx(s, |t| t.instance_profile(ACCT, "WEB"))
            .unwrap()
            .map(|p| p.name),
        Some("Web".into())
    );
    let got = s.get_instance_profile(ACCT, "WEB").unwrap().unwrap();
    assert_eq!(got.name, "Web");
    assert_eq!(
        got.arn(),
        format!("arn:aws:iam::{ACCT}:instance-profile/app/Web")
    );
    assert_eq!(s.tags(&got.id).unwrap(), [tag]);
    assert_eq!(s.get_instance_profile("999999999999", "Web").unwrap(), None);

    let p1 = s.list_instance_profiles(ACCT, "/", None, 2).unwrap();
    assert_eq!(names(&p1.items), ["api", "batch"]);
    let p2 = s
        .list_instance_profiles(ACCT, "/", p1.next_marker.as_deref(), 2)
        .unwrap();
    assert_eq!(names(&p2.items), ["Web"]);
    assert_eq!(p2.next_marker, None);
    let app = s.list_instance_profiles(ACCT, "/app/", None, 10).unwrap();
    assert_eq!(names(&app.items), ["api", "Web"]);

    let web = tx(s, |t| t.instance_profile(ACCT, "web")).unwrap().unwrap();
    tx(s, |t| t.remove_instance_profile(&web.id)).unwrap();
    assert_eq!(s.get_instance_profile(ACCT, "Web").unwrap(), None);
    assert!(s.tags(&got.id).unwrap().is_empty(), "tags go with it");
    assert_eq!(tx(s, |t| t.instance_profile(ACCT, "web")), Ok(None));
    assert_eq!(s.account_counts(ACCT).unwrap().instance_profiles, 2);
}

fn one_role_per_profile_and_conflicts(s: &dyn Store) {
    setup(s);
    let (a, b) = (instance_profile("a", "/"), instance_profile("b", "/"));
    put_profile(s, &a, &[]);
    put_profile(s, &b, &[]);
    let (r1, r2) = (role("r1"), role("r2"));
    put_role(s, &r1, &[]);
    put_role(s, &r2, &[]);

    put_profile_role(s, &a.id, &r1.id);
    assert_eq!(tx(s, |t| t.count_profile_roles(&a.id)), Ok(1));
    assert_eq!(
        tx(s, |t| t.insert_profile_role(
            &a.id,
            &r1.id,
            chrono::Utc::now()
        )),
        Err(StoreError::AlreadyExists),
        "a role is in a profile once"
    );
    put_profile_role(s, &b.id, &r1.id);
    assert_eq!(
        s.instance_profile_roles(&a.id)
            .unwrap()
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        ["r1"]
    );
    let p = s
        .list_instance_profiles_for_role(ACCT, &r1.id, None, 1)
        .unwrap();
    assert_eq!(names(&p.items), ["a"]);
    let p = s
        .list_instance_profiles_for_role(ACCT, &r1.id, p.next_marker.as_deref(), 1)
        .unwrap();
    assert_eq!((names(&p.items), p.next_marker), (vec!["b"], None));

    assert_eq!(tx(s, |t| t.count_profile_roles(&a.id)), Ok(1));
    assert_eq!(dependents(s, &r1.id).instance_profiles, 2);
    assert_eq!(
        tx(s, |t| t
            .remove_role_from_instance_profile(ACCT, &a.id, &r2.id)),
        Err(StoreError::NotFound)
    );
    tx(s, |t| {
        t.remove_role_from_instance_profile(ACCT, &a.id, &r1.id)
    })
    .unwrap();
    tx(s, |t| {
        t.remove_role_from_instance_profile(ACCT, &b.id, &r1.id)
    })
    .unwrap();
    assert_eq!(tx(s, |t| t.count_profile_roles(&a.id)), Ok(0));
    tx(s, |t| t.remove_instance_profile(&a.id)).unwrap();
    remove_role(s, &r1.id);
    assert!(s.instance_profile_roles(&b.id).unwrap().is_empty());
}

cases![
    unique_counted_tags_and_listing,
    one_role_per_profile_and_conflicts,
];
