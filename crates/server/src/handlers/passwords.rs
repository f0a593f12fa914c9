//! Console passwords: CreateLoginProfile, GetLoginProfile, UpdateLoginProfile,
//! DeleteLoginProfile and ChangePassword, and the account password policy
//! (UpdateAccountPasswordPolicy, GetAccountPasswordPolicy, DeleteAccountPasswordPolicy).
//!
//! Passwords are checked against the account policy (AWS's default policy when none is set),
//! screened against common passwords and the user's name unless `password_screening = false`,
//! and kept only as Argon2id hashes; they are never logged or returned. ChangePassword and the
//! policy's rules are core's (`iam::passwords::change_password`, `iam::password_policy`), which
//! the console calls too.

use crate::failure::new_password_failure;
use crate::handlers::lookup::{find_user, no_such_user};
use crate::handlers::{Ctx, iam_error, store_failure, user_name_required};
use portcullis_core::error::EntityKind;
use portcullis_core::iam::password_policy::{PolicyRequest, password_policy};
use portcullis_core::iam::passwords::{self as rules, NewPasswordError};
use portcullis_core::passwords::{LoginProfile, LoginProfileUpdate};
use portcullis_core::{IamError, Principal, StoreError, User};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    ChangePasswordInput, CreateLoginProfileInput, DeleteLoginProfileInput, GetLoginProfileInput,
    UpdateAccountPasswordPolicyInput, UpdateLoginProfileInput,
};
use portcullis_proto::output::{
    self, CreateLoginProfileOutput, GetAccountPasswordPolicyOutput, GetLoginProfileOutput,
};

fn no_such_profile(user_name: &str) -> AwsError {
    iam_error(IamError::no_such(EntityKind::LoginProfile, user_name))
}

/// The user a login-profile operation means: `UserName` (given as `name`), or the calling IAM
/// user.
fn profile_user(ctx: &Ctx, name: Option<&str>) -> Result<User, AwsError> {
    match (name, &ctx.caller()?.principal) {
        (Some(name), _) => find_user(ctx, name),
        (None, Principal::User(u)) => find_user(ctx, &u.name),
        (None, _) => Err(user_name_required()),
    }
}

/// A new password for `user`, checked (policy, screening, reuse) and hashed by core.
fn new_password_hash(ctx: &Ctx, user: &User, password: &str) -> Result<String, AwsError> {
    let screening = ctx.app.settings.password_screening;
    rules::new_password_hash(&*ctx.app.store, user, password, screening)
        .map_err(new_password_failure)
}

fn profile_shape(user_name: &str, p: &LoginProfile) -> output::LoginProfile {
    output::LoginProfile {
        user_name: user_name.to_string(),
        create_date: p.created,
        password_reset_required: Some(p.reset_required),
        max_signin_session_duration: p.max_session_duration,
    }
}

pub fn create_login_profile(ctx: &Ctx) -> Result<CreateLoginProfileOutput, AwsError> {
    let input: &CreateLoginProfileInput = ctx.input()?;
    let user = profile_user(ctx, input.user_name.as_deref())?;
    // Only an AssumeRoot session (root password recovery) may omit the password, and this
    // server issues none.
    let password = rules::required_password(input.password.as_ref()).map_err(iam_error)?;
    if ctx
        .app
        .store
        .login_profile(&user.account, &user.id)
        .map_err(store_failure)?
        .is_some()
    {
        return Err(profile_exists(&user.name));
    }
    let hash = new_password_hash(ctx, &user, password.expose())?;
    let profile = LoginProfile {
        account: user.account.clone(),
        user_id: user.id.clone(),
        created: ctx.now,
        password_changed: ctx.now,
        reset_required: input.password_reset_required.unwrap_or(false),
        max_session_duration: input.max_signin_session_duration,
    };
    ctx.app
        .store
        .create_login_profile(&profile, &hash)
        .map_err(|e| match e {
            StoreError::AlreadyExists => profile_exists(&user.name),
            StoreError::NotFound => no_such_user(&user.name),
            other => store_failure(other),
        })?;
    Ok(CreateLoginProfileOutput {
        login_profile: profile_shape(&user.name, &profile),
    })
}

fn profile_exists(user_name: &str) -> AwsError {
    iam_error(IamError::exists(EntityKind::LoginProfile, user_name))
}

/// The user's login profile, or NoSuchEntity.
fn existing_profile(ctx: &Ctx, user: &User) -> Result<LoginProfile, AwsError> {
    ctx.app
        .store
        .login_profile(&user.account, &user.id)
        .map_err(store_failure)?
        .ok_or_else(|| no_such_profile(&user.name))
}

pub fn get_login_profile(ctx: &Ctx) -> Result<GetLoginProfileOutput, AwsError> {
    let name = ctx.input::<GetLoginProfileInput>()?.user_name.as_deref();
    let user = profile_user(ctx, name)?;
    let profile = existing_profile(ctx, &user)?;
    Ok(GetLoginProfileOutput {
        login_profile: profile_shape(&user.name, &profile),
    })
}

fn update_profile(ctx: &Ctx, user: &User, update: &LoginProfileUpdate) -> Result<(), AwsError> {
    ctx.app
        .store
        .update_login_profile(&user.account, &user.id, update)
        .map(|_| ())
        .map_err(|e| match e {
            StoreError::NotFound => no_such_profile(&user.name),
            other => store_failure(other),
        })
}

pub fn update_login_profile(ctx: &Ctx) -> Result<(), AwsError> {
    let input: &UpdateLoginProfileInput = ctx.input()?;
    let user = find_user(ctx, &input.user_name)?;
    let max_session_duration = rules::session_duration_change(
        input.max_signin_session_duration,
        input.reset_max_signin_session_duration,
    )
    .map_err(iam_error)?;
    existing_profile(ctx, &user)?;
    let password_hash = input
        .password
        .as_ref()
        .map(|p| new_password_hash(ctx, &user, p.expose()))
        .transpose()?;
    let update = LoginProfileUpdate {
        password_hash,
        reset_required: input.password_reset_required,
        max_session_duration,
        now: ctx.now,
    };
    update_profile(ctx, &user, &update)
}

pub fn delete_login_profile(ctx: &Ctx) -> Result<(), AwsError> {
    let name = ctx.input::<DeleteLoginProfileInput>()?.user_name.as_deref();
    let user = profile_user(ctx, name)?;
    ctx.app
        .store
        .delete_login_profile(&user.account, &user.id)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_profile(&user.name),
            other => store_failure(other),
        })
}

pub fn change_password(ctx: &Ctx) -> Result<(), AwsError> {
    let name = rules::password_changer(&ctx.caller()?.principal).map_err(iam_error)?;
    let user = find_user(ctx, name)?;
    let input: &ChangePasswordInput = ctx.input()?;
    let passwords = (input.old_password.expose(), input.new_password.expose());
    let screening = ctx.app.settings.password_screening;
    let store = &*ctx.app.store;
    rules::change_password(store, &ctx.app.attempts, &user, passwords, screening, ctx.now)
        .map_err(|e| {
            if matches!(e, NewPasswordError::Refused(IamError::TooManyPasswordAttempts)) {
                tracing::warn!(user = %user.name, "ChangePassword refused: too many wrong old passwords");
            }
            new_password_failure(e)
        })
}

pub fn update_account_password_policy(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateAccountPasswordPolicyInput = ctx.input()?;
    let policy = password_policy(&PolicyRequest {
        minimum_length: i.minimum_password_length,
        require_symbols: i.require_symbols,
        require_numbers: i.require_numbers,
        require_uppercase: i.require_uppercase_characters,
        require_lowercase: i.require_lowercase_characters,
        allow_users_to_change: i.allow_users_to_change_password,
        max_age_days: i.max_password_age,
        reuse_prevention: i.password_reuse_prevention,
        hard_expiry: i.hard_expiry,
    })
    .map_err(iam_error)?;
    ctx.app
        .store
        .put_password_policy(ctx.account()?, &policy)
        .map_err(store_failure)
}

pub fn get_account_password_policy(ctx: &Ctx) -> Result<GetAccountPasswordPolicyOutput, AwsError> {
    let account = ctx.account()?;
    let p = ctx
        .app
        .store
        .password_policy(account)
        .map_err(store_failure)?
        .ok_or_else(|| iam_error(IamError::no_such(EntityKind::PasswordPolicy, account)))?;
    Ok(GetAccountPasswordPolicyOutput {
        password_policy: output::PasswordPolicy {
            minimum_password_length: Some(i64::from(p.minimum_length)),
            require_symbols: Some(p.require_symbols),
            require_numbers: Some(p.require_numbers),
            require_uppercase_characters: Some(p.require_uppercase),
            require_lowercase_characters: Some(p.require_lowercase),
            allow_users_to_change_password: Some(p.allow_users_to_change),
            expire_passwords: Some(p.expire_passwords()),
            max_password_age: p.max_age_days.map(i64::from),
            password_reuse_prevention: p.reuse_prevention.map(i64::from),
            hard_expiry: p.hard_expiry,
        },
    })
}

pub fn delete_account_password_policy(ctx: &Ctx) -> Result<(), AwsError> {
    let account = ctx.account()?;
    ctx.app
        .store
        .delete_password_policy(account)
        .map_err(|e| match e {
            // AWS words this one differently from GetAccountPasswordPolicy's.
            StoreError::NotFound => iam_error(IamError::no_such(
                EntityKind::AccountPolicy,
                "PasswordPolicy",
            )),
            other => store_failure(other),
        })
}
