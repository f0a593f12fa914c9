//! Groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AddUserToGroup,
//! RemoveUserFromGroup and ListGroupsForUser.

use crate::handlers::pager::{PageArgs, write_truncation};
use crate::handlers::users::{find_user, write_user};
use crate::handlers::{Ctx, HandlerResult, store_failure};
use portcullis_core::clock::iso8601;
use portcullis_core::store::Rename;
use portcullis_core::{Group, StoreError, ids};
use portcullis_proto::AwsError;
use portcullis_proto::xml::XmlWriter;

fn no_such_group(name: &str) -> AwsError {
    AwsError::no_such_entity(format!("The group with name {name} cannot be found."))
}

pub fn find_group(ctx: &Ctx, name: &str) -> Result<Group, AwsError> {
    ctx.app
        .store
        .get_group(ctx.account()?, name)
        .map_err(store_failure)?
        .ok_or_else(|| no_such_group(name))
}

/// The `Group` structure.
pub fn write_group(w: &mut XmlWriter, g: &Group) {
    w.elem("Path", &g.path)
        .elem("GroupName", &g.name)
        .elem("GroupId", &g.id)
        .elem("Arn", &g.arn())
        .elem("CreateDate", &iso8601(g.created));
}

pub fn create_group(ctx: &Ctx) -> HandlerResult {
    let name = ctx.required("GroupName");
    let group = Group {
        account: ctx.account()?.to_string(),
        id: ids::unique_id(ids::IdKind::Group),
        name: name.to_string(),
        path: ctx.params.get("Path").unwrap_or("/").to_string(),
        created: ctx.now,
    };
    let max = ctx.app.settings.max_groups_per_account;
    ctx.app
        .store
        .create_group(&group, max)
        .map_err(|e| match e {
            StoreError::AlreadyExists => {
                AwsError::already_exists(format!("Group with name {name} already exists."))
            }
            StoreError::LimitExceeded => {
                AwsError::limit_exceeded(format!("Cannot exceed quota for GroupsPerAccount: {max}"))
            }
            other => store_failure(other),
        })?;
    let mut w = XmlWriter::new();
    w.open("Group");
    write_group(&mut w, &group);
    w.close("Group");
    Ok(w.finish())
}

pub fn get_group(ctx: &Ctx) -> HandlerResult {
    let group = find_group(ctx, ctx.required("GroupName"))?;
    let args = PageArgs::from(ctx);
    let page = ctx
        .app
        .store
        .list_group_members(&group.account, &group.id, args.marker, args.max_items)
        .map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.open("Group");
    write_group(&mut w, &group);
    w.close("Group");
    w.list("Users", &page.items, |w, u| {
        write_user(w, u, crate::handlers::users::UserShape::Listed)
    });
    write_truncation(&mut w, page.next_marker.as_deref());
    Ok(w.finish())
}

pub fn update_group(ctx: &Ctx) -> HandlerResult {
    let name = ctx.required("GroupName");
    let update = Rename {
        new_name: ctx.params.get("NewGroupName").map(str::to_string),
        new_path: ctx.params.get("NewPath").map(str::to_string),
    };
    ctx.app
        .store
        .update_group(ctx.account()?, name, &update)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_group(name),
            StoreError::AlreadyExists => AwsError::already_exists(format!(
                "Group with name {} already exists.",
                update.new_name.as_deref().unwrap_or(name)
            )),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn delete_group(ctx: &Ctx) -> HandlerResult {
    let name = ctx.required("GroupName");
    ctx.app
        .store
        .delete_group(ctx.account()?, name)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_group(name),
            StoreError::Conflict(msg) => AwsError::delete_conflict(msg),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn list_groups(ctx: &Ctx) -> HandlerResult {
    let args = PageArgs::from(ctx);
    let prefix = ctx.params.get("PathPrefix").unwrap_or("/");
    let page = ctx
        .app
        .store
        .list_groups(ctx.account()?, prefix, args.marker, args.max_items)
        .map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.list("Groups", &page.items, write_group);
    write_truncation(&mut w, page.next_marker.as_deref());
    Ok(w.finish())
}

pub fn add_user_to_group(ctx: &Ctx) -> HandlerResult {
    let group = find_group(ctx, ctx.required("GroupName"))?;
    let user = find_user(ctx, ctx.required("UserName"))?;
    let max = ctx.app.settings.groups_per_user;
    ctx.app
        .store
        .add_user_to_group(&group.account, &group.id, &user.id, max)
        .map_err(|e| match e {
            StoreError::LimitExceeded => {
                AwsError::limit_exceeded(format!("Cannot exceed quota for GroupsPerUser: {max}"))
            }
            StoreError::NotFound => no_such_group(&group.name),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn remove_user_from_group(ctx: &Ctx) -> HandlerResult {
    let group = find_group(ctx, ctx.required("GroupName"))?;
    let user = find_user(ctx, ctx.required("UserName"))?;
    // Removing a user who is not a member succeeds, as in AWS.
    match ctx
        .app
        .store
        .remove_user_from_group(&group.account, &group.id, &user.id)
    {
        Ok(()) | Err(StoreError::NotFound) => Ok(String::new()),
        Err(other) => Err(store_failure(other)),
    }
}

pub fn list_groups_for_user(ctx: &Ctx) -> HandlerResult {
    let user = find_user(ctx, ctx.required("UserName"))?;
    let args = PageArgs::from(ctx);
    let page = ctx
        .app
        .store
        .list_groups_for_user(&user.account, &user.id, args.marker, args.max_items)
        .map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.list("Groups", &page.items, write_group);
    write_truncation(&mut w, page.next_marker.as_deref());
    Ok(w.finish())
}
