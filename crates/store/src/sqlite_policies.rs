//! Inline policies for the SQLite engine.

use crate::sqlite_rows::{backend, count};
use portcullis_core::{StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

pub(crate) fn put_inline(
    tx: &Transaction<'_>,
    owner: &str,
    name: &str,
    doc: &str,
    size: usize,
    max_total: usize,
) -> StoreResult<()> {
    let others: i64 = tx
        .prepare_cached(
            "SELECT COALESCE(SUM(size), 0) FROM inline_policies WHERE owner_id = ?1 AND name <> ?2",
        )
        .and_then(|mut st| st.query_row(params![owner, name], |r| r.get(0)))
        .map_err(backend)?;
    if usize::try_from(others)
        .unwrap_or(usize::MAX)
        .saturating_add(size)
        > max_total
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT INTO inline_policies (owner_id, name, document, size) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (owner_id, name) DO UPDATE SET document = excluded.document, size = excluded.size",
        params![owner, name, doc, i64::try_from(size).unwrap_or(i64::MAX)],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn get_inline(c: &Connection, owner: &str, name: &str) -> StoreResult<Option<String>> {
    c.prepare_cached("SELECT document FROM inline_policies WHERE owner_id = ?1 AND name = ?2")
        .and_then(|mut st| st.query_row(params![owner, name], |r| r.get(0)).optional())
        .map_err(backend)
}

pub(crate) fn delete_inline(tx: &Transaction<'_>, owner: &str, name: &str) -> StoreResult<()> {
    let n = tx
        .execute(
            "DELETE FROM inline_policies WHERE owner_id = ?1 AND name = ?2",
            params![owner, name],
        )
        .map_err(backend)?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(crate) fn list_inline(c: &Connection, owner: &str) -> StoreResult<Vec<(String, String)>> {
    let mut st = c
        .prepare_cached(
            "SELECT name, document FROM inline_policies WHERE owner_id = ?1 ORDER BY name",
        )
        .map_err(backend)?;
    let out = st
        .query_map([owner], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    Ok(out)
}

/// Inline policies block deleting their owner.
pub(crate) fn has_inline(c: &Connection, owner: &str) -> StoreResult<bool> {
    Ok(count(
        c,
        "SELECT COUNT(*) FROM inline_policies WHERE owner_id = ?1",
        [owner],
    )? > 0)
}
