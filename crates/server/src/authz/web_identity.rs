//! `sts:AssumeRoleWithWebIdentity`: the caller is the identity provider's federated user, and
//! only the role's trust policy can allow it, with the token's claims as
//! `<provider host/path>:aud`, `:sub` and `:amr` and `aws:FederatedProvider`.

use super::policies::{self, RoleEntry};
use portcullis_core::clock::iso8601;
use portcullis_policy::{Caller, EvalInput, PolicySet, RequestContext, evaluate};
use portcullis_proto::AwsError;

use super::Env;
use chrono::{DateTime, Utc};

/// What the verified token says, as the trust policy sees it.
#[derive(Debug)]
pub struct WebIdentity<'a> {
    pub provider_arn: &'a str,
    /// The provider URL without `https://`: the prefix of its condition keys.
    pub provider_url: &'a str,
    pub audience: &'a str,
    pub subject: &'a str,
    pub amr: Vec<String>,
    pub session_name: &'a str,
    pub tag_keys: Vec<String>,
    pub tags: &'a [(String, String)],
    pub now: DateTime<Utc>,
}

pub fn authorize_web_identity(
    app: &dyn Env,
    role: &RoleEntry,
    id: &WebIdentity<'_>,
) -> Result<(), AwsError> {
    let trust = policies::trust_policy(app, &role.role)?;
    let mut actions = vec!["sts:AssumeRoleWithWebIdentity"];
    if !id.tags.is_empty() {
        actions.push("sts:TagSession");
    }
    let empty = PolicySet::new([]);
    for action in actions {
        let caller = Caller::Federated {
            provider: id.provider_arn.to_string(),
        };
        let mut ctx = RequestContext::new(caller, action, role.role.arn());
        ctx.set_principal_keys();
        ctx.set(&format!("{}:aud", id.provider_url), id.audience);
        ctx.set(&format!("{}:sub", id.provider_url), id.subject);
        if !id.amr.is_empty() {
            ctx.set_values(&format!("{}:amr", id.provider_url), id.amr.clone());
        }
        ctx.set("aws:FederatedProvider", id.provider_arn);
        ctx.set("sts:RoleSessionName", id.session_name);
        ctx.set("aws:CurrentTime", iso8601(id.now));
        ctx.set("aws:EpochTime", id.now.timestamp().to_string());
        for t in &role.tags {
            ctx.set(&format!("aws:ResourceTag/{}", t.key), t.value.clone());
        }
        for (k, v) in id.tags {
            ctx.set(&format!("aws:RequestTag/{k}"), v.clone());
        }
        if !id.tag_keys.is_empty() {
            ctx.set_values("aws:TagKeys", id.tag_keys.clone());
        }
        let mut input = EvalInput::new(&ctx, &empty);
        input.resource = Some(&trust);
        input.resource_policy_required = true;
        let decision = evaluate(&input);
        super::log_decision(app, &ctx, &decision);
        if !decision.is_allowed() {
            return Err(AwsError::access_denied(format!(
                "Not authorized to perform {action}"
            )));
        }
    }
    Ok(())
}
