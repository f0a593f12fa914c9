//! Service last accessed (access advisor): GenerateServiceLastAccessedDetails,
//! GetServiceLastAccessedDetails, GetServiceLastAccessedDetailsWithEntities and
//! ListPoliciesGrantingServiceAccess. A report lists the services of the catalogue
//! (`portcullis_core::catalog::services`) that the target's permissions policies could allow, with the
//! latest call this server recorded from the users and roles that could use them.

use crate::handlers::access_sources::{self, Entity, Grant};
use crate::handlers::pager::{PageArgs, page_of, write_truncation};
use crate::handlers::report_jobs;
use crate::handlers::{Ctx, HandlerResult, store_failure};
use chrono::{DateTime, Utc};
use portcullis_core::catalog::services;
use portcullis_core::clock::iso8601;
use portcullis_core::reports::{ReportJob, ReportKind, ServiceAccess};
use portcullis_proto::AwsError;
use portcullis_proto::xml::XmlWriter;
use std::collections::HashMap;

pub fn generate_service_last_accessed_details(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required("Arn");
    access_sources::resolve(ctx, arn, true)?;
    let granularity = ctx.param("Granularity").unwrap_or("SERVICE_LEVEL");
    report_jobs::create(ctx, ReportKind::ServiceLastAccessed, arn, granularity)
}

/// A job's target with what the report needs about it.
struct Subject {
    grants: Vec<Grant>,
    entities: Vec<Entity>,
    /// The entities' recorded calls.
    access: Vec<ServiceAccess>,
}

fn subject(ctx: &Ctx, job: &ReportJob) -> Result<Subject, AwsError> {
    // An entity deleted since the job was created leaves an empty report.
    let target = match access_sources::resolve(ctx, &job.target, true) {
        Ok(t) => Some(t),
        Err(e) if e.code == "NoSuchEntity" => None,
        Err(e) => return Err(e),
    };
    let Some(target) = target else {
        return Ok(Subject {
            grants: Vec::new(),
            entities: Vec::new(),
            access: Vec::new(),
        });
    };
    let grants = access_sources::grants(ctx, &target)?;
    let entities = access_sources::entities(ctx, &target)?;
    let ids: Vec<String> = entities.iter().map(|e| e.id.clone()).collect();
    let access = ctx.app.store.service_access(&ids).map_err(store_failure)?;
    Ok(Subject {
        grants,
        entities,
        access,
    })
}

impl Subject {
    fn grants_service(&self, namespace: &str) -> bool {
        self.grants
            .iter()
            .any(|g| g.policy.allows_some_action_of(namespace))
    }

    fn entity_arn(&self, id: &str) -> &str {
        self.entities
            .iter()
            .find(|e| e.id == id)
            .map_or("", |e| e.arn.as_str())
    }

    /// The latest call of each entity to the service, by entity id.
    fn latest_by_entity(&self, namespace: &str) -> HashMap<&str, &ServiceAccess> {
        let mut out: HashMap<&str, &ServiceAccess> = HashMap::new();
        for a in self.access.iter().filter(|a| a.service == namespace) {
            let e = out.entry(a.entity_id.as_str()).or_insert(a);
            if a.at > e.at {
                *e = a;
            }
        }
        out
    }
}

fn job_dates(w: &mut XmlWriter, job: &ReportJob) {
    let created = iso8601(job.created);
    w.elem("JobCreationDate", &created)
        .elem("JobCompletionDate", &created);
}

/// The latest call to each action of the service: (action, record), by action name.
fn tracked_actions<'a>(records: impl Iterator<Item = &'a ServiceAccess>) -> Vec<&'a ServiceAccess> {
    let mut by_action: HashMap<&str, &ServiceAccess> = HashMap::new();
    for a in records {
        let e = by_action.entry(a.action.as_str()).or_insert(a);
        if a.at > e.at {
            *e = a;
        }
    }
    let mut out: Vec<&ServiceAccess> = by_action.into_values().collect();
    out.sort_by(|a, b| a.action.cmp(&b.action));
    out
}

pub fn get_service_last_accessed_details(ctx: &Ctx) -> HandlerResult {
    let job = report_jobs::find(ctx, ReportKind::ServiceLastAccessed)?;
    let s = subject(ctx, &job)?;
    let services: Vec<(&str, &str)> = services::all()
        .iter()
        .map(|svc| (svc.namespace.as_str(), svc.name.as_str()))
        .filter(|(ns, _)| s.grants_service(ns))
        .collect();
    let (page, next) = page_of(services, &PageArgs::from(ctx)?)?;
    let action_level = job.detail == "ACTION_LEVEL";
    let mut w = XmlWriter::new();
    w.elem("JobStatus", "COMPLETED")
        .elem("JobType", &job.detail);
    job_dates(&mut w, &job);
    w.list("ServicesLastAccessed", &page, |w, (ns, name)| {
        let latest = s.latest_by_entity(ns);
        let last = latest.values().max_by_key(|a| a.at);
        w.elem("ServiceName", name);
        if let Some(a) = last {
            w.elem("LastAuthenticated", &iso8601(a.at));
        }
        w.elem("ServiceNamespace", ns);
        if let Some(a) = last {
            w.elem("LastAuthenticatedEntity", s.entity_arn(&a.entity_id))
                .elem("LastAuthenticatedRegion", &a.region);
        }
        w.num(
            "TotalAuthenticatedEntities",
            i64::try_from(latest.len()).unwrap_or(i64::MAX),
        );
        if action_level {
            let actions = tracked_actions(s.access.iter().filter(|a| a.service == *ns));
            w.list("TrackedActionsLastAccessed", &actions, |w, a| {
                w.elem("ActionName", &a.action)
                    .elem("LastAccessedEntity", s.entity_arn(&a.entity_id))
                    .elem("LastAccessedTime", &iso8601(a.at))
                    .elem("LastAccessedRegion", &a.region);
            });
        }
    });
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}

pub fn get_service_last_accessed_details_with_entities(ctx: &Ctx) -> HandlerResult {
    let job = report_jobs::find(ctx, ReportKind::ServiceLastAccessed)?;
    let namespace = ctx.required("ServiceNamespace");
    let s = subject(ctx, &job)?;
    let mut rows: Vec<(&Entity, Option<DateTime<Utc>>)> = Vec::new();
    if s.grants_service(namespace) {
        let latest = s.latest_by_entity(namespace);
        rows = s
            .entities
            .iter()
            .map(|e| (e, latest.get(e.id.as_str()).map(|a| a.at)))
            .collect();
        // Most recent first; entities that never called the service last, by name.
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
    }
    let (page, next) = page_of(rows, &PageArgs::from(ctx)?)?;
    let mut w = XmlWriter::new();
    w.elem("JobStatus", "COMPLETED");
    job_dates(&mut w, &job);
    w.list("EntityDetailsList", &page, |w, (e, at)| {
        w.open("EntityInfo")
            .elem("Arn", &e.arn)
            .elem("Name", &e.name)
            .elem("Type", e.kind)
            .elem("Id", &e.id)
            .elem("Path", &e.path)
            .close("EntityInfo");
        if let Some(at) = at {
            w.elem("LastAuthenticated", &iso8601(*at));
        }
    });
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}

/// For each requested service, the target's policies that could allow one of its actions.
pub fn list_policies_granting_service_access(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required("Arn");
    let target = access_sources::resolve(ctx, arn, false)?;
    let grants = access_sources::grants(ctx, &target)?;
    let namespaces = ctx.input.strings("ServiceNamespaces").unwrap_or_default();
    let mut w = XmlWriter::new();
    w.list("PoliciesGrantingServiceAccess", namespaces, |w, ns| {
        let granting: Vec<&Grant> = grants
            .iter()
            .filter(|g| g.policy.allows_some_action_of(ns))
            .collect();
        w.elem("ServiceNamespace", ns);
        w.list("Policies", &granting, |w, g| {
            w.elem("PolicyName", &g.name);
            match (&g.arn, &g.owner) {
                (Some(arn), _) => {
                    w.elem("PolicyType", "MANAGED").elem("PolicyArn", arn);
                }
                (None, owner) => {
                    w.elem("PolicyType", "INLINE");
                    if let Some((kind, name)) = owner {
                        w.elem("EntityType", kind).elem("EntityName", name);
                    }
                }
            }
        });
    });
    write_truncation(&mut w, None);
    Ok(w.finish())
}
