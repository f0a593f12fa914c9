//! Failed guesses of short secrets counted in the database, so that servers sharing it share
//! the count (one server counts in memory instead): a key has a window, started by its first
//! failure, and a number of failures in it. Each guess is counted before it is checked; a
//! correct one forgets the key.

use crate::engine::{Engine, SqlStore, exec, optional_row, params};
use crate::rows::{parse_ts, ts};
use chrono::{DateTime, TimeDelta, Utc};
use portcullis_core::StoreResult;

impl<E: Engine> SqlStore<E> {
    /// Counts a guess for `key`: `false` (and nothing counted) when `key` has already failed
    /// `max` times in its window, which lasts `window` from its first failure.
    pub fn begin_guess(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window: TimeDelta,
        max: u32,
    ) -> StoreResult<bool> {
        self.record(|c| {
            exec(
                c,
                "DELETE FROM guess_windows WHERE start < ?1",
                params![ts(now - window)],
            )?;
            let found = optional_row(
                c,
                "SELECT start, failures FROM guess_windows WHERE key = ?1",
                params![key],
                |r| Ok((parse_ts(&r.get::<String>(0)?)?, r.get::<i64>(1)?)),
            )?;
            match found {
                Some((start, n)) if start > now - window => {
                    if n >= i64::from(max) {
                        return Ok(false);
                    }
                    exec(
                        c,
                        "UPDATE guess_windows SET failures = failures + 1 WHERE key = ?1",
                        params![key],
                    )?;
                }
                _ => exec(
                    c,
                    "INSERT INTO guess_windows (key, start, failures) VALUES (?1, ?2, 1)
                     ON CONFLICT (key) DO UPDATE SET start = excluded.start, failures = 1",
                    params![key, ts(now)],
                )?,
            }
            Ok(true)
        })
    }

    /// Forgets `key`'s failures (after a correct guess).
    pub fn forget_guesses(&self, key: &str) -> StoreResult<()> {
        self.record(|c| exec(c, "DELETE FROM guess_windows WHERE key = ?1", params![key]))
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{Engine, SqlStore};
    use crate::testing::{TestSchema, database_url};
    use crate::{Durability, PgStore, SqliteStore};
    use chrono::{TimeDelta, Utc};

    const WINDOW: TimeDelta = TimeDelta::minutes(5);

    fn counts_and_blocks<E: Engine>(s: &SqlStore<E>) {
        let t0 = Utc::now();
        for _ in 0..3 {
            assert!(s.begin_guess("k", t0, WINDOW, 3).unwrap());
        }
        assert!(!s.begin_guess("k", t0, WINDOW, 3).unwrap());
        assert!(s.begin_guess("other", t0, WINDOW, 3).unwrap());
        // The window ends: a new count.
        assert!(s.begin_guess("k", t0 + WINDOW, WINDOW, 3).unwrap());
        s.forget_guesses("k").unwrap();
        // Concurrent guesses (several servers) cannot all pass: exactly `max` do.
        let passed: usize = std::thread::scope(|scope| {
            let all: Vec<_> = (0..12)
                .map(|_| scope.spawn(|| s.begin_guess("c", t0, WINDOW, 5).unwrap()))
                .collect();
            all.into_iter()
                .map(|h| h.join().unwrap())
                .filter(|b| *b)
                .count()
        });
        assert_eq!(passed, 5);
        assert!(!s.begin_guess("c", t0, WINDOW, 5).unwrap());
    }

    #[test]
    fn guesses_are_counted_per_key_and_window_on_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        counts_and_blocks(
            &SqliteStore::open(&dir.path().join("db.sqlite"), Durability::Normal).unwrap(),
        );
    }

    #[test]
    fn guesses_are_counted_per_key_and_window_on_postgres() {
        let Some(url) = database_url() else { return };
        let schema = TestSchema::create(&url).unwrap();
        counts_and_blocks(&PgStore::open(&schema.url).unwrap());
    }
}
