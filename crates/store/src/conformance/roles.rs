//! Conformance cases for roles: deleting a service-linked role records its deletion task.

use super::{ACCT, instance_profile, role, setup};
use chrono::Utc;
use portcullis_core::{Store, StoreError, Tag};

fn service_linked_role_deletion_records_its_task(s: &dyn Store) {
    setup(s);
    let mut r = role("AWSServiceRoleForBatch");
    r.path = "/aws-service-role/batch.amazonaws.com/".into();
    s.create_role(
        &r,
        &[Tag {
            key: "k".into(),
            value: "v".into(),
        }],
        10,
    )
    .unwrap();
    let task = "task/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch/1";
    assert!(!s.service_role_deletion_exists(ACCT, task).unwrap());
    let p = instance_profile("p", "/");
    s.create_instance_profile(&p, &[], 10).unwrap();
    s.add_role_to_instance_profile(ACCT, &p.id, &r.id, 1)
        .unwrap();
    assert!(matches!(
        s.delete_service_linked_role(ACCT, &r.name, task, Utc::now()),
        Err(StoreError::Conflict(_))
    ));
    assert!(
        !s.service_role_deletion_exists(ACCT, task).unwrap(),
        "a failed deletion records no task"
    );
    s.remove_role_from_instance_profile(ACCT, &p.id, &r.id)
        .unwrap();
    s.delete_service_linked_role(ACCT, "awsserviceroleforbatch", task, Utc::now())
        .unwrap();
    assert_eq!(s.get_role(ACCT, &r.name).unwrap(), None);
    assert!(s.tags(&r.id).unwrap().is_empty());
    assert!(s.service_role_deletion_exists(ACCT, task).unwrap());
    assert!(
        !s.service_role_deletion_exists("999988887777", task)
            .unwrap()
    );
    assert_eq!(
        s.delete_service_linked_role(ACCT, &r.name, "task/other", Utc::now()),
        Err(StoreError::NotFound)
    );
}

cases![service_linked_role_deletion_records_its_task];
