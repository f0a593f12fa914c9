//! `sts:AssumeRole`: the role's trust policy is the resource policy, and must allow the caller in
//! every case; the caller's own policies must also allow unless the trust policy names the
//! caller itself in the same account (the engine's same- and cross-account rules). Session tags
//! add `sts:TagSession`, a source identity `sts:SetSourceIdentity`. A missing role is denied
//! with the same message as a refusal, so roles cannot be discovered by probing.

use super::Env;
use super::policies::RoleEntry;
use super::{Ask, Extra, Subject, Target, context, decide, policies, subject};
use portcullis_proto::AwsError;
use portcullis_proto::input::AssumeRoleInput;
use std::sync::Arc;

/// An ARN's parts, or AWS's ValidationError for text that is not an ARN.
pub fn split_arn(arn: &str) -> Result<[&str; 5], AwsError> {
    let invalid = || AwsError::validation(format!("{arn} is invalid"));
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts[..] else {
        return Err(invalid());
    };
    if prefix != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return Err(invalid());
    }
    Ok([partition, service, region, account, resource])
}

/// The role an ARN names, if it is a role ARN of an account on this server.
pub fn find_role(app: &dyn Env, arn: &str) -> Result<Option<Arc<RoleEntry>>, AwsError> {
    let [_, service, _, account, resource] = split_arn(arn)?;
    let Some(path_and_name) = resource.strip_prefix("role/") else {
        return Ok(None);
    };
    if service != "iam" {
        return Ok(None);
    }
    // Names are unique in an account; the path in the ARN does not pick another role.
    let name = path_and_name.rsplit('/').next().unwrap_or_default();
    policies::role_by_name(app, account, name)
}

fn denied(who: &str, action: &str, resource: &str) -> AwsError {
    AwsError::access_denied(format!(
        "User: {who} is not authorized to perform: {action} on resource: {resource}"
    ))
}

/// Decides the request; the answer is when the MFA code it passed was accepted, if it passed
/// one.
pub fn authorize_assume_role(app: &dyn Env, ask: &Ask<'_>) -> Result<Option<i64>, AwsError> {
    let caller = ask.caller;
    let input = ask.input.get::<AssumeRoleInput>()?;
    let role_arn = input.role_arn.as_str();
    // Checks the ARN's form first: an invalid one is a ValidationError even for root.
    let role = find_role(app, role_arn)?;
    let Some(subject) = subject(app, caller)? else {
        return Err(AwsError::access_denied(
            "Roles may not be assumed by root accounts.",
        ));
    };
    let who = subject.who.display_arn();
    // The MFA code is checked before the role is looked at, so its answer cannot tell a
    // missing role from a refused one.
    let mfa_at =
        super::mfa::verify_token(app, super::mfa::offered(ask.input), caller, ask.facts.now)?;
    let Some(role) = role else {
        return Err(denied(&who, "sts:AssumeRole", role_arn));
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
            denied(&who, action, role_arn).message
        })?;
    }
    Ok(mfa_at)
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
