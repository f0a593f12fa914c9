//! `sts:AssumeRole`: the role's trust policy is the resource policy, and must allow the caller in
//! every case; the caller's own policies must also allow unless the trust policy names the
//! caller itself in the same account (the engine's same- and cross-account rules). Session tags
//! add `sts:TagSession`, a source identity `sts:SetSourceIdentity`. A missing role is denied
//! with the same message as a refusal, so roles cannot be discovered by probing. The role found
//! here is what the handler issues the session of: it is read once.

use super::Env;
use super::policies::RoleEntry;
use super::{Ask, Extra, Subject, Target, context, decide, policies, subject};
use crate::failure::sts_error;
use portcullis_core::StsError;
use portcullis_core::sts::role_arn;
use portcullis_proto::AwsError;
use portcullis_proto::input::AssumeRoleInput;
use std::sync::Arc;

/// The role an ARN names, if it is a role ARN of an account on this server; AWS's
/// ValidationError for text that is not an ARN.
pub fn find_role(app: &dyn Env, arn: &str) -> Result<Option<Arc<RoleEntry>>, AwsError> {
    match role_arn::role(arn).map_err(sts_error)? {
        Some((account, name)) => policies::role_by_name(app, account, name),
        None => Ok(None),
    }
}

fn denied(who: &str, action: &str, resource: &str) -> StsError {
    StsError::NotAuthorized {
        who: who.to_string(),
        action: action.to_string(),
        resource: resource.to_string(),
    }
}

/// What an allowed AssumeRole established: the role, and when the MFA code the request passed
/// was accepted, if it passed one.
pub struct Assumed {
    pub role: Arc<RoleEntry>,
    pub mfa_at: Option<i64>,
}

/// Decides the request; the answer is the role found and the MFA the request proved.
pub fn authorize_assume_role(app: &dyn Env, ask: &Ask<'_>) -> Result<Assumed, AwsError> {
    let caller = ask.caller;
    let input = ask.input.get::<AssumeRoleInput>()?;
    let role_arn = input.role_arn.as_str();
    // Checks the ARN's form first: an invalid one is a ValidationError even for root.
    let role = find_role(app, role_arn)?;
    let Some(subject) = subject(app, caller)? else {
        return Err(sts_error(StsError::RootCannotAssume));
    };
    let who = subject.who.display_arn();
    // The MFA code is checked before the role is looked at, so its answer cannot tell a
    // missing role from a refused one.
    let mfa_at =
        super::mfa::verify_token(app, super::mfa::offered(ask.input), caller, ask.facts.now)?;
    let Some(role) = role else {
        return Err(sts_error(denied(&who, "sts:AssumeRole", role_arn)));
    };
    let trust = policies::trust_policy(app, &role.role)?;
    let target = Target {
        arn: role.role.arn(),
        tags: role.tags.clone(),
        boundary: None,
    };
    let inherits_tags = caller
        .session
        .as_ref()
        .is_some_and(|s| !s.transitive_tag_keys.is_empty());
    let mut actions = vec!["sts:AssumeRole"];
    // Any session tag the handler reads (the same decoded list) needs sts:TagSession.
    let tagged = input.tags.as_ref().is_some_and(|tags| !tags.is_empty());
    if ask.rule.needs(Extra::TagSession) && (tagged || inherits_tags) {
        actions.push("sts:TagSession");
    }
    if ask.rule.needs(Extra::SetSourceIdentity) && input.source_identity.is_some() {
        actions.push("sts:SetSourceIdentity");
    }
    for action in actions {
        let mut ctx = trust_context(&subject, &target, ask, input, action, &trust);
        if let Some(at) = mfa_at {
            context::set_mfa(&mut ctx, at, ask.facts.now.timestamp());
        }
        decide(app, &subject, &ctx, Some(&trust), |_| {
            denied(&who, action, role_arn).to_string()
        })?;
    }
    Ok(Assumed { role, mfa_at })
}

fn trust_context(
    subject: &Subject,
    target: &Target,
    ask: &Ask<'_>,
    input: &AssumeRoleInput,
    action: &'static str,
    trust: &portcullis_policy::PolicySet,
) -> portcullis_policy::RequestContext {
    let mut ctx = context::build_for(subject, target, ask, action, Some(trust));
    ctx.set("sts:RoleSessionName", input.role_session_name.as_str());
    for (key, value) in [
        ("sts:ExternalId", &input.external_id),
        ("sts:SourceIdentity", &input.source_identity),
    ] {
        if let Some(v) = value {
            ctx.set(key, v.as_str());
        }
    }
    if let Some(transitive) = input.transitive_tag_keys.as_ref().filter(|t| !t.is_empty()) {
        ctx.set_values("sts:TransitiveTagKeys", transitive.clone());
    }
    ctx
}
