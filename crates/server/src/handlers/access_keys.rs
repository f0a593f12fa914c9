//! Access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey and
//! GetAccessKeyLastUsed. Without `UserName` they act on the caller (root's own keys for root).

use crate::handlers::owner::{owner, status};
use crate::handlers::pager::{PageArgs, page_of, write_truncation};
use crate::handlers::{Ctx, HandlerResult, store_failure, write};
use portcullis_core::clock::iso8601;
use portcullis_core::iam::access_keys;
use portcullis_core::{AccessKey, KeyStatus, StoreError, ids};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    DeleteAccessKeyInput, GetAccessKeyLastUsedInput, UpdateAccessKeyInput,
};
use portcullis_proto::xml::XmlWriter;

fn no_such_key(id: &str) -> AwsError {
    AwsError::no_such_entity(format!("The Access Key with id {id} cannot be found."))
}

pub fn create_access_key(ctx: &Ctx) -> HandlerResult {
    let o = owner(ctx)?;
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
    let mut w = XmlWriter::new();
    w.open("AccessKey");
    w.opt("UserName", o.user_name.as_deref());
    w.elem("AccessKeyId", &id)
        .elem("Status", "Active")
        .elem("SecretAccessKey", secret.expose())
        .elem("CreateDate", &iso8601(ctx.now));
    w.close("AccessKey");
    Ok(w.finish())
}

pub fn list_access_keys(ctx: &Ctx) -> HandlerResult {
    let o = owner(ctx)?;
    let keys = ctx
        .app
        .store
        .list_access_keys(ctx.account()?, o.user_id.as_deref())
        .map_err(store_failure)?;
    let (page, next) = page_of(keys, &PageArgs::from(ctx)?)?;
    let mut w = XmlWriter::new();
    w.list("AccessKeyMetadata", &page, |w, k| {
        w.opt("UserName", o.user_name.as_deref());
        w.elem("AccessKeyId", &k.id)
            .elem("Status", k.status.as_str())
            .elem("CreateDate", &iso8601(k.created));
    });
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}

pub fn update_access_key(ctx: &Ctx) -> HandlerResult {
    let o = owner(ctx)?;
    let id = ctx.input::<UpdateAccessKeyInput>()?.access_key_id.as_str();
    let status = status(ctx)?;
    ctx.app
        .store
        .update_access_key_status(ctx.account()?, o.user_id.as_deref(), id, status)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_key(id),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn delete_access_key(ctx: &Ctx) -> HandlerResult {
    let o = owner(ctx)?;
    let id = ctx.input::<DeleteAccessKeyInput>()?.access_key_id.as_str();
    ctx.app
        .store
        .delete_access_key(ctx.account()?, o.user_id.as_deref(), id)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_key(id),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn get_access_key_last_used(ctx: &Ctx) -> HandlerResult {
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
    let mut w = XmlWriter::new();
    w.opt("UserName", user_name.as_deref());
    w.open("AccessKeyLastUsed");
    match &key.last_used {
        Some(l) => {
            w.elem("LastUsedDate", &iso8601(l.at))
                .elem("ServiceName", &l.service)
                .elem("Region", &l.region);
        }
        None => {
            w.elem("ServiceName", "N/A").elem("Region", "N/A");
        }
    }
    w.close("AccessKeyLastUsed");
    Ok(w.finish())
}
