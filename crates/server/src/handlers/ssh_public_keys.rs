//! SSH public keys of users (CodeCommit): UploadSSHPublicKey, GetSSHPublicKey,
//! ListSSHPublicKeys, UpdateSSHPublicKey and DeleteSSHPublicKey.

use crate::handlers::owner::{owner, status};
use crate::handlers::pager::{PageArgs, page_of, write_truncation};
use crate::handlers::users::find_user;
use crate::handlers::{Ctx, HandlerResult, store_failure};
use portcullis_core::clock::iso8601;
use portcullis_core::credentials::SshPublicKey;
use portcullis_core::iam::credentials::ssh::{self, SshKeyError};
use portcullis_core::{KeyStatus, StoreError, User, ids};
use portcullis_proto::AwsError;
use portcullis_proto::xml::XmlWriter;

fn no_such_key(id: &str) -> AwsError {
    AwsError::no_such_entity(format!("The Public Key with id {id} cannot be found."))
}

fn key_error(e: SshKeyError) -> AwsError {
    let code = match e {
        SshKeyError::Unrecognized => "UnrecognizedPublicKeyEncoding",
        SshKeyError::Invalid(_) => "InvalidPublicKey",
    };
    AwsError::new(code, 400, e.to_string())
}

/// The user named by the required `UserName` and their key `SSHPublicKeyId`.
fn user_and_key(ctx: &Ctx) -> Result<(User, SshPublicKey), AwsError> {
    let user = find_user(ctx, ctx.required("UserName"))?;
    let id = ctx.required("SSHPublicKeyId");
    let key = ctx
        .app
        .store
        .get_ssh_key(&user.account, &user.id, id)
        .map_err(store_failure)?
        .ok_or_else(|| no_such_key(id))?;
    Ok((user, key))
}

fn write_key(w: &mut XmlWriter, user_name: &str, k: &SshPublicKey, body: &str) {
    w.open("SSHPublicKey")
        .elem("UserName", user_name)
        .elem("SSHPublicKeyId", &k.id)
        .elem("Fingerprint", &k.fingerprint)
        .elem("SSHPublicKeyBody", body)
        .elem("Status", k.status.as_str())
        .elem("UploadDate", &iso8601(k.uploaded))
        .close("SSHPublicKey");
}

pub fn upload_ssh_public_key(ctx: &Ctx) -> HandlerResult {
    let user = find_user(ctx, ctx.required("UserName"))?;
    let parsed = ssh::parse(ctx.required("SSHPublicKeyBody")).map_err(key_error)?;
    let key = SshPublicKey {
        id: ids::unique_id(ids::IdKind::PublicKey),
        account: user.account.clone(),
        user_id: user.id.clone(),
        body: parsed.openssh(),
        fingerprint: parsed.fingerprint(),
        status: KeyStatus::Active,
        uploaded: ctx.now,
    };
    crate::handlers::write(ctx, |tx| {
        portcullis_core::iam::credentials::add_ssh_key(tx, &key)
    })?;
    let mut w = XmlWriter::new();
    write_key(&mut w, &user.name, &key, &key.body);
    Ok(w.finish())
}

pub fn get_ssh_public_key(ctx: &Ctx) -> HandlerResult {
    let (user, key) = user_and_key(ctx)?;
    let body = match ctx.required("Encoding") {
        "PEM" => ssh::parse(&key.body)
            .and_then(|k| k.pem())
            .map_err(key_error)?,
        _ => key.body.clone(),
    };
    let mut w = XmlWriter::new();
    write_key(&mut w, &user.name, &key, &body);
    Ok(w.finish())
}

pub fn list_ssh_public_keys(ctx: &Ctx) -> HandlerResult {
    let o = owner(ctx)?;
    // The root user has no SSH keys.
    let keys = match &o.user_id {
        Some(uid) => ctx
            .app
            .store
            .list_ssh_keys(ctx.account()?, uid)
            .map_err(store_failure)?,
        None => Vec::new(),
    };
    let (page, next) = page_of(keys, &PageArgs::from(ctx)?)?;
    let mut w = XmlWriter::new();
    w.list("SSHPublicKeys", &page, |w, k| {
        w.opt("UserName", o.user_name.as_deref())
            .elem("SSHPublicKeyId", &k.id)
            .elem("Status", k.status.as_str())
            .elem("UploadDate", &iso8601(k.uploaded));
    });
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}

pub fn update_ssh_public_key(ctx: &Ctx) -> HandlerResult {
    let status = status(ctx)?;
    let (user, key) = user_and_key(ctx)?;
    ctx.app
        .store
        .update_ssh_key_status(&user.account, &user.id, &key.id, status)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_key(&key.id),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn delete_ssh_public_key(ctx: &Ctx) -> HandlerResult {
    let (user, key) = user_and_key(ctx)?;
    ctx.app
        .store
        .delete_ssh_key(&user.account, &user.id, &key.id)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_key(&key.id),
            other => store_failure(other),
        })?;
    Ok(String::new())
}
