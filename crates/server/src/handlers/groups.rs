//! Groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AddUserToGroup,
//! RemoveUserFromGroup and ListGroupsForUser.

use crate::handlers::lookup::{find_group, find_user};
use crate::handlers::pager::{PageArgs, path_page, shaped, truncation};
use crate::handlers::shapes::{self, UserShape};
use crate::handlers::{Ctx, store_failure, write};
use portcullis_core::iam::groups;
use portcullis_core::store::Rename;
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    AddUserToGroupInput, CreateGroupInput, DeleteGroupInput, GetGroupInput, ListGroupsForUserInput,
    ListGroupsInput, RemoveUserFromGroupInput, UpdateGroupInput,
};
use portcullis_proto::output::{
    CreateGroupOutput, GetGroupOutput, ListGroupsForUserOutput, ListGroupsOutput,
};

pub fn create_group(ctx: &Ctx) -> Result<CreateGroupOutput, AwsError> {
    let i: &CreateGroupInput = ctx.input()?;
    let (account, name) = (ctx.account()?, i.group_name.as_str());
    let path = i.path.as_deref().unwrap_or("/");
    let quotas = ctx.app.settings.quotas;
    let group = write(ctx, |tx| {
        groups::create(tx, account, name, path, ctx.now, &quotas)
    })?;
    Ok(CreateGroupOutput {
        group: shapes::group(&group),
    })
}

pub fn get_group(ctx: &Ctx) -> Result<GetGroupOutput, AwsError> {
    let group = find_group(ctx, &ctx.input::<GetGroupInput>()?.group_name)?;
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
    let (is_truncated, marker) = truncation(page.next_marker.as_deref());
    Ok(GetGroupOutput {
        group: shapes::group(&group),
        users: page
            .items
            .iter()
            .map(|u| shapes::user(u, UserShape::Listed))
            .collect(),
        is_truncated,
        marker,
    })
}

pub fn update_group(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateGroupInput = ctx.input()?;
    let update = Rename {
        new_name: i.new_group_name.clone(),
        new_path: i.new_path.clone(),
    };
    let (account, name) = (ctx.account()?, i.group_name.as_str());
    write(ctx, |tx| groups::update(tx, account, name, &update))?;
    Ok(())
}

pub fn delete_group(ctx: &Ctx) -> Result<(), AwsError> {
    let name = ctx.input::<DeleteGroupInput>()?.group_name.as_str();
    let account = ctx.account()?;
    write(ctx, |tx| groups::delete(tx, account, name))
}

pub fn list_groups(ctx: &Ctx) -> Result<ListGroupsOutput, AwsError> {
    let prefix = ctx.input::<ListGroupsInput>()?.path_prefix.as_deref();
    let store = &ctx.app.store;
    let page = path_page(ctx, prefix, |a, p, m, n| store.list_groups(a, p, m, n))?;
    let (groups, is_truncated, marker) = shaped(&page, shapes::group);
    Ok(ListGroupsOutput {
        groups,
        is_truncated,
        marker,
    })
}

pub fn add_user_to_group(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &AddUserToGroupInput = ctx.input()?;
    let account = ctx.account()?;
    let (group, user) = (i.group_name.as_str(), i.user_name.as_str());
    let quotas = ctx.app.settings.quotas;
    write(ctx, |tx| {
        groups::add_user(tx, account, group, user, ctx.now, &quotas)
    })
}

pub fn remove_user_from_group(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &RemoveUserFromGroupInput = ctx.input()?;
    let account = ctx.account()?;
    write(ctx, |tx| {
        groups::remove_user(tx, account, &i.group_name, &i.user_name)
    })
}

pub fn list_groups_for_user(ctx: &Ctx) -> Result<ListGroupsForUserOutput, AwsError> {
    let user = find_user(ctx, &ctx.input::<ListGroupsForUserInput>()?.user_name)?;
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
    let (groups, is_truncated, marker) = shaped(&page, shapes::group);
    Ok(ListGroupsForUserOutput {
        groups,
        is_truncated,
        marker,
    })
}
