//! Core's entities as the structures of AWS's typed outputs, written once for every handler that
//! answers with them: `User` (in its three forms), `Tag` lists and `PermissionsBoundary`.

use portcullis_core::{Tag, User};
use portcullis_proto::output;

/// Tags as an output list.
pub fn tags(tags: &[Tag]) -> Vec<output::Tag> {
    tags.iter()
        .map(|t| output::Tag {
            key: t.key.clone(),
            value: t.value.clone(),
        })
        .collect()
}

/// Tags as an optional output member: absent when there are none, as AWS answers.
pub fn tags_if_any(list: &[Tag]) -> Option<Vec<output::Tag>> {
    (!list.is_empty()).then(|| tags(list))
}

/// `PermissionsBoundary` of a user or role that has one.
pub fn boundary(arn: Option<&str>) -> Option<output::AttachedPermissionsBoundary> {
    arn.map(|a| output::AttachedPermissionsBoundary {
        permissions_boundary_type: Some("PermissionsBoundaryPolicy".into()),
        permissions_boundary_arn: Some(a.to_string()),
    })
}

/// Which answer a `User` structure is for: AWS includes different members in each.
#[derive(Clone, Copy, Debug)]
pub enum UserShape<'a> {
    /// In listings (ListUsers, GetGroup, ListVirtualMFADevices): no boundary, no tags.
    Listed,
    /// CreateUser: the boundary and the tags given, no PasswordLastUsed.
    Created(&'a [Tag]),
    /// GetUser: PasswordLastUsed, the boundary and the tags.
    Full(&'a [Tag]),
}

pub fn user(u: &User, shape: UserShape<'_>) -> output::User {
    let mut out = output::User {
        path: Some(u.path.clone()),
        user_name: Some(u.name.clone()),
        user_id: u.id.clone(),
        arn: u.arn(),
        create_date: u.created,
        ..Default::default()
    };
    match shape {
        UserShape::Listed => {}
        UserShape::Created(t) | UserShape::Full(t) => {
            out.permissions_boundary = boundary(u.permissions_boundary.as_deref());
            out.tags = tags_if_any(t);
        }
    }
    if let UserShape::Full(_) = shape {
        out.password_last_used = u.password_last_used;
    }
    out
}
