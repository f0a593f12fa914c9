//! Core's entities as the structures of AWS's typed outputs, written once for every handler that
//! answers with them: `User` (in its three forms), `Tag` lists and `PermissionsBoundary`; `Role`
//! (listed or in full), `InstanceProfile`, `Group` and inline policy lists.

use portcullis_core::{Group, InstanceProfile, Role, Tag, User};
use portcullis_proto::output::{self, PolicyDocument};

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

// Roles, instance profiles, groups and inline policies.

/// One page of a listing as its output's members: the items, `IsTruncated` and `Marker`.
pub type Paged<T> = (Vec<T>, Option<bool>, Option<String>);

/// Which answer a `Role` structure is for: AWS includes different members in each.
#[derive(Clone, Copy, Debug)]
pub enum RoleShape<'a> {
    /// In listings (ListRoles, an instance profile's `Roles`): no boundary, tags or last use.
    Listed,
    /// GetRole and the operations answering like it: the boundary, the tags (when there are
    /// any) and `RoleLastUsed` (empty when the role was never used).
    Full(&'a [Tag]),
}

pub fn role(r: &Role, shape: RoleShape<'_>) -> output::Role {
    let mut out = output::Role {
        path: r.path.clone(),
        role_name: r.name.clone(),
        role_id: r.id.clone(),
        arn: r.arn(),
        create_date: r.created,
        assume_role_policy_document: Some(PolicyDocument(r.assume_role_policy.clone())),
        description: r.description.clone(),
        max_session_duration: Some(r.max_session_duration),
        ..Default::default()
    };
    if let RoleShape::Full(t) = shape {
        out.permissions_boundary = boundary(r.permissions_boundary.as_deref());
        out.tags = tags_if_any(t);
        out.role_last_used = Some(role_last_used(r));
    }
    out
}

/// `RoleLastUsed`: empty when the role was never used.
pub fn role_last_used(r: &Role) -> output::RoleLastUsed {
    let (last_used_date, region) = r.last_used.clone().unzip();
    output::RoleLastUsed {
        last_used_date,
        region,
    }
}

/// An `InstanceProfile` with its roles (listed); `tags` only where AWS shows them (the
/// single-profile answers, an empty list when there are none).
pub fn instance_profile(
    p: &InstanceProfile,
    roles: &[Role],
    tags: Option<&[Tag]>,
) -> output::InstanceProfile {
    output::InstanceProfile {
        path: p.path.clone(),
        instance_profile_name: p.name.clone(),
        instance_profile_id: p.id.clone(),
        arn: p.arn(),
        create_date: p.created,
        roles: roles.iter().map(|r| role(r, RoleShape::Listed)).collect(),
        tags: tags.map(self::tags),
    }
}

pub fn group(g: &Group) -> output::Group {
    output::Group {
        path: g.path.clone(),
        group_name: g.name.clone(),
        group_id: g.id.clone(),
        arn: g.arn(),
        create_date: g.created,
    }
}

/// A `policyDetailListType` list: each inline policy's name and (raw) document.
pub fn policy_details(policies: &[(String, String)]) -> Vec<output::PolicyDetail> {
    policies
        .iter()
        .map(|(name, doc)| output::PolicyDetail {
            policy_name: Some(name.clone()),
            policy_document: Some(PolicyDocument(doc.clone())),
        })
        .collect()
}
