//! Conformance cases for access keys: counting for the quota (which core checks), status, owners, deletion, and last use recorded
//! once per window.

use super::{ACCT, access_key, dependents, put_access_key, put_user, remove_user, setup, tx, user};
use chrono::{TimeDelta, Utc};
use portcullis_core::model::LastUsed;
use portcullis_core::{KeyStatus, Store, StoreError};

fn access_keys_count_status_and_dependents(s: &dyn Store) {
    setup(s);
    let u = user("a", "/");
    put_user(s, &u, &[]);
    put_access_key(s, &access_key("AKIA1", Some(&u.id)));
    put_access_key(s, &access_key("AKIA2", Some(&u.id)));
    assert_eq!(
        tx(s, |t| t.insert_access_key(&access_key("AKIA1", None))),
        Err(StoreError::AlreadyExists),
        "key ids are unique"
    );
    assert_eq!(tx(s, |t| t.count_access_keys(ACCT, Some(&u.id))), Ok(2));
    put_access_key(s, &access_key("AKIAROOT", None));
    assert_eq!(tx(s, |t| t.count_access_keys(ACCT, None)), Ok(1));
    assert_eq!(s.list_access_keys(ACCT, Some(&u.id)).unwrap().len(), 2);
    assert_eq!(s.list_access_keys(ACCT, None).unwrap().len(), 1);
    assert_eq!(dependents(s, &u.id).access_keys, 2);
    tx(s, |t| {
        t.update_access_key_status(ACCT, Some(&u.id), "AKIA1", KeyStatus::Inactive)
    })
    .unwrap();
    assert_eq!(
        s.get_access_key("AKIA1").unwrap().map(|k| k.status),
        Some(KeyStatus::Inactive)
    );
    assert_eq!(
        tx(s, |t| t.update_access_key_status(
            ACCT,
            None,
            "AKIA1",
            KeyStatus::Active
        )),
        Err(StoreError::NotFound),
        "owner must match"
    );
    tx(s, |t| t.delete_access_key(ACCT, Some(&u.id), "AKIA1")).unwrap();
    tx(s, |t| t.delete_access_key(ACCT, Some(&u.id), "AKIA2")).unwrap();
    assert_eq!(
        tx(s, |t| t.delete_access_key(ACCT, Some(&u.id), "AKIA2")),
        Err(StoreError::NotFound)
    );
    remove_user(s, &u.id);
    assert!(s.get_user(ACCT, "a").unwrap().is_none());
}

fn last_used_is_recorded_once_per_window(s: &dyn Store) {
    setup(s);
    put_access_key(s, &access_key("AKIAROOT", None));
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
    let last_used = || {
        s.get_access_key("AKIAROOT")
            .unwrap()
            .and_then(|k| k.last_used)
            .map(|l| l.at.timestamp_micros())
    };
    assert_eq!(last_used(), Some(t0.timestamp_micros()));
    let t2 = t0 + TimeDelta::minutes(16);
    s.record_access_key_use("AKIAROOT", &used(t2), t2 - TimeDelta::minutes(15))
        .unwrap();
    assert_eq!(last_used(), Some(t2.timestamp_micros()));
}

cases![
    access_keys_count_status_and_dependents,
    last_used_is_recorded_once_per_window,
];
