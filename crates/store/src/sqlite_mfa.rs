//! Virtual MFA devices for the SQLite engine (their tags go with them by a trigger).

use crate::sqlite_page::page_by_name;
use crate::sqlite_rows::{backend, count, parse_ts, ts};
use chrono::{DateTime, Utc};
use portcullis_core::mfa::{MfaSync, VirtualMfaDevice};
use portcullis_core::{Page, StoreError, StoreResult, Tag};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

macro_rules! columns {
    () => {
        "serial, account, name, path, seed, created, user_id, enabled, drift, last_step"
    };
}

fn row(r: &Row<'_>) -> rusqlite::Result<VirtualMfaDevice> {
    Ok(VirtualMfaDevice {
        serial: r.get(0)?,
        account: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        sealed_seed: r.get(4)?,
        created: parse_ts(&r.get::<_, String>(5)?)?,
        user_id: r.get(6)?,
        enabled: r
            .get::<_, Option<String>>(7)?
            .as_deref()
            .map(parse_ts)
            .transpose()?,
        drift: r.get(8)?,
        last_step: r.get(9)?,
    })
}

pub(crate) fn find(
    c: &Connection,
    account: &str,
    serial: &str,
) -> StoreResult<Option<VirtualMfaDevice>> {
    c.prepare_cached(concat!(
        "SELECT ",
        columns!(),
        " FROM mfa_devices WHERE account = ?1 AND serial = ?2"
    ))
    .and_then(|mut st| st.query_row(params![account, serial], row).optional())
    .map_err(backend)
}

pub(crate) fn create(
    tx: &Transaction<'_>,
    d: &VirtualMfaDevice,
    tags: &[Tag],
    max: usize,
) -> StoreResult<()> {
    let taken = count(
        tx,
        "SELECT COUNT(*) FROM mfa_devices WHERE (account = ?1 AND name_lc = ?2) OR serial = ?3",
        params![d.account, d.name.to_ascii_lowercase(), d.serial],
    )?;
    if taken > 0 {
        return Err(StoreError::AlreadyExists);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM mfa_devices WHERE account = ?1",
        [&d.account],
    )? >= max
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT INTO mfa_devices (serial, account, name, name_lc, path, seed, created, user_id, enabled, drift, last_step)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            d.serial,
            d.account,
            d.name,
            d.name.to_ascii_lowercase(),
            d.path,
            d.sealed_seed,
            ts(d.created),
            d.user_id,
            d.enabled.map(ts),
            d.drift,
            d.last_step
        ],
    )
    .map_err(backend)?;
    crate::sqlite::put_tags(tx, &d.serial, tags, false)
}

pub(crate) fn delete(tx: &Transaction<'_>, account: &str, serial: &str) -> StoreResult<()> {
    let d = find(tx, account, serial)?.ok_or(StoreError::NotFound)?;
    if d.user_id.is_some() {
        return Err(StoreError::Conflict(
            "MFA Device is in use by a user. Deactivate the MFA device first.",
        ));
    }
    tx.execute("DELETE FROM mfa_devices WHERE serial = ?1", [serial])
        .map_err(backend)?;
    Ok(())
}

pub(crate) fn list(
    c: &Connection,
    account: &str,
    assigned: Option<bool>,
    marker: Option<&str>,
    max: usize,
) -> StoreResult<Page<VirtualMfaDevice>> {
    // ?2: 0 any, 1 assigned only, 2 unassigned only.
    let filter: i64 = match assigned {
        None => 0,
        Some(true) => 1,
        Some(false) => 2,
    };
    let sql = concat!(
        "SELECT ",
        columns!(),
        ", name_lc FROM mfa_devices WHERE account = ?1
         AND (?2 = 0 OR (?2 = 1) = (user_id IS NOT NULL))
         AND name_lc >= ?3 ORDER BY name_lc LIMIT ?4"
    );
    page_by_name(c, sql, &[&account, &filter], marker, max, row)
}

pub(crate) fn enable(
    tx: &Transaction<'_>,
    (account, serial, user_id): (&str, &str, &str),
    at: DateTime<Utc>,
    sync: MfaSync,
    max_per_user: usize,
) -> StoreResult<()> {
    let d = find(tx, account, serial)?.ok_or(StoreError::NotFound)?;
    if d.user_id.is_some() {
        return Err(StoreError::AlreadyExists);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM mfa_devices WHERE user_id = ?1",
        [user_id],
    )? >= max_per_user
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "UPDATE mfa_devices SET user_id = ?2, enabled = ?3, drift = ?4, last_step = ?5 WHERE serial = ?1",
        params![serial, user_id, ts(at), sync.drift, sync.last_step],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn deactivate(
    tx: &Transaction<'_>,
    account: &str,
    serial: &str,
    user_id: &str,
) -> StoreResult<()> {
    let n = tx
        .execute(
            "UPDATE mfa_devices SET user_id = NULL, enabled = NULL, drift = 0
             WHERE account = ?1 AND serial = ?2 AND user_id = ?3",
            params![account, serial, user_id],
        )
        .map_err(backend)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) fn resync(
    tx: &Transaction<'_>,
    account: &str,
    serial: &str,
    sync: MfaSync,
) -> StoreResult<()> {
    let n = tx
        .execute(
            "UPDATE mfa_devices SET drift = ?3, last_step = ?4
             WHERE account = ?1 AND serial = ?2",
            params![account, serial, sync.drift, sync.last_step],
        )
        .map_err(backend)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) fn accept_step(
    tx: &Transaction<'_>,
    account: &str,
    serial: &str,
    step: i64,
) -> StoreResult<bool> {
    let n = tx
        .execute(
            "UPDATE mfa_devices SET last_step = ?3
             WHERE account = ?1 AND serial = ?2 AND (last_step IS NULL OR last_step < ?3)",
            params![account, serial, step],
        )
        .map_err(backend)?;
    Ok(n > 0)
}

pub(crate) fn for_user(
    c: &Connection,
    account: &str,
    user_id: &str,
) -> StoreResult<Vec<VirtualMfaDevice>> {
    let mut st = c
        .prepare_cached(concat!(
            "SELECT ",
            columns!(),
            " FROM mfa_devices WHERE account = ?1 AND user_id = ?2 ORDER BY enabled, name_lc"
        ))
        .map_err(backend)?;
    st.query_map(params![account, user_id], row)
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)
}

pub(crate) fn counts(c: &Connection, account: &str) -> StoreResult<(usize, usize)> {
    Ok((
        count(
            c,
            "SELECT COUNT(*) FROM mfa_devices WHERE account = ?1",
            [account],
        )?,
        count(
            c,
            "SELECT COUNT(*) FROM mfa_devices WHERE account = ?1 AND user_id IS NOT NULL",
            [account],
        )?,
    ))
}

/// The DeleteUser conflict of a user with an enabled MFA device.
pub(crate) fn user_conflict(c: &Connection, user_id: &str) -> StoreResult<Option<&'static str>> {
    let n = count(
        c,
        "SELECT COUNT(*) FROM mfa_devices WHERE user_id = ?1",
        [user_id],
    )?;
    Ok((n > 0).then_some("Cannot delete entity, must delete MFA device first."))
}
