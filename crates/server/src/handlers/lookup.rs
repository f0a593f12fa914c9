//! The entities a request names, found in the caller's account: users, groups and roles by
//! name (with AWS's NoSuchEntity when absent), the owner of attached and inline policies, and
//! core's protection of service-linked roles as AWS's error. Every area's handlers look entities up here, so no
//! area's file needs another's.

use crate::handlers::{Ctx, iam_error, store_failure};
use portcullis_core::error::EntityKind;
use portcullis_core::iam::service_linked;
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

/// Refuses to change a service-linked role (core's rule, as AWS's error).
pub fn check_modifiable(r: &Role) -> Result<(), AwsError> {
    service_linked::check_modifiable(r).map_err(iam_error)
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
