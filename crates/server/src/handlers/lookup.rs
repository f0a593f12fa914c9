//! The entities a request names, found in the caller's account: users, groups and roles by
//! name (with AWS's NoSuchEntity when absent), the owner of attached and inline policies, and
//! the protection of service-linked roles. Every area's handlers look entities up here, so no
//! area's file needs another's.

use crate::handlers::{Ctx, iam_error, store_failure};
use portcullis_core::error::EntityKind;
use portcullis_core::iam::roles::SERVICE_LINKED_PATH;
use portcullis_core::{Group, IamError, OwnerKind, Role, User};
use portcullis_proto::AwsError;

pub fn no_such_user(name: &str) -> AwsError {
    iam_error(IamError::no_such(EntityKind::User, name))
}

/// Finds a user of the caller's account by name.
pub fn find_user(ctx: &Ctx, name: &str) -> Result<User, AwsError> {
    ctx.app
        .store
        .get_user(ctx.account()?, name)
        .map_err(store_failure)?
        .ok_or_else(|| no_such_user(name))
}

/// Finds a group of the caller's account by name.
pub fn find_group(ctx: &Ctx, name: &str) -> Result<Group, AwsError> {
    ctx.app
        .store
        .get_group(ctx.account()?, name)
        .map_err(store_failure)?
        .ok_or_else(|| iam_error(IamError::no_such(EntityKind::Group, name)))
}

/// Finds a role of the caller's account by name.
pub fn find_role(ctx: &Ctx, name: &str) -> Result<Role, AwsError> {
    ctx.app
        .store
        .get_role(ctx.account()?, name)
        .map_err(store_failure)?
        .ok_or_else(|| iam_error(IamError::no_such(EntityKind::Role, name)))
}

/// Refuses to change a service-linked role: only AWS (here: the service-linked role operations)
/// may.
pub fn check_modifiable(r: &Role) -> Result<(), AwsError> {
    if r.path.starts_with(SERVICE_LINKED_PATH) {
        return Err(AwsError::new(
            "UnmodifiableEntity",
            400,
            format!(
                "Cannot perform the operation on the protected role '{}' - this role is only modifiable by AWS",
                r.name
            ),
        ));
    }
    Ok(())
}

/// The (unique id, name as stored) of the policy owner of kind `kind` named `name`.
pub fn find_owner(ctx: &Ctx, kind: OwnerKind, name: &str) -> Result<(String, String), AwsError> {
    match kind {
        OwnerKind::User => find_user(ctx, name).map(|u| (u.id, u.name)),
        OwnerKind::Group => find_group(ctx, name).map(|g| (g.id, g.name)),
        OwnerKind::Role => find_role(ctx, name).map(|r| (r.id, r.name)),
    }
}

/// Like [`find_owner`], for an operation that changes the owner's policies: service-linked
/// roles refuse it.
pub fn find_owner_for_change(
    ctx: &Ctx,
    kind: OwnerKind,
    name: &str,
) -> Result<(String, String), AwsError> {
    if let OwnerKind::Role = kind {
        let r = find_role(ctx, name)?;
        check_modifiable(&r)?;
        return Ok((r.id, r.name));
    }
    find_owner(ctx, kind, name)
}
