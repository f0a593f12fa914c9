//! The request context, filled as AWS fills it: the principal's keys and tags, the session's
//! facts (issue time, MFA, source identity), the network origin and time, the tags and
//! boundary of the request and its target.

use super::{Ask, Extra, RequestFacts, Subject, Target};
use crate::auth::Caller;
use portcullis_core::Tag;
use portcullis_core::clock::iso8601;
use portcullis_core::session::Session;
use portcullis_policy::{PolicySet, RequestContext, SharedKeys};
use portcullis_proto::Input;
use std::sync::Arc;

/// `(tags, tag keys)` a request passes (`aws:RequestTag/*`, `aws:TagKeys`), read from its typed
/// input's `Tags` (the keys of those) or, for Untag*, `TagKeys`: the very lists the handler
/// reads, so any member order or gap is seen alike by both.
pub fn request_tags(input: &Input) -> (Vec<(&str, &str)>, Vec<String>) {
    let tags: Vec<(&str, &str)> = input
        .tags("Tags")
        .unwrap_or_default()
        .iter()
        .filter_map(|t| Some((t.key.as_deref()?, t.value.as_deref().unwrap_or(""))))
        .collect();
    let keys = match input.strings("TagKeys") {
        Some(keys) => keys.to_vec(),
        None => tags.iter().map(|(k, _)| k.to_string()).collect(),
    };
    (tags, keys)
}

/// A context key the server fills, or (for tags) a family of keys.
#[derive(Clone, Copy, Debug)]
pub enum Known {
    PrincipalAccount,
    PrincipalArn,
    PrincipalType,
    UserId,
    Username,
    SourceIp,
    SecureTransport,
    CurrentTime,
    EpochTime,
    RequestedRegion,
    UserAgent,
    TokenIssueTime,
    PrincipalTag,
    ResourceTag,
    PermissionsBoundary,
    PolicyArn,
    AwsServiceName,
    RequestTag,
    TagKeys,
}

/// Lowercase key names; a name ending in `/` is the prefix of a family.
const NAMES: [(&str, Known); 20] = [
    ("aws:principalaccount", Known::PrincipalAccount),
    ("aws:principalarn", Known::PrincipalArn),
    ("aws:principaltype", Known::PrincipalType),
    ("aws:userid", Known::UserId),
    ("aws:username", Known::Username),
    ("aws:sourceip", Known::SourceIp),
    ("aws:securetransport", Known::SecureTransport),
    ("aws:currenttime", Known::CurrentTime),
    ("aws:epochtime", Known::EpochTime),
    ("aws:requestedregion", Known::RequestedRegion),
    ("aws:useragent", Known::UserAgent),
    ("aws:tokenissuetime", Known::TokenIssueTime),
    ("aws:principaltag/", Known::PrincipalTag),
    ("aws:resourcetag/", Known::ResourceTag),
    ("iam:resourcetag/", Known::ResourceTag),
    ("iam:permissionsboundary", Known::PermissionsBoundary),
    ("iam:policyarn", Known::PolicyArn),
    ("iam:awsservicename", Known::AwsServiceName),
    ("aws:requesttag/", Known::RequestTag),
    ("aws:tagkeys", Known::TagKeys),
];

/// Which of the [`Known`] keys some deciding policy reads (see `PolicySet::context_keys`):
/// only these are filled, so a request whose policies have no conditions builds almost
/// nothing. Computed once per compiled policy set, so a request only tests bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wants(u32);

impl Wants {
    /// Every key (explanations show the whole context).
    pub const ALL: Wants = Wants(u32::MAX);

    /// The known keys among `keys` (lowercase, as `PolicySet::context_keys` gives them).
    pub fn of(keys: &[String]) -> Wants {
        let mut bits = 0;
        for key in keys {
            for (name, known) in NAMES {
                let hit = if name.ends_with('/') {
                    key.starts_with(name)
                } else {
                    key == name
                };
                if hit {
                    bits |= 1 << known as u32;
                }
            }
        }
        Wants(bits)
    }

    pub fn with(self, other: Wants) -> Wants {
        Wants(self.0 | other.0)
    }

    pub fn has(self, key: Known) -> bool {
        self.0 & (1 << key as u32) != 0
    }
}

/// Whether `needs` asks for the known key named `key` (any case; not a family).
pub fn wants_key(needs: Wants, key: &str) -> bool {
    NAMES
        .iter()
        .any(|(name, known)| name.eq_ignore_ascii_case(key) && needs.has(*known))
}

/// The keys wanted for one decision: the subject's (computed when its policies were
/// compiled), its session policies' and the resource policy's.
fn wants(subject: &Subject, resource: Option<&PolicySet>, all: bool) -> Wants {
    if all {
        return Wants::ALL;
    }
    let mut wants = subject.policies.wants;
    if let Some(s) = &subject.session {
        wants = wants.with(Wants::of(s.context_keys()));
    }
    if let Some(r) = resource {
        wants = wants.with(Wants::of(r.context_keys()));
    }
    wants
}

/// Keys that temporary credentials add (spec §7.8); long-term keys have none of them.
fn session_keys(ctx: &mut RequestContext, needs: Wants, session: &Session, now_epoch: i64) {
    if needs.has(Known::TokenIssueTime) {
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

/// The principal's own keys (`aws:username`, `aws:PrincipalArn`, ...) and tags, filled once
/// when its policies are compiled, for callers whose keys never change between requests (IAM
/// users).
pub fn principal_keys(who: &Arc<portcullis_policy::Caller>, tags: &[Tag]) -> Arc<SharedKeys> {
    let mut ctx = RequestContext::new(who.clone(), "", "");
    ctx.set_principal_keys();
    for t in tags {
        ctx.set(&format!("aws:PrincipalTag/{}", t.key), t.value.clone());
    }
    ctx.into_shared_keys()
}

/// The context of `ask` against `target` for `action`, with the keys the subject's policies
/// (and `resource`, a trust policy) can read: the caller's and the request's ([`base`]), then
/// those its input passes.
pub fn build_for(
    subject: &Subject,
    target: &Target,
    ask: &Ask<'_>,
    action: &'static str,
    resource: Option<&PolicySet>,
) -> RequestContext {
    let (mut ctx, needs) = base(subject, target, ask.caller, ask.facts, action, resource);
    passed(&mut ctx, needs, ask, target);
    ctx
}

/// The context of `action` on `target` from what every request has, whatever it passes: the
/// principal's keys and tags, the session's facts, the network origin and time, the target's
/// tags; with the keys it was built for. An action outside the operation table (CloudTrail's)
/// is decided on this alone.
pub fn base(
    subject: &Subject,
    target: &Target,
    caller: &Caller,
    facts: &RequestFacts<'_>,
    action: &'static str,
    resource: Option<&PolicySet>,
) -> (RequestContext, Wants) {
    let needs = wants(subject, resource, facts.full_context);
    let mut ctx = RequestContext::new(subject.who.clone(), action, target.arn.clone());
    let principal = [
        Known::PrincipalAccount,
        Known::PrincipalArn,
        Known::PrincipalType,
        Known::UserId,
        Known::Username,
    ];
    match subject.own_view() {
        Some(view) => {
            ctx.set_shared(view.keys.clone());
        }
        None => {
            if principal.iter().any(|k| needs.has(*k)) {
                ctx.set_principal_keys();
                if let portcullis_policy::Caller::FederatedUser { .. } = *subject.who {
                    ctx.set("aws:userid", caller.principal.user_id());
                }
            }
            if needs.has(Known::PrincipalTag) {
                for t in &subject.policies.tags {
                    ctx.set(&format!("aws:PrincipalTag/{}", t.key), t.value.clone());
                }
            }
        }
    }
    // Session tags override the principal's tags of the same key.
    if needs.has(Known::PrincipalTag) {
        for (k, v) in caller.session.iter().flat_map(|s| &s.tags) {
            ctx.set(&format!("aws:PrincipalTag/{k}"), v.clone());
        }
    }
    if needs.has(Known::SourceIp) {
        ctx.set("aws:SourceIp", facts.origin.source_ip.to_string());
    }
    if needs.has(Known::SecureTransport) {
        ctx.set(
            "aws:SecureTransport",
            if facts.origin.secure_transport {
                "true"
            } else {
                "false"
            },
        );
    }
    if needs.has(Known::CurrentTime) {
        ctx.set("aws:CurrentTime", iso8601(facts.now));
    }
    if needs.has(Known::EpochTime) {
        ctx.set("aws:EpochTime", facts.now.timestamp().to_string());
    }
    if needs.has(Known::RequestedRegion) {
        ctx.set("aws:RequestedRegion", caller.region.clone());
    }
    if let Some(ua) = facts.user_agent.filter(|_| needs.has(Known::UserAgent)) {
        ctx.set("aws:UserAgent", ua);
    }
    if let Some(session) = &caller.session {
        session_keys(&mut ctx, needs, session, facts.now.timestamp());
    }
    if needs.has(Known::ResourceTag) {
        for t in &target.tags {
            ctx.set(&format!("aws:ResourceTag/{}", t.key), t.value.clone());
            ctx.set(&format!("iam:ResourceTag/{}", t.key), t.value.clone());
        }
    }
    (ctx, needs)
}

/// The keys the request's typed input passes (the boundary it sets, tags, the members its
/// route declares as keys), with the target's boundary where the request sets none.
fn passed(ctx: &mut RequestContext, needs: Wants, ask: &Ask<'_>, target: &Target) {
    let input = ask.input;
    // The boundary a request sets, or the one the target user or role already has.
    if needs.has(Known::PermissionsBoundary)
        && let Some(b) = input
            .text("PermissionsBoundary")
            .map(str::to_string)
            .or_else(|| target.boundary.clone())
    {
        ctx.set("iam:PermissionsBoundary", b);
    }
    // Keys the route declares the request fills from its input (`iam:PolicyARN`).
    for extra in ask.rule.extra {
        if let Extra::Key(key, member) = *extra
            && wants_key(needs, key)
            && let Some(value) = input.text(member)
        {
            ctx.set(key, value);
        }
    }
    if needs.has(Known::AwsServiceName)
        && let Some(service) = input.text("AWSServiceName")
    {
        ctx.set("iam:AWSServiceName", service);
    }
    if needs.has(Known::RequestTag) || needs.has(Known::TagKeys) {
        let (tags, tag_keys) = request_tags(input);
        for (k, v) in tags {
            ctx.set(&format!("aws:RequestTag/{k}"), v);
        }
        if !tag_keys.is_empty() {
            ctx.set_values("aws:TagKeys", tag_keys);
        }
    }
}

/// The context of `ask` for the operation's own action.
pub fn build(subject: &Subject, target: &Target, ask: &Ask<'_>) -> RequestContext {
    build_for(subject, target, ask, ask.op.action(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wants_names_the_known_keys_and_tag_families_a_policy_reads() {
        let keys = [
            "aws:principaltag/team",
            "aws:sourceip",
            "iam:resourcetag/owner",
            "s3:prefix",
        ]
        .map(String::from);
        let w = Wants::of(&keys);
        assert!(w.has(Known::PrincipalTag));
        assert!(w.has(Known::SourceIp));
        assert!(w.has(Known::ResourceTag));
        for k in [
            Known::Username,
            Known::RequestTag,
            Known::TagKeys,
            Known::CurrentTime,
        ] {
            assert!(!w.has(k), "{k:?}");
        }
        assert_eq!(Wants::of(&[]), Wants::default());
        let more = w.with(Wants::of(&["aws:tagkeys".to_string()]));
        assert!(more.has(Known::TagKeys) && more.has(Known::SourceIp));
        assert!(Wants::ALL.has(Known::AwsServiceName));
        // Every name maps to a distinct bit of a u32.
        assert!(NAMES.iter().all(|(_, k)| (*k as u32) < 32));
    }
}
