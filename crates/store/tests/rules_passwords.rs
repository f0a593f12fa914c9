//! Core's check of a new console password (`portcullis_core::iam::passwords::new_password_hash`,
//! the API's and the console's one check) run on each engine: the account's policy (AWS's
//! default without one), the screening when it is on, the user's history only when the policy
//! limits reuse, each refusal in AWS's words; an accepted password comes back as its hash.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "each test runs on every engine through `engines!`: a failed step should panic"
)]

use chrono::Utc;
use portcullis_core::iam::passwords::{NewPasswordError, new_password_hash};
use portcullis_core::passwords::{self, LoginProfile, PasswordPolicy};
use portcullis_core::{IamError, Store};

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

engines!(new_passwords_follow_the_policy_the_screening_and_the_history);
