//! Account-level data for the SQLite engine: entity counts and account aliases.

use crate::sqlite_rows::{backend, count};
use portcullis_core::store::AccountCounts;
use portcullis_core::{StoreError, StoreResult};
use rusqlite::{Connection, Transaction};

pub(crate) fn counts(c: &Connection, account: &str) -> StoreResult<AccountCounts> {
    let n = |sql: &str| count(c, sql, [account]);
    Ok(AccountCounts {
        users: n("SELECT COUNT(*) FROM users WHERE account = ?1")?,
        groups: n("SELECT COUNT(*) FROM groups WHERE account = ?1")?,
        roles: n("SELECT COUNT(*) FROM roles WHERE account = ?1")?,
        policies: n("SELECT COUNT(*) FROM policies WHERE account = ?1")?,
        policy_versions: n(
            "SELECT COUNT(*) FROM policy_versions v JOIN policies p ON p.id = v.policy_id WHERE p.account = ?1",
        )?,
        root_access_keys: n(
            "SELECT COUNT(*) FROM access_keys WHERE account = ?1 AND user_id IS NULL",
        )?,
        server_certificates: n("SELECT COUNT(*) FROM server_certificates WHERE account = ?1")?,
        root_signing_certificates: n(
            "SELECT COUNT(*) FROM signing_certificates WHERE account = ?1 AND user_id IS NULL",
        )?,
        instance_profiles: n("SELECT COUNT(*) FROM instance_profiles WHERE account = ?1")?,
        providers: n(
            "SELECT (SELECT COUNT(*) FROM oidc_providers WHERE account = ?1)
                  + (SELECT COUNT(*) FROM saml_providers WHERE account = ?1)",
        )?,
    })
}

pub(crate) fn create_alias(tx: &Transaction<'_>, account: &str, alias: &str) -> StoreResult<()> {
    if count(
        tx,
        "SELECT COUNT(*) FROM account_aliases WHERE alias = ?1 AND account <> ?2",
        [alias, account],
    )? > 0
    {
        return Err(StoreError::AlreadyExists);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM account_aliases WHERE account = ?1 AND alias <> ?2",
        [account, alias],
    )? > 0
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT OR IGNORE INTO account_aliases (alias, account) VALUES (?1, ?2)",
        [alias, account],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn delete_alias(tx: &Transaction<'_>, account: &str, alias: &str) -> StoreResult<()> {
    let n = tx
        .execute(
            "DELETE FROM account_aliases WHERE account = ?1 AND alias = ?2",
            [account, alias],
        )
        .map_err(backend)?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(crate) fn aliases(c: &Connection, account: &str) -> StoreResult<Vec<String>> {
    let mut st = c
        .prepare_cached("SELECT alias FROM account_aliases WHERE account = ?1")
        .map_err(backend)?;
    let out = st
        .query_map([account], |r| r.get(0))
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    Ok(out)
}
