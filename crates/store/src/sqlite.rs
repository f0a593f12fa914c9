//! The SQLite engine: one writer connection and a few readers over a WAL database, or a single
//! connection for an in-memory database; pragmas, migrations at open and `IMMEDIATE` write
//! transactions. Everything SQLite-specific lives here (pragmas, value conversion, the
//! unique-violation codes); the areas' SQL is in `sql/<area>.rs`, over `engine.rs`.

use crate::engine::{Conn, Engine, Row, SqlStore, Val};
use crate::migrations::SQLITE;
use portcullis_core::{StoreError, StoreResult};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior};
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

/// The SQLite engine's connections.
#[derive(Debug)]
pub struct Sqlite {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

/// The store on SQLite.
pub type SqliteStore = SqlStore<Sqlite>;

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
    for (i, sql) in SQLITE.iter().enumerate().skip(version) {
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

impl SqlStore<Sqlite> {
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
        Ok(SqlStore {
            engine: Sqlite {
                writer: Mutex::new(writer),
                readers,
                next_reader: AtomicUsize::new(0),
            },
        })
    }

    /// A private in-memory database (for `portcullis dev` and tests).
    pub fn in_memory() -> StoreResult<Self> {
        let mut conn = Connection::open_in_memory().map_err(backend)?;
        conn.execute_batch("PRAGMA foreign_keys=ON;")
            .map_err(backend)?;
        migrate(&mut conn)?;
        Ok(SqlStore {
            engine: Sqlite {
                writer: Mutex::new(conn),
                readers: Vec::new(),
                next_reader: AtomicUsize::new(0),
            },
        })
    }

    /// `(journal_mode, synchronous)` as SQLite reports them, e.g. `("wal", 2)`.
    pub fn pragmas(&self) -> StoreResult<(String, i64)> {
        let c = lock(&self.engine.writer);
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
        lock(&self.engine.writer)
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(backend)
    }
}

impl Sqlite {
    /// A connection to read from: a free reader if there is one, else the writer (in memory).
    fn reader(&self) -> MutexGuard<'_, Connection> {
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
}

impl Engine for Sqlite {
    fn read(&self, f: &mut dyn FnMut(&dyn Conn) -> StoreResult<()>) -> StoreResult<()> {
        f(&*self.reader())
    }

    /// An `IMMEDIATE` transaction: it takes the write lock first, so what `f` reads stays true
    /// until it commits (there is nothing to retry). One process uses the file, so there is no
    /// change log to keep.
    fn write(
        &self,
        _tracked: bool,
        f: &mut dyn FnMut(&dyn Conn) -> StoreResult<()>,
    ) -> StoreResult<()> {
        let mut c = lock(&self.writer);
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        f(&*tx)?;
        tx.commit().map_err(backend)
    }
}

fn value(v: &Val) -> ToSqlOutput<'_> {
    ToSqlOutput::Borrowed(match v {
        Val::Null => ValueRef::Null,
        Val::Int(n) => ValueRef::Integer(*n),
        Val::Text(s) => ValueRef::Text(s.as_bytes()),
        Val::Blob(b) => ValueRef::Blob(b),
    })
}

fn column(v: ValueRef<'_>) -> StoreResult<Val> {
    Ok(match v {
        ValueRef::Null => Val::Null,
        ValueRef::Integer(n) => Val::Int(n),
        ValueRef::Text(t) => Val::Text(
            String::from_utf8(t.to_vec()).map_err(|e| StoreError::Backend(e.to_string()))?,
        ),
        ValueRef::Blob(b) => Val::Blob(b.to_vec()),
        ValueRef::Real(_) => return Err(StoreError::Backend("unexpected real number".into())),
    })
}

/// Statements go through the statement cache (every hot query is prepared once per connection).
impl Conn for Connection {
    fn query(&self, sql: &str, params: &[Val]) -> StoreResult<Vec<Row>> {
        let mut st = self.prepare_cached(sql).map_err(backend)?;
        let n = st.column_count();
        let mut rows = st
            .query(rusqlite::params_from_iter(params.iter().map(value)))
            .map_err(backend)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(backend)? {
            let mut vals = Vec::with_capacity(n);
            for i in 0..n {
                vals.push(column(r.get_ref(i).map_err(backend)?)?);
            }
            out.push(Row(vals));
        }
        Ok(out)
    }

    fn execute(&self, sql: &str, params: &[Val]) -> StoreResult<usize> {
        self.prepare_cached(sql)
            .and_then(|mut st| st.execute(rusqlite::params_from_iter(params.iter().map(value))))
            .map_err(backend)
    }

    fn batch(&self, sql: &str) -> StoreResult<()> {
        self.execute_batch(sql).map_err(backend)
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
