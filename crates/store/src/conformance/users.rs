//! Conformance cases for users: names unique ignoring case, the quota, listing by path one page
//! at a time, renaming and moving.

use super::{ACCT, setup, user};
use portcullis_core::store::Rename;
use portcullis_core::{Store, StoreError};

fn users_are_unique_ignoring_case(s: &dyn Store) {
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

fn user_quota(s: &dyn Store) {
    setup(s);
    s.create_user(&user("a", "/"), &[], 2).unwrap();
    s.create_user(&user("b", "/"), &[], 2).unwrap();
    assert_eq!(
        s.create_user(&user("c", "/"), &[], 2),
        Err(StoreError::LimitExceeded)
    );
}

fn list_users_paginates_and_filters(s: &dyn Store) {
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

fn update_user_renames_and_moves(s: &dyn Store) {
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

cases![
    users_are_unique_ignoring_case,
    user_quota,
    list_users_paginates_and_filters,
    update_user_renames_and_moves,
];
