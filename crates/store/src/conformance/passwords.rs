//! Conformance cases for login profiles, password history and the account password policy.

use super::{ACCT, dependents, put_user, remove_user, setup, user};
use chrono::{TimeDelta, Utc};
use portcullis_core::passwords::{HISTORY, LoginProfile, LoginProfileUpdate, PasswordPolicy};
use portcullis_core::{Store, StoreError};

fn profile(user_id: &str) -> LoginProfile {
    let now = Utc::now();
    LoginProfile {
        account: ACCT.into(),
        user_id: user_id.into(),
        created: now,
        password_changed: now,
        reset_required: true,
        max_session_duration: None,
    }
}

fn login_profiles_lifecycle(s: &dyn Store) {
    setup(s);
    let u = user("alice", "/");
    put_user(s, &u, &[]);
    assert_eq!(s.login_profile(ACCT, &u.id).unwrap(), None);
    assert_eq!(
        s.create_login_profile(&profile("AIDANOBODY"), "h0"),
        Err(StoreError::NotFound)
    );
    let p = profile(&u.id);
    s.create_login_profile(&p, "h1").unwrap();
    assert_eq!(
        s.create_login_profile(&p, "h1"),
        Err(StoreError::AlreadyExists)
    );
    let got = s.login_profile(ACCT, &u.id).unwrap().unwrap();
    assert!(got.reset_required);
    assert_eq!(got.max_session_duration, None);
    assert_eq!(got.created.timestamp(), p.created.timestamp());
    assert_eq!(s.login_profile("999999999999", &u.id).unwrap(), None);
    assert_eq!(
        s.login_password_hash(ACCT, &u.id).unwrap().as_deref(),
        Some("h1")
    );

    // Flags only: the password and its time stay.
    let later = p.created + TimeDelta::days(3);
    let flags = LoginProfileUpdate {
        reset_required: Some(false),
        max_session_duration: Some(Some(7200)),
        now: later,
        ..LoginProfileUpdate::default()
    };
    let got = s.update_login_profile(ACCT, &u.id, &flags).unwrap();
    assert!(!got.reset_required);
    assert_eq!(got.max_session_duration, Some(7200));
    assert_eq!(got.password_changed.timestamp(), p.created.timestamp());
    assert_eq!(s.login_profile(ACCT, &u.id).unwrap(), Some(got));

    // A new password: its time, the history, and clearing the duration.
    let pw = LoginProfileUpdate {
        password_hash: Some("h2".into()),
        max_session_duration: Some(None),
        now: later,
        ..LoginProfileUpdate::default()
    };
    let got = s.update_login_profile(ACCT, &u.id, &pw).unwrap();
    assert_eq!(got.password_changed.timestamp(), later.timestamp());
    assert_eq!(got.max_session_duration, None);
    assert!(!got.reset_required);
    assert_eq!(
        s.login_password_hash(ACCT, &u.id).unwrap().as_deref(),
        Some("h2")
    );
    assert_eq!(s.password_history(ACCT, &u.id).unwrap(), ["h2", "h1"]);

    // A login profile blocks DeleteUser.
    assert!(dependents(s, &u.id).login_profile);
    s.delete_login_profile(ACCT, &u.id).unwrap();
    assert_eq!(
        s.delete_login_profile(ACCT, &u.id),
        Err(StoreError::NotFound)
    );
    assert_eq!(
        s.update_login_profile(ACCT, &u.id, &flags),
        Err(StoreError::NotFound)
    );
    assert_eq!(s.login_profile(ACCT, &u.id).unwrap(), None);
    // The history outlives the profile, not the user.
    assert_eq!(s.password_history(ACCT, &u.id).unwrap().len(), 2);
    remove_user(s, &u.id);
    assert!(s.password_history(ACCT, &u.id).unwrap().is_empty());
}

fn password_history_keeps_the_newest(s: &dyn Store) {
    setup(s);
    let u = user("bob", "/");
    put_user(s, &u, &[]);
    s.create_login_profile(&profile(&u.id), "p0").unwrap();
    for i in 1..=30 {
        let up = LoginProfileUpdate {
            password_hash: Some(format!("p{i}")),
            now: Utc::now(),
            ..LoginProfileUpdate::default()
        };
        s.update_login_profile(ACCT, &u.id, &up).unwrap();
    }
    let h = s.password_history(ACCT, &u.id).unwrap();
    assert_eq!(h.len(), HISTORY);
    assert_eq!(h.first().map(String::as_str), Some("p30"));
    assert_eq!(h.last().map(String::as_str), Some("p7"));
}

fn password_policy_is_per_account(s: &dyn Store) {
    setup(s);
    assert_eq!(s.password_policy(ACCT).unwrap(), None);
    assert_eq!(s.delete_password_policy(ACCT), Err(StoreError::NotFound));
    let p = PasswordPolicy {
        minimum_length: 14,
        require_symbols: true,
        allow_users_to_change: true,
        max_age_days: Some(90),
        reuse_prevention: Some(5),
        hard_expiry: Some(false),
        ..PasswordPolicy::default()
    };
    s.put_password_policy(ACCT, &p).unwrap();
    assert_eq!(s.password_policy(ACCT).unwrap(), Some(p));
    assert_eq!(s.password_policy("999999999999").unwrap(), None);
    s.put_password_policy(ACCT, &PasswordPolicy::default())
        .unwrap();
    assert_eq!(
        s.password_policy(ACCT).unwrap(),
        Some(PasswordPolicy::default())
    );
    s.delete_password_policy(ACCT).unwrap();
    assert_eq!(s.password_policy(ACCT).unwrap(), None);
}

fn wipe_forgets_profiles_and_policy(s: &dyn Store) {
    setup(s);
    let u = user("cara", "/");
    put_user(s, &u, &[]);
    s.create_login_profile(&profile(&u.id), "h").unwrap();
    s.put_password_policy(ACCT, &PasswordPolicy::default())
        .unwrap();
    s.wipe().unwrap();
    setup(s);
    put_user(s, &u, &[]);
    assert_eq!(s.login_profile(ACCT, &u.id).unwrap(), None);
    assert!(s.password_history(ACCT, &u.id).unwrap().is_empty());
    assert_eq!(s.password_policy(ACCT).unwrap(), None);
}

cases![
    login_profiles_lifecycle,
    password_history_keeps_the_newest,
    password_policy_is_per_account,
    wipe_forgets_profiles_and_policy,
];
