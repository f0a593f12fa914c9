//! `sts:AssumeRoleWithWebIdentity`: an unsigned request carrying an OIDC ID token. The token's
//! issuer must be an IAM OIDC provider of the role's account whose keys the server has
//! (configured, or fetched through [`Env::issuer_keys`]); the verified token, with an audience
//! among the provider's client ids, is then the caller, the identity provider's federated user,
//! and only the role's trust policy can allow it, with the token's claims as
//! `<provider host/path>:aud`, `:sub` and `:amr` and `aws:FederatedProvider`. What was
//! verified goes to the handler as a [`WebIdentityGrant`].

use super::Env;
use super::assume::find_role;
use super::policies::{self, RoleEntry};
use crate::failure::store_failure;
use crate::failure::sts_error;
use chrono::{DateTime, Utc};
use portcullis_core::StsError;
use portcullis_core::arn;
use portcullis_core::clock::iso8601;
use portcullis_core::sts::{role_arn, web_identity};
use portcullis_policy::{Caller, EvalInput, PolicySet, RequestContext, evaluate};
use portcullis_proto::AwsError;
use portcullis_proto::input::AssumeRoleWithWebIdentityInput;
use std::sync::Arc;

/// What authorization verified of a web identity request, for the handler to issue from.
#[derive(Debug)]
pub struct WebIdentityGrant {
    /// The role to assume, with its tags.
    pub role: Arc<RoleEntry>,
    /// The token's issuer (`https://...`), as the response's `Provider`.
    pub issuer: String,
    /// `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH`.
    pub provider_arn: String,
    /// The token's audience that is one of the provider's client ids.
    pub audience: String,
    /// The token's `sub` (empty without one).
    pub subject: String,
    /// The token's session tags and the keys of those that are transitive.
    pub tags: Vec<(String, String)>,
    pub transitive_tag_keys: Vec<String>,
    pub source_identity: Option<String>,
}

/// The trust policy's refusal of `action` (a missing role is refused as
/// `sts:AssumeRoleWithWebIdentity`).
fn denied(action: &str) -> AwsError {
    sts_error(StsError::WebIdentityDenied {
        action: action.to_string(),
    })
}

fn token_error(e: web_identity::WebIdentityError) -> AwsError {
    sts_error(StsError::Token(e))
}

/// Verifies the request's token and decides it against the role's trust policy.
pub fn authorize_web_identity(
    app: &dyn Env,
    input: &AssumeRoleWithWebIdentityInput,
    now: DateTime<Utc>,
) -> Result<WebIdentityGrant, AwsError> {
    let role_arn = input.role_arn.as_str();
    let token = input.web_identity_token.expose();
    // The token is verified against the providers of the account the ARN names before the
    // role is looked up, so an anonymous caller cannot tell a missing role from a refused one.
    let [_, _, _, account, _] = role_arn::split(role_arn).map_err(sts_error)?;
    let issuer = web_identity::unverified_issuer(token).map_err(token_error)?;
    let url = issuer
        .strip_prefix("https://")
        .unwrap_or(&issuer)
        .to_string();
    let provider_arn = arn::oidc_provider(account, &url);
    let provider = app
        .store()
        .get_oidc_provider(account, &provider_arn)
        .map_err(store_failure)?
        .ok_or_else(|| {
            sts_error(StsError::NoOidcProvider {
                issuer: issuer.clone(),
            })
        })?;
    let keys = app
        .issuer_keys(&issuer, web_identity::key_id(token).as_deref())
        .ok_or_else(|| sts_error(StsError::IdpUnreachable))?;
    let claims = web_identity::verify(
        token,
        &keys,
        &provider.issuer(),
        &provider.client_ids,
        now.timestamp(),
    )
    .map_err(token_error)?;
    let audience = claims
        .audiences()
        .into_iter()
        .find(|a| provider.client_ids.contains(a))
        .unwrap_or_default();
    let role = find_role(app, role_arn)?.ok_or_else(|| denied("sts:AssumeRoleWithWebIdentity"))?;
    let (tags, transitive_tag_keys) = claims.session_tags();
    let grant = WebIdentityGrant {
        role,
        issuer,
        provider_arn,
        audience,
        subject: claims.sub.clone().unwrap_or_default(),
        tags,
        transitive_tag_keys,
        source_identity: claims.source_identity.clone(),
    };
    let facts = Facts {
        provider_url: &url,
        amr: claims.amr(),
        session_name: &input.role_session_name,
        now,
    };
    decide_trust(app, &grant, &facts)?;
    Ok(grant)
}

/// What the trust policy reads besides the grant.
struct Facts<'a> {
    /// The provider URL without `https://`: the prefix of its condition keys.
    provider_url: &'a str,
    amr: Vec<String>,
    session_name: &'a str,
    now: DateTime<Utc>,
}

fn decide_trust(app: &dyn Env, id: &WebIdentityGrant, facts: &Facts<'_>) -> Result<(), AwsError> {
    let role = &id.role;
    let trust = policies::trust_policy(app, &role.role)?;
    let mut actions = vec!["sts:AssumeRoleWithWebIdentity"];
    if !id.tags.is_empty() {
        actions.push("sts:TagSession");
    }
    let tag_keys: Vec<String> = id.tags.iter().map(|(k, _)| k.clone()).collect();
    let empty = PolicySet::new([]);
    let url = facts.provider_url;
    for action in actions {
        let caller = Caller::Federated {
            provider: id.provider_arn.clone(),
        };
        let mut ctx = RequestContext::new(caller, action, role.role.arn());
        ctx.set_principal_keys();
        ctx.set(&format!("{url}:aud"), id.audience.as_str());
        ctx.set(&format!("{url}:sub"), id.subject.as_str());
        if !facts.amr.is_empty() {
            ctx.set_values(&format!("{url}:amr"), facts.amr.clone());
        }
        ctx.set("aws:FederatedProvider", id.provider_arn.as_str());
        ctx.set("sts:RoleSessionName", facts.session_name);
        ctx.set("aws:CurrentTime", iso8601(facts.now));
        ctx.set("aws:EpochTime", facts.now.timestamp().to_string());
        for t in &role.tags {
            ctx.set(&format!("aws:ResourceTag/{}", t.key), t.value.clone());
        }
        for (k, v) in &id.tags {
            ctx.set(&format!("aws:RequestTag/{k}"), v.clone());
        }
        if !tag_keys.is_empty() {
            ctx.set_values("aws:TagKeys", tag_keys.clone());
        }
        let mut input = EvalInput::new(&ctx, &empty);
        input.resource = Some(&trust);
        input.resource_policy_required = true;
        let decision = evaluate(&input);
        super::log_decision(app, &ctx, &decision);
        if !decision.is_allowed() {
            return Err(denied(action));
        }
    }
    Ok(())
}
