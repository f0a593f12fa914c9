//! Service-linked roles: CreateServiceLinkedRole, DeleteServiceLinkedRole and
//! GetServiceLinkedRoleDeletionStatus, and the protection that keeps callers from changing or
//! deleting such a role through the ordinary role operations.

use crate::handlers::lookup::find_role;
use crate::handlers::roles::{DEFAULT_MAX_SESSION, full_role};
use crate::handlers::{Ctx, store_failure, write};
use portcullis_core::catalog::service_roles;
use portcullis_core::iam::roles;
use portcullis_core::{Role, ids};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    CreateServiceLinkedRoleInput, DeleteServiceLinkedRoleInput,
    GetServiceLinkedRoleDeletionStatusInput,
};
use portcullis_proto::output::{
    CreateServiceLinkedRoleOutput, DeleteServiceLinkedRoleOutput,
    GetServiceLinkedRoleDeletionStatusOutput,
};

/// Service-linked roles live under `/aws-service-role/<service principal>/`.
pub const PATH_PREFIX: &str = roles::SERVICE_LINKED_PATH;

/// The service principal of a service-linked role, `None` for other roles.
fn service_of(r: &Role) -> Option<&str> {
    r.path
        .strip_prefix(PATH_PREFIX)?
        .strip_suffix('/')
        .filter(|s| !s.is_empty())
}

fn trust_policy(service: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

pub fn create_service_linked_role(ctx: &Ctx) -> Result<CreateServiceLinkedRoleOutput, AwsError> {
    let i: &CreateServiceLinkedRoleInput = ctx.input()?;
    let service = i.aws_service_name.as_str();
    let known = service_roles::for_service(service)
        .ok_or_else(|| AwsError::invalid_input(format!("Invalid service name: {service}")))?;
    let name = match &i.custom_suffix {
        None => known.name,
        Some(_) if !known.custom_suffix => {
            return Err(AwsError::invalid_input(format!(
                "Custom suffix is not allowed for {service}"
            )));
        }
        Some(suffix) => format!("{}_{suffix}", known.name),
    };
    let role = Role {
        account: ctx.account()?.to_string(),
        id: ids::unique_id(ids::IdKind::Role),
        path: format!("{PATH_PREFIX}{service}/"),
        created: ctx.now,
        assume_role_policy: trust_policy(service),
        description: i
            .description
            .clone()
            .or_else(|| known.description.map(str::to_string)),
        max_session_duration: DEFAULT_MAX_SESSION,
        permissions_boundary: None,
        last_used: None,
        name,
    };
    let quotas = ctx.app.settings.quotas;
    write(ctx, |tx| roles::create_service_linked(tx, &role, &quotas))?;
    Ok(CreateServiceLinkedRoleOutput {
        role: Some(full_role(ctx, &role)?),
    })
}

pub fn delete_service_linked_role(ctx: &Ctx) -> Result<DeleteServiceLinkedRoleOutput, AwsError> {
    let role = find_role(ctx, &ctx.input::<DeleteServiceLinkedRoleInput>()?.role_name)?;
    let service = service_of(&role).ok_or_else(|| {
        AwsError::no_such_entity(format!(
            "The role with name {} is not a service-linked role.",
            role.name
        ))
    })?;
    let task_id = format!(
        "task/aws-service-role/{service}/{}/{}",
        role.name,
        uuid::Uuid::new_v4()
    );
    write(ctx, |tx| {
        roles::delete_service_linked(tx, &role.account, &role.name, &task_id, ctx.now)
    })?;
    Ok(DeleteServiceLinkedRoleOutput {
        deletion_task_id: task_id,
    })
}

pub fn get_service_linked_role_deletion_status(
    ctx: &Ctx,
) -> Result<GetServiceLinkedRoleDeletionStatusOutput, AwsError> {
    let task_id = ctx
        .input::<GetServiceLinkedRoleDeletionStatusInput>()?
        .deletion_task_id
        .as_str();
    let found = ctx
        .app
        .store
        .service_role_deletion_exists(ctx.account()?, task_id)
        .map_err(store_failure)?;
    if !found {
        return Err(AwsError::no_such_entity(format!(
            "Deletion task {task_id} cannot be found."
        )));
    }
    // Deletions finish within DeleteServiceLinkedRole, so every recorded task has succeeded.
    Ok(GetServiceLinkedRoleDeletionStatusOutput {
        status: "SUCCEEDED".into(),
        reason: None,
    })
}
