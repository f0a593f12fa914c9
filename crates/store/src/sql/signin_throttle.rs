//! The console sign-in throttle's counts (`PasswordStore::begin_signin_attempt`): per key, the
//! consecutive failures and the time of the last one, in the database so that every server on
//! it counts together. The delay schedule is the caller's; here an attempt is refused while any
//! of its keys owes a delay, or else counted for every key in the same transaction, so that
//! concurrent attempts on several servers cannot all pass one free slot.

use crate::engine::{Conn, exec, optional_row, params};
use crate::rows::{parse_ts, ts};
use chrono::{DateTime, TimeDelta, Utc};
use portcullis_core::StoreResult;
use portcullis_core::passwords::SigninAttempt;

/// One attempt for `keys` at `now` (see `PasswordStore::begin_signin_attempt`).
pub(super) fn begin(
    c: &dyn Conn,
    keys: &[&str],
    now: DateTime<Utc>,
    delay: &dyn Fn(u32) -> TimeDelta,
    forget_before: DateTime<Utc>,
) -> StoreResult<SigninAttempt> {
    exec(
        c,
        "DELETE FROM signin_throttle WHERE last < ?1",
        params![ts(forget_before)],
    )?;
    let mut until: Option<DateTime<Utc>> = None;
    for key in keys {
        let found = optional_row(
            c,
            "SELECT failures, last FROM signin_throttle WHERE key = ?1",
            params![key],
            |r| Ok((r.get::<i64>(0)?, parse_ts(&r.get::<String>(1)?)?)),
        )?;
        if let Some((failures, last)) = found {
            let end = last + delay(u32::try_from(failures).unwrap_or(u32::MAX));
            if end > now && until.is_none_or(|u| end > u) {
                until = Some(end);
            }
        }
    }
    if let Some(end) = until {
        return Ok(SigninAttempt::WaitUntil(end));
    }
    let mut first = 0;
    for (i, key) in keys.iter().enumerate() {
        exec(
            c,
            "INSERT INTO signin_throttle (key, failures, last) VALUES (?1, 1, ?2)
             ON CONFLICT (key) DO UPDATE SET failures = signin_throttle.failures + 1, last = ?2",
            params![key, ts(now)],
        )?;
        if i == 0 {
            let n: Option<i64> = optional_row(
                c,
                "SELECT failures FROM signin_throttle WHERE key = ?1",
                params![key],
                |r| r.get(0),
            )?;
            first = n.map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX));
        }
    }
    Ok(SigninAttempt::Counted(first))
}
