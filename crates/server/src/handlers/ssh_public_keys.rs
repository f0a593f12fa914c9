//! SSH public keys of users (CodeCommit): UploadSSHPublicKey, GetSSHPublicKey,
//! ListSSHPublicKeys, UpdateSSHPublicKey and DeleteSSHPublicKey.

use crate::handlers::lookup::find_user;
use crate::handlers::owner::{owner, status};
use crate::handlers::pager::{PageArgs, page_of, truncation};
use crate::handlers::{Ctx, iam_error, store_failure, write};
use portcullis_core::IamError;
use portcullis_core::credentials::SshPublicKey;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::credentials::ssh::{self, SshKeyError};
use portcullis_core::iam::credentials::{self, changes};
use portcullis_core::{KeyStatus, User, ids};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    DeleteSSHPublicKeyInput, GetSSHPublicKeyInput, ListSSHPublicKeysInput, UpdateSSHPublicKeyInput,
    UploadSSHPublicKeyInput,
};
use portcullis_proto::output::{
    GetSSHPublicKeyOutput, ListSSHPublicKeysOutput, SSHPublicKey, SSHPublicKeyMetadata,
    UploadSSHPublicKeyOutput,
};

fn no_such_key(id: &str) -> AwsError {
    iam_error(IamError::no_such(EntityKind::SshPublicKey, id))
}

fn key_error(e: SshKeyError) -> AwsError {
    iam_error(IamError::SshKey(e))
}

/// The user `user_name` names and their key `id`.
fn user_and_key(ctx: &Ctx, user_name: &str, id: &str) -> Result<(User, SshPublicKey), AwsError> {
    let user = find_user(ctx, user_name)?;
    let key = ctx
        .app
        .store
        .get_ssh_key(&user.account, &user.id, id)
        .map_err(store_failure)?
        .ok_or_else(|| no_such_key(id))?;
    Ok((user, key))
}

/// The `SSHPublicKey` structure, with the body in the encoding asked for.
fn key_shape(user_name: &str, k: &SshPublicKey, body: String) -> Option<SSHPublicKey> {
    Some(SSHPublicKey {
        user_name: user_name.to_string(),
        ssh_public_key_id: k.id.clone(),
        fingerprint: k.fingerprint.clone(),
        ssh_public_key_body: body,
        status: k.status.as_str().to_string(),
        upload_date: Some(k.uploaded),
    })
}

pub fn upload_ssh_public_key(ctx: &Ctx) -> Result<UploadSSHPublicKeyOutput, AwsError> {
    let i: &UploadSSHPublicKeyInput = ctx.input()?;
    let user = find_user(ctx, &i.user_name)?;
    let parsed = ssh::parse(&i.ssh_public_key_body).map_err(key_error)?;
    let key = SshPublicKey {
        id: ids::unique_id(ids::IdKind::PublicKey),
        account: user.account.clone(),
        user_id: user.id.clone(),
        body: parsed.openssh(),
        fingerprint: parsed.fingerprint(),
        status: KeyStatus::Active,
        uploaded: ctx.now,
    };
    write(ctx, |tx| credentials::add_ssh_key(tx, &key))?;
    Ok(UploadSSHPublicKeyOutput {
        ssh_public_key: key_shape(&user.name, &key, key.body.clone()),
    })
}

pub fn get_ssh_public_key(ctx: &Ctx) -> Result<GetSSHPublicKeyOutput, AwsError> {
    let i: &GetSSHPublicKeyInput = ctx.input()?;
    let (user, key) = user_and_key(ctx, &i.user_name, &i.ssh_public_key_id)?;
    let body = match i.encoding.as_str() {
        "PEM" => ssh::parse(&key.body)
            .and_then(|k| k.pem())
            .map_err(key_error)?,
        _ => key.body.clone(),
    };
    Ok(GetSSHPublicKeyOutput {
        ssh_public_key: key_shape(&user.name, &key, body),
    })
}

pub fn list_ssh_public_keys(ctx: &Ctx) -> Result<ListSSHPublicKeysOutput, AwsError> {
    let o = owner(
        ctx,
        ctx.input::<ListSSHPublicKeysInput>()?.user_name.as_deref(),
    )?;
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
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok(ListSSHPublicKeysOutput {
        // Only a user has keys (root's list is empty), so the user name is known.
        ssh_public_keys: Some(
            page.iter()
                .map(|k| SSHPublicKeyMetadata {
                    user_name: o.user_name.clone().unwrap_or_default(),
                    ssh_public_key_id: k.id.clone(),
                    status: k.status.as_str().to_string(),
                    upload_date: k.uploaded,
                })
                .collect(),
        ),
        is_truncated,
        marker,
    })
}

pub fn update_ssh_public_key(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateSSHPublicKeyInput = ctx.input()?;
    let status = status(&i.status)?;
    let (user, key) = user_and_key(ctx, &i.user_name, &i.ssh_public_key_id)?;
    write(ctx, |tx| {
        changes::set_ssh_key_status(tx, &user.account, &user.id, &key.id, status)
    })
}

pub fn delete_ssh_public_key(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &DeleteSSHPublicKeyInput = ctx.input()?;
    let (user, key) = user_and_key(ctx, &i.user_name, &i.ssh_public_key_id)?;
    write(ctx, |tx| {
        changes::delete_ssh_key(tx, &user.account, &user.id, &key.id)
    })
}
