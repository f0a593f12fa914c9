//! Central authorization: every operation is checked here, once, before its handler runs, using
//! the action and resource rule the operation table declares.
//!
//! Until the policy engine is wired in, the decision is what AWS gives principals without any
//! policy: root may do everything in its own account, everyone else is denied (GetCallerIdentity
//! is never authorized, as in AWS).

use crate::app::App;
use crate::auth::Caller;
use portcullis_core::{Principal, arn};
use portcullis_proto::ops::{EntityKind, Resource};
use portcullis_proto::{AwsError, Operation, Params};

/// The ARN a request acts on, as AWS names it in policies and AccessDenied messages.
pub fn resource_arn(
    app: &App,
    op: Operation,
    params: &Params,
    caller: &Caller,
) -> Result<String, AwsError> {
    let account = caller.principal.account();
    Ok(match op.info().resource {
        Resource::Unchecked | Resource::Star => "*".to_string(),
        Resource::ArnParam(p) => params.get(p).unwrap_or("*").to_string(),
        Resource::PathListing(arn_type) => format!(
            "arn:{}:iam::{account}:{arn_type}{}",
            arn::PARTITION,
            params.get("PathPrefix").unwrap_or("/")
        ),
        Resource::Entity(kind, param, caller_default) => match params.get(param) {
            None if caller_default => caller.principal.arn(),
            None => "*".to_string(),
            Some(name) => {
                let existing_path = if kind == EntityKind::User {
                    app.store
                        .get_user(account, name)
                        .map_err(|_| AwsError::internal())?
                        .map(|u| u.path)
                } else {
                    None
                };
                let path = existing_path
                    .or_else(|| params.get("Path").map(str::to_string))
                    .unwrap_or_else(|| "/".into());
                arn::entity(account, kind.arn_type(), &path, name)
            }
        },
    })
}

/// Allows or denies `op` for `caller`, with AWS's AccessDenied wording.
pub fn authorize(
    app: &App,
    op: Operation,
    params: &Params,
    caller: &Caller,
) -> Result<(), AwsError> {
    if op.info().resource == Resource::Unchecked {
        return Ok(());
    }
    match &caller.principal {
        Principal::Root { .. } => Ok(()),
        Principal::User(user) => {
            let resource = resource_arn(app, op, params, caller)?;
            let action = op.action();
            tracing::debug!(principal = %user.arn(), %action, %resource, decision = "ImplicitDeny", missing = "identity-based policy", "authorization");
            Err(AwsError::access_denied(format!(
                "User: {} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action",
                user.arn()
            )))
        }
    }
}
