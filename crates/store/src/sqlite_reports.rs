//! Account settings, report jobs and per-service last access for the SQLite engine.

use crate::sqlite_rows::{backend, parse_ts, ts};
use chrono::{DateTime, Utc};
use portcullis_core::StoreResult;
use portcullis_core::reports::{ReportJob, ReportKind, ServiceAccess};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

pub(crate) fn setting(c: &Connection, account: &str, key: &str) -> StoreResult<Option<String>> {
    c.prepare_cached("SELECT value FROM account_settings WHERE account = ?1 AND key = ?2")
        .and_then(|mut st| st.query_row([account, key], |r| r.get(0)).optional())
        .map_err(backend)
}

pub(crate) fn settings(
    c: &Connection,
    account: &str,
    prefix: &str,
) -> StoreResult<Vec<(String, String)>> {
    let mut st = c
        .prepare_cached(
            "SELECT key, value FROM account_settings
             WHERE account = ?1 AND substr(key, 1, length(?2)) = ?2 ORDER BY key",
        )
        .map_err(backend)?;
    let out = st
        .query_map([account, prefix], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    Ok(out)
}

pub(crate) fn put_settings(
    tx: &Transaction<'_>,
    account: &str,
    settings: &[(String, Option<String>)],
) -> StoreResult<()> {
    for (key, value) in settings {
        match value {
            Some(v) => tx.execute(
                "INSERT INTO account_settings (account, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account, key) DO UPDATE SET value = excluded.value",
                [account, key, v],
            ),
            None => tx.execute(
                "DELETE FROM account_settings WHERE account = ?1 AND key = ?2",
                [account, key],
            ),
        }
        .map_err(backend)?;
    }
    Ok(())
}

pub(crate) fn create_job(
    tx: &Transaction<'_>,
    job: &ReportJob,
    forget_before: DateTime<Utc>,
) -> StoreResult<()> {
    tx.execute(
        "DELETE FROM report_jobs WHERE created < ?1",
        [ts(forget_before)],
    )
    .map_err(backend)?;
    tx.execute(
        "INSERT INTO report_jobs (id, account, kind, target, detail, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            job.id,
            job.account,
            job.kind.as_str(),
            job.target,
            job.detail,
            ts(job.created)
        ],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn job(c: &Connection, account: &str, id: &str) -> StoreResult<Option<ReportJob>> {
    let row = c
        .prepare_cached(
            "SELECT id, account, kind, target, detail, created FROM report_jobs
             WHERE account = ?1 AND id = ?2",
        )
        .and_then(|mut st| {
            st.query_row([account, id], |r| {
                Ok((
                    ReportJob {
                        id: r.get(0)?,
                        account: r.get(1)?,
                        kind: ReportKind::ServiceLastAccessed,
                        target: r.get(3)?,
                        detail: r.get(4)?,
                        created: parse_ts(&r.get::<_, String>(5)?)?,
                    },
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()
        })
        .map_err(backend)?;
    // A kind this version does not know (written by a newer one) is not a job it can answer.
    Ok(row.and_then(|(job, kind)| ReportKind::parse(&kind).map(|kind| ReportJob { kind, ..job })))
}

pub(crate) fn put_credential_report(
    tx: &Transaction<'_>,
    account: &str,
    generated: DateTime<Utc>,
    content: &str,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO credential_reports (account, generated, content) VALUES (?1, ?2, ?3)
         ON CONFLICT (account) DO UPDATE SET generated = ?2, content = ?3",
        params![account, ts(generated), content],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn credential_report(
    c: &Connection,
    account: &str,
) -> StoreResult<Option<(DateTime<Utc>, String)>> {
    let row = c
        .prepare_cached("SELECT generated, content FROM credential_reports WHERE account = ?1")
        .and_then(|mut st| {
            st.query_row([account], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(backend)?;
    row.map(|(at, content)| Ok((parse_ts(&at).map_err(backend)?, content)))
        .transpose()
}

pub(crate) fn record_access(
    tx: &Transaction<'_>,
    account: &str,
    a: &ServiceAccess,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO service_access (entity_id, account, service, action, at, region)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (entity_id, service, action) DO UPDATE
         SET at = excluded.at, region = excluded.region WHERE excluded.at > service_access.at",
        params![
            a.entity_id,
            account,
            a.service,
            a.action,
            ts(a.at),
            a.region
        ],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn access(c: &Connection, entity_ids: &[String]) -> StoreResult<Vec<ServiceAccess>> {
    let mut st = c
        .prepare_cached(
            "SELECT entity_id, service, action, at, region FROM service_access WHERE entity_id = ?1",
        )
        .map_err(backend)?;
    let mut out = Vec::new();
    for id in entity_ids {
        let rows = st
            .query_map([id], |r| {
                Ok(ServiceAccess {
                    entity_id: r.get(0)?,
                    service: r.get(1)?,
                    action: r.get(2)?,
                    at: parse_ts(&r.get::<_, String>(3)?)?,
                    region: r.get(4)?,
                })
            })
            .map_err(backend)?;
        for row in rows {
            out.push(row.map_err(backend)?);
        }
    }
    Ok(out)
}
