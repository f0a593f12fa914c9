//! The sign-in throttle: it slows password guessing without handing an attacker an easy
//! lockout. The first [`FREE`] consecutive failures of a key (a user name, a source address)
//! cost nothing; after that each attempt must wait a delay that doubles from one second up to
//! [`MAX_DELAY`] (Cognito's published schedule). After [`LOCK_AT`] consecutive failures a user
//! is locked until an administrator unlocks it (NIST SP 800-63B's ceiling); the lock is kept
//! in the store (see `signin`), the counts in this node's memory. A success clears its key.
//! Each attempt is counted before its password is checked, so concurrent guesses cannot all
//! slip through one free slot.

use chrono::{DateTime, TimeDelta, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

/// Failures that cost no delay.
pub const FREE: u32 = 5;
/// The longest delay between two attempts.
pub const MAX_DELAY: TimeDelta = TimeDelta::minutes(15);
/// Consecutive failures after which a user is locked until an administrator unlocks it.
pub const LOCK_AT: u32 = 100;
/// The most keys tracked; past it, keys that impose no delay are forgotten first.
const MAX_KEYS: usize = 100_000;

#[derive(Clone, Copy, Debug)]
struct Entry {
    failures: u32,
    last: DateTime<Utc>,
}

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

#[derive(Debug, Default)]
pub struct Throttle {
    entries: Mutex<HashMap<String, Entry>>,
}

impl Throttle {
    /// Starts an attempt for all `keys`: refused while any of them owes a delay; otherwise
    /// each is counted as a failure now. Answers the consecutive failures of the first key
    /// (the user), counting this attempt.
    pub fn begin(&self, keys: &[&str], now: DateTime<Utc>) -> Result<u32, Wait> {
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait = 0;
        for key in keys {
            if let Some(e) = map.get(*key) {
                let until = e.last + delay(e.failures);
                if until > now {
                    let ms = (until - now).num_milliseconds();
                    wait = wait.max((ms + 999) / 1000);
                }
            }
        }
        if wait > 0 {
            return Err(Wait(wait));
        }
        if map.len() >= MAX_KEYS {
            map.retain(|_, e| e.failures >= FREE);
        }
        let mut first = 0;
        for (i, key) in keys.iter().enumerate() {
            let e = map.entry((*key).to_string()).or_insert(Entry {
                failures: 0,
                last: now,
            });
            e.failures = e.failures.saturating_add(1);
            e.last = now;
            if i == 0 {
                first = e.failures;
            }
        }
        Ok(first)
    }

    /// Clears `key` after a success.
    pub fn succeeded(&self, key: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }

    /// Clears `key` when an administrator unlocks a user.
    pub fn reset(&self, key: &str) {
        self.succeeded(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let t = Throttle::default();
        let t0 = Utc::now();
        for i in 1..=5 {
            assert_eq!(t.begin(&["user", "ip"], t0), Ok(i));
        }
        // Five failures: the sixth attempt waits a second.
        assert_eq!(t.begin(&["user", "ip"], t0), Err(Wait(1)));
        assert_eq!(
            t.begin(&["other", "ip"], t0),
            Err(Wait(1)),
            "the address is throttled too"
        );
        let t1 = t0 + TimeDelta::seconds(1);
        assert_eq!(t.begin(&["user", "ip"], t1), Ok(6));
        assert_eq!(t.begin(&["user", "ip"], t1), Err(Wait(2)));
        t.succeeded("user");
        t.succeeded("ip");
        assert_eq!(t.begin(&["user", "ip"], t1), Ok(1));
    }
}
