//! The injectable clock: everything time-dependent asks a [`Clock`], so tests never sleep.

use chrono::{DateTime, TimeDelta, Utc};
use std::sync::Mutex;

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The system clock shifted by an adjustable offset (dev-mode and test time travel).
#[derive(Debug, Default)]
pub struct OffsetClock {
    offset: Mutex<TimeDelta>,
}

impl OffsetClock {
    pub fn set_offset(&self, offset: TimeDelta) {
        *self.offset.lock().unwrap_or_else(|e| e.into_inner()) = offset;
    }

    pub fn offset(&self) -> TimeDelta {
        *self.offset.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + *self.offset.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// IAM's timestamp format: `2024-01-02T03:04:05Z`.
pub fn iso8601(t: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    // Written out directly: chrono's format strings are parsed on every call.
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso8601_matches_iams_format() {
        let t = chrono::DateTime::from_timestamp(1_700_000_005, 0).unwrap_or_default();
        assert_eq!(super::iso8601(t), "2023-11-14T22:13:25Z");
        assert_eq!(
            super::iso8601(t),
            t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        );
    }
}
