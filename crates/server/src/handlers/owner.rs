//! Whose credentials a request means (its `UserName`, or the signing user when it is absent; the
//! root user's own when root signs without one) and the shared `Status` member.

use crate::handlers::Ctx;
use crate::handlers::lookup::find_user;
use portcullis_core::iam::credentials;
use portcullis_core::{KeyStatus, Principal};
use portcullis_proto::AwsError;

/// A credential owner: `(user id, user name)`, both `None` for the root user.
#[derive(Debug)]
pub struct Owner {
    pub user_id: Option<String>,
    pub user_name: Option<String>,
}

/// The owner `user_name` (the request's `UserName`) names, else the caller.
pub fn owner(ctx: &Ctx, user_name: Option<&str>) -> Result<Owner, AwsError> {
    match (user_name, &ctx.caller()?.principal) {
        (Some(name), _) => {
            let u = find_user(ctx, name)?;
            Ok(Owner {
                user_id: Some(u.id),
                user_name: Some(u.name),
            })
        }
        (None, Principal::User(u)) => Ok(Owner {
            user_id: Some(u.id.clone()),
            user_name: Some(u.name.clone()),
        }),
        (None, Principal::Root { .. }) => Ok(Owner {
            user_id: None,
            user_name: None,
        }),
        (None, _) => Err(super::user_name_required()),
    }
}

/// A request's `Status` as a key status (core's rule: not `Expired`).
pub fn status(value: &str) -> Result<KeyStatus, AwsError> {
    credentials::status(value).map_err(super::iam_error)
}
