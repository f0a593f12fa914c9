//! Central authorization: every operation is checked here, once, before its handler runs, using
//! the action and resource rule the operation table declares and the policy engine's decision.
//!
//! Root may do everything in its own account (as in AWS, where only organization policies limit
//! it). An IAM user is decided by its effective identity policies (its own inline and attached
//! policies and those of its groups) within its permissions boundary. GetCallerIdentity is never authorized, as in AWS.

use crate::app::App;
use crate::auth::Caller;
use crate::handlers::store_failure;
use crate::net::Origin;
use chrono::{DateTime, Utc};
use portcullis_core::clock::iso8601;
use portcullis_core::{Principal, Tag, User, arn};
use portcullis_policy::{
    CompiledPolicy, PolicyKind, PolicySet, PolicyType, RequestContext, access_denied_message,
    evaluate,
};
use portcullis_proto::ops::{EntityKind, Resource};
use portcullis_proto::{AwsError, Operation, Params};
use std::sync::Arc;

/// A user's compiled effective policies and its tags (for `aws:PrincipalTag`).
#[derive(Debug)]
pub struct PrincipalPolicies {
    pub identity: PolicySet,
    pub boundary: Option<PolicySet>,
    pub tags: Vec<Tag>,
}

/// What the request acts on.
struct Target {
    arn: String,
    /// Tags of an existing tagged resource (`aws:ResourceTag/*`).
    tags: Vec<Tag>,
    /// The permissions boundary of an existing user or role (`iam:PermissionsBoundary`).
    boundary: Option<String>,
}

fn target(app: &App, op: Operation, params: &Params, caller: &Caller) -> Result<Target, AwsError> {
    let account = caller.principal.account();
    let plain = |arn: String| {
        Ok(Target {
            arn,
            tags: Vec::new(),
            boundary: None,
        })
    };
    match op.info().resource {
        Resource::Unchecked | Resource::Star => plain("*".to_string()),
        Resource::ArnParam(p) => plain(params.get(p).unwrap_or("*").to_string()),
        Resource::PathListing(arn_type) => plain(format!(
            "arn:{}:iam::{account}:{arn_type}{}",
            arn::PARTITION,
            params.get("PathPrefix").unwrap_or("/")
        )),
        Resource::Entity(kind, param, caller_default) => match params.get(param) {
            None if caller_default => match &caller.principal {
                Principal::User(u) => Ok(Target {
                    arn: u.arn(),
                    tags: user_tags(app, u)?,
                    boundary: u.permissions_boundary.clone(),
                }),
                Principal::Root { .. } => plain(caller.principal.arn()),
            },
            None => plain("*".to_string()),
            Some(name) => {
                let store_err = store_failure;
                let existing = match kind {
                    EntityKind::User => app
                        .store
                        .get_user(account, name)
                        .map_err(store_err)?
                        .map(|u| (u.arn(), u.id, u.permissions_boundary)),
                    EntityKind::Role => app
                        .store
                        .get_role(account, name)
                        .map_err(store_err)?
                        .map(|r| (r.arn(), r.id, r.permissions_boundary)),
                    EntityKind::Group => app
                        .store
                        .get_group(account, name)
                        .map_err(store_err)?
                        .map(|g| (g.arn(), g.id, None)),
                    EntityKind::ServerCertificate => app
                        .store
                        .get_server_cert(account, name)
                        .map_err(store_err)?
                        .map(|c| (c.arn(), c.id, None)),
                    _ => None,
                };
                match existing {
                    Some((arn, id, boundary)) => Ok(Target {
                        arn,
                        tags: app.store.tags(&id).map_err(store_err)?,
                        boundary,
                    }),
                    None => {
                        let path = params.get("Path").unwrap_or("/");
                        plain(arn::entity(account, kind.arn_type(), path, name))
                    }
                }
            }
        },
    }
}

fn user_tags(app: &App, u: &User) -> Result<Vec<Tag>, AwsError> {
    app.store.tags(&u.id).map_err(store_failure)
}

/// Compiles a stored document. Stored documents were validated when written, so a failure here
/// means corruption: failing closed (an error, never a skipped policy) is the only safe answer.
fn compile(id: String, doc: &str, policy_type: PolicyType) -> Result<CompiledPolicy, AwsError> {
    CompiledPolicy::parse(doc, PolicyKind::Identity, id.clone(), policy_type).map_err(|e| {
        tracing::error!(policy = %id, error = %e, "a stored policy does not compile");
        AwsError::internal()
    })
}

/// The default version of a managed policy (AWS managed or of the user's account).
fn managed_document(app: &App, account: &str, arn: &str) -> Result<Option<String>, AwsError> {
    if let Some(b) = crate::aws_managed::find(arn) {
        return Ok(Some(b.document.to_string()));
    }
    let Some(p) = app.store.get_policy(account, arn).map_err(store_failure)? else {
        return Ok(None);
    };
    Ok(app
        .store
        .get_policy_version(account, arn, &p.default_version)
        .map_err(store_failure)?
        .map(|v| v.document))
}

/// Inline and attached policies of one user or group.
fn owner_policies(
    app: &App,
    account: &str,
    owner_id: &str,
    owner_arn: &str,
    out: &mut Vec<CompiledPolicy>,
) -> Result<(), AwsError> {
    for (name, doc) in app
        .store
        .list_inline_policies(owner_id)
        .map_err(store_failure)?
    {
        out.push(compile(
            format!("{owner_arn}/{name}"),
            &doc,
            PolicyType::Identity,
        )?);
    }
    for arn in app
        .store
        .attached_policies(owner_id)
        .map_err(store_failure)?
    {
        if let Some(doc) = managed_document(app, account, &arn)? {
            out.push(compile(arn, &doc, PolicyType::Identity)?);
        }
    }
    Ok(())
}

/// The user's effective policies: its own inline and attached policies, those of its groups, and
/// its permissions boundary; compiled once and cached until the next write.
fn principal_policies(app: &App, user: &User) -> Result<Arc<PrincipalPolicies>, AwsError> {
    if let Some(p) = app.policies.get(&user.id) {
        return Ok(p);
    }
    let generation = app.policies.generation();
    let mut compiled = Vec::new();
    owner_policies(app, &user.account, &user.id, &user.arn(), &mut compiled)?;
    let mut marker = None;
    loop {
        let page = app
            .store
            .list_groups_for_user(&user.account, &user.id, marker.as_deref(), 100)
            .map_err(store_failure)?;
        for g in &page.items {
            owner_policies(app, &user.account, &g.id, &g.arn(), &mut compiled)?;
        }
        match page.next_marker {
            Some(m) => marker = Some(m),
            None => break,
        }
    }
    let boundary = match &user.permissions_boundary {
        // A boundary that no longer resolves allows nothing.
        Some(arn) => {
            let doc = managed_document(app, &user.account, arn)?;
            Some(PolicySet::new(
                doc.map(|d| compile(arn.clone(), &d, PolicyType::PermissionsBoundary))
                    .transpose()?,
            ))
        }
        None => None,
    };
    let value = Arc::new(PrincipalPolicies {
        identity: PolicySet::new(compiled),
        boundary,
        tags: user_tags(app, user)?,
    });
    app.policies.insert(&user.id, value.clone(), generation);
    Ok(value)
}

/// Facts about the request that condition keys read.
#[derive(Debug)]
pub struct RequestFacts<'a> {
    pub origin: &'a Origin,
    pub user_agent: Option<&'a str>,
    pub now: DateTime<Utc>,
}

fn tag_keys_of_request(op: Operation, params: &Params) -> (Vec<(String, String)>, Vec<String>) {
    let tags: Vec<(String, String)> = params
        .struct_list("Tags")
        .unwrap_or_default()
        .iter()
        .filter_map(|m| {
            Some((
                m.get("Key")?.to_string(),
                m.get("Value").copied().unwrap_or("").to_string(),
            ))
        })
        .collect();
    let mut keys: Vec<String> = tags.iter().map(|(k, _)| k.clone()).collect();
    if op.name().starts_with("Untag") {
        keys = params
            .list("TagKeys")
            .unwrap_or_default()
            .into_iter()
            .map(str::to_string)
            .collect();
    }
    (tags, keys)
}

/// One authorization question: who asks to do what, and how the request arrived.
struct Ask<'a> {
    op: Operation,
    params: &'a Params,
    caller: &'a Caller,
    facts: &'a RequestFacts<'a>,
}

fn context_for(
    user: &User,
    policies: &PrincipalPolicies,
    target: &Target,
    ask: &Ask<'_>,
) -> RequestContext {
    let (op, params, caller, facts) = (ask.op, ask.params, ask.caller, ask.facts);
    let action = op.action();
    let who = portcullis_policy::Caller::User {
        arn: user.arn(),
        account: user.account.clone(),
        unique_id: Some(user.id.clone()),
    };
    let mut ctx = RequestContext::new(who, action, target.arn.clone());
    ctx.set_principal_keys();
    ctx.set("aws:SourceIp", facts.origin.source_ip.to_string());
    ctx.set(
        "aws:SecureTransport",
        if facts.origin.secure_transport {
            "true"
        } else {
            "false"
        },
    );
    ctx.set("aws:CurrentTime", iso8601(facts.now));
    ctx.set("aws:EpochTime", facts.now.timestamp().to_string());
    ctx.set("aws:RequestedRegion", caller.region.clone());
    if let Some(ua) = facts.user_agent {
        ctx.set("aws:UserAgent", ua);
    }
    for t in &policies.tags {
        ctx.set(&format!("aws:PrincipalTag/{}", t.key), t.value.clone());
    }
    for t in &target.tags {
        ctx.set(&format!("aws:ResourceTag/{}", t.key), t.value.clone());
        ctx.set(&format!("iam:ResourceTag/{}", t.key), t.value.clone());
    }
    // The boundary a request sets, or the one the target user or role already has.
    if let Some(b) = params
        .get("PermissionsBoundary")
        .map(str::to_string)
        .or_else(|| target.boundary.clone())
    {
        ctx.set("iam:PermissionsBoundary", b);
    }
    if (op.name().starts_with("Attach") || op.name().starts_with("Detach"))
        && let Some(arn) = params.get("PolicyArn")
    {
        ctx.set("iam:PolicyARN", arn);
    }
    let (request_tags, tag_keys) = tag_keys_of_request(op, params);
    for (k, v) in &request_tags {
        ctx.set(&format!("aws:RequestTag/{k}"), v.clone());
    }
    if !tag_keys.is_empty() {
        ctx.set_values("aws:TagKeys", tag_keys);
    }
    ctx
}

/// Allows or denies `op` for `caller`, with AWS's AccessDenied wording.
pub fn authorize(
    app: &App,
    op: Operation,
    params: &Params,
    caller: &Caller,
    facts: &RequestFacts<'_>,
) -> Result<(), AwsError> {
    if op.info().resource == Resource::Unchecked {
        return Ok(());
    }
    let user = match &caller.principal {
        Principal::Root { .. } => return Ok(()),
        Principal::User(user) => user,
    };
    let target = target(app, op, params, caller)?;
    let policies = principal_policies(app, user)?;
    let ask = Ask {
        op,
        params,
        caller,
        facts,
    };
    let ctx = context_for(user, &policies, &target, &ask);
    let mut input = portcullis_policy::EvalInput::new(&ctx, &policies.identity);
    input.permissions_boundary = policies.boundary.as_ref();
    let decision = evaluate(&input);
    tracing::debug!(
        principal = %user.arn(),
        action = %ctx.action,
        resource = %ctx.resource,
        outcome = ?decision.outcome,
        statements = ?decision.statements,
        missing_or_denied = ?decision.denied_by,
        "authorization"
    );
    if decision.is_allowed() {
        Ok(())
    } else {
        Err(AwsError::access_denied(access_denied_message(
            &ctx, &decision,
        )))
    }
}
