//! The SQLite engine: one writer connection and a few readers over a WAL database, or a single
//! connection for an in-memory database; pragmas, migrations at open and transactions. Everything
//! SQLite-specific lives here (pragmas, the unique-violation codes) together with the few
//! statement helpers every area uses; the areas' SQL, and each family trait's implementation,
//! are in `sql/<area>.rs`.

use crate::migrations::MIGRATIONS;
use portcullis_core::store::{Transact, Tx};
use portcullis_core::{IamResult, StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// How hard a commit waits for the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=FULL`: an acknowledged commit survives power loss. The default.
    #[default]
    Full,
    /// `synchronous=NORMAL`: survives a process crash; the last commits may be lost on power loss.
    Normal,
}

#[derive(Debug)]
pub struct SqliteStore {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

const READERS: usize = 4;

fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let version: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .map_err(backend)?
        .try_into()
        .unwrap_or(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)
            .map_err(backend)?;
        tx.execute_batch(sql).map_err(backend)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .map_err(backend)?;
        tx.commit().map_err(backend)?;
    }
    Ok(())
}

impl SqliteStore {
    /// Opens (creating if needed) a database file, sets WAL and the durability level, and runs
    /// pending migrations.
    pub fn open(path: &Path, durability: Durability) -> StoreResult<Self> {
        let sync = match durability {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        };
        let mut writer = Connection::open(path).map_err(backend)?;
        writer
            .execute_batch(&format!("PRAGMA journal_mode=WAL; PRAGMA synchronous={sync}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"))
            .map_err(backend)?;
        migrate(&mut writer)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let r = Connection::open(path).map_err(backend)?;
            r.execute_batch(
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA query_only=ON;",
            )
            .map_err(backend)?;
            readers.push(Mutex::new(r));
        }
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    /// A private in-memory database (for `portcullis dev` and tests).
    pub fn in_memory() -> StoreResult<Self> {
        let mut conn = Connection::open_in_memory().map_err(backend)?;
        conn.execute_batch("PRAGMA foreign_keys=ON;")
            .map_err(backend)?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            writer: Mutex::new(conn),
            readers: Vec::new(),
            next_reader: AtomicUsize::new(0),
        })
    }

    /// `(journal_mode, synchronous)` as SQLite reports them, e.g. `("wal", 2)`.
    pub fn pragmas(&self) -> StoreResult<(String, i64)> {
        let c = lock(&self.writer);
        let mode: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(backend)?;
        let sync: i64 = c
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .map_err(backend)?;
        Ok((mode, sync))
    }

    /// Folds the WAL into the main file; called at shutdown.
    pub fn checkpoint(&self) -> StoreResult<()> {
        lock(&self.writer)
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(backend)
    }

    /// A connection to read from: a free reader if there is one, else the writer (in memory).
    pub(crate) fn read(&self) -> MutexGuard<'_, Connection> {
        if self.readers.is_empty() {
            return lock(&self.writer);
        }
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for i in 0..self.readers.len() {
            if let Some(r) = self.readers.get((start + i) % self.readers.len())
                && let Ok(g) = r.try_lock()
            {
                return g;
            }
        }
        lock(&self.readers[start % self.readers.len()])
    }

    /// Runs `f` in an immediate (write-locking) transaction and commits when it succeeds.
    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut c = lock(&self.writer);
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let out = f(&tx)?;
        tx.commit().map_err(backend)?;
        Ok(out)
    }
}

/// The [`Tx`] handle of one SQLite write transaction; the families' `*Tx` traits are
/// implemented on it in `sql/<area>.rs`.
pub(crate) struct SqliteTx<'a>(pub(crate) &'a Connection);

impl Transact for SqliteStore {
    /// An `IMMEDIATE` transaction: it takes the write lock first, so what `f` reads stays true
    /// until it commits.
    fn transact(&self, f: &mut dyn FnMut(&dyn Tx) -> IamResult<()>) -> IamResult<()> {
        let mut c = lock(&self.writer);
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        f(&SqliteTx(&tx))?;
        tx.commit().map_err(backend)?;
        Ok(())
    }
}

/// A SQLite error as a store error: a unique or primary-key violation is `AlreadyExists`.
pub(crate) fn backend(e: rusqlite::Error) -> StoreError {
    match e {
        // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == 2067 || f.extended_code == 1555 =>
        {
            StoreError::AlreadyExists
        }
        other => StoreError::Backend(other.to_string()),
    }
}

/// One row through the statement cache (every hot query is prepared once per connection).
pub(crate) fn cached_row<T>(
    c: &Connection,
    sql: &str,
    p: impl rusqlite::Params,
    f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    c.prepare_cached(sql)?.query_row(p, f)
}

/// The row `sql` selects, if any, read with `f`.
pub(crate) fn optional_row<T>(
    c: &Connection,
    sql: &str,
    p: impl rusqlite::Params,
    f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Option<T>> {
    cached_row(c, sql, p, f).optional().map_err(backend)
}

/// Every row `sql` selects, read with `f`.
pub(crate) fn all_rows<T>(
    c: &Connection,
    sql: &str,
    p: impl rusqlite::Params,
    f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Vec<T>> {
    let mut st = c.prepare_cached(sql).map_err(backend)?;
    st.query_map(p, f)
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)
}

/// `SELECT COUNT(*) ...` through the statement cache.
pub(crate) fn count(c: &Connection, sql: &str, p: impl rusqlite::Params) -> StoreResult<usize> {
    c.prepare_cached(sql)
        .and_then(|mut st| st.query_row(p, |r| r.get::<_, i64>(0)))
        .map(|n| usize::try_from(n).unwrap_or(0))
        .map_err(backend)
}

/// Whether the `SELECT COUNT(*) ...` `sql` counts any row.
pub(crate) fn any(c: &Connection, sql: &str, p: impl rusqlite::Params) -> StoreResult<bool> {
    Ok(count(c, sql, p)? > 0)
}

/// Runs a change that must touch a row: `NotFound` when it touched none.
pub(crate) fn change(c: &Connection, sql: &str, p: impl rusqlite::Params) -> StoreResult<()> {
    match c.execute(sql, p).map_err(backend)? {
        0 => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}

/// Runs a statement, whatever it touches.
pub(crate) fn exec(c: &Connection, sql: &str, p: impl rusqlite::Params) -> StoreResult<()> {
    c.execute(sql, p).map_err(backend)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Durability, SqliteStore};

    #[test]
    fn pragmas_are_wal_and_full() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStore::open(&dir.path().join("db.sqlite"), Durability::Full).unwrap();
        assert_eq!(s.pragmas().unwrap(), ("wal".to_string(), 2));
        drop(s);
        let again = SqliteStore::open(&dir.path().join("db.sqlite"), Durability::Normal).unwrap();
        assert_eq!(again.pragmas().unwrap(), ("wal".to_string(), 1));
    }
}
