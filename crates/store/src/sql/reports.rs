//! Reports: service-last-accessed report jobs, the latest credential report of each account,
//! and when users and roles last called each action of each service (`ReportStore` on SQLite).

use crate::rows::{parse_ts, ts};
use crate::sqlite::{SqliteStore, backend, exec, optional_row};
use chrono::{DateTime, Utc};
use portcullis_core::StoreResult;
use portcullis_core::reports::{ReportJob, ReportKind, ServiceAccess};
use portcullis_core::store::prelude::*;
use rusqlite::params;

impl ReportStore for SqliteStore {
    fn create_report_job(&self, job: &ReportJob, forget_before: DateTime<Utc>) -> StoreResult<()> {
        self.write(|tx| {
            exec(
                tx,
                "DELETE FROM report_jobs WHERE created < ?1",
                [ts(forget_before)],
            )?;
            exec(
                tx,
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
        })
    }

    fn get_report_job(&self, account: &str, id: &str) -> StoreResult<Option<ReportJob>> {
        let row = optional_row(
            &self.read(),
            "SELECT id, account, kind, target, detail, created FROM report_jobs
             WHERE account = ?1 AND id = ?2",
            [account, id],
            |r| {
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
            },
        )?;
        // A kind this version does not know (written by a newer one) is not a job it can answer.
        Ok(row
            .and_then(|(job, kind)| ReportKind::parse(&kind).map(|kind| ReportJob { kind, ..job })))
    }

    fn put_credential_report(
        &self,
        account: &str,
        generated: DateTime<Utc>,
        content: &str,
    ) -> StoreResult<()> {
        self.write(|tx| {
            exec(
                tx,
                "INSERT INTO credential_reports (account, generated, content) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account) DO UPDATE SET generated = ?2, content = ?3",
                params![account, ts(generated), content],
            )
        })
    }

    fn credential_report(&self, account: &str) -> StoreResult<Option<(DateTime<Utc>, String)>> {
        let row = optional_row(
            &self.read(),
            "SELECT generated, content FROM credential_reports WHERE account = ?1",
            [account],
            |r| Ok((r.get::<_, String>(0)?, r.get(1)?)),
        )?;
        row.map(|(at, content)| Ok((parse_ts(&at).map_err(backend)?, content)))
            .transpose()
    }

    fn record_service_access(&self, account: &str, a: &ServiceAccess) -> StoreResult<()> {
        self.write(|tx| {
            exec(
                tx,
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
        })
    }

    fn service_access(&self, entity_ids: &[String]) -> StoreResult<Vec<ServiceAccess>> {
        let c = self.read();
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
}
