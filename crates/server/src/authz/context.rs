//! The request context, filled as AWS fills it: the principal's keys and tags, the session's
//! facts (issue time, MFA, source identity), the network origin and time, the tags and
//! boundary of the request and its target.

use super::{Ask, Subject, Target};
use portcullis_core::clock::iso8601;
use portcullis_core::session::Session;
use portcullis_policy::{PolicySet, RequestContext};
use portcullis_proto::{Operation, Params};

/// `(tags, tag keys)` a request passes (`aws:RequestTag/*`, `aws:TagKeys`).
pub fn request_tags(op: Operation, params: &Params) -> (Vec<(String, String)>, Vec<String>) {
    if !params.contains("Tags") && !params.contains("TagKeys") {
        return (Vec::new(), Vec::new());
    }
    let tags: Vec<(String, String)> = params
        .struct_list("Tags")
        .unwrap_or_default()
        .iter()
        .filter_map(|m| {
            Some((
                m.get("Key")?.to_string(),
                m.get("Value").copied().unwrap_or("").to_string(),
            ))
        })
        .collect();
    let mut keys: Vec<String> = tags.iter().map(|(k, _)| k.clone()).collect();
    if op.name().starts_with("Untag") {
        keys = params
            .list("TagKeys")
            .unwrap_or_default()
            .into_iter()
            .map(str::to_string)
            .collect();
    }
    (tags, keys)
}

/// The context keys the deciding policies can read (see `PolicySet::context_keys`): only
/// these are filled, so a request whose policies have no conditions builds almost nothing.
/// With `all`, every key is filled (explanations show the whole context).
pub struct Needs<'a> {
    sets: Vec<&'a [String]>,
    all: bool,
}

impl<'a> Needs<'a> {
    pub fn of(subject: &'a Subject, resource: Option<&'a PolicySet>, all: bool) -> Self {
        let mut sets = vec![subject.policies.identity.context_keys()];
        sets.extend(subject.policies.boundary.as_ref().map(|b| b.context_keys()));
        sets.extend(subject.session.as_deref().map(|s| s.context_keys()));
        sets.extend(resource.map(|r| r.context_keys()));
        Needs { sets, all }
    }

    /// `key` must be lowercase.
    fn has(&self, key: &str) -> bool {
        self.all
            || self
                .sets
                .iter()
                .any(|keys| keys.binary_search_by(|k| k.as_str().cmp(key)).is_ok())
    }

    /// Some key starting with `prefix` (lowercase).
    fn has_prefix(&self, prefix: &str) -> bool {
        self.all
            || self.sets.iter().any(|keys| {
                let i = keys.partition_point(|k| k.as_str() < prefix);
                keys.get(i).is_some_and(|k| k.starts_with(prefix))
            })
    }
}

/// Keys that temporary credentials add (spec §7.8); long-term keys have none of them.
fn session_keys(ctx: &mut RequestContext, needs: &Needs<'_>, session: &Session, now_epoch: i64) {
    if needs.has("aws:tokenissuetime") {
        ctx.set("aws:TokenIssueTime", iso8601(session.issued_at()));
    }
    match session.mfa_at {
        Some(at) => set_mfa(ctx, at, now_epoch),
        None => {
            ctx.set("aws:MultiFactorAuthPresent", "false");
        }
    }
    if let Some(si) = &session.source_identity {
        ctx.set("aws:SourceIdentity", si.clone());
    }
    if let Some(p) = &session.federated_provider {
        ctx.set("aws:FederatedProvider", p.clone());
    }
}

/// The keys of a request authenticated with MFA at `at` (Unix seconds).
pub fn set_mfa(ctx: &mut RequestContext, at: i64, now_epoch: i64) {
    ctx.set("aws:MultiFactorAuthPresent", "true");
    ctx.set(
        "aws:MultiFactorAuthAge",
        (now_epoch - at).max(0).to_string(),
    );
}

const PRINCIPAL_KEYS: [&str; 5] = [
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principaltype",
    "aws:userid",
    "aws:username",
];

/// The context of `ask` against `target` for `action`, with the keys the subject's policies
/// (and `resource`, a trust policy) can read.
pub fn build_for(
    subject: &Subject,
    target: &Target,
    ask: &Ask<'_>,
    action: &str,
    resource: Option<&PolicySet>,
) -> RequestContext {
    let (op, params, caller, facts) = (ask.op, ask.params, ask.caller, ask.facts);
    let needs = Needs::of(subject, resource, facts.full_context);
    let mut ctx = RequestContext::new(subject.who.clone(), action, target.arn.clone());
    if PRINCIPAL_KEYS.iter().any(|k| needs.has(k)) {
        ctx.set_principal_keys_wanted(|k| needs.has(k));
        if let portcullis_policy::Caller::FederatedUser { .. } = subject.who
            && needs.has("aws:userid")
        {
            ctx.set("aws:userid", caller.principal.user_id());
        }
    }
    if needs.has("aws:sourceip") {
        ctx.set("aws:SourceIp", facts.origin.source_ip.to_string());
    }
    if needs.has("aws:securetransport") {
        ctx.set(
            "aws:SecureTransport",
            if facts.origin.secure_transport {
                "true"
            } else {
                "false"
            },
        );
    }
    if needs.has("aws:currenttime") {
        ctx.set("aws:CurrentTime", iso8601(facts.now));
    }
    if needs.has("aws:epochtime") {
        ctx.set("aws:EpochTime", facts.now.timestamp().to_string());
    }
    if needs.has("aws:requestedregion") {
        ctx.set("aws:RequestedRegion", caller.region.clone());
    }
    if let Some(ua) = facts.user_agent.filter(|_| needs.has("aws:useragent")) {
        ctx.set("aws:UserAgent", ua);
    }
    if needs.has_prefix("aws:principaltag/") {
        for t in &subject.policies.tags {
            ctx.set(&format!("aws:PrincipalTag/{}", t.key), t.value.clone());
        }
        // Session tags override the role's tags of the same key.
        for (k, v) in caller.session.iter().flat_map(|s| &s.tags) {
            ctx.set(&format!("aws:PrincipalTag/{k}"), v.clone());
        }
    }
    if let Some(session) = &caller.session {
        session_keys(&mut ctx, &needs, session, facts.now.timestamp());
    }
    if needs.has_prefix("aws:resourcetag/") || needs.has_prefix("iam:resourcetag/") {
        for t in &target.tags {
            ctx.set(&format!("aws:ResourceTag/{}", t.key), t.value.clone());
            ctx.set(&format!("iam:ResourceTag/{}", t.key), t.value.clone());
        }
    }
    // The boundary a request sets, or the one the target user or role already has.
    if needs.has("iam:permissionsboundary")
        && let Some(b) = params
            .get("PermissionsBoundary")
            .map(str::to_string)
            .or_else(|| target.boundary.clone())
    {
        ctx.set("iam:PermissionsBoundary", b);
    }
    if needs.has("iam:policyarn")
        && (op.name().starts_with("Attach") || op.name().starts_with("Detach"))
        && let Some(arn) = params.get("PolicyArn")
    {
        ctx.set("iam:PolicyARN", arn);
    }
    if needs.has("iam:awsservicename")
        && let Some(service) = params.get("AWSServiceName")
    {
        ctx.set("iam:AWSServiceName", service);
    }
    if needs.has_prefix("aws:requesttag/") || needs.has("aws:tagkeys") {
        let (tags, tag_keys) = request_tags(op, params);
        for (k, v) in &tags {
            ctx.set(&format!("aws:RequestTag/{k}"), v.clone());
        }
        if !tag_keys.is_empty() {
            ctx.set_values("aws:TagKeys", tag_keys);
        }
    }
    ctx
}

/// The context of `ask` for the operation's own action.
pub fn build(subject: &Subject, target: &Target, ask: &Ask<'_>) -> RequestContext {
    build_for(subject, target, ask, &ask.op.action(), None)
}
