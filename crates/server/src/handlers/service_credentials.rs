//! Service-specific credentials: CreateServiceSpecificCredential,
//! ListServiceSpecificCredentials, ResetServiceSpecificCredential,
//! UpdateServiceSpecificCredential and DeleteServiceSpecificCredential.
//!
//! CodeCommit (Git) and Keyspaces credentials are a generated user name and password; Bedrock
//! and CloudWatch Logs API keys are an alias and a secret, optionally expiring after
//! `CredentialAgeDays`. The password or secret is returned only by Create and Reset and is stored
//! sealed under the master key.

use crate::handlers::lookup::find_user;
use crate::handlers::owner::{Owner, owner, status};
use crate::handlers::pager::{PageArgs, page_of, truncation};
use crate::handlers::{Ctx, iam_error, store_failure, write};
use chrono::TimeDelta;
use portcullis_core::IamError;
use portcullis_core::credentials::ServiceCredential;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::credentials::{self, changes};
use portcullis_core::iam::credentials::{check_service, is_api_key};
use portcullis_core::{KeyStatus, Secret, ids};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    CreateServiceSpecificCredentialInput, DeleteServiceSpecificCredentialInput,
    ListServiceSpecificCredentialsInput, ResetServiceSpecificCredentialInput,
    UpdateServiceSpecificCredentialInput,
};
use portcullis_proto::output::{
    CreateServiceSpecificCredentialOutput, ListServiceSpecificCredentialsOutput,
    ResetServiceSpecificCredentialOutput, ServiceSpecificCredential,
    ServiceSpecificCredentialMetadata,
};
use std::collections::HashMap;

fn no_such_credential(id: &str) -> AwsError {
    iam_error(IamError::no_such(EntityKind::ServiceSpecificCredential, id))
}

/// The owner's user id, or `NoSuchEntity` for the root user (who has no such credentials).
fn user_id<'a>(o: &'a Owner, id: &str) -> Result<&'a str, AwsError> {
    o.user_id.as_deref().ok_or_else(|| no_such_credential(id))
}

/// `v` as the member of a password credential (first) or of an API key (second).
fn by_kind<T>(c: &ServiceCredential, v: T) -> (Option<T>, Option<T>) {
    if is_api_key(&c.service_name) {
        (None, Some(v))
    } else {
        (Some(v), None)
    }
}

/// The `ServiceSpecificCredential` of a new or reset credential, with its secret: a user name
/// and password, or an API key's alias and secret.
fn credential(c: &ServiceCredential, user: &str, secret: Secret) -> ServiceSpecificCredential {
    let (service_user_name, service_credential_alias) = by_kind(c, c.service_user_name.clone());
    let (service_password, service_credential_secret) = by_kind(c, secret);
    ServiceSpecificCredential {
        create_date: c.created,
        expiration_date: c.expiration,
        service_name: c.service_name.clone(),
        service_user_name,
        service_password,
        service_credential_alias,
        service_credential_secret,
        service_specific_credential_id: c.id.clone(),
        user_name: user.to_string(),
        status: c.status.as_str().to_string(),
    }
}

/// A listing's `ServiceSpecificCredentialMetadata`: [`credential`] without the secret.
fn metadata(c: &ServiceCredential, user: &str) -> ServiceSpecificCredentialMetadata {
    let (service_user_name, service_credential_alias) = by_kind(c, c.service_user_name.clone());
    ServiceSpecificCredentialMetadata {
        user_name: user.to_string(),
        status: c.status.as_str().to_string(),
        service_user_name,
        service_credential_alias,
        create_date: c.created,
        expiration_date: c.expiration,
        service_specific_credential_id: c.id.clone(),
        service_name: c.service_name.clone(),
    }
}

pub fn create_service_specific_credential(
    ctx: &Ctx,
) -> Result<CreateServiceSpecificCredentialOutput, AwsError> {
    let i: &CreateServiceSpecificCredentialInput = ctx.input()?;
    let user = find_user(ctx, &i.user_name)?;
    let service = i.service_name.as_str();
    let age_days = i.credential_age_days;
    check_service(service, age_days.is_some()).map_err(iam_error)?;
    let id = ids::unique_id(ids::IdKind::ServiceCredential);
    let secret = ids::service_password();
    let service_user_name = if is_api_key(service) {
        format!(
            "{}+{}-at-{}",
            user.name,
            ctx.now.format("%Y%m%d%H%M%S"),
            user.account
        )
    } else {
        format!("{}-at-{}", user.name, user.account)
    };
    let cred = ServiceCredential {
        id: id.clone(),
        account: user.account.clone(),
        user_id: user.id.clone(),
        service_name: service.to_string(),
        service_user_name,
        sealed_password: ctx
            .app
            .master
            .seal(secret.expose().as_bytes(), id.as_bytes()),
        status: KeyStatus::Active,
        created: ctx.now,
        expiration: age_days.map(|d| ctx.now + TimeDelta::days(d)),
    };
    write(ctx, |tx| credentials::add_service_credential(tx, &cred))?;
    Ok(CreateServiceSpecificCredentialOutput {
        service_specific_credential: Some(credential(&cred, &user.name, secret)),
    })
}

pub fn list_service_specific_credentials(
    ctx: &Ctx,
) -> Result<ListServiceSpecificCredentialsOutput, AwsError> {
    let i: &ListServiceSpecificCredentialsInput = ctx.input()?;
    let service = i.service_name.as_deref();
    if let Some(s) = service {
        check_service(s, false).map_err(iam_error)?;
    }
    let all_users = i.all_users == Some(true);
    let account = ctx.account()?;
    let (creds, mut names) = if all_users {
        let creds = ctx
            .app
            .store
            .list_service_credentials(account, None, service)
            .map_err(store_failure)?;
        (creds, HashMap::new())
    } else {
        let o = owner(ctx, i.user_name.as_deref())?;
        match (o.user_id, o.user_name) {
            (Some(uid), Some(name)) => {
                let creds = ctx
                    .app
                    .store
                    .list_service_credentials(account, Some(&uid), service)
                    .map_err(store_failure)?;
                (creds, HashMap::from([(uid, name)]))
            }
            _ => (Vec::new(), HashMap::new()),
        }
    };
    let (page, next) = page_of(creds, &PageArgs::from(ctx)?)?;
    for c in &page {
        if !names.contains_key(&c.user_id) {
            let name = ctx
                .app
                .store
                .get_user_by_id(account, &c.user_id)
                .map_err(store_failure)?
                .map(|u| u.name)
                .unwrap_or_default();
            names.insert(c.user_id.clone(), name);
        }
    }
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok(ListServiceSpecificCredentialsOutput {
        service_specific_credentials: Some(
            page.iter()
                .map(|c| metadata(c, names.get(&c.user_id).map_or("", String::as_str)))
                .collect(),
        ),
        marker,
        is_truncated,
    })
}

pub fn reset_service_specific_credential(
    ctx: &Ctx,
) -> Result<ResetServiceSpecificCredentialOutput, AwsError> {
    let i: &ResetServiceSpecificCredentialInput = ctx.input()?;
    let o = owner(ctx, i.user_name.as_deref())?;
    let id = i.service_specific_credential_id.as_str();
    let uid = user_id(&o, id)?;
    let secret = ids::service_password();
    let sealed = ctx
        .app
        .master
        .seal(secret.expose().as_bytes(), id.as_bytes());
    let account = ctx.account()?;
    let cred = write(ctx, |tx| {
        changes::reset_service_credential(tx, account, uid, id, &sealed)
    })?;
    let user = o.user_name.as_deref().unwrap_or_default();
    Ok(ResetServiceSpecificCredentialOutput {
        service_specific_credential: Some(credential(&cred, user, secret)),
    })
}

pub fn update_service_specific_credential(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateServiceSpecificCredentialInput = ctx.input()?;
    let status = status(&i.status)?;
    let o = owner(ctx, i.user_name.as_deref())?;
    let id = i.service_specific_credential_id.as_str();
    let (account, uid) = (ctx.account()?, user_id(&o, id)?);
    write(ctx, |tx| {
        changes::set_service_credential_status(tx, account, uid, id, status)
    })
}

pub fn delete_service_specific_credential(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &DeleteServiceSpecificCredentialInput = ctx.input()?;
    let o = owner(ctx, i.user_name.as_deref())?;
    let id = i.service_specific_credential_id.as_str();
    let (account, uid) = (ctx.account()?, user_id(&o, id)?);
    write(ctx, |tx| {
        changes::delete_service_credential(tx, account, uid, id)
    })
}
