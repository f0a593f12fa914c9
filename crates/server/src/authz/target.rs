//! The target of a request: the ARN its route's resource rule names (read from the typed
//! input), with the tags and permissions boundary of an existing entity, cached until the next
//! write.

use super::{Env, Resource, Rule, Subject};
use crate::auth::Caller;
use crate::failure::store_failure;
use portcullis_core::catalog::service_roles;
use portcullis_core::{Principal, Tag, arn};
use portcullis_proto::{AwsError, Input};
use std::sync::Arc;

use super::EntityKind;

/// What the request acts on.
#[derive(Debug)]
pub struct Target {
    pub(super) arn: String,
    /// Tags of an existing tagged resource (`aws:ResourceTag/*`).
    pub(super) tags: Vec<Tag>,
    /// The permissions boundary of an existing user or role (`iam:PermissionsBoundary`).
    pub(super) boundary: Option<String>,
}

impl Target {
    pub(super) fn plain(arn: String) -> Self {
        Target {
            arn,
            tags: Vec::new(),
            boundary: None,
        }
    }
}

pub(super) fn target(
    app: &dyn Env,
    rule: &Rule,
    input: &Input,
    caller: &Caller,
    subject: &Subject,
) -> Result<Arc<Target>, AwsError> {
    let account = caller.principal.account();
    // A user acting on itself (its own name, or no name where the caller is the default) gets
    // the target built with its policies.
    if let (Resource::Entity(kind, param, caller_default), Principal::User(u), Some(view)) =
        (rule.resource, &caller.principal, subject.own_view())
    {
        let itself = match input.text(param) {
            None => caller_default,
            Some(name) => kind == EntityKind::User && u.name == name,
        };
        if itself {
            return Ok(view.target.clone());
        }
    }
    let plain = |arn: String| Ok(Arc::new(Target::plain(arn)));
    match rule.resource {
        // Decided without a policy, or against a trust policy (see `assume`).
        Resource::Unchecked
        | Resource::CallerMfa
        | Resource::Trust
        | Resource::WebIdentity
        | Resource::Star => plain("*".to_string()),
        Resource::ArnParam(p) => plain(input.text(p).unwrap_or("*").to_string()),
        Resource::FederatedUser(p) => plain(format!(
            "arn:{}:sts::{account}:federated-user/{}",
            arn::PARTITION,
            input.text(p).unwrap_or_default()
        )),
        Resource::AccessKeyOwner(p) => {
            let key = input
                .text(p)
                .map(|id| app.store().get_access_key(id))
                .transpose()
                .map_err(store_failure)?
                .flatten()
                .filter(|k| k.account == account);
            let owner = match key.as_ref().and_then(|k| k.user_id.as_deref()) {
                Some(uid) => app
                    .store()
                    .get_user_by_id(account, uid)
                    .map_err(store_failure)?,
                None => None,
            };
            match (key, owner) {
                (Some(_), Some(u)) => Ok(Arc::new(Target {
                    arn: u.arn(),
                    tags: app.store().tags(&u.id).map_err(store_failure)?,
                    boundary: u.permissions_boundary.clone(),
                })),
                (Some(_), None) => plain(arn::root(account)),
                // An unknown key: the handler answers NoSuchEntity to those allowed to ask.
                (None, _) => plain("*".to_string()),
            }
        }
        Resource::New(arn_type, name_param) => plain(arn::entity(
            account,
            arn_type,
            input.text("Path").unwrap_or("/"),
            input.text(name_param).unwrap_or("*"),
        )),
        Resource::OidcProviderUrl(p) => {
            let url = input.text(p).unwrap_or_default();
            plain(arn::oidc_provider(
                account,
                url.strip_prefix("https://").unwrap_or(url),
            ))
        }
        Resource::ServiceLinkedRole(p) => {
            let service = input.text(p).unwrap_or_default();
            match service_roles::for_service(service) {
                Some(known) => {
                    let name = match input.text("CustomSuffix") {
                        Some(suffix) => format!("{}_{suffix}", known.name),
                        None => known.name,
                    };
                    let path = format!("/aws-service-role/{service}/");
                    plain(arn::entity(account, "role", &path, &name))
                }
                // Not a service: the handler refuses it to those allowed to ask.
                None => plain("*".to_string()),
            }
        }
        Resource::DeletionTask(p) => {
            // `task/aws-service-role/SERVICE/ROLE/UUID` names the role
            // `role/aws-service-role/SERVICE/ROLE`.
            let task = input.text(p).unwrap_or_default();
            let role = task
                .strip_prefix("task/aws-service-role/")
                .and_then(|rest| rest.rsplit_once('/'))
                .map(|(service_and_role, _)| service_and_role);
            match role {
                Some(r) => plain(format!(
                    "arn:{}:iam::{account}:role/aws-service-role/{r}",
                    arn::PARTITION
                )),
                None => plain("*".to_string()),
            }
        }
        Resource::PathListing(arn_type) => plain(format!(
            "arn:{}:iam::{account}:{arn_type}{}",
            arn::PARTITION,
            input.text("PathPrefix").unwrap_or("/")
        )),
        Resource::Entity(kind, param, caller_default) => match input.text(param) {
            None if caller_default => plain(caller.principal.arn()),
            None => plain("*".to_string()),
            Some(name) => {
                // An existing entity's target, cached until the next write (absent entities
                // are not cached).
                let key = format!("{kind:?}\0{account}\0{name}");
                let existing = app.caches().targets.get_or_fill_existing(&key, || {
                    let found = match kind {
                        EntityKind::User => app
                            .store()
                            .get_user(account, name)
                            .map_err(store_failure)?
                            .map(|u| (u.arn(), u.id, u.permissions_boundary)),
                        EntityKind::Role => app
                            .store()
                            .get_role(account, name)
                            .map_err(store_failure)?
                            .map(|r| (r.arn(), r.id, r.permissions_boundary)),
                        EntityKind::Group => app
                            .store()
                            .get_group(account, name)
                            .map_err(store_failure)?
                            .map(|g| (g.arn(), g.id, None)),
                        EntityKind::ServerCertificate => app
                            .store()
                            .get_server_cert(account, name)
                            .map_err(store_failure)?
                            .map(|c| (c.arn(), c.id, None)),
                        EntityKind::InstanceProfile => app
                            .store()
                            .get_instance_profile(account, name)
                            .map_err(store_failure)?
                            .map(|p| (p.arn(), p.id, None)),
                    };
                    found
                        .map(|(arn, id, boundary)| {
                            Ok(Target {
                                arn,
                                tags: app.store().tags(&id).map_err(store_failure)?,
                                boundary,
                            })
                        })
                        .transpose()
                })?;
                match existing {
                    Some(t) => Ok(t),
                    None => {
                        let path = input.text("Path").unwrap_or("/");
                        plain(arn::entity(account, kind.arn_type(), path, name))
                    }
                }
            }
        },
    }
}
