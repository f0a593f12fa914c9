//! Reports: service-last-accessed report jobs, the latest credential report of each account,
//! and when users and roles last called each action of each service (`ReportStore` over the engine interface).

use crate::engine::{Engine, EngineTx, SqlStore, all_rows, any, exec, optional_row, params};
use crate::rows::{parse_ts, ts};
use chrono::{DateTime, Utc};
use portcullis_core::StoreResult;
use portcullis_core::reports::{ReportClaim, ReportJob, ReportKind, ServiceAccess};
use portcullis_core::store::ReportTx;
use portcullis_core::store::prelude::*;

impl<E: Engine> ReportStore for SqlStore<E> {
    fn get_report_job(&self, account: &str, id: &str) -> StoreResult<Option<ReportJob>> {
        let row = self.read(|c| {
            optional_row(
                c,
                "SELECT id, account, kind, target, detail, created FROM report_jobs
             WHERE account = ?1 AND id = ?2",
                params![account, id],
                |r| {
                    Ok((
                        ReportJob {
                            id: r.get(0)?,
                            account: r.get(1)?,
                            kind: ReportKind::ServiceLastAccessed,
                            target: r.get(3)?,
                            detail: r.get(4)?,
                            created: parse_ts(&r.get::<String>(5)?)?,
                        },
                        r.get::<String>(2)?,
                    ))
                },
            )
        })?;
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
        self.record(|tx| {
            exec(
                tx,
                "INSERT INTO credential_reports (account, generated, content) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account) DO UPDATE SET generated = ?2, content = ?3",
                params![account, ts(generated), content],
            )?;
            exec(
                tx,
                "DELETE FROM credential_report_claims WHERE account = ?1",
                params![account],
            )
        })
    }

    fn claim_credential_report(
        &self,
        account: &str,
        now: DateTime<Utc>,
        fresh_after: DateTime<Utc>,
        claimed_after: DateTime<Utc>,
    ) -> StoreResult<ReportClaim> {
        self.record(|tx| {
            let generated: Option<String> = optional_row(
                tx,
                "SELECT generated FROM credential_reports WHERE account = ?1",
                params![account],
                |r| r.get(0),
            )?;
            let generated = generated.map(|g| parse_ts(&g)).transpose()?;
            if generated.is_some_and(|g| g > fresh_after) {
                return Ok(ReportClaim::Fresh);
            }
            // Takes the claim unless another, recent enough, holds it.
            let taken = tx.execute(
                "INSERT INTO credential_report_claims (account, since) VALUES (?1, ?2)
                 ON CONFLICT (account) DO UPDATE SET since = excluded.since
                 WHERE credential_report_claims.since <= ?3",
                params![account, ts(now), ts(claimed_after)],
            )?;
            Ok(if taken == 0 {
                ReportClaim::InProgress
            } else {
                ReportClaim::Claimed {
                    expired: generated.is_some(),
                }
            })
        })
    }

    fn credential_report_in_progress(
        &self,
        account: &str,
        claimed_after: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.read(|c| {
            any(
                c,
                "SELECT COUNT(*) FROM credential_report_claims WHERE account = ?1 AND since > ?2",
                params![account, ts(claimed_after)],
            )
        })
    }

    fn release_credential_report(&self, account: &str) -> StoreResult<()> {
        self.record(|tx| {
            exec(
                tx,
                "DELETE FROM credential_report_claims WHERE account = ?1",
                params![account],
            )
        })
    }

    fn credential_report(&self, account: &str) -> StoreResult<Option<(DateTime<Utc>, String)>> {
        let row = self.read(|c| {
            optional_row(
                c,
                "SELECT generated, content FROM credential_reports WHERE account = ?1",
                params![account],
                |r| Ok((r.get::<String>(0)?, r.get(1)?)),
            )
        })?;
        row.map(|(at, content)| Ok((parse_ts(&at)?, content)))
            .transpose()
    }

    fn record_service_access(&self, account: &str, a: &ServiceAccess) -> StoreResult<()> {
        self.record(|tx| {
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
        self.read(|c| {
            let mut out = Vec::new();
            for id in entity_ids {
                out.extend(all_rows(
                    c,
                    "SELECT entity_id, service, action, at, region FROM service_access WHERE entity_id = ?1",
                    params![id],
                    |r| {
                        Ok(ServiceAccess {
                            entity_id: r.get(0)?,
                            service: r.get(1)?,
                            action: r.get(2)?,
                            at: parse_ts(&r.get::<String>(3)?)?,
                            region: r.get(4)?,
                        })
                    },
                )?);
            }
            Ok(out)
        })
    }
}

impl ReportTx for EngineTx<'_> {
    fn create_report_job(&self, job: &ReportJob, forget_before: DateTime<Utc>) -> StoreResult<()> {
        exec(
            self.0,
            "DELETE FROM report_jobs WHERE created < ?1",
            params![ts(forget_before)],
        )?;
        exec(
            self.0,
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
    }
}
