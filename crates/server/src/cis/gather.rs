//! What `portcullis audit` reads from an IAM endpoint: the account summary, the password
//! policy, the credential report, users' own policies, attached policies' documents, the roles
//! with AWSSupportAccess and the server certificates.

use crate::cleanup::sdk::{document, every, sdk, time};
use anyhow::{Result, bail};
use aws_sdk_iam::Client;
use aws_sdk_iam::types::{ReportStateType, SummaryKeyType};
use chrono::{DateTime, Utc};
use portcullis_core::findings::cis::{AccountFacts, PolicyFacts};
use portcullis_core::findings::report_rows;
use portcullis_policy::{Effect, Policy, PolicyKind};
use std::time::Duration;

const SUPPORT_POLICY: &str = "arn:aws:iam::aws:policy/AWSSupportAccess";

/// True when a statement allows every action on every resource.
fn full_admin(doc: &str) -> bool {
    let Ok(policy) = Policy::parse(doc, PolicyKind::Identity) else {
        return false;
    };
    policy.statements.iter().any(|s| {
        s.effect == Effect::Allow
            && !s.action.negated
            && s.action.values.iter().any(|a| a == "*")
            && s.resource
                .as_ref()
                .is_some_and(|r| !r.negated && r.values.iter().any(|v| v == "*"))
    })
}

async fn credential_report(iam: &Client) -> Result<String> {
    for _ in 0..300 {
        let state = iam
            .generate_credential_report()
            .send()
            .await
            .map_err(sdk("GenerateCredentialReport"))?;
        if state.state() == Some(&ReportStateType::Complete) {
            let report = iam
                .get_credential_report()
                .send()
                .await
                .map_err(sdk("GetCredentialReport"))?;
            let bytes = report.content().map(|b| b.as_ref()).unwrap_or_default();
            return Ok(String::from_utf8_lossy(bytes).into_owned());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("the credential report was not ready within a minute")
}

/// Every fact the checks read, at `now`.
pub async fn account(iam: &Client, now: DateTime<Utc>) -> Result<AccountFacts> {
    let summary = iam
        .get_account_summary()
        .send()
        .await
        .map_err(sdk("GetAccountSummary"))?;
    let map = summary.summary_map();
    let count = |k: SummaryKeyType| map.and_then(|m| m.get(&k)).copied().unwrap_or(0);
    let password_policy = match iam.get_account_password_policy().send().await {
        Ok(p) => p.password_policy().map(|p| PolicyFacts {
            minimum_length: p.minimum_password_length().unwrap_or(0).max(0) as u32,
            reuse_prevention: p.password_reuse_prevention().map(|n| n.max(0) as u32),
        }),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            None
        }
        Err(e) => return Err(sdk("GetAccountPasswordPolicy")(e)),
    };
    let users: Vec<_> = every!(iam.list_users(), "ListUsers")?;
    let mut users_with_own_policies = Vec::new();
    for u in &users {
        let attached = iam
            .list_attached_user_policies()
            .user_name(u.user_name())
            .send()
            .await
            .map_err(sdk("ListAttachedUserPolicies"))?;
        let inline = iam
            .list_user_policies()
            .user_name(u.user_name())
            .send()
            .await
            .map_err(sdk("ListUserPolicies"))?;
        if !attached.attached_policies().is_empty() || !inline.policy_names().is_empty() {
            users_with_own_policies.push(u.user_name().to_string());
        }
    }
    let attached: Vec<_> = every!(iam.list_policies().only_attached(true), "ListPolicies")?;
    let mut full_admin_policies = Vec::new();
    for p in attached {
        let (Some(arn), Some(version)) = (p.arn(), p.default_version_id()) else {
            continue;
        };
        let v = iam
            .get_policy_version()
            .policy_arn(arn)
            .version_id(version)
            .send()
            .await
            .map_err(sdk("GetPolicyVersion"))?;
        let doc = v
            .policy_version()
            .and_then(|v| v.document())
            .unwrap_or_default();
        if full_admin(&document(doc)) {
            full_admin_policies.push(arn.to_string());
        }
    }
    let support_roles = match iam
        .list_entities_for_policy()
        .policy_arn(SUPPORT_POLICY)
        .send()
        .await
    {
        Ok(e) => e
            .policy_roles()
            .iter()
            .filter_map(|r| r.role_name().map(str::to_string))
            .collect(),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            Vec::new()
        }
        Err(e) => return Err(sdk("ListEntitiesForPolicy")(e)),
    };
    let certs = iam
        .list_server_certificates()
        .send()
        .await
        .map_err(sdk("ListServerCertificates"))?;
    let expired_certificates = certs
        .server_certificate_metadata_list()
        .iter()
        .filter(|c| time(c.expiration()).is_some_and(|t| t <= now))
        .map(|c| c.server_certificate_name().to_string())
        .collect();
    Ok(AccountFacts {
        root_mfa: count(SummaryKeyType::AccountMfaEnabled) > 0,
        root_keys: count(SummaryKeyType::AccountAccessKeysPresent).max(0) as u32,
        password_policy,
        users: report_rows::parse(&credential_report(iam).await?),
        users_with_own_policies,
        full_admin_policies,
        support_roles,
        expired_certificates,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn full_admin_is_allow_star_on_star() {
        let doc = |s: &str| format!(r#"{{"Version":"2012-10-17","Statement":[{s}]}}"#);
        assert!(super::full_admin(&doc(
            r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#
        )));
        assert!(!super::full_admin(&doc(
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#
        )));
        assert!(!super::full_admin(&doc(
            r#"{"Effect":"Allow","NotAction":"*","Resource":"*"}"#
        )));
        assert!(!super::full_admin(&doc(
            r#"{"Effect":"Deny","Action":"*","Resource":"*"}"#
        )));
    }
}
