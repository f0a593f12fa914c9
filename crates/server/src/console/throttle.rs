//! The sign-in throttle: it slows password guessing without handing an attacker an easy
//! lockout. The first [`FREE`] consecutive failures of a key (a user name, a source address)
//! cost nothing; after that each attempt must wait a delay that doubles from one second up to
//! [`MAX_DELAY`] (Cognito's published schedule). After [`LOCK_AT`] consecutive failures a user
//! is locked until an administrator unlocks it (NIST SP 800-63B's ceiling); the lock is kept
//! in the store (see `signin`). The counts are kept in the store too, under a digest of each
//! key, so that every server sharing a database counts together and a restart forgets nothing;
//! a key without an attempt for [`FORGET_AFTER`] starts again. A success clears its key. Each
//! attempt is counted before its password is checked, in one transaction, so concurrent
//! guesses cannot all slip through one free slot.

use crate::attempts::digest;
use chrono::{DateTime, TimeDelta, Utc};
use portcullis_core::passwords::SigninAttempt;
use portcullis_core::{Store, StoreError};

/// Failures that cost no delay.
pub const FREE: u32 = 5;
/// The longest delay between two attempts.
pub const MAX_DELAY: TimeDelta = TimeDelta::minutes(15);
/// Consecutive failures after which a user is locked until an administrator unlocks it.
pub const LOCK_AT: u32 = 100;
/// A key without an attempt for this long is forgotten (far longer than [`MAX_DELAY`]).
pub const FORGET_AFTER: TimeDelta = TimeDelta::days(1);

/// The delay owed after `failures` consecutive failures.
pub fn delay(failures: u32) -> TimeDelta {
    if failures < FREE {
        return TimeDelta::zero();
    }
    let exp = (failures - FREE).min(20);
    TimeDelta::seconds(1i64 << exp).min(MAX_DELAY)
}

/// An attempt refused: wait this many seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait(pub i64);

/// Starts an attempt for all `keys`: refused while any of them owes a delay; otherwise each is
/// counted as a failure now. Answers the consecutive failures of the first key (the user),
/// counting this attempt.
pub fn begin(
    store: &dyn Store,
    keys: &[&str],
    now: DateTime<Utc>,
) -> Result<Result<u32, Wait>, StoreError> {
    let stored: Vec<String> = keys.iter().map(|k| digest(k)).collect();
    let refs: Vec<&str> = stored.iter().map(String::as_str).collect();
    Ok(
        match store.begin_signin_attempt(&refs, now, &delay, now - FORGET_AFTER)? {
            SigninAttempt::Counted(n) => Ok(n),
            SigninAttempt::WaitUntil(end) => {
                let ms = (end - now).num_milliseconds();
                Err(Wait(((ms + 999) / 1000).max(1)))
            }
        },
    )
}

/// Clears `key` after a success, or when an administrator unlocks a user.
pub fn clear(store: &dyn Store, key: &str) {
    if let Err(e) = store.forget_signin_failures(&digest(key)) {
        tracing::warn!(error = %e, "cannot clear a console sign-in count");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portcullis_store::SqliteStore;

    #[test]
    fn the_schedule_is_five_free_then_doubling_to_fifteen_minutes() {
        let secs: Vec<i64> = (0..20).map(|n| delay(n).num_seconds()).collect();
        assert_eq!(&secs[..5], &[0, 0, 0, 0, 0]);
        assert_eq!(&secs[5..12], &[1, 2, 4, 8, 16, 32, 64]);
        assert_eq!(secs[14], 512);
        assert_eq!(secs[15], 900);
        assert_eq!(delay(99).num_seconds(), 900);
        assert_eq!(delay(u32::MAX).num_seconds(), 900);
    }

    #[test]
    fn attempts_wait_for_the_delay_of_any_key() {
        let s = SqliteStore::in_memory().unwrap();
        let t0 = Utc::now();
        for i in 1..=5 {
            assert_eq!(begin(&s, &["user", "ip"], t0), Ok(Ok(i)));
        }
        // Five failures: the sixth attempt waits a second.
        assert_eq!(begin(&s, &["user", "ip"], t0), Ok(Err(Wait(1))));
        assert_eq!(
            begin(&s, &["other", "ip"], t0),
            Ok(Err(Wait(1))),
            "the address is throttled too"
        );
        let t1 = t0 + TimeDelta::seconds(1);
        assert_eq!(begin(&s, &["user", "ip"], t1), Ok(Ok(6)));
        assert_eq!(begin(&s, &["user", "ip"], t1), Ok(Err(Wait(2))));
        clear(&s, "user");
        clear(&s, "ip");
        assert_eq!(begin(&s, &["user", "ip"], t1), Ok(Ok(1)));
        // A day without an attempt forgets a key.
        let later = t1 + FORGET_AFTER + TimeDelta::seconds(1);
        assert_eq!(begin(&s, &["user"], later), Ok(Ok(1)));
    }
}
