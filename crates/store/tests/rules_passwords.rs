//! Core's check of a new console password (`portcullis_core::iam::passwords::new_password_hash`,
//! the API's and the console's one check) run on each engine: the account's policy (AWS's
//! default without one), the screening when it is on, the user's history only when the policy
//! limits reuse, each refusal in AWS's words; an accepted password comes back as its hash. And
//! core's ChangePassword (`change_password`, the API's and the console's one implementation):
//! the profile required, each guess of the old password counted before it is checked, the new
//! password checked as above, stored, and the reset requirement cleared (`replace_password`, also
//! the console's change of a password that must be reset at sign-in).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "each test runs on every engine through `engines!`: a failed step should panic"
)]

use chrono::{DateTime, Utc};
use portcullis_core::iam::mfa_codes::Guesses;
use portcullis_core::iam::passwords::{
    NewPasswordError, change_password, new_password_hash, replace_password,
};
use portcullis_core::passwords::{self, LoginProfile, PasswordPolicy};
use portcullis_core::{IamError, Store};
use std::collections::HashMap;
use std::sync::Mutex;

mod common;
use common::{ACCT, with_user};

const OLD: &str = "Vq7#pLz2!mWx";
const NEW: &str = "Jh4$rTb8?nKe";

/// The PasswordPolicyViolation message a refused password gets.
fn violation(r: Result<String, NewPasswordError>) -> String {
    match r {
        Err(NewPasswordError::Refused(IamError::PasswordPolicyViolation(m))) => m,
        other => panic!("expected a PasswordPolicyViolation, got {other:?}"),
    }
}

fn new_passwords_follow_the_policy_the_screening_and_the_history(s: &dyn Store) {
    let u = with_user(s);
    // No policy: AWS's default (eight characters, three classes).
    assert_eq!(
        violation(new_password_hash(s, &u, "aB1!", false)),
        "Password should have a minimum length of 8"
    );
    // Screening refuses common passwords only when it is on.
    assert_eq!(
        violation(new_password_hash(s, &u, "Password1!", true)),
        "Password should not be a commonly used password"
    );
    let hash = new_password_hash(s, &u, "Password1!", false).unwrap();
    assert!(passwords::verify("Password1!", &hash).unwrap());

    let profile = LoginProfile {
        account: ACCT.into(),
        user_id: u.id.clone(),
        created: Utc::now(),
        password_changed: Utc::now(),
        reset_required: false,
        max_session_duration: None,
    };
    s.create_login_profile(&profile, &passwords::hash(OLD).unwrap())
        .unwrap();
    // A custom policy replaces the default; without reuse prevention the history is not read.
    let mut policy = PasswordPolicy {
        minimum_length: 14,
        ..PasswordPolicy::default()
    };
    s.put_password_policy(ACCT, &policy).unwrap();
    assert_eq!(
        violation(new_password_hash(s, &u, OLD, true)),
        "Password should have a minimum length of 14"
    );
    policy.minimum_length = 12;
    s.put_password_policy(ACCT, &policy).unwrap();
    let hash = new_password_hash(s, &u, OLD, true).unwrap();
    assert!(passwords::verify(OLD, &hash).unwrap());
    // With reuse prevention, the user's last passwords are refused.
    policy.reuse_prevention = Some(1);
    s.put_password_policy(ACCT, &policy).unwrap();
    assert_eq!(
        violation(new_password_hash(s, &u, OLD, true)),
        "Password should not be one of the previous 1 passwords"
    );
    let hash = new_password_hash(s, &u, NEW, true).unwrap();
    assert!(passwords::verify(NEW, &hash).unwrap());
    assert!(!passwords::verify(OLD, &hash).unwrap());
}

/// A guess counter that refuses a key after [`LIMIT`] guesses not followed by a success.
#[derive(Default)]
struct Counter(Mutex<HashMap<String, u32>>);

const LIMIT: u32 = 3;

impl Guesses for Counter {
    fn begin(&self, key: &str, _now: DateTime<Utc>) -> bool {
        let mut counts = self.0.lock().unwrap();
        let n = counts.entry(key.to_string()).or_default();
        if *n >= LIMIT {
            return false;
        }
        *n += 1;
        true
    }

    fn succeeded(&self, key: &str) {
        self.0.lock().unwrap().remove(key);
    }
}

impl Counter {
    /// The guesses counted so far, whatever the key.
    fn counted(&self) -> u32 {
        self.0.lock().unwrap().values().sum()
    }
}

/// ChangePassword's refusal (a refusal, not a hashing failure).
fn refused(r: Result<(), NewPasswordError>) -> IamError {
    match r {
        Err(NewPasswordError::Refused(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn change_password_counts_guesses_checks_and_stores(s: &dyn Store) {
    let u = with_user(s);
    let guesses = Counter::default();
    let change =
        |old: &str, new: &str| change_password(s, &guesses, &u, (old, new), true, Utc::now());
    // No login profile: nothing to change, and no guess counted.
    assert_eq!(
        refused(change(OLD, NEW)).to_string(),
        format!("Login Profile for User {} cannot be found.", u.name)
    );
    assert_eq!(guesses.counted(), 0);
    let profile = LoginProfile {
        account: ACCT.into(),
        user_id: u.id.clone(),
        created: Utc::now(),
        password_changed: Utc::now(),
        reset_required: true,
        max_session_duration: None,
    };
    s.create_login_profile(&profile, &passwords::hash(OLD).unwrap())
        .unwrap();
    // A wrong old password is refused and counted; a right one forgets the failures.
    assert_eq!(refused(change(NEW, NEW)), IamError::WrongOldPassword);
    assert_eq!(guesses.counted(), 1);
    // The old password was right: the new one is still checked (screening is on).
    assert_eq!(
        refused(change(OLD, "Password1!")),
        IamError::PasswordPolicyViolation(
            "Password should not be a commonly used password".to_string()
        )
    );
    assert_eq!(guesses.counted(), 0);
    let stored = s.login_password_hash(ACCT, &u.id).unwrap().unwrap();
    assert!(
        passwords::verify(OLD, &stored).unwrap(),
        "a refused change stores nothing"
    );
    // Used-up guesses refuse even the right old password, and change nothing.
    for _ in 0..LIMIT {
        assert_eq!(refused(change(NEW, NEW)), IamError::WrongOldPassword);
    }
    assert_eq!(refused(change(OLD, NEW)), IamError::TooManyPasswordAttempts);
    let stored = s.login_password_hash(ACCT, &u.id).unwrap().unwrap();
    assert!(passwords::verify(OLD, &stored).unwrap());
    // Once the counter lets guesses through again, the change is made and the reset cleared.
    guesses.0.lock().unwrap().clear();
    change(OLD, NEW).unwrap();
    let stored = s.login_password_hash(ACCT, &u.id).unwrap().unwrap();
    assert!(passwords::verify(NEW, &stored).unwrap());
    assert!(!passwords::verify(OLD, &stored).unwrap());
    assert!(
        !s.login_profile(ACCT, &u.id)
            .unwrap()
            .unwrap()
            .reset_required
    );
    assert_eq!(guesses.counted(), 0);
    // The old password no longer works, and the history refuses going back to it.
    assert_eq!(refused(change(OLD, NEW)), IamError::WrongOldPassword);
    let policy = PasswordPolicy {
        reuse_prevention: Some(2),
        ..PasswordPolicy::default()
    };
    s.put_password_policy(ACCT, &policy).unwrap();
    assert_eq!(
        refused(change(NEW, OLD)),
        IamError::PasswordPolicyViolation(
            "Password should not be one of the previous 2 passwords".to_string()
        )
    );
}

fn a_replaced_password_is_checked_stored_and_clears_the_reset(s: &dyn Store) {
    let u = with_user(s);
    let replace = |new: &str| replace_password(s, &u, new, true, Utc::now());
    assert_eq!(
        refused(replace(NEW)).to_string(),
        format!("Login Profile for User {} cannot be found.", u.name)
    );
    let profile = LoginProfile {
        account: ACCT.into(),
        user_id: u.id.clone(),
        created: Utc::now(),
        password_changed: Utc::now(),
        reset_required: true,
        max_session_duration: None,
    };
    s.create_login_profile(&profile, &passwords::hash(OLD).unwrap())
        .unwrap();
    assert_eq!(
        refused(replace("aB1!")),
        IamError::PasswordPolicyViolation("Password should have a minimum length of 8".to_string())
    );
    let stored = s.login_password_hash(ACCT, &u.id).unwrap().unwrap();
    assert!(passwords::verify(OLD, &stored).unwrap());
    assert!(
        s.login_profile(ACCT, &u.id)
            .unwrap()
            .unwrap()
            .reset_required
    );
    replace(NEW).unwrap();
    let stored = s.login_password_hash(ACCT, &u.id).unwrap().unwrap();
    assert!(passwords::verify(NEW, &stored).unwrap());
    assert!(
        !s.login_profile(ACCT, &u.id)
            .unwrap()
            .unwrap()
            .reset_required
    );
}

engines!(
    new_passwords_follow_the_policy_the_screening_and_the_history,
    change_password_counts_guesses_checks_and_stores,
    a_replaced_password_is_checked_stored_and_clears_the_reset
);
