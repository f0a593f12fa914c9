//! Core's check of a one-time MFA code (`portcullis_core::iam::mfa_codes::verify`) on each
//! engine: a right code is accepted once, a reused, wrong or other user's code is refused with
//! AWS's words, a device that is not the caller's counts no guess, and a device whose guesses
//! are used up refuses even the right code. DeactivateMFADevice and ResyncMFADevice's write
//! (`iam::mfa::deactivate`, `resync`) act only on a device assigned to the user named.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "each test runs on every engine through `engines!`: a failed step should panic"
)]

use chrono::{DateTime, TimeDelta, Utc};
use portcullis_core::crypto::MasterKey;
use portcullis_core::iam::mfa as devices;
use portcullis_core::iam::mfa_codes::{Guesses, verify};
use portcullis_core::mfa::{self, MfaSync, VirtualMfaDevice};
use portcullis_core::quotas::Quotas;
use portcullis_core::store::write;
use portcullis_core::{IamError, Store, User};
use std::cell::RefCell;

mod common;
use common::{ACCT, with_user};

const SERIAL: &str = "arn:aws:iam::111122223333:mfa/u-device";
const SEED: &[u8] = b"12345678901234567890";

/// Counts guesses per key; refuses a key after `max` guesses that did not succeed.
struct Counter {
    max: usize,
    guesses: RefCell<Vec<String>>,
}

impl Guesses for Counter {
    fn begin(&self, key: &str, _now: DateTime<Utc>) -> bool {
        let mut g = self.guesses.borrow_mut();
        let allowed = g.iter().filter(|k| *k == key).count() < self.max;
        g.push(key.to_string());
        allowed
    }

    fn succeeded(&self, key: &str) {
        self.guesses.borrow_mut().retain(|k| k != key);
    }
}

fn counter(max: usize) -> Counter {
    Counter {
        max,
        guesses: RefCell::new(Vec::new()),
    }
}

/// A device with the RFC 6238 seed, enabled for `user`.
fn enabled_device(s: &dyn Store, master: &MasterKey, user: &User) {
    let device = VirtualMfaDevice {
        serial: SERIAL.into(),
        account: ACCT.into(),
        name: "u-device".into(),
        path: "/".into(),
        sealed_seed: master.seal(SEED, SERIAL.as_bytes()),
        created: Utc::now(),
        user_id: None,
        enabled: None,
        drift: 0,
        last_step: None,
    };
    let sync = MfaSync {
        drift: 0,
        last_step: mfa::step_of(Utc::now()) - 5,
    };
    write(s, |tx| {
        portcullis_core::iam::mfa::create(tx, &device, &[], &Quotas::default())?;
        portcullis_core::iam::mfa::enable(tx, ACCT, SERIAL, &user.id, Utc::now(), sync)
    })
    .unwrap();
}

fn a_code_is_accepted_once(s: &dyn Store) {
    let (master, user) = (MasterKey::generate(), with_user(s));
    enabled_device(s, &master, &user);
    let now = Utc::now();
    let code = mfa::code(SEED, mfa::step_of(now));
    let guesses = counter(5);
    let at = verify(s, &guesses, &master, (&user, SERIAL, &code), now).unwrap();
    assert_eq!(at, now.timestamp());
    assert!(guesses.guesses.borrow().is_empty(), "a success forgets");
    // The same code again (on this node or another: the step is in the store) is refused.
    let again = verify(s, &guesses, &master, (&user, SERIAL, &code), now).unwrap_err();
    assert_eq!(again, IamError::MfaCodeRefused);
    assert_eq!(
        again.to_string(),
        "MultiFactorAuthentication failed with invalid MFA one time pass code."
    );
    // The next step's code is still good.
    let later = now + TimeDelta::seconds(30);
    let next = mfa::code(SEED, mfa::step_of(later));
    verify(s, &guesses, &master, (&user, SERIAL, &next), later).unwrap();
}

fn wrong_codes_count_and_block_the_device(s: &dyn Store) {
    let (master, user) = (MasterKey::generate(), with_user(s));
    enabled_device(s, &master, &user);
    let now = Utc::now();
    let right = mfa::code(SEED, mfa::step_of(now));
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let guesses = counter(2);
    for _ in 0..2 {
        let e = verify(s, &guesses, &master, (&user, SERIAL, wrong), now).unwrap_err();
        assert_eq!(e, IamError::MfaCodeRefused);
    }
    // Guesses used up: even the right code is refused, and its step is not spent.
    let e = verify(s, &guesses, &master, (&user, SERIAL, &right), now).unwrap_err();
    assert_eq!(e, IamError::MfaCodeRefused);
    verify(s, &counter(5), &master, (&user, SERIAL, &right), now).unwrap();
}

fn another_users_device_counts_nothing(s: &dyn Store) {
    let (master, owner) = (MasterKey::generate(), with_user(s));
    enabled_device(s, &master, &owner);
    let mut other = owner.clone();
    other.id = "AIDAOTHER".into();
    other.name = "other".into();
    let now = Utc::now();
    let code = mfa::code(SEED, mfa::step_of(now));
    let guesses = counter(5);
    let e = verify(s, &guesses, &master, (&other, SERIAL, &code), now).unwrap_err();
    assert_eq!(e, IamError::MfaCodeRefused);
    assert!(guesses.guesses.borrow().is_empty(), "no guess counted");
    // The owner's code of that step was not spent by the refused attempt.
    verify(s, &guesses, &master, (&owner, SERIAL, &code), now).unwrap();
}

fn only_the_assigned_users_device_is_deactivated_or_resynced(s: &dyn Store) {
    let (master, owner) = (MasterKey::generate(), with_user(s));
    enabled_device(s, &master, &owner);
    let not_assigned =
        format!("MFA Device with serial number {SERIAL} is not assigned to the user.");
    let sync = MfaSync {
        drift: 2,
        last_step: 7,
    };
    let resync = |who: &str| write(s, |tx| devices::resync(tx, ACCT, SERIAL, who, sync));
    let deactivate = |who: Option<&str>| write(s, |tx| devices::deactivate(tx, ACCT, SERIAL, who));
    assert_eq!(resync("AIDAOTHER").unwrap_err().to_string(), not_assigned);
    resync(&owner.id).unwrap();
    let d = s.get_mfa_device(ACCT, SERIAL).unwrap().unwrap();
    assert_eq!((d.drift, d.last_step), (2, Some(7)));
    assert_eq!(
        deactivate(Some("AIDAOTHER")).unwrap_err().to_string(),
        not_assigned
    );
    assert_eq!(
        deactivate(None).unwrap_err().to_string(),
        not_assigned,
        "root has none"
    );
    deactivate(Some(&owner.id)).unwrap();
    let d = s.get_mfa_device(ACCT, SERIAL).unwrap().unwrap();
    assert_eq!((d.user_id, d.enabled), (None, None));
    assert_eq!(
        deactivate(Some(&owner.id)).unwrap_err().to_string(),
        not_assigned
    );
    assert_eq!(resync(&owner.id).unwrap_err().to_string(), not_assigned);
    let missing = "arn:aws:iam::111122223333:mfa/none";
    let err = write(s, |tx| {
        devices::deactivate(tx, ACCT, missing, Some(&owner.id))
    })
    .unwrap_err();
    assert_eq!(err, IamError::MfaDeviceNotAssigned(missing.into()));
}

engines![
    only_the_assigned_users_device_is_deactivated_or_resynced,
    a_code_is_accepted_once,
    wrong_codes_count_and_block_the_device,
    another_users_device_counts_nothing,
];
