//! OpenID Connect providers and their client ids, for the SQLite engine. Thumbprints (fixed
//! 40-character hex strings) are kept comma-separated in one column.

use crate::sqlite_rows::{backend, count, parse_ts, ts};
use portcullis_core::{OidcProvider, StoreError, StoreResult, Tag};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

fn client_ids(c: &Connection, arn: &str) -> StoreResult<Vec<String>> {
    let mut st = c
        .prepare_cached(
            "SELECT client_id FROM oidc_client_ids WHERE provider_arn = ?1 ORDER BY seq",
        )
        .map_err(backend)?;
    let out = st
        .query_map([arn], |r| r.get(0))
        .map_err(backend)?
        .collect::<Result<Vec<String>, _>>()
        .map_err(backend)?;
    Ok(out)
}

fn split(thumbprints: &str) -> Vec<String> {
    thumbprints
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The providers of `account` matching `arn` (or all when `arn` is `None`), by ARN.
fn select(c: &Connection, account: &str, arn: Option<&str>) -> StoreResult<Vec<OidcProvider>> {
    let mut st = c
        .prepare_cached(
            "SELECT arn, url, thumbprints, created FROM oidc_providers
             WHERE account = ?1 AND (?2 IS NULL OR arn = ?2) ORDER BY arn",
        )
        .map_err(backend)?;
    let rows = st
        .query_map(params![account, arn], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                parse_ts(&r.get::<_, String>(3)?)?,
            ))
        })
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    rows.into_iter()
        .map(|(arn, url, thumbprints, created)| {
            Ok(OidcProvider {
                account: account.to_string(),
                client_ids: client_ids(c, &arn)?,
                url,
                thumbprints: split(&thumbprints),
                created,
            })
        })
        .collect()
}

pub(crate) fn find(c: &Connection, account: &str, arn: &str) -> StoreResult<Option<OidcProvider>> {
    Ok(select(c, account, Some(arn))?.into_iter().next())
}

pub(crate) fn list(c: &Connection, account: &str) -> StoreResult<Vec<OidcProvider>> {
    select(c, account, None)
}

fn exists(c: &Connection, account: &str, arn: &str) -> StoreResult<()> {
    c.prepare_cached("SELECT 1 FROM oidc_providers WHERE account = ?1 AND arn = ?2")
        .and_then(|mut st| st.query_row([account, arn], |_| Ok(())).optional())
        .map_err(backend)?
        .ok_or(StoreError::NotFound)
}

fn insert_client_id(tx: &Transaction<'_>, arn: &str, client_id: &str) -> StoreResult<()> {
    tx.execute(
        "INSERT OR IGNORE INTO oidc_client_ids (provider_arn, client_id, seq)
         VALUES (?1, ?2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM oidc_client_ids WHERE provider_arn = ?1))",
        [arn, client_id],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn create(
    tx: &Transaction<'_>,
    p: &OidcProvider,
    propagation: &portcullis_core::reports::IdentityPropagation,
    tags: &[Tag],
    max: usize,
) -> StoreResult<()> {
    let arn = p.arn();
    if exists(tx, &p.account, &arn).is_ok() {
        return Err(StoreError::AlreadyExists);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM oidc_providers WHERE account = ?1",
        [&p.account],
    )? >= max
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT INTO oidc_providers (arn, account, url, thumbprints, created) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![arn, p.account, p.url, p.thumbprints.join(","), ts(p.created)],
    )
    .map_err(backend)?;
    for id in &p.client_ids {
        insert_client_id(tx, &arn, id)?;
    }
    set_propagation(tx, &p.account, &arn, propagation)?;
    crate::sqlite::put_tags(tx, &arn, tags, false)
}

pub(crate) fn delete(tx: &Transaction<'_>, account: &str, arn: &str) -> StoreResult<()> {
    exists(tx, account, arn)?;
    tx.execute("DELETE FROM entity_tags WHERE entity_id = ?1", [arn])
        .map_err(backend)?;
    tx.execute("DELETE FROM oidc_providers WHERE arn = ?1", [arn])
        .map_err(backend)?;
    Ok(())
}

pub(crate) fn set_thumbprints(
    tx: &Transaction<'_>,
    account: &str,
    arn: &str,
    thumbprints: &[String],
) -> StoreResult<()> {
    exists(tx, account, arn)?;
    tx.execute(
        "UPDATE oidc_providers SET thumbprints = ?2 WHERE arn = ?1",
        [arn, &thumbprints.join(",")],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn add_client_id(
    tx: &Transaction<'_>,
    account: &str,
    arn: &str,
    client_id: &str,
    max: usize,
) -> StoreResult<()> {
    exists(tx, account, arn)?;
    let ids = client_ids(tx, arn)?;
    if ids.iter().any(|i| i == client_id) {
        return Ok(());
    }
    if ids.len() >= max {
        return Err(StoreError::LimitExceeded);
    }
    insert_client_id(tx, arn, client_id)
}

pub(crate) fn remove_client_id(
    tx: &Transaction<'_>,
    account: &str,
    arn: &str,
    client_id: &str,
) -> StoreResult<()> {
    exists(tx, account, arn)?;
    tx.execute(
        "DELETE FROM oidc_client_ids WHERE provider_arn = ?1 AND client_id = ?2",
        [arn, client_id],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn propagation(
    c: &Connection,
    account: &str,
    arn: &str,
) -> StoreResult<portcullis_core::reports::IdentityPropagation> {
    c.prepare_cached(
        "SELECT context_provider, identity_center_instance FROM oidc_providers
         WHERE account = ?1 AND arn = ?2",
    )
    .and_then(|mut st| {
        st.query_row([account, arn], |r| {
            Ok(portcullis_core::reports::IdentityPropagation {
                context_provider: r.get(0)?,
                identity_center_instance: r.get(1)?,
            })
        })
        .optional()
    })
    .map_err(backend)?
    .ok_or(StoreError::NotFound)
}

pub(crate) fn set_propagation(
    tx: &Transaction<'_>,
    account: &str,
    arn: &str,
    s: &portcullis_core::reports::IdentityPropagation,
) -> StoreResult<()> {
    exists(tx, account, arn)?;
    tx.execute(
        "UPDATE oidc_providers SET context_provider = ?2, identity_center_instance = ?3
         WHERE arn = ?1",
        params![arn, s.context_provider, s.identity_center_instance],
    )
    .map_err(backend)?;
    Ok(())
}
