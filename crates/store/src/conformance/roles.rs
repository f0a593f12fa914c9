//! Conformance cases for roles: names unique ignoring case, counts for the quota (which core
//! checks), saving, removing with the tags, and the record of service-linked role deletions.

use super::{
    ACCT, dependents, instance_profile, put_profile, put_profile_role, put_role, remove_role, role,
    setup, tx,
};
use chrono::Utc;
use portcullis_core::{Store, StoreError, Tag};

fn roles_are_unique_saved_and_removed_with_their_tags(s: &dyn Store) {
    setup(s);
    let r = role("Deployer");
    let tag = Tag {
        key: "k".into(),
        value: "v".into(),
    };
    put_role(s, &r, std::slice::from_ref(&tag));
    let mut dup = role("deployer");
    dup.id = "AROAOTHER".into();
    assert_eq!(
        tx(s, |t| t.insert_role(&dup, &[])),
        Err(StoreError::AlreadyExists)
    );
    assert_eq!(tx(s, |t| t.count_roles(ACCT)), Ok(1));
    let mut changed = tx(s, |t| t.role(ACCT, "DEPLOYER")).unwrap().unwrap();
    changed.description = Some("d".into());
    changed.max_session_duration = 7200;
    changed.assume_role_policy = "{\"x\":1}".into();
    tx(s, |t| t.save_role(&changed)).unwrap();
    assert_eq!(s.get_role(ACCT, "deployer").unwrap(), Some(changed));
    assert_eq!(s.tags(&r.id).unwrap(), vec![tag]);
    let p = instance_profile("p", "/");
    put_profile(s, &p, &[]);
    put_profile_role(s, &p.id, &r.id);
    assert_eq!(dependents(s, &r.id).instance_profiles, 1);
    tx(s, |t| {
        t.remove_role_from_instance_profile(ACCT, &p.id, &r.id)
    })
    .unwrap();
    remove_role(s, &r.id);
    assert_eq!(s.get_role(ACCT, &r.name).unwrap(), None);
    assert!(s.tags(&r.id).unwrap().is_empty());
}

fn service_linked_role_deletions_are_recorded(s: &dyn Store) {
    setup(s);
    let task = "task/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch/1";
    assert!(!s.service_role_deletion_exists(ACCT, task).unwrap());
    tx(s, |t| {
        t.insert_role_deletion(ACCT, task, "AWSServiceRoleForBatch", Utc::now())
    })
    .unwrap();
    assert!(s.service_role_deletion_exists(ACCT, task).unwrap());
    assert!(
        !s.service_role_deletion_exists("999988887777", task)
            .unwrap()
    );
}

cases![
    roles_are_unique_saved_and_removed_with_their_tags,
    service_linked_role_deletions_are_recorded,
];
