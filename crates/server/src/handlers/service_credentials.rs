//! Service-specific credentials: CreateServiceSpecificCredential,
//! ListServiceSpecificCredentials, ResetServiceSpecificCredential,
//! UpdateServiceSpecificCredential and DeleteServiceSpecificCredential.
//!
//! CodeCommit (Git) and Keyspaces credentials are a generated user name and password; Bedrock
//! and CloudWatch Logs API keys are an alias and a secret, optionally expiring after
//! `CredentialAgeDays`. The password or secret is returned only by Create and Reset and is stored
//! sealed under the master key.

use crate::handlers::owner::{Owner, owner, status};
use crate::handlers::pager::{PageArgs, page_of, write_truncation};
use crate::handlers::users::find_user;
use crate::handlers::{Ctx, HandlerResult, store_failure};
use chrono::TimeDelta;
use portcullis_core::clock::iso8601;
use portcullis_core::credentials::ServiceCredential;
use portcullis_core::{KeyStatus, Secret, StoreError, ids};
use portcullis_proto::AwsError;
use portcullis_proto::xml::XmlWriter;
use std::collections::HashMap;

/// Services with user-name/password credentials.
const PASSWORD_SERVICES: &[&str] = &["codecommit.amazonaws.com", "cassandra.amazonaws.com"];
/// Services with long-term API keys (alias and secret).
const API_KEY_SERVICES: &[&str] = &["bedrock.amazonaws.com", "logs.amazonaws.com"];

fn is_api_key(service: &str) -> bool {
    API_KEY_SERVICES.contains(&service)
}

fn check_service(service: &str) -> Result<(), AwsError> {
    if PASSWORD_SERVICES.contains(&service) || is_api_key(service) {
        Ok(())
    } else {
        Err(AwsError::no_such_entity(format!(
            "No such service {service} is supported for Service Specific Credentials"
        )))
    }
}

fn no_such_credential(id: &str) -> AwsError {
    AwsError::no_such_entity(format!("No such credential {id} exists"))
}

/// The owner's user id, or `NoSuchEntity` for the root user (who has no such credentials).
fn user_id<'a>(o: &'a Owner, id: &str) -> Result<&'a str, AwsError> {
    o.user_id.as_deref().ok_or_else(|| no_such_credential(id))
}

fn not_found_as(id: &str) -> impl Fn(StoreError) -> AwsError + '_ {
    move |e| match e {
        StoreError::NotFound => no_such_credential(id),
        other => store_failure(other),
    }
}

/// The `ServiceSpecificCredential` (with its secret) or one listing member (without).
fn write_credential(w: &mut XmlWriter, c: &ServiceCredential, user: &str, secret: Option<&Secret>) {
    w.elem("CreateDate", &iso8601(c.created));
    w.opt("ExpirationDate", c.expiration.map(iso8601).as_deref());
    w.elem("ServiceName", &c.service_name);
    if is_api_key(&c.service_name) {
        w.elem("ServiceCredentialAlias", &c.service_user_name);
        w.opt("ServiceCredentialSecret", secret.map(Secret::expose));
    } else {
        w.elem("ServiceUserName", &c.service_user_name);
        w.opt("ServicePassword", secret.map(Secret::expose));
    }
    w.elem("ServiceSpecificCredentialId", &c.id)
        .elem("UserName", user)
        .elem("Status", c.status.as_str());
}

fn credential_response(c: &ServiceCredential, user: &str, secret: &Secret) -> HandlerResult {
    let mut w = XmlWriter::new();
    w.open("ServiceSpecificCredential");
    write_credential(&mut w, c, user, Some(secret));
    w.close("ServiceSpecificCredential");
    Ok(w.finish())
}

pub fn create_service_specific_credential(ctx: &Ctx) -> HandlerResult {
    let user = find_user(ctx, ctx.required("UserName"))?;
    let service = ctx.required("ServiceName");
    check_service(service)?;
    let age_days = ctx.input.int("CredentialAgeDays");
    if age_days.is_some() && !is_api_key(service) {
        return Err(AwsError::invalid_input(format!(
            "CredentialAgeDays is not supported for service {service}."
        )));
    }
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
    crate::handlers::write(ctx, |tx| {
        portcullis_core::iam::credentials::add_service_credential(tx, &cred)
    })?;
    credential_response(&cred, &user.name, &secret)
}

pub fn list_service_specific_credentials(ctx: &Ctx) -> HandlerResult {
    let service = ctx.param("ServiceName");
    if let Some(s) = service {
        check_service(s)?;
    }
    let all_users = ctx.input.flag("AllUsers") == Some(true);
    let account = ctx.account()?;
    let (creds, mut names) = if all_users {
        let creds = ctx
            .app
            .store
            .list_service_credentials(account, None, service)
            .map_err(store_failure)?;
        (creds, HashMap::new())
    } else {
        let o = owner(ctx)?;
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
    let mut w = XmlWriter::new();
    w.list("ServiceSpecificCredentials", &page, |w, c| {
        let user = names.get(&c.user_id).map(String::as_str).unwrap_or("");
        write_credential(w, c, user, None);
    });
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}

pub fn reset_service_specific_credential(ctx: &Ctx) -> HandlerResult {
    let o = owner(ctx)?;
    let id = ctx.required("ServiceSpecificCredentialId");
    let uid = user_id(&o, id)?;
    let secret = ids::service_password();
    let sealed = ctx
        .app
        .master
        .seal(secret.expose().as_bytes(), id.as_bytes());
    let cred = ctx
        .app
        .store
        .reset_service_credential(ctx.account()?, uid, id, &sealed)
        .map_err(not_found_as(id))?;
    credential_response(&cred, o.user_name.as_deref().unwrap_or(""), &secret)
}

pub fn update_service_specific_credential(ctx: &Ctx) -> HandlerResult {
    let status = status(ctx)?;
    let o = owner(ctx)?;
    let id = ctx.required("ServiceSpecificCredentialId");
    ctx.app
        .store
        .update_service_credential_status(ctx.account()?, user_id(&o, id)?, id, status)
        .map_err(not_found_as(id))?;
    Ok(String::new())
}

pub fn delete_service_specific_credential(ctx: &Ctx) -> HandlerResult {
    let o = owner(ctx)?;
    let id = ctx.required("ServiceSpecificCredentialId");
    ctx.app
        .store
        .delete_service_credential(ctx.account()?, user_id(&o, id)?, id)
        .map_err(not_found_as(id))?;
    Ok(String::new())
}
