//! Cleanup of any IAM endpoint (a Portcullis server or AWS itself) through the AWS SDK and the
//! standard credential chain (environment, shared files, credential process...). The recovery
//! records are tags on the user, which AWS stores like any tag; the endpoint's own trail
//! (Portcullis's audit log, or CloudTrail) records every call. AWS never reveals a password
//! hash, so restoring a removed console password sets a new temporary one instead, which the
//! user must change at the next sign-in.

use super::sdk::{document, every, sdk, time};
use super::{Target, admin};
use anyhow::{Context, Result, anyhow, bail};
use aws_sdk_iam::Client;
use aws_sdk_iam::types::StatusType;
use chrono::{DateTime, Utc};
use portcullis_core::Tag;
use portcullis_core::findings::cleanup::{Action, KEY_TAG_PREFIX, PASSWORD_TAG, Step, tag_value};
use portcullis_core::findings::{
    KeyFacts, PasswordFacts, PrincipalFacts, PrincipalKind, ServiceUse,
};
use portcullis_policy::PolicyType;
use std::collections::HashMap;
use std::time::Duration;

/// An IAM endpoint and the runtime its client runs on.
#[derive(Debug)]
pub struct Endpoint {
    rt: tokio::runtime::Runtime,
    iam: Client,
}

/// The SDK's tags as core's.
fn core_tags(tags: &[aws_sdk_iam::types::Tag]) -> Vec<Tag> {
    tags.iter()
        .map(|t| Tag {
            key: t.key().to_string(),
            value: t.value().to_string(),
        })
        .collect()
}

/// An HTTPS client over rustls (ring) trusting the system's roots and, when `AWS_CA_BUNDLE`
/// names a PEM file, its certificates too.
fn http_client() -> Result<aws_sdk_iam::config::SharedHttpClient> {
    use aws_smithy_http_client::tls::{self, TlsContext, TrustStore};
    let mut trust = TrustStore::default();
    if let Some(path) = std::env::var_os("AWS_CA_BUNDLE") {
        let pem = std::fs::read(&path)
            .with_context(|| format!("reading AWS_CA_BUNDLE {}", path.to_string_lossy()))?;
        trust = trust.with_pem_certificate(pem);
    }
    let context = TlsContext::builder()
        .with_trust_store(trust)
        .build()
        .map_err(|e| anyhow!("TLS settings: {e}"))?;
    Ok(aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .tls_context(context)
        .build_https())
}

/// A user's id, identity policy documents (`(id, document)`, its groups' included) and
/// permissions boundary document, from GetAccountAuthorizationDetails.
#[derive(Debug)]
struct UserPolicies {
    id: String,
    docs: Vec<(String, String)>,
    boundary: Option<String>,
}

/// Every user's policies, by user name.
#[derive(Debug, Default)]
struct Authorization {
    users: HashMap<String, UserPolicies>,
}

/// An IAM client of `endpoint_url` (else the one the environment or AWS's defaults give), with
/// credentials from the AWS credential chain, and the runtime it runs on.
pub fn client(endpoint_url: Option<&str>) -> Result<(tokio::runtime::Runtime, Client)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    // IAM is global: any region signs, and us-east-1 is where AWS serves it. Asking the
    // environment only (not the instance metadata service) keeps a laptop run quiet.
    let region = ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|r| !r.is_empty()))
        .unwrap_or_else(|| "us-east-1".into());
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http_client()?)
        .region(aws_config::Region::new(region));
    if let Some(url) = endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let config = rt.block_on(loader.load());
    Ok((rt, Client::new(&config)))
}

impl Endpoint {
    /// A client of `endpoint_url` (else the one the environment or AWS's defaults give).
    pub fn connect(endpoint_url: Option<&str>) -> Result<Self> {
        let (rt, iam) = client(endpoint_url)?;
        Ok(Endpoint { rt, iam })
    }

    async fn authorization(&self) -> Result<Authorization> {
        let pages: Vec<_> = self
            .iam
            .get_account_authorization_details()
            .into_paginator()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(sdk("GetAccountAuthorizationDetails"))?;
        let mut managed: HashMap<String, String> = HashMap::new();
        let mut groups: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for page in &pages {
            for p in page.policies() {
                let doc = p
                    .policy_version_list()
                    .iter()
                    .find(|v| v.is_default_version())
                    .and_then(|v| v.document());
                if let (Some(arn), Some(doc)) = (p.arn(), doc) {
                    managed.insert(arn.to_string(), document(doc));
                }
            }
        }
        let attached = |list: &[aws_sdk_iam::types::AttachedPolicy]| -> Vec<(String, String)> {
            list.iter()
                .filter_map(|a| a.policy_arn())
                .filter_map(|arn| managed.get(arn).map(|d| (arn.to_string(), d.clone())))
                .collect()
        };
        for page in &pages {
            for g in page.group_detail_list() {
                let mut docs = attached(g.attached_managed_policies());
                for p in g.group_policy_list() {
                    docs.push((
                        p.policy_name().unwrap_or_default().to_string(),
                        document(p.policy_document().unwrap_or_default()),
                    ));
                }
                groups.insert(g.group_name().unwrap_or_default().to_string(), docs);
            }
        }
        let mut out = Authorization::default();
        for page in &pages {
            for u in page.user_detail_list() {
                let mut docs = attached(u.attached_managed_policies());
                for p in u.user_policy_list() {
                    docs.push((
                        p.policy_name().unwrap_or_default().to_string(),
                        document(p.policy_document().unwrap_or_default()),
                    ));
                }
                for g in u.group_list() {
                    docs.extend(groups.get(g).cloned().unwrap_or_default());
                }
                let boundary = u
                    .permissions_boundary()
                    .and_then(|b| b.permissions_boundary_arn())
                    .and_then(|arn| managed.get(arn).cloned());
                let id = u.user_id().unwrap_or_default().to_string();
                out.users.insert(
                    u.user_name().unwrap_or_default().to_string(),
                    UserPolicies { id, docs, boundary },
                );
            }
        }
        Ok(out)
    }

    /// Services the principal's policies allow, with their last use, from the endpoint's
    /// service last accessed report.
    async fn services(&self, arn: &str) -> Result<Vec<ServiceUse>> {
        let job = self
            .iam
            .generate_service_last_accessed_details()
            .arn(arn)
            .send()
            .await
            .map_err(sdk("GenerateServiceLastAccessedDetails"))?;
        let id = job.job_id().unwrap_or_default().to_string();
        let mut out = Vec::new();
        let mut marker: Option<String> = None;
        for _ in 0..600 {
            let report = self
                .iam
                .get_service_last_accessed_details()
                .job_id(&id)
                .set_marker(marker.clone())
                .send()
                .await
                .map_err(sdk("GetServiceLastAccessedDetails"))?;
            match report.job_status().as_str() {
                "COMPLETED" => {
                    out.extend(report.services_last_accessed().iter().map(|s| ServiceUse {
                        namespace: s.service_namespace().to_string(),
                        last_used: time(s.last_authenticated()),
                    }));
                    match report.marker() {
                        Some(m) if report.is_truncated() => marker = Some(m.to_string()),
                        _ => return Ok(out),
                    }
                }
                "FAILED" => bail!("the service last accessed report of {arn} failed"),
                _ => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
        bail!("the service last accessed report of {arn} did not complete")
    }

    async fn users(&self, auth: &Authorization) -> Result<Vec<PrincipalFacts>> {
        let users: Vec<_> = every!(self.iam.list_users(), "ListUsers")?;
        let mut out = Vec::new();
        for u in users {
            let name = u.user_name();
            let tags = self
                .iam
                .list_user_tags()
                .user_name(name)
                .send()
                .await
                .map_err(sdk("ListUserTags"))?;
            let groups = self
                .iam
                .list_groups_for_user()
                .user_name(name)
                .send()
                .await
                .map_err(sdk("ListGroupsForUser"))?;
            let listed = self
                .iam
                .list_access_keys()
                .user_name(name)
                .send()
                .await
                .map_err(sdk("ListAccessKeys"))?;
            let mut keys = Vec::new();
            for k in listed.access_key_metadata() {
                let id = k.access_key_id().unwrap_or_default().to_string();
                let used = self
                    .iam
                    .get_access_key_last_used()
                    .access_key_id(&id)
                    .send()
                    .await
                    .map_err(sdk("GetAccessKeyLastUsed"))?;
                keys.push(KeyFacts {
                    active: k.status() == Some(&StatusType::Active),
                    created: time(k.create_date()).unwrap_or_default(),
                    last_used: time(used.access_key_last_used().and_then(|l| l.last_used_date())),
                    id,
                });
            }
            let password = match self.iam.get_login_profile().user_name(name).send().await {
                Ok(p) => p.login_profile().map(|lp| PasswordFacts {
                    created: time(Some(lp.create_date())).unwrap_or_default(),
                    last_used: time(u.password_last_used()),
                }),
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|s| s.is_no_such_entity_exception()) =>
                {
                    None
                }
                Err(e) => return Err(sdk("GetLoginProfile")(e)),
            };
            let admin = auth
                .users
                .get(name)
                .is_some_and(|UserPolicies { id, docs, boundary }| {
                    let (identity, _) = admin::compile(docs, PolicyType::Identity);
                    let boundary = boundary.as_ref().map(|b| {
                        admin::compile(
                            &[("boundary".into(), b.clone())],
                            PolicyType::PermissionsBoundary,
                        )
                        .0
                    });
                    admin::is_admin(
                        portcullis_core::arn::account_of(u.arn()).unwrap_or_default(),
                        u.arn(),
                        id,
                        &identity,
                        boundary.as_ref(),
                    )
                });
            out.push(PrincipalFacts {
                kind: PrincipalKind::User,
                name: name.to_string(),
                arn: u.arn().to_string(),
                path: u.path().to_string(),
                created: time(Some(u.create_date())).unwrap_or_default(),
                tags: core_tags(tags.tags()),
                groups: groups
                    .groups()
                    .iter()
                    .map(|g| g.group_name().to_string())
                    .collect(),
                last_used: None,
                password,
                keys,
                services: self.services(u.arn()).await?,
                admin,
            });
        }
        Ok(out)
    }

    async fn roles(&self) -> Result<Vec<PrincipalFacts>> {
        let roles: Vec<_> = every!(self.iam.list_roles(), "ListRoles")?;
        let mut out = Vec::new();
        for r in roles {
            // Service-linked roles belong to their service, not to cleanup.
            if r.path().starts_with("/aws-service-role/") {
                continue;
            }
            let full = self
                .iam
                .get_role()
                .role_name(r.role_name())
                .send()
                .await
                .map_err(sdk("GetRole"))?;
            let role = full.role();
            out.push(PrincipalFacts {
                kind: PrincipalKind::Role,
                name: r.role_name().to_string(),
                arn: r.arn().to_string(),
                path: r.path().to_string(),
                created: time(Some(r.create_date())).unwrap_or_default(),
                tags: core_tags(role.map(|x| x.tags()).unwrap_or_default()),
                groups: Vec::new(),
                last_used: time(
                    role.and_then(|x| x.role_last_used())
                        .and_then(|l| l.last_used_date()),
                ),
                password: None,
                keys: Vec::new(),
                services: self.services(r.arn()).await?,
                admin: false,
            });
        }
        Ok(out)
    }

    async fn tag(&self, user: &str, key: &str, value: &str) -> Result<()> {
        let tag = aws_sdk_iam::types::Tag::builder()
            .key(key)
            .value(value)
            .build()
            .map_err(|e| anyhow!("{e}"))?;
        self.iam
            .tag_user()
            .user_name(user)
            .tags(tag)
            .send()
            .await
            .map_err(sdk("TagUser"))?;
        Ok(())
    }

    async fn untag(&self, user: &str, key: &str) -> Result<()> {
        self.iam
            .untag_user()
            .user_name(user)
            .tag_keys(key)
            .send()
            .await
            .map_err(sdk("UntagUser"))?;
        Ok(())
    }

    async fn set_status(&self, user: &str, key: &str, status: StatusType) -> Result<()> {
        self.iam
            .update_access_key()
            .user_name(user)
            .access_key_id(key)
            .status(status)
            .send()
            .await
            .map_err(sdk("UpdateAccessKey"))?;
        Ok(())
    }

    async fn step(&self, step: &Step, now: DateTime<Utc>) -> Result<Option<String>> {
        let user = step.user.as_str();
        let key_tag = |k: &str| format!("{KEY_TAG_PREFIX}{k}");
        match &step.action {
            Action::DeactivateKey(k) => {
                self.tag(user, &key_tag(k), &tag_value(now)).await?;
                self.set_status(user, k, StatusType::Inactive).await?;
            }
            Action::ReactivateKey(k) => {
                self.set_status(user, k, StatusType::Active).await?;
                self.untag(user, &key_tag(k)).await?;
            }
            Action::DeleteKey(k) => {
                self.iam
                    .delete_access_key()
                    .user_name(user)
                    .access_key_id(k)
                    .send()
                    .await
                    .map_err(sdk("DeleteAccessKey"))?;
                self.untag(user, &key_tag(k)).await?;
            }
            Action::ForgetKey(k) => self.untag(user, &key_tag(k)).await?,
            Action::RemovePassword => {
                self.tag(user, PASSWORD_TAG, &tag_value(now)).await?;
                self.iam
                    .delete_login_profile()
                    .user_name(user)
                    .send()
                    .await
                    .map_err(sdk("DeleteLoginProfile"))?;
            }
            Action::ForgetPassword => self.untag(user, PASSWORD_TAG).await?,
            Action::RestorePassword => {
                let password = super::temporary_password();
                self.iam
                    .create_login_profile()
                    .user_name(user)
                    .password(password.expose())
                    .password_reset_required(true)
                    .send()
                    .await
                    .map_err(sdk("CreateLoginProfile"))?;
                self.untag(user, PASSWORD_TAG).await?;
                return Ok(Some(format!(
                    "temporary password (to be changed at the next sign-in): {}",
                    password.expose()
                )));
            }
        }
        Ok(None)
    }
}

impl Target for Endpoint {
    fn principals(&mut self) -> Result<Vec<PrincipalFacts>> {
        self.rt.block_on(async {
            let auth = self.authorization().await?;
            let mut out = self.users(&auth).await?;
            out.extend(self.roles().await?);
            Ok(out)
        })
    }

    fn apply(&mut self, step: &Step, now: DateTime<Utc>) -> Result<Option<String>> {
        self.rt.block_on(self.step(step, now))
    }
}
