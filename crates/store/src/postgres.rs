//! The PostgreSQL engine: a pool of connections (r2d2 over the synchronous `postgres` client)
//! with timeouts, `synchronous_commit=on`, a statement cache per connection, `SERIALIZABLE` write
//! transactions run again after a serialization failure, and migrations at open under an
//! advisory lock, so that several nodes starting at once migrate once. The areas' SQL is the same
//! as SQLite's (`sql/<area>.rs`): its `?N` placeholders become `$N` here, and values convert
//! through [`Val`] to whatever type the server inferred for each parameter. Connections use TLS
//! as the URL's `sslmode` asks (`pg_tls.rs`).

use crate::engine::{Conn, Engine, Row, SqlStore, Val};
use crate::migrations::POSTGRES;
use crate::pg_tls::Tls;
use portcullis_core::{StoreError, StoreResult};
use postgres::error::SqlState;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{GenericClient, IsolationLevel, Statement};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Duration;

/// What a tracked write runs before it commits: a row in the change log and a notification,
/// which followers (`changes.rs`) read.
const RECORD: &str = "INSERT INTO changes DEFAULT VALUES; NOTIFY portcullis_changes";

/// Connections a node keeps at most.
const POOL_SIZE: u32 = 16;
/// How long a caller waits for a free connection (or a new one) before failing.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(2);
/// Tries of one write transaction that keeps losing serialization races.
const WRITE_ATTEMPTS: u32 = 12;
/// Session settings of every connection: commits wait for the WAL flush, no statement or lock
/// wait runs away.
const SESSION: &str = "SET synchronous_commit = on; SET statement_timeout = '30s'; \
                       SET lock_timeout = '10s'; SET idle_in_transaction_session_timeout = '60s'";
/// The advisory lock key of migrations (with the schema's hash as the second half).
const MIGRATION_LOCK: i32 = 0x5043_4d47;

/// The PostgreSQL engine's connections.
pub struct Postgres {
    pool: r2d2::Pool<Manager>,
    config: postgres::Config,
    tls: Tls,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres")
            .field("pool", &self.pool)
            .finish_non_exhaustive()
    }
}

/// The store on PostgreSQL.
pub type PgStore = SqlStore<Postgres>;

/// One pooled connection and the statements prepared on it.
pub struct PgConn {
    client: postgres::Client,
    statements: HashMap<String, Statement>,
    /// A statement found the connection gone: the pool drops it.
    broken: bool,
}

impl std::fmt::Debug for PgConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConn")
            .field("statements", &self.statements.len())
            .finish_non_exhaustive()
    }
}

/// Opens and checks connections for the pool.
struct Manager {
    config: postgres::Config,
    tls: Tls,
}

impl std::fmt::Debug for Manager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Manager").finish_non_exhaustive()
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> Result<PgConn, postgres::Error> {
        let mut client = self.config.connect(self.tls.clone())?;
        client.batch_execute(SESSION)?;
        Ok(PgConn {
            client,
            statements: HashMap::new(),
            broken: false,
        })
    }

    fn is_valid(&self, c: &mut PgConn) -> Result<(), postgres::Error> {
        c.client.simple_query("").map(|_| ())
    }

    fn has_broken(&self, c: &mut PgConn) -> bool {
        c.broken || c.client.is_closed()
    }
}

/// Runs blocking database work: on a worker of a multi-threaded tokio runtime it tells the
/// runtime first (the `postgres` client blocks on a runtime of its own, which a worker thread
/// may not do); elsewhere it just runs.
pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

impl SqlStore<Postgres> {
    /// Connects to `url` (`postgres://user:password@host:port/db?...`), checks the connection
    /// and runs pending migrations under an advisory lock.
    pub fn open(url: &str) -> StoreResult<Self> {
        let (mut config, tls, _) = crate::pg_tls::parse(url)?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CHECKOUT_TIMEOUT);
        }
        config.keepalives(true);
        if config.get_application_name().is_none() {
            config.application_name("portcullis");
        }
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(2))
            .connection_timeout(CHECKOUT_TIMEOUT)
            .test_on_check_out(false)
            .build(Manager {
                config: config.clone(),
                tls: tls.clone(),
            })
            .map_err(|e| StoreError::Backend(format!("connecting to PostgreSQL: {e}")))?;
        let engine = Postgres { pool, config, tls };
        blocking(|| engine.migrate())?;
        Ok(SqlStore { engine })
    }

    /// Runs `f` holding the database's bootstrap advisory lock: nodes starting together take
    /// turns, so that what `f` finds missing (the first account) is made once.
    pub fn exclusively<T>(&self, f: impl FnOnce() -> T) -> StoreResult<T> {
        let mut c = blocking(|| self.engine.conn())?;
        let sql = |verb: &str| {
            format!("SELECT pg_advisory_{verb}($1, hashtext(COALESCE(current_schema(), '')) # 1)")
        };
        blocking(|| c.client.execute(&sql("lock"), &[&MIGRATION_LOCK])).map_err(pg)?;
        let out = f();
        blocking(|| c.client.execute(&sql("unlock"), &[&MIGRATION_LOCK])).map_err(pg)?;
        Ok(out)
    }

    /// How many migrations the database has run.
    pub fn schema_version(&self) -> StoreResult<usize> {
        self.read(|c| {
            crate::engine::count(
                c,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM schema_migrations",
                &[],
            )
        })
    }
}

impl Postgres {
    /// How to connect (for connections outside the pool, such as the change feed's).
    pub(crate) fn config(&self) -> &postgres::Config {
        &self.config
    }

    /// The TLS connector of `config`'s connections.
    pub(crate) fn tls(&self) -> Tls {
        self.tls.clone()
    }

    fn conn(&self) -> StoreResult<r2d2::PooledConnection<Manager>> {
        self.pool
            .get()
            .map_err(|e| StoreError::Backend(format!("no database connection: {e}")))
    }

    /// Applies the migrations this database has not run, each in its own transaction, holding
    /// an advisory lock so that nodes starting together take turns (the later ones find
    /// nothing to do).
    fn migrate(&self) -> StoreResult<()> {
        let mut c = self.conn()?;
        let client = &mut c.client;
        let lock = "SELECT pg_advisory_lock($1, hashtext(COALESCE(current_schema(), '')))";
        client.execute(lock, &[&MIGRATION_LOCK]).map_err(pg)?;
        let result = (|| {
            client
                .batch_execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (
                         version BIGINT PRIMARY KEY,
                         applied TIMESTAMPTZ NOT NULL DEFAULT now())",
                )
                .map_err(pg)?;
            let done: i64 = client
                .query_one(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                    &[],
                )
                .map_err(pg)?
                .get(0);
            let done = usize::try_from(done).unwrap_or(0);
            for (i, sql) in POSTGRES.iter().enumerate().skip(done) {
                let mut tx = client.transaction().map_err(pg)?;
                tx.batch_execute(sql).map_err(pg)?;
                let version = i64::try_from(i + 1).unwrap_or(i64::MAX);
                tx.execute(
                    "INSERT INTO schema_migrations (version) VALUES ($1)",
                    &[&version],
                )
                .map_err(pg)?;
                tx.commit().map_err(pg)?;
            }
            Ok(())
        })();
        let unlock = "SELECT pg_advisory_unlock($1, hashtext(COALESCE(current_schema(), '')))";
        client.execute(unlock, &[&MIGRATION_LOCK]).map_err(pg)?;
        result
    }
}

impl Engine for Postgres {
    /// A read that finds its pooled connection gone (the server restarted) runs again on
    /// another, as many times as the pool may hold gone connections.
    fn read(&self, f: &mut dyn FnMut(&dyn Conn) -> StoreResult<()>) -> StoreResult<()> {
        blocking(|| {
            let mut tries = POOL_SIZE + 1;
            loop {
                let mut c = self.conn()?;
                let PgConn {
                    client,
                    statements,
                    broken,
                } = &mut *c;
                let session = Session::new(client, statements);
                let out = f(&session);
                *broken = session.closed.get();
                tries -= 1;
                match out {
                    Err(_) if *broken && tries > 0 => {}
                    out => return out,
                }
            }
        })
    }

    /// A transaction cut off before COMMIT by a closed connection did not commit: it runs again
    /// on a new connection (a COMMIT cut off may have committed, and is reported as failed).
    fn write(
        &self,
        tracked: bool,
        f: &mut dyn FnMut(&dyn Conn) -> StoreResult<()>,
    ) -> StoreResult<()> {
        blocking(|| {
            let mut c = self.conn()?;
            let mut reconnects = POOL_SIZE;
            for attempt in 0..WRITE_ATTEMPTS + POOL_SIZE {
                match try_write(&mut c, tracked, f) {
                    Try::Done => return Ok(()),
                    Try::LostRace => back_off(attempt),
                    Try::Closed(_) if reconnects > 0 => {
                        reconnects -= 1;
                        c.broken = true;
                        c = self.conn()?;
                    }
                    Try::Closed(e) => {
                        c.broken = true;
                        return Err(e);
                    }
                    Try::Failed(e) => return Err(e),
                }
            }
            Err(StoreError::Backend(
                "the transaction kept conflicting with others; try again".into(),
            ))
        })
    }
}

/// How one try of a write transaction ended.
enum Try {
    Done,
    /// A serialization failure or deadlock: try again.
    LostRace,
    /// The connection was closed before COMMIT: nothing was committed.
    Closed(StoreError),
    Failed(StoreError),
}

/// One try of a write transaction on `c`.
fn try_write(
    c: &mut PgConn,
    tracked: bool,
    f: &mut dyn FnMut(&dyn Conn) -> StoreResult<()>,
) -> Try {
    let PgConn {
        client, statements, ..
    } = c;
    let mut tx = match client
        .build_transaction()
        .isolation_level(IsolationLevel::Serializable)
        .start()
    {
        Ok(tx) => tx,
        Err(e) if gone(&e) => return Try::Closed(pg(e)),
        Err(e) => return Try::Failed(pg(e)),
    };
    let session = Session::new(&mut tx, statements);
    let out = f(&session).and_then(|()| {
        if tracked {
            session.batch(RECORD)
        } else {
            Ok(())
        }
    });
    let (lost_race, failed, closed) = (
        session.lost_race.get(),
        session.failed.get(),
        session.closed.get(),
    );
    // A statement that failed aborts the transaction, whatever `f` made of the error: COMMIT
    // would then roll back, so it is never reported as done. Dropping `tx` rolls back.
    let err = match out {
        Ok(()) if !failed => match tx.commit() {
            Ok(()) => return Try::Done,
            Err(e) if retryable(&e) => return Try::LostRace,
            Err(e) => return Try::Failed(pg(e)),
        },
        Ok(()) => StoreError::Backend("a statement failed".into()),
        Err(e) => e,
    };
    if lost_race {
        Try::LostRace
    } else if closed {
        Try::Closed(err)
    } else {
        Try::Failed(err)
    }
}

/// Waits a little before another try, longer after each, with jitter so that the transactions
/// that collided do not collide again.
fn back_off(attempt: u32) {
    let base = 500u64 << attempt.min(8);
    let jitter = u64::from(rand::random::<u16>()) % base;
    std::thread::sleep(Duration::from_micros(base + jitter));
}

/// One connection or transaction in use: statements are prepared once per connection, and a
/// failed statement is remembered (a serialization failure, so that the engine tries the
/// transaction again).
struct Session<'a, C: GenericClient> {
    client: RefCell<&'a mut C>,
    statements: RefCell<&'a mut HashMap<String, Statement>>,
    lost_race: Cell<bool>,
    failed: Cell<bool>,
    /// The connection was found closed.
    closed: Cell<bool>,
}

impl<'a, C: GenericClient> Session<'a, C> {
    fn new(client: &'a mut C, statements: &'a mut HashMap<String, Statement>) -> Self {
        Session {
            client: RefCell::new(client),
            statements: RefCell::new(statements),
            lost_race: Cell::new(false),
            failed: Cell::new(false),
            closed: Cell::new(false),
        }
    }

    fn fail(&self, e: postgres::Error) -> StoreError {
        self.failed.set(true);
        self.closed.set(gone(&e));
        if retryable(&e) {
            self.lost_race.set(true);
        }
        pg(e)
    }

    /// The prepared statement of `sql`, preparing it on first use.
    fn statement(&self, sql: &str) -> StoreResult<Statement> {
        if let Some(st) = self.statements.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st = self
            .client
            .borrow_mut()
            .prepare(&placeholders(sql))
            .map_err(|e| self.fail(e))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

fn refs(params: &[Val]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl<C: GenericClient> Conn for Session<'_, C> {
    fn query(&self, sql: &str, params: &[Val]) -> StoreResult<Vec<Row>> {
        let st = self.statement(sql)?;
        let rows = self
            .client
            .borrow_mut()
            .query(&st, &refs(params))
            .map_err(|e| self.fail(e))?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| r.try_get::<_, Val>(i).map_err(|e| self.fail(e)))
                    .collect::<StoreResult<Vec<_>>>()
                    .map(Row)
            })
            .collect()
    }

    fn execute(&self, sql: &str, params: &[Val]) -> StoreResult<usize> {
        let st = self.statement(sql)?;
        let n = self
            .client
            .borrow_mut()
            .execute(&st, &refs(params))
            .map_err(|e| self.fail(e))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn batch(&self, sql: &str) -> StoreResult<()> {
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(|e| self.fail(e))
    }
}

/// `?N` placeholders as PostgreSQL's `$N` (outside quoted text).
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => quoted = !quoted,
            '?' if !quoted && chars.peek().is_some_and(char::is_ascii_digit) => {
                out.push('$');
                continue;
            }
            _ => {}
        }
        out.push(ch);
    }
    out
}

/// The connection is gone: closed, or the server is shutting down or was restarted (its
/// sessions were cut off).
fn gone(e: &postgres::Error) -> bool {
    e.is_closed()
        || e.code()
            .is_some_and(|c| c.code().starts_with("57P") || c.code().starts_with("08"))
}

/// A serialization failure or deadlock: the transaction may succeed when run again.
fn retryable(e: &postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED
    )
}

/// A PostgreSQL error as a store error: a unique violation is `AlreadyExists`. Only the
/// server's message is kept (never the detail, which may quote values).
pub(crate) fn pg(e: postgres::Error) -> StoreError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        return StoreError::AlreadyExists;
    }
    match e.as_db_error() {
        Some(db) => StoreError::Backend(format!(
            "PostgreSQL: {} ({})",
            db.message(),
            db.code().code()
        )),
        None => StoreError::Backend(format!("PostgreSQL: {e}")),
    }
}

type BoxError = Box<dyn std::error::Error + Sync + Send>;

/// A parameter takes the type the server inferred for it.
impl ToSql for Val {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        match self {
            Val::Null => Ok(IsNull::Yes),
            Val::Int(n) => match *ty {
                Type::INT2 => i16::try_from(*n)?.to_sql_checked(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql_checked(ty, out),
                Type::BOOL => (*n != 0).to_sql_checked(ty, out),
                _ => n.to_sql_checked(ty, out),
            },
            Val::Text(s) => s.as_str().to_sql_checked(ty, out),
            Val::Blob(b) => b.as_slice().to_sql_checked(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A column reads as the value its type holds.
impl<'a> FromSql<'a> for Val {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(match *ty {
            Type::INT8 => Val::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Val::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Val::Int(i16::from_sql(ty, raw)?.into()),
            Type::BOOL => Val::Int(bool::from_sql(ty, raw)?.into()),
            Type::BYTEA => Val::Blob(Vec::<u8>::from_sql(ty, raw)?),
            _ => Val::Text(String::from_sql(ty, raw)?),
        })
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Val::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;
    use crate::PgStore;
    use crate::testing::{TestSchema, database_url};

    #[test]
    fn nodes_opening_a_new_database_together_migrate_it_once() {
        let Some(url) = database_url() else { return };
        let schema = TestSchema::create(&url).unwrap();
        let versions: Vec<usize> = std::thread::scope(|s| {
            let all: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        PgStore::open(&schema.url)
                            .unwrap()
                            .schema_version()
                            .unwrap()
                    })
                })
                .collect();
            all.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let n = crate::migrations::POSTGRES.len();
        assert_eq!(versions, vec![n; 4]);
    }

    #[test]
    fn placeholders_become_dollars_outside_quotes() {
        assert_eq!(
            placeholders("SELECT '?1', a FROM t WHERE b = ?1 AND c IS NOT DISTINCT FROM ?12"),
            "SELECT '?1', a FROM t WHERE b = $1 AND c IS NOT DISTINCT FROM $12"
        );
    }
}
