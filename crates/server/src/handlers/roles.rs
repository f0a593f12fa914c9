//! Roles: CreateRole, GetRole, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy,
//! DeleteRole, ListRoles, role tags and role permissions boundaries.

use crate::handlers::lookup::{check_modifiable, find_role};
use crate::handlers::pager::{path_page, shaped};
use crate::handlers::shapes::{self, RoleShape};
use crate::handlers::tagging::parse_tags;
use crate::handlers::{Ctx, policy_error, store_failure, write};
use portcullis_core::iam::{boundaries, documents, roles};
use portcullis_core::{Role, RoleUpdate, ids};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    CreateRoleInput, DeleteRoleInput, DeleteRolePermissionsBoundaryInput, GetRoleInput,
    ListRolesInput, PutRolePermissionsBoundaryInput, UpdateAssumeRolePolicyInput,
    UpdateRoleDescriptionInput, UpdateRoleInput,
};
use portcullis_proto::output::{
    self, CreateRoleOutput, GetRoleOutput, ListRolesOutput, UpdateRoleDescriptionOutput,
};

pub const DEFAULT_MAX_SESSION: i64 = 3600;

/// A role as GetRole and the operations answering like it show it: with its tags and last use.
pub fn full_role(ctx: &Ctx, r: &Role) -> Result<output::Role, AwsError> {
    let tags = ctx.app.store.tags(&r.id).map_err(store_failure)?;
    Ok(shapes::role(r, RoleShape::Full(&tags)))
}

pub fn create_role(ctx: &Ctx) -> Result<CreateRoleOutput, AwsError> {
    let i: &CreateRoleInput = ctx.input()?;
    let name = i.role_name.as_str();
    let doc = i.assume_role_policy_document.as_str();
    documents::check_trust_policy(doc).map_err(|e| policy_error(&e))?;
    let tags = parse_tags(i.tags.as_deref(), "Tags")?;
    let boundary = i.permissions_boundary.as_deref();
    if let Some(b) = boundary {
        crate::handlers::managed_policies::check_boundary(ctx, b)?;
    }
    let path = i.path.as_deref().unwrap_or("/");
    let role = Role {
        account: ctx.account()?.to_string(),
        id: ids::unique_id(ids::IdKind::Role),
        name: name.to_string(),
        path: path.to_string(),
        created: ctx.now,
        assume_role_policy: doc.to_string(),
        description: i.description.clone(),
        max_session_duration: i.max_session_duration.unwrap_or(DEFAULT_MAX_SESSION),
        permissions_boundary: boundary.map(str::to_string),
        last_used: None,
    };
    let quotas = ctx.app.settings.quotas;
    write(ctx, |tx| roles::create(tx, &role, &tags, &quotas))?;
    Ok(CreateRoleOutput {
        role: full_role(ctx, &role)?,
    })
}

pub fn get_role(ctx: &Ctx) -> Result<GetRoleOutput, AwsError> {
    let role = find_role(ctx, &ctx.input::<GetRoleInput>()?.role_name)?;
    Ok(GetRoleOutput {
        role: full_role(ctx, &role)?,
    })
}

fn update(ctx: &Ctx, name: &str, update: &RoleUpdate) -> Result<Role, AwsError> {
    let account = ctx.account()?;
    write(ctx, |tx| roles::update(tx, account, name, update))
}

pub fn update_role(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateRoleInput = ctx.input()?;
    update(
        ctx,
        &i.role_name,
        &RoleUpdate {
            description: i.description.clone(),
            max_session_duration: i.max_session_duration,
            assume_role_policy: None,
        },
    )?;
    Ok(())
}

pub fn update_role_description(ctx: &Ctx) -> Result<UpdateRoleDescriptionOutput, AwsError> {
    let i: &UpdateRoleDescriptionInput = ctx.input()?;
    let role = update(
        ctx,
        &i.role_name,
        &RoleUpdate {
            description: Some(i.description.clone()),
            ..RoleUpdate::default()
        },
    )?;
    Ok(UpdateRoleDescriptionOutput {
        role: Some(full_role(ctx, &role)?),
    })
}

pub fn update_assume_role_policy(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateAssumeRolePolicyInput = ctx.input()?;
    check_modifiable(&find_role(ctx, &i.role_name)?)?;
    let doc = i.policy_document.as_str();
    documents::check_trust_policy(doc).map_err(|e| policy_error(&e))?;
    update(
        ctx,
        &i.role_name,
        &RoleUpdate {
            assume_role_policy: Some(doc.to_string()),
            ..RoleUpdate::default()
        },
    )?;
    Ok(())
}

pub fn delete_role(ctx: &Ctx) -> Result<(), AwsError> {
    let name = ctx.input::<DeleteRoleInput>()?.role_name.as_str();
    check_modifiable(&find_role(ctx, name)?)?;
    let account = ctx.account()?;
    write(ctx, |tx| roles::delete(tx, account, name))
}

pub fn list_roles(ctx: &Ctx) -> Result<ListRolesOutput, AwsError> {
    let prefix = ctx.input::<ListRolesInput>()?.path_prefix.as_deref();
    let store = &ctx.app.store;
    let (roles, is_truncated, marker) = shaped(
        &path_page(ctx, prefix, |a, p, m, n| store.list_roles(a, p, m, n))?,
        |r| shapes::role(r, RoleShape::Listed),
    );
    Ok(ListRolesOutput {
        roles,
        is_truncated,
        marker,
    })
}

crate::handlers::tagging::tag_handlers!(
    tag_role(TagRoleInput), untag_role(UntagRoleInput), list_role_tags(ListRoleTagsInput) -> ListRoleTagsOutput,
    role_name, |ctx, name| find_role(ctx, name)?.id, fold_case: true
);

pub fn put_role_permissions_boundary(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &PutRolePermissionsBoundaryInput = ctx.input()?;
    let role = find_role(ctx, &i.role_name)?;
    check_modifiable(&role)?;
    let arn = i.permissions_boundary.as_str();
    crate::handlers::managed_policies::check_boundary(ctx, arn)?;
    write(ctx, |tx| {
        boundaries::set_role(tx, &role.account, &role.name, Some(arn))
    })
}

pub fn delete_role_permissions_boundary(ctx: &Ctx) -> Result<(), AwsError> {
    let role = find_role(
        ctx,
        &ctx.input::<DeleteRolePermissionsBoundaryInput>()?.role_name,
    )?;
    check_modifiable(&role)?;
    write(ctx, |tx| {
        boundaries::set_role(tx, &role.account, &role.name, None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use portcullis_core::Tag;
    use portcullis_proto::{Operation, Reply};

    fn role(last_used: Option<&str>) -> Role {
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        Role {
            account: "123456789012".into(),
            id: "AROAEXAMPLE".into(),
            name: "r".into(),
            path: "/".into(),
            created: at,
            assume_role_policy: r#"{"a": 1}"#.into(),
            description: None,
            max_session_duration: 3600,
            permissions_boundary: Some("arn:aws:iam::123456789012:policy/b".into()),
            last_used: last_used.map(|region| (at, region.to_string())),
        }
    }

    fn get_role(r: &Role, tags: &[Tag]) -> String {
        let out = GetRoleOutput {
            role: shapes::role(r, RoleShape::Full(tags)),
        };
        Reply::<{ Operation::GetRole as u16 }>::into_xml(out)
    }

    #[test]
    fn get_role_shows_boundary_tags_and_last_use() {
        let never = get_role(&role(None), &[]);
        assert!(never.contains("<RoleLastUsed></RoleLastUsed>"), "{never}");
        assert!(!never.contains("<Tags"), "{never}");
        assert!(!never.contains("<Description>"), "{never}");
        assert!(
            never.contains(
                "<AssumeRolePolicyDocument>%7B%22a%22%3A%201%7D</AssumeRolePolicyDocument>"
            ),
            "{never}"
        );
        assert!(never.contains(
            "<PermissionsBoundaryArn>arn:aws:iam::123456789012:policy/b</PermissionsBoundaryArn>"
        ));
        let tags = [Tag {
            key: "k".into(),
            value: "v".into(),
        }];
        let used = get_role(&role(Some("eu-west-1")), &tags);
        assert!(used.contains(
            "<RoleLastUsed><LastUsedDate>2023-11-14T22:13:20Z</LastUsedDate><Region>eu-west-1</Region></RoleLastUsed>"
        ));
        assert!(used.contains("<Tags><member><Key>k</Key><Value>v</Value></member></Tags>"));
    }

    #[test]
    fn listings_leave_out_boundary_tags_and_last_use() {
        let out = ListRolesOutput {
            roles: vec![shapes::role(&role(Some("eu-west-1")), RoleShape::Listed)],
            is_truncated: Some(false),
            marker: None,
        };
        let xml = Reply::<{ Operation::ListRoles as u16 }>::into_xml(out);
        assert!(xml.contains("<MaxSessionDuration>3600</MaxSessionDuration>"));
        for absent in ["PermissionsBoundary", "RoleLastUsed", "Tags"] {
            assert!(!xml.contains(absent), "{absent} in {xml}");
        }
    }
}
