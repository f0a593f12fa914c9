//! Conformance cases for login profiles, password history, the account password policy and the
//! console sign-in throttle's counts.

use super::{ACCT, dependents, put_user, remove_user, setup, tx, user};
use chrono::{SubsecRound, TimeDelta, Utc};
use portcullis_core::passwords::{
    HISTORY, LoginProfile, LoginProfileUpdate, PasswordPolicy, SigninAttempt,
};
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
        tx(s, |t| t.create_login_profile(&profile("AIDANOBODY"), "h0")),
        Err(StoreError::NotFound)
    );
    let p = profile(&u.id);
    tx(s, |t| t.create_login_profile(&p, "h1")).unwrap();
    assert_eq!(
        tx(s, |t| t.create_login_profile(&p, "h1")),
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
    let got = tx(s, |t| t.update_login_profile(ACCT, &u.id, &flags)).unwrap();
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
    let got = tx(s, |t| t.update_login_profile(ACCT, &u.id, &pw)).unwrap();
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
    tx(s, |t| t.delete_login_profile(ACCT, &u.id)).unwrap();
    assert_eq!(
        tx(s, |t| t.delete_login_profile(ACCT, &u.id)),
        Err(StoreError::NotFound)
    );
    assert_eq!(
        tx(s, |t| t.update_login_profile(ACCT, &u.id, &flags)),
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
    tx(s, |t| t.create_login_profile(&profile(&u.id), "p0")).unwrap();
    for i in 1..=30 {
        let up = LoginProfileUpdate {
            password_hash: Some(format!("p{i}")),
            now: Utc::now(),
            ..LoginProfileUpdate::default()
        };
        tx(s, |t| t.update_login_profile(ACCT, &u.id, &up)).unwrap();
    }
    let h = s.password_history(ACCT, &u.id).unwrap();
    assert_eq!(h.len(), HISTORY);
    assert_eq!(h.first().map(String::as_str), Some("p30"));
    assert_eq!(h.last().map(String::as_str), Some("p7"));
}

fn password_policy_is_per_account(s: &dyn Store) {
    setup(s);
    assert_eq!(s.password_policy(ACCT).unwrap(), None);
    assert_eq!(
        tx(s, |t| t.delete_password_policy(ACCT)),
        Err(StoreError::NotFound)
    );
    let p = PasswordPolicy {
        minimum_length: 14,
        require_symbols: true,
        allow_users_to_change: true,
        max_age_days: Some(90),
        reuse_prevention: Some(5),
        hard_expiry: Some(false),
        ..PasswordPolicy::default()
    };
    tx(s, |t| t.put_password_policy(ACCT, &p)).unwrap();
    assert_eq!(s.password_policy(ACCT).unwrap(), Some(p));
    assert_eq!(s.password_policy("999999999999").unwrap(), None);
    tx(s, |t| {
        t.put_password_policy(ACCT, &PasswordPolicy::default())
    })
    .unwrap();
    assert_eq!(
        s.password_policy(ACCT).unwrap(),
        Some(PasswordPolicy::default())
    );
    tx(s, |t| t.delete_password_policy(ACCT)).unwrap();
    assert_eq!(s.password_policy(ACCT).unwrap(), None);
}

fn wipe_forgets_profiles_and_policy(s: &dyn Store) {
    setup(s);
    let u = user("cara", "/");
    put_user(s, &u, &[]);
    tx(s, |t| t.create_login_profile(&profile(&u.id), "h")).unwrap();
    tx(s, |t| {
        t.put_password_policy(ACCT, &PasswordPolicy::default())
    })
    .unwrap();
    s.wipe().unwrap();
    setup(s);
    put_user(s, &u, &[]);
    assert_eq!(s.login_profile(ACCT, &u.id).unwrap(), None);
    assert!(s.password_history(ACCT, &u.id).unwrap().is_empty());
    assert_eq!(s.password_policy(ACCT).unwrap(), None);
}

/// One free failure, then a second of delay per two failures.
fn schedule(failures: u32) -> TimeDelta {
    TimeDelta::seconds(i64::from(failures / 2))
}

fn signin_attempts_are_counted_and_delayed_per_key(s: &dyn Store) {
    // Times are stored to the microsecond.
    let t0 = Utc::now().trunc_subsecs(6);
    let long_ago = t0 - TimeDelta::days(1);
    let begin = |keys: &[&str], at| s.begin_signin_attempt(keys, at, &schedule, long_ago);
    assert_eq!(begin(&["u", "ip"], t0), Ok(SigninAttempt::Counted(1)));
    assert_eq!(begin(&["u", "ip"], t0), Ok(SigninAttempt::Counted(2)));
    // Two failures owe a second: refused, and nothing counted.
    let wait = SigninAttempt::WaitUntil(t0 + TimeDelta::seconds(1));
    assert_eq!(begin(&["u", "ip"], t0), Ok(wait));
    assert_eq!(
        begin(&["other", "ip"], t0),
        Ok(wait),
        "the address owes it too"
    );
    assert_eq!(begin(&["other", "ip2"], t0), Ok(SigninAttempt::Counted(1)));
    let t1 = t0 + TimeDelta::seconds(1);
    assert_eq!(begin(&["u", "ip"], t1), Ok(SigninAttempt::Counted(3)));
    // A success (or an unlock) forgets a key; the other still counts.
    s.forget_signin_failures("u").unwrap();
    assert_eq!(begin(&["u", "ip3"], t1), Ok(SigninAttempt::Counted(1)));
    assert_eq!(
        begin(&["x", "ip"], t1),
        Ok(SigninAttempt::WaitUntil(t1 + TimeDelta::seconds(1)))
    );
    // Keys not tried since `forget_before` are forgotten.
    let later = t1 + TimeDelta::hours(2);
    assert_eq!(
        s.begin_signin_attempt(&["ip"], later, &schedule, later - TimeDelta::hours(1)),
        Ok(SigninAttempt::Counted(1))
    );
    // Concurrent attempts (several servers) are counted one by one.
    let counts: Vec<u32> = std::thread::scope(|scope| {
        let all: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    match s.begin_signin_attempt(&["c"], t0, &|_| TimeDelta::zero(), long_ago) {
                        Ok(SigninAttempt::Counted(n)) => n,
                        other => panic!("{other:?}"),
                    }
                })
            })
            .collect();
        all.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = counts.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (1..=8).collect::<Vec<u32>>(), "{counts:?}");
}

cases![
    login_profiles_lifecycle,
    password_history_keeps_the_newest,
    password_policy_is_per_account,
    wipe_forgets_profiles_and_policy,
    signin_attempts_are_counted_and_delayed_per_key,
];
