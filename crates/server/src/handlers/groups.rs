//! Groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AddUserToGroup,
//! RemoveUserFromGroup and ListGroupsForUser.

use crate::handlers::pager::{PageArgs, write_truncation};
use crate::handlers::users::{find_user, write_listed_user};
use crate::handlers::{Ctx, HandlerResult, iam_error, store_failure, write};
use portcullis_core::clock::iso8601;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::groups;
use portcullis_core::store::Rename;
use portcullis_core::{Group, IamError, StoreError};
use portcullis_proto::AwsError;
use portcullis_proto::xml::XmlWriter;

fn no_such_group(name: &str) -> AwsError {
    iam_error(IamError::no_such(EntityKind::Group, name))
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
    let (account, name) = (ctx.account()?, ctx.required("GroupName"));
    let path = ctx.param("Path").unwrap_or("/");
    let quotas = ctx.app.settings.quotas;
    let group = write(ctx, |tx| {
        groups::create(tx, account, name, path, ctx.now, &quotas)
    })?;
    let mut w = XmlWriter::new();
    w.open("Group");
    write_group(&mut w, &group);
    w.close("Group");
    Ok(w.finish())
}

pub fn get_group(ctx: &Ctx) -> HandlerResult {
    let group = find_group(ctx, ctx.required("GroupName"))?;
    let args = PageArgs::from(ctx)?;
    let page = ctx
        .app
        .store
        .list_group_members(
            &group.account,
            &group.id,
            args.marker.as_deref(),
            args.max_items,
        )
        .map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.open("Group");
    write_group(&mut w, &group);
    w.close("Group");
    w.list("Users", &page.items, |w, u| write_listed_user(w, u));
    write_truncation(&mut w, page.next_marker.as_deref());
    Ok(w.finish())
}

pub fn update_group(ctx: &Ctx) -> HandlerResult {
    let update = Rename {
        new_name: ctx.param("NewGroupName").map(str::to_string),
        new_path: ctx.param("NewPath").map(str::to_string),
    };
    let (account, name) = (ctx.account()?, ctx.required("GroupName"));
    write(ctx, |tx| groups::update(tx, account, name, &update))?;
    Ok(String::new())
}

pub fn delete_group(ctx: &Ctx) -> HandlerResult {
    let (account, name) = (ctx.account()?, ctx.required("GroupName"));
    write(ctx, |tx| groups::delete(tx, account, name))?;
    Ok(String::new())
}

pub fn list_groups(ctx: &Ctx) -> HandlerResult {
    let args = PageArgs::from(ctx)?;
    let prefix = ctx.param("PathPrefix").unwrap_or("/");
    let page = ctx
        .app
        .store
        .list_groups(
            ctx.account()?,
            prefix,
            args.marker.as_deref(),
            args.max_items,
        )
        .map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.list("Groups", &page.items, write_group);
    write_truncation(&mut w, page.next_marker.as_deref());
    Ok(w.finish())
}

pub fn add_user_to_group(ctx: &Ctx) -> HandlerResult {
    let account = ctx.account()?;
    let (group, user) = (ctx.required("GroupName"), ctx.required("UserName"));
    let quotas = ctx.app.settings.quotas;
    write(ctx, |tx| {
        groups::add_user(tx, account, group, user, ctx.now, &quotas)
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
    let args = PageArgs::from(ctx)?;
    let page = ctx
        .app
        .store
        .list_groups_for_user(
            &user.account,
            &user.id,
            args.marker.as_deref(),
            args.max_items,
        )
        .map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.list("Groups", &page.items, write_group);
    write_truncation(&mut w, page.next_marker.as_deref());
    Ok(w.finish())
}
