//! Limits on failed guesses of short secrets: a six-digit MFA code falls to a few hundred
//! thousand tries, which this server answers in seconds, and old passwords to a dictionary.
//! After [`MAX_FAILURES`] failures within [`WINDOW`] the secret's key is refused until the
//! window ends, whatever is submitted. Counts live in this node's memory (a cluster of N nodes
//! allows N times as many guesses) and are bounded in number.

use chrono::{DateTime, TimeDelta, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

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

#[derive(Debug, Default)]
pub struct Attempts {
    windows: Mutex<HashMap<String, Window>>,
}

impl Attempts {
    /// Whether `key` has used up its failures in the current window.
    pub fn blocked(&self, key: &str, now: DateTime<Utc>) -> bool {
        let windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        windows
            .get(key)
            .is_some_and(|w| now - w.start < WINDOW && w.failures >= MAX_FAILURES)
    }

    /// Counts a failed guess for `key`.
    pub fn failed(&self, key: &str, now: DateTime<Utc>) {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= MAX_KEYS && !windows.contains_key(key) {
            windows.retain(|_, w| now - w.start < WINDOW);
            if windows.len() >= MAX_KEYS {
                windows.clear();
            }
        }
        let w = windows.entry(key.to_string()).or_insert(Window {
            start: now,
            failures: 0,
        });
        if now - w.start >= WINDOW {
            *w = Window {
                start: now,
                failures: 0,
            };
        }
        w.failures += 1;
    }

    /// Forgets `key`'s failures after a correct guess.
    pub fn succeeded(&self, key: &str) {
        self.windows
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
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
            assert!(!a.blocked("k", t0), "blocked after {i} failures");
            a.failed("k", t0 + TimeDelta::seconds(i64::from(i)));
        }
        assert!(a.blocked("k", t0 + TimeDelta::seconds(10)));
        assert!(!a.blocked("other", t0), "keys are separate");
        assert!(!a.blocked("k", t0 + WINDOW), "the window has ended");
        // A failure after the window starts a new count.
        a.failed("k", t0 + WINDOW);
        assert!(!a.blocked("k", t0 + WINDOW + TimeDelta::seconds(1)));
    }

    #[test]
    fn a_success_clears_the_count() {
        let a = Attempts::default();
        let t0 = Utc::now();
        for _ in 0..MAX_FAILURES - 1 {
            a.failed("k", t0);
        }
        a.succeeded("k");
        a.failed("k", t0);
        assert!(!a.blocked("k", t0));
    }
}
