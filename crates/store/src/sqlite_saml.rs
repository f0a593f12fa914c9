//! SAML providers for the SQLite engine.

use crate::sqlite_rows::{backend, count, parse_ts, ts};
use chrono::{DateTime, Utc};
use portcullis_core::reports::IdentityPropagation;
use portcullis_core::{SamlPrivateKey, SamlProvider, SamlSettings, StoreError, StoreResult, Tag};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

fn provider_row(r: &Row<'_>) -> rusqlite::Result<SamlProvider> {
    Ok(SamlProvider {
        account: r.get(0)?,
        name: r.get(1)?,
        uuid: r.get(2)?,
        metadata: r.get(3)?,
        created: parse_ts(&r.get::<_, String>(4)?)?,
        valid_until: parse_ts(&r.get::<_, String>(5)?)?,
    })
}

/// The providers of `account` matching `arn` (or all when `arn` is `None`), by ARN.
fn select(c: &Connection, account: &str, arn: Option<&str>) -> StoreResult<Vec<SamlProvider>> {
    let mut st = c
        .prepare_cached(
            "SELECT account, name, uuid, metadata, created, valid_until FROM saml_providers
             WHERE account = ?1 AND (?2 IS NULL OR arn = ?2) ORDER BY arn",
        )
        .map_err(backend)?;
    let out = st
        .query_map(params![account, arn], provider_row)
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    Ok(out)
}

pub(crate) fn find(c: &Connection, account: &str, arn: &str) -> StoreResult<Option<SamlProvider>> {
    Ok(select(c, account, Some(arn))?.into_iter().next())
}

pub(crate) fn list(c: &Connection, account: &str) -> StoreResult<Vec<SamlProvider>> {
    select(c, account, None)
}

pub(crate) fn create(
    tx: &Transaction<'_>,
    p: &SamlProvider,
    settings: &SamlSettings,
    tags: &[Tag],
    max: usize,
) -> StoreResult<()> {
    let arn = p.arn();
    if find(tx, &p.account, &arn)?.is_some() {
        return Err(StoreError::AlreadyExists);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM saml_providers WHERE account = ?1",
        [&p.account],
    )? >= max
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT INTO saml_providers (arn, account, name, uuid, metadata, created, valid_until)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            arn,
            p.account,
            p.name,
            p.uuid,
            p.metadata,
            ts(p.created),
            ts(p.valid_until)
        ],
    )
    .map_err(backend)?;
    set_settings(tx, &p.account, &arn, settings)?;
    crate::sqlite::put_tags(tx, &arn, tags, false)
}

pub(crate) fn update_metadata(
    tx: &Transaction<'_>,
    account: &str,
    arn: &str,
    metadata: &str,
    valid_until: DateTime<Utc>,
) -> StoreResult<()> {
    let n = tx
        .execute(
            "UPDATE saml_providers SET metadata = ?3, valid_until = ?4 WHERE account = ?1 AND arn = ?2",
            params![account, arn, metadata, ts(valid_until)],
        )
        .map_err(backend)?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(crate) fn delete(tx: &Transaction<'_>, account: &str, arn: &str) -> StoreResult<()> {
    let n = tx
        .execute(
            "DELETE FROM saml_providers WHERE account = ?1 AND arn = ?2",
            [account, arn],
        )
        .map_err(backend)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    tx.execute("DELETE FROM entity_tags WHERE entity_id = ?1", [arn])
        .map_err(backend)?;
    Ok(())
}

fn key_row(r: &Row<'_>) -> rusqlite::Result<SamlPrivateKey> {
    Ok(SamlPrivateKey {
        id: r.get(0)?,
        sealed: r.get(1)?,
        uploaded: parse_ts(&r.get::<_, String>(2)?)?,
    })
}

pub(crate) fn settings(c: &Connection, account: &str, arn: &str) -> StoreResult<SamlSettings> {
    let (encryption_mode, context_provider, identity_center_instance) = c
        .prepare_cached(
            "SELECT encryption_mode, context_provider, identity_center_instance
             FROM saml_providers WHERE account = ?1 AND arn = ?2",
        )
        .and_then(|mut st| {
            st.query_row([account, arn], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .optional()
        })
        .map_err(backend)?
        .ok_or(StoreError::NotFound)?;
    let mut st = c
        .prepare_cached(
            "SELECT key_id, sealed, uploaded FROM saml_private_keys WHERE provider_arn = ?1
             ORDER BY uploaded, key_id",
        )
        .map_err(backend)?;
    let private_keys = st
        .query_map([arn], key_row)
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    Ok(SamlSettings {
        encryption_mode,
        private_keys,
        propagation: IdentityPropagation {
            context_provider,
            identity_center_instance,
        },
    })
}

pub(crate) fn set_settings(
    tx: &Transaction<'_>,
    account: &str,
    arn: &str,
    s: &SamlSettings,
) -> StoreResult<()> {
    let n = tx
        .execute(
            "UPDATE saml_providers SET encryption_mode = ?3, context_provider = ?4,
             identity_center_instance = ?5 WHERE account = ?1 AND arn = ?2",
            params![
                account,
                arn,
                s.encryption_mode,
                s.propagation.context_provider,
                s.propagation.identity_center_instance
            ],
        )
        .map_err(backend)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    tx.execute(
        "DELETE FROM saml_private_keys WHERE provider_arn = ?1",
        [arn],
    )
    .map_err(backend)?;
    for k in &s.private_keys {
        tx.execute(
            "INSERT INTO saml_private_keys (provider_arn, key_id, sealed, uploaded)
             VALUES (?1, ?2, ?3, ?4)",
            params![arn, k.id, k.sealed, ts(k.uploaded)],
        )
        .map_err(backend)?;
    }
    Ok(())
}
