//! Server certificates for the SQLite engine.

use crate::sqlite_page::list_by_path;
use crate::sqlite_rows::{backend, count, parse_ts, ts};
use portcullis_core::credentials::ServerCertificate;
use portcullis_core::store::Rename;
use portcullis_core::{Page, StoreError, StoreResult, Tag};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

macro_rules! columns {
    () => {
        "id, account, name, path, body, chain, private_key, uploaded, expiration"
    };
}

fn row(r: &Row<'_>) -> rusqlite::Result<ServerCertificate> {
    Ok(ServerCertificate {
        id: r.get(0)?,
        account: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        body: r.get(4)?,
        chain: r.get(5)?,
        sealed_private_key: r.get(6)?,
        uploaded: parse_ts(&r.get::<_, String>(7)?)?,
        expiration: parse_ts(&r.get::<_, String>(8)?)?,
    })
}

pub(crate) fn find(
    c: &Connection,
    account: &str,
    name: &str,
) -> StoreResult<Option<ServerCertificate>> {
    c.prepare_cached(concat!(
        "SELECT ",
        columns!(),
        " FROM server_certificates WHERE account = ?1 AND name_lc = ?2"
    ))
    .and_then(|mut st| {
        st.query_row(params![account, name.to_ascii_lowercase()], row)
            .optional()
    })
    .map_err(backend)
}

pub(crate) fn create(
    tx: &Transaction<'_>,
    c: &ServerCertificate,
    tags: &[Tag],
    max: usize,
) -> StoreResult<()> {
    if find(tx, &c.account, &c.name)?.is_some() {
        return Err(StoreError::AlreadyExists);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM server_certificates WHERE account = ?1",
        [&c.account],
    )? >= max
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT INTO server_certificates (id, account, name, name_lc, path, body, chain, private_key, uploaded, expiration)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            c.id,
            c.account,
            c.name,
            c.name.to_ascii_lowercase(),
            c.path,
            c.body,
            c.chain,
            c.sealed_private_key,
            ts(c.uploaded),
            ts(c.expiration)
        ],
    )
    .map_err(backend)?;
    crate::sqlite::put_tags(tx, &c.id, tags, false)
}

pub(crate) fn update(
    tx: &Transaction<'_>,
    account: &str,
    name: &str,
    u: &Rename,
) -> StoreResult<ServerCertificate> {
    let mut c = find(tx, account, name)?.ok_or(StoreError::NotFound)?;
    if let Some(new_name) = &u.new_name {
        if !new_name.eq_ignore_ascii_case(&c.name) && find(tx, account, new_name)?.is_some() {
            return Err(StoreError::AlreadyExists);
        }
        c.name = new_name.clone();
    }
    if let Some(p) = &u.new_path {
        c.path = p.clone();
    }
    tx.execute(
        "UPDATE server_certificates SET name = ?2, name_lc = ?3, path = ?4 WHERE id = ?1",
        params![c.id, c.name, c.name.to_ascii_lowercase(), c.path],
    )
    .map_err(backend)?;
    Ok(c)
}

pub(crate) fn delete(tx: &Transaction<'_>, account: &str, name: &str) -> StoreResult<()> {
    let c = find(tx, account, name)?.ok_or(StoreError::NotFound)?;
    tx.execute("DELETE FROM entity_tags WHERE entity_id = ?1", [&c.id])
        .map_err(backend)?;
    tx.execute("DELETE FROM server_certificates WHERE id = ?1", [&c.id])
        .map_err(backend)?;
    Ok(())
}

pub(crate) fn list(
    c: &Connection,
    account: &str,
    prefix: &str,
    marker: Option<&str>,
    max: usize,
) -> StoreResult<Page<ServerCertificate>> {
    list_by_path(
        c,
        ("server_certificates", columns!()),
        account,
        prefix,
        marker,
        max,
        row,
    )
}
