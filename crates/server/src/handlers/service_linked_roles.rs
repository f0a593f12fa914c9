//! Service-linked roles: CreateServiceLinkedRole, DeleteServiceLinkedRole and
//! GetServiceLinkedRoleDeletionStatus, and the protection that keeps callers from changing or
//! deleting such a role through the ordinary role operations.

use crate::handlers::lookup::find_role;
use crate::handlers::roles::{DEFAULT_MAX_SESSION, full_role};
use crate::handlers::{Ctx, iam_error, store_failure, write};
use portcullis_core::iam::{roles, service_linked};
use portcullis_core::{IamError, Role, ids};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    CreateServiceLinkedRoleInput, DeleteServiceLinkedRoleInput,
    GetServiceLinkedRoleDeletionStatusInput,
};
use portcullis_proto::output::{
    CreateServiceLinkedRoleOutput, DeleteServiceLinkedRoleOutput,
    GetServiceLinkedRoleDeletionStatusOutput,
};

pub fn create_service_linked_role(ctx: &Ctx) -> Result<CreateServiceLinkedRoleOutput, AwsError> {
    let i: &CreateServiceLinkedRoleInput = ctx.input()?;
    let service = i.aws_service_name.as_str();
    let (known, name) =
        service_linked::name_for(service, i.custom_suffix.as_deref()).map_err(iam_error)?;
    let role = Role {
        account: ctx.account()?.to_string(),
        id: ids::unique_id(ids::IdKind::Role),
        path: service_linked::path(service),
        created: ctx.now,
        assume_role_policy: service_linked::trust_policy(service),
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
    let service = service_linked::linked_service(&role).map_err(iam_error)?;
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
        return Err(iam_error(IamError::NoSuchDeletionTask(task_id.to_string())));
    }
    // Deletions finish within DeleteServiceLinkedRole, so every recorded task has succeeded.
    Ok(GetServiceLinkedRoleDeletionStatusOutput {
        status: "SUCCEEDED".into(),
        reason: None,
    })
}
