//! The engine interface every area's SQL is written over, once: parameters ([`Val`], built with
//! [`params!`]), rows ([`Row`]), a connection that runs statements ([`Conn`]) and an engine that
//! lends connections for reads and runs write transactions ([`Engine`]). SQLite (`sqlite.rs`)
//! and PostgreSQL (`postgres.rs`) implement it; statements use `?N` placeholders and SQL both
//! engines accept (`IS NOT DISTINCT FROM`, `ON CONFLICT ... DO NOTHING`, `CAST(... AS BIGINT)`).
//! [`SqlStore`] is the store over one engine: the families of `portcullis_core::store` are
//! implemented on it in `sql/<area>.rs`, and [`EngineTx`] is core's `Tx` over one transaction.
//! The statement helpers every area uses (one row, all rows, counts, changes) are here too.

use portcullis_core::error::IamError;
use portcullis_core::store::Transact;
use portcullis_core::{IamResult, StoreError, StoreResult};

/// A parameter or column value: what both engines can store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// A Rust value as a parameter.
pub(crate) trait ToVal {
    fn to_val(&self) -> Val;
}

impl ToVal for str {
    fn to_val(&self) -> Val {
        Val::Text(self.to_string())
    }
}

impl ToVal for String {
    fn to_val(&self) -> Val {
        Val::Text(self.clone())
    }
}

impl ToVal for i64 {
    fn to_val(&self) -> Val {
        Val::Int(*self)
    }
}

impl ToVal for bool {
    fn to_val(&self) -> Val {
        Val::Int(i64::from(*self))
    }
}

impl ToVal for [u8] {
    fn to_val(&self) -> Val {
        Val::Blob(self.to_vec())
    }
}

impl ToVal for Vec<u8> {
    fn to_val(&self) -> Val {
        Val::Blob(self.clone())
    }
}

impl<T: ToVal + ?Sized> ToVal for &T {
    fn to_val(&self) -> Val {
        (**self).to_val()
    }
}

impl<T: ToVal> ToVal for Option<T> {
    fn to_val(&self) -> Val {
        self.as_ref().map_or(Val::Null, ToVal::to_val)
    }
}

/// The parameters of one statement, `?1` first: `params![account, name]`.
macro_rules! params {
    ($($v:expr),* $(,)?) => {
        &[$($crate::engine::ToVal::to_val(&$v)),*][..]
    };
}
pub(crate) use params;

/// A column value as a Rust value.
pub(crate) trait FromVal: Sized {
    fn from_val(v: &Val) -> StoreResult<Self>;
}

fn unexpected(v: &Val, want: &str) -> StoreError {
    let got = match v {
        Val::Null => "NULL",
        Val::Int(_) => "an integer",
        Val::Text(_) => "text",
        Val::Blob(_) => "a blob",
    };
    StoreError::Backend(format!("expected {want}, read {got}"))
}

impl FromVal for String {
    fn from_val(v: &Val) -> StoreResult<Self> {
        match v {
            Val::Text(s) => Ok(s.clone()),
            other => Err(unexpected(other, "text")),
        }
    }
}

impl FromVal for i64 {
    fn from_val(v: &Val) -> StoreResult<Self> {
        match v {
            Val::Int(n) => Ok(*n),
            other => Err(unexpected(other, "an integer")),
        }
    }
}

impl FromVal for bool {
    fn from_val(v: &Val) -> StoreResult<Self> {
        Ok(i64::from_val(v)? != 0)
    }
}

impl FromVal for Vec<u8> {
    fn from_val(v: &Val) -> StoreResult<Self> {
        match v {
            Val::Blob(b) => Ok(b.clone()),
            other => Err(unexpected(other, "a blob")),
        }
    }
}

impl<T: FromVal> FromVal for Option<T> {
    fn from_val(v: &Val) -> StoreResult<Self> {
        match v {
            Val::Null => Ok(None),
            other => T::from_val(other).map(Some),
        }
    }
}

/// One row a query returned.
#[derive(Debug)]
pub struct Row(pub(crate) Vec<Val>);

impl Row {
    /// Column `i` (from 0) as a `T`.
    pub(crate) fn get<T: FromVal>(&self, i: usize) -> StoreResult<T> {
        T::from_val(self.0.get(i).unwrap_or(&Val::Null))
    }

    /// How many columns the row has.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

/// One connection (or open transaction) of an engine.
pub trait Conn {
    /// Runs a query and returns its rows.
    fn query(&self, sql: &str, params: &[Val]) -> StoreResult<Vec<Row>>;
    /// Runs a statement and returns how many rows it changed.
    fn execute(&self, sql: &str, params: &[Val]) -> StoreResult<usize>;
    /// Runs several statements without parameters.
    fn batch(&self, sql: &str) -> StoreResult<()>;
}

/// A storage engine: connections to read from and write transactions.
pub trait Engine: Send + Sync + std::fmt::Debug {
    /// Runs `f` on a connection outside any write transaction (perhaps twice, when the first
    /// connection turned out to be closed).
    fn read(&self, f: &mut dyn FnMut(&dyn Conn) -> StoreResult<()>) -> StoreResult<()>;
    /// Runs `f` in one write transaction, committed when `f` returns `Ok`, rolled back
    /// otherwise. The engine may run `f` again when the transaction lost a race with another
    /// (a serialization failure), so `f` must start from scratch each time. A `tracked` write
    /// may change what servers cache: an engine that several servers share records it in its
    /// change log, in the same transaction.
    fn write(
        &self,
        tracked: bool,
        f: &mut dyn FnMut(&dyn Conn) -> StoreResult<()>,
    ) -> StoreResult<()>;
}

/// The store over one engine: `SqliteStore` and `PgStore` are this over their engine.
#[derive(Debug)]
pub struct SqlStore<E> {
    pub(crate) engine: E,
}

impl<E: Engine> SqlStore<E> {
    /// Runs `f` on a connection to read from.
    pub(crate) fn read<T>(&self, mut f: impl FnMut(&dyn Conn) -> StoreResult<T>) -> StoreResult<T> {
        let mut out = None;
        self.engine.read(&mut |c| {
            out = Some(f(c)?);
            Ok(())
        })?;
        out.ok_or_else(not_run)
    }

    /// Runs `f` in one write transaction (perhaps more than once; see [`Engine::write`]).
    pub(crate) fn write<T>(&self, f: impl FnMut(&dyn Conn) -> StoreResult<T>) -> StoreResult<T> {
        self.write_as(true, f)
    }

    /// As [`Self::write`] for a write no cache holds (usage records, reports, MFA steps): it
    /// does not make other servers drop their caches.
    pub(crate) fn record<T>(&self, f: impl FnMut(&dyn Conn) -> StoreResult<T>) -> StoreResult<T> {
        self.write_as(false, f)
    }

    fn write_as<T>(
        &self,
        tracked: bool,
        mut f: impl FnMut(&dyn Conn) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut out = None;
        self.engine.write(tracked, &mut |c| {
            out = Some(f(c)?);
            Ok(())
        })?;
        out.ok_or_else(not_run)
    }
}

fn not_run() -> StoreError {
    StoreError::Backend("the statement did not run".into())
}

/// Core's [`portcullis_core::store::Tx`] over one open write transaction; the families' `*Tx`
/// traits are implemented on it in `sql/<area>.rs`.
pub(crate) struct EngineTx<'a>(pub(crate) &'a dyn Conn);

impl<E: Engine> Transact for SqlStore<E> {
    /// One write transaction of the engine; a rule's refusal rolls it back.
    fn transact(
        &self,
        f: &mut dyn FnMut(&dyn portcullis_core::store::Tx) -> IamResult<()>,
    ) -> IamResult<()> {
        let mut refused = None;
        let done = self.engine.write(true, &mut |c| {
            refused = None;
            match f(&EngineTx(c)) {
                Ok(()) => Ok(()),
                Err(IamError::Store(e)) => Err(e),
                Err(other) => {
                    refused = Some(other);
                    Err(StoreError::Backend("refused by a rule".into()))
                }
            }
        });
        match (done, refused) {
            (Ok(()), _) => Ok(()),
            (Err(_), Some(e)) => Err(e),
            (Err(e), None) => Err(IamError::Store(e)),
        }
    }
}

// Statement helpers.

/// The row `sql` selects, if any, read with `f`.
pub(crate) fn optional_row<T>(
    c: &dyn Conn,
    sql: &str,
    p: &[Val],
    f: impl FnOnce(&Row) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    c.query(sql, p)?.first().map(f).transpose()
}

/// Every row `sql` selects, read with `f`.
pub(crate) fn all_rows<T>(
    c: &dyn Conn,
    sql: &str,
    p: &[Val],
    f: impl FnMut(&Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    c.query(sql, p)?.iter().map(f).collect()
}

/// `SELECT COUNT(*) ...` (or any one integer).
pub(crate) fn count(c: &dyn Conn, sql: &str, p: &[Val]) -> StoreResult<usize> {
    let n: Option<i64> = optional_row(c, sql, p, |r| r.get(0))?;
    Ok(n.map_or(0, |n| usize::try_from(n).unwrap_or(0)))
}

/// Whether the `SELECT COUNT(*) ...` `sql` counts any row.
pub(crate) fn any(c: &dyn Conn, sql: &str, p: &[Val]) -> StoreResult<bool> {
    Ok(count(c, sql, p)? > 0)
}

/// Runs a change that must touch a row: `NotFound` when it touched none.
pub(crate) fn change(c: &dyn Conn, sql: &str, p: &[Val]) -> StoreResult<()> {
    match c.execute(sql, p)? {
        0 => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}

/// Runs a statement, whatever it touches.
pub(crate) fn exec(c: &dyn Conn, sql: &str, p: &[Val]) -> StoreResult<()> {
    c.execute(sql, p).map(|_| ())
}
