//! User credentials for the SQLite engine: SSH public keys, service-specific credentials and
//! signing certificates. Each lives in its own table keyed by id and owned by a user (signing
//! certificates may belong to the root user: `user_id IS NULL`).

use crate::sqlite_rows::{backend, count, parse_ts, ts};
use portcullis_core::credentials::{ServiceCredential, SigningCertificate, SshPublicKey};
use portcullis_core::{KeyStatus, StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

fn status(s: &str) -> KeyStatus {
    KeyStatus::parse(s).unwrap_or(KeyStatus::Inactive)
}

/// `Ok` when exactly one row changed, `NotFound` when none did.
fn one_row(n: usize) -> StoreResult<()> {
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Sets the status of the credential `id` of `table` owned by (`account`, `user_id`).
fn set_status(
    tx: &Transaction<'_>,
    table: &str,
    account: &str,
    user_id: Option<&str>,
    id: &str,
    st: KeyStatus,
) -> StoreResult<()> {
    let sql =
        format!("UPDATE {table} SET status = ?1 WHERE id = ?2 AND account = ?3 AND user_id IS ?4");
    one_row(
        tx.execute(&sql, params![st.as_str(), id, account, user_id])
            .map_err(backend)?,
    )
}

/// Deletes the credential `id` of `table` owned by (`account`, `user_id`).
fn delete(
    tx: &Transaction<'_>,
    table: &str,
    account: &str,
    user_id: Option<&str>,
    id: &str,
) -> StoreResult<()> {
    let sql = format!("DELETE FROM {table} WHERE id = ?1 AND account = ?2 AND user_id IS ?3");
    one_row(
        tx.execute(&sql, params![id, account, user_id])
            .map_err(backend)?,
    )
}

/// Rows of `sql` (bound to `p`) read with `row`.
fn rows<T>(
    c: &Connection,
    sql: &str,
    p: impl rusqlite::Params,
    row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Vec<T>> {
    let mut st = c.prepare_cached(sql).map_err(backend)?;
    st.query_map(p, row)
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)
}

/// Whether the user still has credentials that DeleteUser must refuse over, and which.
pub(crate) fn user_conflict(c: &Connection, user_id: &str) -> StoreResult<Option<&'static str>> {
    if count(
        c,
        "SELECT COUNT(*) FROM signing_certificates WHERE user_id = ?1",
        [user_id],
    )? > 0
    {
        return Ok(Some(
            "Cannot delete entity, must delete signing certificates first.",
        ));
    }
    let referenced = count(
        c,
        "SELECT (SELECT COUNT(*) FROM ssh_public_keys WHERE user_id = ?1)
              + (SELECT COUNT(*) FROM service_credentials WHERE user_id = ?1)",
        [user_id],
    )?;
    Ok((referenced > 0).then_some("Cannot delete entity, must remove referenced objects first."))
}

// SSH public keys.

macro_rules! ssh_columns {
    () => {
        "id, account, user_id, body, fingerprint, status, uploaded"
    };
}

fn ssh_row(r: &Row<'_>) -> rusqlite::Result<SshPublicKey> {
    Ok(SshPublicKey {
        id: r.get(0)?,
        account: r.get(1)?,
        user_id: r.get(2)?,
        body: r.get(3)?,
        fingerprint: r.get(4)?,
        status: status(&r.get::<_, String>(5)?),
        uploaded: parse_ts(&r.get::<_, String>(6)?)?,
    })
}

pub(crate) fn create_ssh_key(
    tx: &Transaction<'_>,
    k: &SshPublicKey,
    max: usize,
) -> StoreResult<()> {
    if count(
        tx,
        "SELECT COUNT(*) FROM ssh_public_keys WHERE user_id = ?1 AND fingerprint = ?2",
        [&k.user_id, &k.fingerprint],
    )? > 0
    {
        return Err(StoreError::AlreadyExists);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM ssh_public_keys WHERE user_id = ?1",
        [&k.user_id],
    )? >= max
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        concat!(
            "INSERT INTO ssh_public_keys (",
            ssh_columns!(),
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        ),
        params![
            k.id,
            k.account,
            k.user_id,
            k.body,
            k.fingerprint,
            k.status.as_str(),
            ts(k.uploaded)
        ],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn get_ssh_key(
    c: &Connection,
    account: &str,
    user_id: &str,
    id: &str,
) -> StoreResult<Option<SshPublicKey>> {
    c.prepare_cached(concat!(
        "SELECT ",
        ssh_columns!(),
        " FROM ssh_public_keys WHERE id = ?1 AND account = ?2 AND user_id = ?3"
    ))
    .and_then(|mut st| st.query_row([id, account, user_id], ssh_row).optional())
    .map_err(backend)
}

pub(crate) fn list_ssh_keys(
    c: &Connection,
    account: &str,
    user_id: &str,
) -> StoreResult<Vec<SshPublicKey>> {
    rows(
        c,
        concat!(
            "SELECT ",
            ssh_columns!(),
            " FROM ssh_public_keys WHERE account = ?1 AND user_id = ?2 ORDER BY uploaded, id"
        ),
        [account, user_id],
        ssh_row,
    )
}

pub(crate) fn update_ssh_key_status(
    tx: &Transaction<'_>,
    account: &str,
    user_id: &str,
    id: &str,
    st: KeyStatus,
) -> StoreResult<()> {
    set_status(tx, "ssh_public_keys", account, Some(user_id), id, st)
}

pub(crate) fn delete_ssh_key(
    tx: &Transaction<'_>,
    account: &str,
    user_id: &str,
    id: &str,
) -> StoreResult<()> {
    delete(tx, "ssh_public_keys", account, Some(user_id), id)
}

// Service-specific credentials.

macro_rules! cred_columns {
    () => {
        "id, account, user_id, service_name, service_user_name, password, status, created, expiration"
    };
}

fn cred_row(r: &Row<'_>) -> rusqlite::Result<ServiceCredential> {
    Ok(ServiceCredential {
        id: r.get(0)?,
        account: r.get(1)?,
        user_id: r.get(2)?,
        service_name: r.get(3)?,
        service_user_name: r.get(4)?,
        sealed_password: r.get(5)?,
        status: status(&r.get::<_, String>(6)?),
        created: parse_ts(&r.get::<_, String>(7)?)?,
        expiration: r
            .get::<_, Option<String>>(8)?
            .as_deref()
            .map(parse_ts)
            .transpose()?,
    })
}

pub(crate) fn create_service_credential(
    tx: &Transaction<'_>,
    c: &ServiceCredential,
    max: usize,
) -> StoreResult<()> {
    if count(
        tx,
        "SELECT COUNT(*) FROM service_credentials WHERE user_id = ?1 AND service_name = ?2",
        [&c.user_id, &c.service_name],
    )? >= max
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        concat!(
            "INSERT INTO service_credentials (",
            cred_columns!(),
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ),
        params![
            c.id,
            c.account,
            c.user_id,
            c.service_name,
            c.service_user_name,
            c.sealed_password,
            c.status.as_str(),
            ts(c.created),
            c.expiration.map(ts)
        ],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn list_service_credentials(
    c: &Connection,
    account: &str,
    user_id: Option<&str>,
    service: Option<&str>,
) -> StoreResult<Vec<ServiceCredential>> {
    rows(
        c,
        concat!(
            "SELECT ",
            cred_columns!(),
            " FROM service_credentials WHERE account = ?1 AND (?2 IS NULL OR user_id = ?2)
              AND (?3 IS NULL OR service_name = ?3) ORDER BY created, id"
        ),
        params![account, user_id, service],
        cred_row,
    )
}

fn get_service_credential(
    c: &Connection,
    account: &str,
    user_id: &str,
    id: &str,
) -> StoreResult<Option<ServiceCredential>> {
    c.prepare_cached(concat!(
        "SELECT ",
        cred_columns!(),
        " FROM service_credentials WHERE id = ?1 AND account = ?2 AND user_id = ?3"
    ))
    .and_then(|mut st| st.query_row([id, account, user_id], cred_row).optional())
    .map_err(backend)
}

pub(crate) fn reset_service_credential(
    tx: &Transaction<'_>,
    account: &str,
    user_id: &str,
    id: &str,
    sealed: &[u8],
) -> StoreResult<ServiceCredential> {
    let mut cred = get_service_credential(tx, account, user_id, id)?.ok_or(StoreError::NotFound)?;
    tx.execute(
        "UPDATE service_credentials SET password = ?1 WHERE id = ?2",
        params![sealed, id],
    )
    .map_err(backend)?;
    cred.sealed_password = sealed.to_vec();
    Ok(cred)
}

pub(crate) fn update_service_credential_status(
    tx: &Transaction<'_>,
    account: &str,
    user_id: &str,
    id: &str,
    st: KeyStatus,
) -> StoreResult<()> {
    set_status(tx, "service_credentials", account, Some(user_id), id, st)
}

pub(crate) fn delete_service_credential(
    tx: &Transaction<'_>,
    account: &str,
    user_id: &str,
    id: &str,
) -> StoreResult<()> {
    delete(tx, "service_credentials", account, Some(user_id), id)
}

// Signing certificates.

macro_rules! cert_columns {
    () => {
        "id, account, user_id, body, fingerprint, status, uploaded"
    };
}

fn cert_row(r: &Row<'_>) -> rusqlite::Result<SigningCertificate> {
    Ok(SigningCertificate {
        id: r.get(0)?,
        account: r.get(1)?,
        user_id: r.get(2)?,
        body: r.get(3)?,
        fingerprint: r.get(4)?,
        status: status(&r.get::<_, String>(5)?),
        uploaded: parse_ts(&r.get::<_, String>(6)?)?,
    })
}

pub(crate) fn create_signing_cert(
    tx: &Transaction<'_>,
    c: &SigningCertificate,
    max: usize,
) -> StoreResult<()> {
    if count(
        tx,
        "SELECT COUNT(*) FROM signing_certificates WHERE account = ?1 AND fingerprint = ?2",
        [&c.account, &c.fingerprint],
    )? > 0
    {
        return Err(StoreError::AlreadyExists);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM signing_certificates WHERE account = ?1 AND user_id IS ?2",
        params![c.account, c.user_id],
    )? >= max
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        concat!(
            "INSERT INTO signing_certificates (",
            cert_columns!(),
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        ),
        params![
            c.id,
            c.account,
            c.user_id,
            c.body,
            c.fingerprint,
            c.status.as_str(),
            ts(c.uploaded)
        ],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn list_signing_certs(
    c: &Connection,
    account: &str,
    user_id: Option<&str>,
) -> StoreResult<Vec<SigningCertificate>> {
    rows(
        c,
        concat!(
            "SELECT ",
            cert_columns!(),
            " FROM signing_certificates WHERE account = ?1 AND user_id IS ?2 ORDER BY uploaded, id"
        ),
        params![account, user_id],
        cert_row,
    )
}

pub(crate) fn update_signing_cert_status(
    tx: &Transaction<'_>,
    account: &str,
    user_id: Option<&str>,
    id: &str,
    st: KeyStatus,
) -> StoreResult<()> {
    set_status(tx, "signing_certificates", account, user_id, id, st)
}

pub(crate) fn delete_signing_cert(
    tx: &Transaction<'_>,
    account: &str,
    user_id: Option<&str>,
    id: &str,
) -> StoreResult<()> {
    delete(tx, "signing_certificates", account, user_id, id)
}
