//! Customer managed policies, their versions, attachments and permissions boundaries for the
//! SQLite engine.

use crate::sqlite_rows::{backend, count, parse_ts, ts};
use chrono::{DateTime, Utc};
use portcullis_core::{ManagedPolicy, OwnerKind, PolicyVersion, StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

const POLICY_COLUMNS: &str =
    "id, account, name, path, description, default_version, created, updated";

fn policy_row(r: &Row<'_>) -> rusqlite::Result<ManagedPolicy> {
    Ok(ManagedPolicy {
        id: r.get(0)?,
        account: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        description: r.get(4)?,
        default_version: r.get(5)?,
        created: parse_ts(&r.get::<_, String>(6)?)?,
        updated: parse_ts(&r.get::<_, String>(7)?)?,
    })
}

pub(crate) fn find(c: &Connection, account: &str, arn: &str) -> StoreResult<Option<ManagedPolicy>> {
    c.prepare_cached(&format!(
        "SELECT {POLICY_COLUMNS} FROM policies WHERE account = ?1 AND arn = ?2"
    ))
    .and_then(|mut st| st.query_row(params![account, arn], policy_row).optional())
    .map_err(backend)
}

pub(crate) fn create(
    tx: &Transaction<'_>,
    p: &ManagedPolicy,
    document: &str,
    max: usize,
) -> StoreResult<()> {
    if count(
        tx,
        "SELECT COUNT(*) FROM policies WHERE account = ?1 AND name_lc = ?2",
        params![p.account, p.name.to_ascii_lowercase()],
    )? > 0
    {
        return Err(StoreError::AlreadyExists);
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM policies WHERE account = ?1",
        [&p.account],
    )? >= max
    {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT INTO policies (id, account, arn, name, name_lc, path, description, default_version, next_version, created, updated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'v1', 2, ?8, ?8)",
        params![p.id, p.account, p.arn(), p.name, p.name.to_ascii_lowercase(), p.path, p.description, ts(p.created)],
    )
    .map_err(backend)?;
    tx.execute(
        "INSERT INTO policy_versions (policy_id, version_id, number, document, created) VALUES (?1, 'v1', 1, ?2, ?3)",
        params![p.id, document, ts(p.created)],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn list(c: &Connection, account: &str) -> StoreResult<Vec<ManagedPolicy>> {
    let mut st = c
        .prepare_cached(&format!(
            "SELECT {POLICY_COLUMNS} FROM policies WHERE account = ?1 ORDER BY name_lc"
        ))
        .map_err(backend)?;
    let out = st
        .query_map([account], policy_row)
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    Ok(out)
}

pub(crate) fn usage(c: &Connection, account: &str, arn: &str) -> StoreResult<(usize, usize)> {
    let attached = count(
        c,
        "SELECT COUNT(*) FROM attachments WHERE account = ?1 AND policy_arn = ?2",
        params![account, arn],
    )?;
    let boundaries = count(
        c,
        "SELECT (SELECT COUNT(*) FROM users WHERE account = ?1 AND permissions_boundary = ?2)
              + (SELECT COUNT(*) FROM roles WHERE account = ?1 AND permissions_boundary = ?2)",
        params![account, arn],
    )?;
    Ok((attached, boundaries))
}

pub(crate) fn delete(tx: &Transaction<'_>, account: &str, arn: &str) -> StoreResult<()> {
    let p = find(tx, account, arn)?.ok_or(StoreError::NotFound)?;
    let (attached, boundaries) = usage(tx, account, arn)?;
    if attached + boundaries > 0 {
        return Err(StoreError::Conflict(
            "Cannot delete a policy attached to entities.",
        ));
    }
    if count(
        tx,
        "SELECT COUNT(*) FROM policy_versions WHERE policy_id = ?1",
        [&p.id],
    )? > 1
    {
        return Err(StoreError::Conflict(
            "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        ));
    }
    tx.execute("DELETE FROM policies WHERE id = ?1", [&p.id])
        .map_err(backend)?;
    Ok(())
}

fn version_row(default: &str) -> impl Fn(&Row<'_>) -> rusqlite::Result<PolicyVersion> + '_ {
    move |r| {
        let version_id: String = r.get(0)?;
        Ok(PolicyVersion {
            is_default: version_id == default,
            version_id,
            document: r.get(1)?,
            created: parse_ts(&r.get::<_, String>(2)?)?,
        })
    }
}

pub(crate) fn create_version(
    tx: &Transaction<'_>,
    account: &str,
    arn: &str,
    doc: &str,
    set_default: bool,
    now: DateTime<Utc>,
    max: usize,
) -> StoreResult<PolicyVersion> {
    let p = find(tx, account, arn)?.ok_or(StoreError::NotFound)?;
    if count(
        tx,
        "SELECT COUNT(*) FROM policy_versions WHERE policy_id = ?1",
        [&p.id],
    )? >= max
    {
        return Err(StoreError::LimitExceeded);
    }
    let number: i64 = tx
        .query_row(
            "SELECT next_version FROM policies WHERE id = ?1",
            [&p.id],
            |r| r.get(0),
        )
        .map_err(backend)?;
    let version_id = format!("v{number}");
    tx.execute(
        "INSERT INTO policy_versions (policy_id, version_id, number, document, created) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![p.id, version_id, number, doc, ts(now)],
    )
    .map_err(backend)?;
    tx.execute(
        "UPDATE policies SET next_version = next_version + 1, updated = ?2 WHERE id = ?1",
        params![p.id, ts(now)],
    )
    .map_err(backend)?;
    if set_default {
        tx.execute(
            "UPDATE policies SET default_version = ?2 WHERE id = ?1",
            params![p.id, version_id],
        )
        .map_err(backend)?;
    }
    Ok(PolicyVersion {
        version_id,
        document: doc.to_string(),
        is_default: set_default,
        created: now,
    })
}

pub(crate) fn get_version(
    c: &Connection,
    account: &str,
    arn: &str,
    version: &str,
) -> StoreResult<Option<PolicyVersion>> {
    let Some(p) = find(c, account, arn)? else {
        return Ok(None);
    };
    c.prepare_cached("SELECT version_id, document, created FROM policy_versions WHERE policy_id = ?1 AND version_id = ?2")
        .and_then(|mut st| st.query_row(params![p.id, version], version_row(&p.default_version)).optional())
        .map_err(backend)
}

pub(crate) fn list_versions(
    c: &Connection,
    account: &str,
    arn: &str,
) -> StoreResult<Vec<PolicyVersion>> {
    let p = find(c, account, arn)?.ok_or(StoreError::NotFound)?;
    let mut st = c.prepare_cached("SELECT version_id, document, created FROM policy_versions WHERE policy_id = ?1 ORDER BY number DESC").map_err(backend)?;
    let out = st
        .query_map([&p.id], version_row(&p.default_version))
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    Ok(out)
}

pub(crate) fn delete_version(
    tx: &Transaction<'_>,
    account: &str,
    arn: &str,
    version: &str,
) -> StoreResult<()> {
    let p = find(tx, account, arn)?.ok_or(StoreError::NotFound)?;
    if p.default_version == version {
        return Err(StoreError::Conflict(
            "Cannot delete the default version of a policy.",
        ));
    }
    let n = tx
        .execute(
            "DELETE FROM policy_versions WHERE policy_id = ?1 AND version_id = ?2",
            params![p.id, version],
        )
        .map_err(backend)?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(crate) fn set_default(
    tx: &Transaction<'_>,
    account: &str,
    arn: &str,
    version: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let p = find(tx, account, arn)?.ok_or(StoreError::NotFound)?;
    if count(
        tx,
        "SELECT COUNT(*) FROM policy_versions WHERE policy_id = ?1 AND version_id = ?2",
        params![p.id, version],
    )? == 0
    {
        return Err(StoreError::NotFound);
    }
    tx.execute(
        "UPDATE policies SET default_version = ?2, updated = ?3 WHERE id = ?1",
        params![p.id, version, ts(now)],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn attach(
    tx: &Transaction<'_>,
    account: &str,
    kind: OwnerKind,
    owner: &str,
    arn: &str,
    max: usize,
) -> StoreResult<()> {
    if count(
        tx,
        "SELECT COUNT(*) FROM attachments WHERE owner_id = ?1 AND policy_arn = ?2",
        params![owner, arn],
    )? > 0
    {
        return Ok(());
    }
    let n = count(
        tx,
        "SELECT COUNT(*) FROM attachments WHERE owner_id = ?1",
        [owner],
    )?;
    if n >= max {
        return Err(StoreError::LimitExceeded);
    }
    tx.execute(
        "INSERT INTO attachments (account, owner_id, owner_kind, policy_arn, seq)
         VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(seq), 0) + 1 FROM attachments WHERE owner_id = ?2))",
        params![account, owner, kind.as_str(), arn],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn detach(tx: &Transaction<'_>, owner: &str, arn: &str) -> StoreResult<()> {
    let n = tx
        .execute(
            "DELETE FROM attachments WHERE owner_id = ?1 AND policy_arn = ?2",
            params![owner, arn],
        )
        .map_err(backend)?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(crate) fn attached(c: &Connection, owner: &str) -> StoreResult<Vec<String>> {
    let mut st = c
        .prepare_cached("SELECT policy_arn FROM attachments WHERE owner_id = ?1 ORDER BY seq")
        .map_err(backend)?;
    let out = st
        .query_map([owner], |r| r.get(0))
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    Ok(out)
}

/// Attached policies block deleting their owner.
pub(crate) fn has_attachments(c: &Connection, owner: &str) -> StoreResult<bool> {
    Ok(count(
        c,
        "SELECT COUNT(*) FROM attachments WHERE owner_id = ?1",
        [owner],
    )? > 0)
}

pub(crate) fn set_user_boundary(
    tx: &Transaction<'_>,
    account: &str,
    user_id: &str,
    arn: Option<&str>,
) -> StoreResult<()> {
    let n = tx
        .execute(
            "UPDATE users SET permissions_boundary = ?3 WHERE account = ?1 AND id = ?2",
            params![account, user_id, arn],
        )
        .map_err(backend)?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(crate) fn entities(
    c: &Connection,
    account: &str,
    arn: &str,
    boundary: bool,
) -> StoreResult<Vec<(OwnerKind, String, String, String)>> {
    let sql = if boundary {
        "SELECT 'user', id, name, path, name_lc FROM users WHERE account = ?1 AND permissions_boundary = ?2
         UNION ALL SELECT 'role', id, name, path, name_lc FROM roles WHERE account = ?1 AND permissions_boundary = ?2
         ORDER BY 1, 5"
    } else {
        "SELECT a.owner_kind, a.owner_id, COALESCE(u.name, g.name, r.name), COALESCE(u.path, g.path, r.path),
                COALESCE(u.name_lc, g.name_lc, r.name_lc)
         FROM attachments a
         LEFT JOIN users u ON u.id = a.owner_id LEFT JOIN groups g ON g.id = a.owner_id LEFT JOIN roles r ON r.id = a.owner_id
         WHERE a.account = ?1 AND a.policy_arn = ?2 ORDER BY 1, 5"
    };
    let mut st = c.prepare_cached(sql).map_err(backend)?;
    let rows = st
        .query_map(params![account, arn], |r| {
            let kind: String = r.get(0)?;
            Ok((
                kind,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, id, name, path)| Some((OwnerKind::parse(&k)?, id, name?, path?)))
        .collect())
}
