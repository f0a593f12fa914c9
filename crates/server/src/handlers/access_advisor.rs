//! Service last accessed (access advisor): GenerateServiceLastAccessedDetails,
//! GetServiceLastAccessedDetails, GetServiceLastAccessedDetailsWithEntities and
//! ListPoliciesGrantingServiceAccess. A report lists the services of the catalogue
//! (`portcullis_core::catalog::services`) that the target's permissions policies could allow, with the
//! latest call this server recorded from the users and roles that could use them.

use crate::handlers::access_sources::{self, Entity, Grant};
use crate::handlers::pager::{PageArgs, page_of, truncation};
use crate::handlers::report_jobs;
use crate::handlers::{Ctx, store_failure};
use chrono::{DateTime, Utc};
use portcullis_core::catalog::services;
use portcullis_core::reports::{ReportJob, ReportKind, ServiceAccess};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    GenerateServiceLastAccessedDetailsInput, GetServiceLastAccessedDetailsInput,
    GetServiceLastAccessedDetailsWithEntitiesInput, ListPoliciesGrantingServiceAccessInput,
};
use portcullis_proto::output::{
    EntityDetails, EntityInfo, GenerateServiceLastAccessedDetailsOutput,
    GetServiceLastAccessedDetailsOutput, GetServiceLastAccessedDetailsWithEntitiesOutput,
    ListPoliciesGrantingServiceAccessEntry, ListPoliciesGrantingServiceAccessOutput,
    PolicyGrantingServiceAccess, ServiceLastAccessed, TrackedActionLastAccessed,
};
use std::collections::HashMap;

pub fn generate_service_last_accessed_details(
    ctx: &Ctx,
) -> Result<GenerateServiceLastAccessedDetailsOutput, AwsError> {
    let i: &GenerateServiceLastAccessedDetailsInput = ctx.input()?;
    access_sources::resolve(ctx, &i.arn, true)?;
    let granularity = i.granularity.as_deref().unwrap_or("SERVICE_LEVEL");
    let job_id =
        report_jobs::create_job(ctx, ReportKind::ServiceLastAccessed, &i.arn, granularity)?;
    Ok(GenerateServiceLastAccessedDetailsOutput {
        job_id: Some(job_id),
    })
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

pub fn get_service_last_accessed_details(
    ctx: &Ctx,
) -> Result<GetServiceLastAccessedDetailsOutput, AwsError> {
    let id = &ctx.input::<GetServiceLastAccessedDetailsInput>()?.job_id;
    let job = report_jobs::find_job(ctx, ReportKind::ServiceLastAccessed, id)?;
    let s = subject(ctx, &job)?;
    let services: Vec<(&str, &str)> = services::all()
        .iter()
        .map(|svc| (svc.namespace.as_str(), svc.name.as_str()))
        .filter(|(ns, _)| s.grants_service(ns))
        .collect();
    let (page, next) = page_of(services, &PageArgs::from(ctx)?)?;
    let action_level = job.detail == "ACTION_LEVEL";
    let service = |(ns, name): &(&str, &str)| {
        let latest = s.latest_by_entity(ns);
        let last = latest.values().max_by_key(|a| a.at);
        ServiceLastAccessed {
            service_name: name.to_string(),
            last_authenticated: last.map(|a| a.at),
            service_namespace: ns.to_string(),
            last_authenticated_entity: last.map(|a| s.entity_arn(&a.entity_id).to_string()),
            last_authenticated_region: last.map(|a| a.region.clone()),
            total_authenticated_entities: Some(i64::try_from(latest.len()).unwrap_or(i64::MAX)),
            tracked_actions_last_accessed: action_level.then(|| {
                tracked_actions(s.access.iter().filter(|a| a.service == *ns))
                    .into_iter()
                    .map(|a| TrackedActionLastAccessed {
                        action_name: Some(a.action.clone()),
                        last_accessed_entity: Some(s.entity_arn(&a.entity_id).to_string()),
                        last_accessed_time: Some(a.at),
                        last_accessed_region: Some(a.region.clone()),
                    })
                    .collect()
            }),
        }
    };
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok(GetServiceLastAccessedDetailsOutput {
        job_status: "COMPLETED".into(),
        job_type: Some(job.detail.clone()),
        job_creation_date: job.created,
        services_last_accessed: page.iter().map(service).collect(),
        job_completion_date: job.created,
        is_truncated,
        marker,
        error: None,
    })
}

pub fn get_service_last_accessed_details_with_entities(
    ctx: &Ctx,
) -> Result<GetServiceLastAccessedDetailsWithEntitiesOutput, AwsError> {
    let i: &GetServiceLastAccessedDetailsWithEntitiesInput = ctx.input()?;
    let job = report_jobs::find_job(ctx, ReportKind::ServiceLastAccessed, &i.job_id)?;
    let namespace = i.service_namespace.as_str();
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
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok(GetServiceLastAccessedDetailsWithEntitiesOutput {
        job_status: "COMPLETED".into(),
        job_creation_date: job.created,
        job_completion_date: job.created,
        entity_details_list: page
            .into_iter()
            .map(|(e, at)| EntityDetails {
                entity_info: EntityInfo {
                    arn: e.arn.clone(),
                    name: e.name.clone(),
                    type_: e.kind.to_string(),
                    id: e.id.clone(),
                    path: Some(e.path.clone()),
                },
                last_authenticated: at,
            })
            .collect(),
        is_truncated,
        marker,
        error: None,
    })
}

/// A policy that could allow an action of a service: managed (with its ARN) or inline (with
/// the kind and name of its owner).
fn granting(g: &Grant) -> PolicyGrantingServiceAccess {
    let (entity_type, entity_name) = match (&g.arn, &g.owner) {
        (None, Some((kind, name))) => (Some(kind.to_string()), Some(name.to_string())),
        _ => (None, None),
    };
    PolicyGrantingServiceAccess {
        policy_name: g.name.clone(),
        policy_type: if g.arn.is_some() { "MANAGED" } else { "INLINE" }.into(),
        policy_arn: g.arn.clone(),
        entity_type,
        entity_name,
    }
}

/// For each requested service, the target's policies that could allow one of its actions.
pub fn list_policies_granting_service_access(
    ctx: &Ctx,
) -> Result<ListPoliciesGrantingServiceAccessOutput, AwsError> {
    let i: &ListPoliciesGrantingServiceAccessInput = ctx.input()?;
    let target = access_sources::resolve(ctx, &i.arn, false)?;
    let grants = access_sources::grants(ctx, &target)?;
    let (is_truncated, marker) = truncation(None);
    Ok(ListPoliciesGrantingServiceAccessOutput {
        policies_granting_service_access: i
            .service_namespaces
            .iter()
            .map(|ns| ListPoliciesGrantingServiceAccessEntry {
                service_namespace: Some(ns.clone()),
                policies: Some(
                    grants
                        .iter()
                        .filter(|g| g.policy.allows_some_action_of(ns))
                        .map(granting)
                        .collect(),
                ),
            })
            .collect(),
        is_truncated,
        marker,
    })
}
