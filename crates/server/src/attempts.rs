//! Limits on failed guesses of short secrets: a six-digit MFA code falls to a few hundred
//! thousand tries, which this server answers in seconds, and old passwords to a dictionary.
//! After [`MAX_FAILURES`] failures within [`WINDOW`] the secret's key is refused until the
//! window ends, whatever is submitted. Counts live in this node's memory, bounded in number; on a
//! database that several nodes share ([`Attempts::share`]) they live in the database instead
//! (under a digest of the key), so the nodes count together.

use chrono::{DateTime, TimeDelta, Utc};
use portcullis_store::PgStore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Failures allowed per key and window.
pub const MAX_FAILURES: u32 = 5;
/// How long failures count, from the first one.
pub const WINDOW: TimeDelta = TimeDelta::minutes(5);
/// The most keys tracked; past it, windows that have ended are forgotten first.
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Window {
    start: DateTime<Utc>,
    failures: u32,
}

impl Window {
    fn current(&self, now: DateTime<Utc>) -> bool {
        now - self.start < WINDOW
    }

    fn blocked(&self, now: DateTime<Utc>) -> bool {
        self.current(now) && self.failures >= MAX_FAILURES
    }
}

/// A guess was refused: `key` has used up its failures in the current window (or this node
/// tracks as many refused keys as it can, and fails closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocked;

#[derive(Debug, Default)]
pub struct Attempts {
    windows: Mutex<HashMap<String, Window>>,
    /// The shared database that counts instead, once set.
    shared: OnceLock<Arc<PgStore>>,
}

/// The stored form of a key: a digest (keys hold names, addresses and NUL separators).
pub(crate) fn digest(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

impl Attempts {
    /// Counts in `store`, which the other nodes share, from now on.
    pub fn share(&self, store: Arc<PgStore>) {
        let _ = self.shared.set(store);
    }

    /// [`Attempts::begin`] in the shared database; a database failure refuses (fails closed).
    fn begin_shared(store: &PgStore, key: &str, now: DateTime<Utc>) -> Result<(), Blocked> {
        match store.begin_guess(&digest(key), now, WINDOW, MAX_FAILURES) {
            Ok(true) => Ok(()),
            Ok(false) => Err(Blocked),
            Err(e) => {
                tracing::warn!(error = %e, "cannot count a guess: refused");
                Err(Blocked)
            }
        }
    }

    /// Starts a guess for `key`: counted as a failure at once, under the lock, so concurrent
    /// guesses cannot all pass a check made before any of them failed. A correct guess then
    /// calls [`Attempts::succeeded`], which forgets the count.
    pub fn begin(&self, key: &str, now: DateTime<Utc>) -> Result<(), Blocked> {
        if let Some(store) = self.shared.get() {
            return Self::begin_shared(store, key, now);
        }
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(w) = windows.get_mut(key) {
            if w.blocked(now) {
                return Err(Blocked);
            }
            if !w.current(now) {
                *w = Window {
                    start: now,
                    failures: 0,
                };
            }
            w.failures += 1;
            return Ok(());
        }
        if windows.len() >= MAX_KEYS {
            // Forget ended windows, then windows that block nothing; a key that is refused
            // is never forgotten early, so a flood of other keys cannot lift a lockout.
            windows.retain(|_, w| w.current(now));
            if windows.len() >= MAX_KEYS {
                windows.retain(|_, w| w.blocked(now));
            }
            if windows.len() >= MAX_KEYS {
                return Err(Blocked);
            }
        }
        windows.insert(
            key.to_string(),
            Window {
                start: now,
                failures: 1,
            },
        );
        Ok(())
    }

    /// Forgets `key`'s failures after a correct guess.
    pub fn succeeded(&self, key: &str) {
        if let Some(store) = self.shared.get() {
            if let Err(e) = store.forget_guesses(&digest(key)) {
                tracing::warn!(error = %e, "cannot forget the failed guesses of a key");
            }
            return;
        }
        self.windows
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

/// Core's MFA code check counts its guesses here.
impl portcullis_core::iam::mfa_codes::Guesses for Attempts {
    fn begin(&self, key: &str, now: DateTime<Utc>) -> bool {
        Attempts::begin(self, key, now).is_ok()
    }

    fn succeeded(&self, key: &str) {
        Attempts::succeeded(self, key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_allowed_failures_until_the_window_ends() {
        let a = Attempts::default();
        let t0 = Utc::now();
        for i in 0..MAX_FAILURES {
            assert_eq!(a.begin("k", t0 + TimeDelta::seconds(i64::from(i))), Ok(()));
        }
        assert_eq!(a.begin("k", t0 + TimeDelta::seconds(10)), Err(Blocked));
        assert_eq!(a.begin("other", t0), Ok(()), "keys are separate");
        // The window has ended: a guess starts a new count.
        assert_eq!(a.begin("k", t0 + WINDOW), Ok(()));
        assert_eq!(a.begin("k", t0 + WINDOW + TimeDelta::seconds(1)), Ok(()));
    }

    #[test]
    fn a_success_clears_the_count() {
        let a = Attempts::default();
        let t0 = Utc::now();
        for _ in 0..MAX_FAILURES - 1 {
            a.begin("k", t0).unwrap();
        }
        a.succeeded("k");
        for _ in 0..MAX_FAILURES {
            assert_eq!(a.begin("k", t0), Ok(()));
        }
        assert_eq!(a.begin("k", t0), Err(Blocked));
    }

    #[test]
    fn concurrent_guesses_are_counted_before_they_are_checked() {
        let a = std::sync::Arc::new(Attempts::default());
        let t0 = Utc::now();
        let allowed: u32 = std::thread::scope(|s| {
            let handles: Vec<_> = (0..60)
                .map(|_| {
                    let a = a.clone();
                    s.spawn(move || u32::from(a.begin("k", t0).is_ok()))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
        });
        assert_eq!(allowed, MAX_FAILURES);
    }

    #[test]
    fn a_flood_of_other_keys_does_not_lift_a_lockout() {
        let a = Attempts::default();
        let t0 = Utc::now();
        for _ in 0..MAX_FAILURES {
            a.begin("victim", t0).unwrap();
        }
        for i in 0..MAX_KEYS + 1 {
            let _ = a.begin(&format!("junk{i}"), t0);
        }
        assert_eq!(a.begin("victim", t0), Err(Blocked));
    }
}
