//! Conformance cases for users: names unique ignoring case, counting for the quota (which core
//! checks), a refused transaction leaving nothing behind, listing by path one page at a time,
//! renaming and moving.

use super::{ACCT, OTHER, other_account, put_user, remove_user, setup, tx, user};
use portcullis_core::store::write;
use portcullis_core::{IamError, Store, StoreError};

fn users_are_unique_ignoring_case(s: &dyn Store) {
    setup(s);
    put_user(s, &user("Alice", "/"), &[]);
    let mut again = user("alice", "/x/");
    again.id = "AIDAOTHER".into();
    assert_eq!(
        tx(s, |t| t.insert_user(&again, &[])),
        Err(StoreError::AlreadyExists),
        "the engine refuses a second name that differs only by case"
    );
    assert_eq!(
        s.get_user(ACCT, "ALICE").unwrap().map(|u| u.name),
        Some("Alice".into())
    );
    assert_eq!(
        tx(s, |t| t.user(ACCT, "aLiCe")).unwrap().map(|u| u.id),
        Some("AIDAALICE".into())
    );
    assert_eq!(s.get_user("999999999999", "Alice").unwrap(), None);
}

fn users_are_counted_per_account(s: &dyn Store) {
    setup(s);
    other_account(s);
    put_user(s, &user("a", "/"), &[]);
    put_user(s, &user("b", "/"), &[]);
    let mut elsewhere = user("c", "/");
    elsewhere.account = OTHER.into();
    put_user(s, &elsewhere, &[]);
    assert_eq!(tx(s, |t| t.count_users(ACCT)), Ok(2));
    assert_eq!(tx(s, |t| t.count_users(OTHER)), Ok(1));
}

fn a_failed_transaction_writes_nothing(s: &dyn Store) {
    setup(s);
    let out = write(s, |t| {
        t.insert_user(&user("a", "/"), &[])?;
        Err::<(), _>(IamError::InvalidInput("refused".into()))
    });
    assert_eq!(out, Err(IamError::InvalidInput("refused".into())));
    assert_eq!(s.get_user(ACCT, "a").unwrap(), None);
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
        put_user(s, &user(n, p), &[]);
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

fn save_user_renames_and_moves(s: &dyn Store) {
    setup(s);
    put_user(s, &user("a", "/"), &[]);
    put_user(s, &user("b", "/"), &[]);
    let mut u = user("a", "/");
    u.name = "B".into();
    assert_eq!(tx(s, |t| t.save_user(&u)), Err(StoreError::AlreadyExists));
    u.name = "A2".into();
    u.path = "/p/".into();
    tx(s, |t| t.save_user(&u)).unwrap();
    let got = s.get_user(ACCT, "a2").unwrap().unwrap();
    assert_eq!((got.name.as_str(), got.path.as_str()), ("A2", "/p/"));
    assert!(s.get_user(ACCT, "a").unwrap().is_none());
    remove_user(s, &u.id);
    assert!(s.get_user(ACCT, "a2").unwrap().is_none());
}

fn a_console_sign_in_sets_password_last_used(s: &dyn Store) {
    setup(s);
    let u = user("a", "/");
    put_user(s, &u, &[]);
    let at = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    s.record_password_use(ACCT, &u.id, at).unwrap();
    assert_eq!(
        s.get_user(ACCT, "a").unwrap().unwrap().password_last_used,
        Some(at)
    );
    // Another account's user of that id is not touched; a missing user changes nothing.
    s.record_password_use("999999999999", &u.id, at + chrono::TimeDelta::days(1))
        .unwrap();
    s.record_password_use(ACCT, "AIDAMISSING", at).unwrap();
    assert_eq!(
        s.get_user(ACCT, "a").unwrap().unwrap().password_last_used,
        Some(at)
    );
}

cases![
    a_console_sign_in_sets_password_last_used,
    users_are_unique_ignoring_case,
    users_are_counted_per_account,
    a_failed_transaction_writes_nothing,
    list_users_paginates_and_filters,
    save_user_renames_and_moves,
];
