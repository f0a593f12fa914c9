//! Users: CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers and user tags.

use crate::handlers::lookup::find_user;
use crate::handlers::pager::{path_page, shaped};
use crate::handlers::shapes::{self, UserShape};
use crate::handlers::tagging::parse_tags;
use crate::handlers::{Ctx, store_failure, write};
use portcullis_core::Principal;
use portcullis_core::iam::users::{self, NewUser};
use portcullis_core::store::Rename;
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    CreateUserInput, DeleteUserInput, GetUserInput, ListUsersInput, UpdateUserInput,
};
use portcullis_proto::output::{self, CreateUserOutput, GetUserOutput, ListUsersOutput};

pub fn create_user(ctx: &Ctx) -> Result<CreateUserOutput, AwsError> {
    let i: &CreateUserInput = ctx.input()?;
    if let Some(b) = &i.permissions_boundary {
        crate::handlers::managed_policies::check_boundary(ctx, b)?;
    }
    let input = NewUser {
        account: ctx.account()?.to_string(),
        name: i.user_name.clone(),
        path: i.path.clone().unwrap_or_else(|| "/".to_string()),
        permissions_boundary: i.permissions_boundary.clone(),
        tags: parse_tags(i.tags.as_deref(), "Tags")?,
    };
    let quotas = ctx.app.settings.quotas;
    let user = write(ctx, |tx| users::create(tx, &input, ctx.now, &quotas))?;
    Ok(CreateUserOutput {
        user: Some(shapes::user(&user, UserShape::Created(&input.tags))),
    })
}

pub fn get_user(ctx: &Ctx) -> Result<GetUserOutput, AwsError> {
    let name = ctx.input::<GetUserInput>()?.user_name.as_deref();
    let user = match (name, &ctx.caller()?.principal) {
        (None, Principal::Root { account }) => {
            let acct = ctx.app.store.get_account(account).map_err(store_failure)?;
            output::User {
                user_id: account.clone(),
                arn: portcullis_core::arn::root(account),
                create_date: acct.ok_or_else(AwsError::internal)?.created,
                ..Default::default()
            }
        }
        (name, principal) => {
            let user = match (name, principal) {
                (Some(n), _) => find_user(ctx, n)?,
                (None, Principal::User(u)) => find_user(ctx, &u.name)?,
                (None, Principal::Root { .. }) => return Err(AwsError::internal()),
                (None, _) => return Err(super::user_name_required()),
            };
            let tags = ctx.app.store.tags(&user.id).map_err(store_failure)?;
            shapes::user(&user, UserShape::Full(&tags))
        }
    };
    Ok(GetUserOutput { user })
}

pub fn update_user(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateUserInput = ctx.input()?;
    let update = Rename {
        new_name: i.new_user_name.clone(),
        new_path: i.new_path.clone(),
    };
    let (account, name) = (ctx.account()?, i.user_name.as_str());
    write(ctx, |tx| users::update(tx, account, name, &update))?;
    Ok(())
}

pub fn delete_user(ctx: &Ctx) -> Result<(), AwsError> {
    let name = ctx.input::<DeleteUserInput>()?.user_name.as_str();
    let account = ctx.account()?;
    write(ctx, |tx| users::delete(tx, account, name))
}

pub fn list_users(ctx: &Ctx) -> Result<ListUsersOutput, AwsError> {
    let prefix = ctx.input::<ListUsersInput>()?.path_prefix.as_deref();
    let store = &ctx.app.store;
    let (users, is_truncated, marker) = shaped(
        &path_page(ctx, prefix, |a, p, m, n| store.list_users(a, p, m, n))?,
        |u| shapes::user(u, UserShape::Listed),
    );
    Ok(ListUsersOutput {
        users,
        is_truncated,
        marker,
    })
}

crate::handlers::tagging::tag_handlers!(
    tag_user(TagUserInput), untag_user(UntagUserInput), list_user_tags(ListUserTagsInput) -> ListUserTagsOutput,
    user_name, |ctx, name| find_user(ctx, name)?.id, fold_case: true
);
