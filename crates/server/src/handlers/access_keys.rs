//! Access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey and
//! GetAccessKeyLastUsed. Without `UserName` they act on the caller (root's own keys for root).

use crate::handlers::owner::{owner, status};
use crate::handlers::pager::{PageArgs, page_of, truncation};
use crate::handlers::{Ctx, iam_error, store_failure, write};
use portcullis_core::IamError;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::access_keys;
use portcullis_core::{AccessKey, KeyStatus, ids};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    CreateAccessKeyInput, DeleteAccessKeyInput, GetAccessKeyLastUsedInput, ListAccessKeysInput,
    UpdateAccessKeyInput,
};
use portcullis_proto::output::{
    self, AccessKeyLastUsed, AccessKeyMetadata, CreateAccessKeyOutput, GetAccessKeyLastUsedOutput,
    ListAccessKeysOutput,
};

fn no_such_key(id: &str) -> AwsError {
    iam_error(IamError::no_such(EntityKind::AccessKey, id))
}

pub fn create_access_key(ctx: &Ctx) -> Result<CreateAccessKeyOutput, AwsError> {
    let o = owner(
        ctx,
        ctx.input::<CreateAccessKeyInput>()?.user_name.as_deref(),
    )?;
    let id = ids::access_key_id();
    let secret = ids::secret_access_key();
    let quotas = ctx.app.settings.quotas;
    let key = AccessKey {
        id: id.clone(),
        account: ctx.account()?.to_string(),
        user_id: o.user_id.clone(),
        status: KeyStatus::Active,
        sealed_secret: ctx
            .app
            .master
            .seal(secret.expose().as_bytes(), id.as_bytes()),
        created: ctx.now,
        last_used: None,
    };
    write(ctx, |tx| access_keys::create(tx, &key, &quotas))?;
    Ok(CreateAccessKeyOutput {
        access_key: output::AccessKey {
            user_name: o.user_name,
            access_key_id: id,
            status: KeyStatus::Active.as_str().to_string(),
            secret_access_key: secret,
            create_date: Some(ctx.now),
        },
    })
}

pub fn list_access_keys(ctx: &Ctx) -> Result<ListAccessKeysOutput, AwsError> {
    let o = owner(
        ctx,
        ctx.input::<ListAccessKeysInput>()?.user_name.as_deref(),
    )?;
    let keys = ctx
        .app
        .store
        .list_access_keys(ctx.account()?, o.user_id.as_deref())
        .map_err(store_failure)?;
    let (page, next) = page_of(keys, &PageArgs::from(ctx)?)?;
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok(ListAccessKeysOutput {
        access_key_metadata: page
            .iter()
            .map(|k| AccessKeyMetadata {
                user_name: o.user_name.clone(),
                access_key_id: Some(k.id.clone()),
                status: Some(k.status.as_str().to_string()),
                create_date: Some(k.created),
            })
            .collect(),
        is_truncated,
        marker,
    })
}

pub fn update_access_key(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateAccessKeyInput = ctx.input()?;
    let o = owner(ctx, i.user_name.as_deref())?;
    let id = i.access_key_id.as_str();
    let status = status(&i.status)?;
    let account = ctx.account()?;
    write(ctx, |tx| {
        access_keys::set_status(tx, account, o.user_id.as_deref(), id, status)
    })
}

pub fn delete_access_key(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &DeleteAccessKeyInput = ctx.input()?;
    let o = owner(ctx, i.user_name.as_deref())?;
    let id = i.access_key_id.as_str();
    let account = ctx.account()?;
    write(ctx, |tx| {
        access_keys::delete(tx, account, o.user_id.as_deref(), id)
    })
}

pub fn get_access_key_last_used(ctx: &Ctx) -> Result<GetAccessKeyLastUsedOutput, AwsError> {
    let id = ctx
        .input::<GetAccessKeyLastUsedInput>()?
        .access_key_id
        .as_str();
    let key = ctx
        .app
        .store
        .get_access_key(id)
        .map_err(store_failure)?
        .filter(|k| k.account == ctx.account().unwrap_or_default());
    let key = key.ok_or_else(|| no_such_key(id))?;
    let user_name = match &key.user_id {
        Some(uid) => ctx
            .app
            .store
            .get_user_by_id(&key.account, uid)
            .map_err(store_failure)?
            .map(|u| u.name),
        None => None,
    };
    let last_used = match &key.last_used {
        Some(l) => AccessKeyLastUsed {
            last_used_date: Some(l.at),
            service_name: l.service.clone(),
            region: l.region.clone(),
        },
        None => AccessKeyLastUsed {
            last_used_date: None,
            service_name: "N/A".into(),
            region: "N/A".into(),
        },
    };
    Ok(GetAccessKeyLastUsedOutput {
        user_name,
        access_key_last_used: Some(last_used),
    })
}
