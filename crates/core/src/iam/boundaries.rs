//! Permissions boundaries as domain services, each inside one write transaction:
//! Put/DeleteUserPermissionsBoundary and Put/DeleteRolePermissionsBoundary set or clear the
//! managed policy (by ARN, `None` to clear) that bounds a user's or role's permissions. The
//! caller has checked that the ARN names an attachable policy (and, for a role, that it is not
//! service-linked); here the user or role must exist.

use super::{roles, users};
use crate::error::IamResult;
use crate::store::Tx;

/// PutUserPermissionsBoundary (`Some`) and DeleteUserPermissionsBoundary (`None`).
pub fn set_user(tx: &dyn Tx, account: &str, user_name: &str, arn: Option<&str>) -> IamResult<()> {
    let u = users::find(tx, account, user_name)?;
    Ok(tx.set_user_boundary(account, &u.id, arn)?)
}

/// PutRolePermissionsBoundary (`Some`) and DeleteRolePermissionsBoundary (`None`).
pub fn set_role(tx: &dyn Tx, account: &str, role_name: &str, arn: Option<&str>) -> IamResult<()> {
    let r = roles::find(tx, account, role_name)?;
    Ok(tx.set_role_boundary(account, &r.id, arn)?)
}
