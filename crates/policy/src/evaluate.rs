//! The decision procedure of spec §9.6–9.7: default deny; an explicit Deny in
//! any applicable policy wins; SCPs and RCPs must allow; then the resource
//! policy, identity policies, permissions boundary and session policies are
//! combined with AWS's same-account and cross-account rules.

use crate::compile::PolicySet;
use crate::context::{Caller, RequestContext};
use crate::decision::{Decision, Outcome, PolicyType, StatementRef};
use crate::matching::Arn;
use crate::model::Effect;
use crate::principal::PrincipalMatch;

/// Everything one decision needs. Policy sets are built once (see
/// [`PolicySet`]) and shared; this struct only borrows them.
#[derive(Clone, Copy, Debug)]
pub struct EvalInput<'a> {
    /// The request.
    pub request: &'a RequestContext,
    /// The caller's identity-based policies (user + its groups, or the role).
    pub identity: &'a PolicySet,
    /// The resource-based policy of the target (for `sts:AssumeRole*`: the
    /// role's trust policy), if it has one.
    pub resource: Option<&'a PolicySet>,
    /// When true an Allow in the resource policy is mandatory even in the same
    /// account (role trust policies: an identity policy alone never lets anyone
    /// assume a role).
    pub resource_policy_required: bool,
    /// The caller's permissions boundary, if one is set.
    pub permissions_boundary: Option<&'a PolicySet>,
    /// The session policies, if the session was created with any (or is a
    /// `GetFederationToken` session). An Allow in any of them is needed.
    pub session: Option<&'a PolicySet>,
    /// Organization hook: service control policies of the caller's account,
    /// one set per level of the organization tree (root, each OU, the
    /// account); every level must allow. Empty when not in an organization.
    pub service_control: &'a [PolicySet],
    /// Resource control policies of the resource's account, one set per level.
    pub resource_control: &'a [PolicySet],
}

impl<'a> EvalInput<'a> {
    /// An input with only identity policies (no resource policy, boundary,
    /// session policy or organization policies).
    pub fn new(request: &'a RequestContext, identity: &'a PolicySet) -> Self {
        EvalInput {
            request,
            identity,
            resource: None,
            resource_policy_required: false,
            permissions_boundary: None,
            session: None,
            service_control: &[],
            resource_control: &[],
        }
    }
}

/// What one policy set says about the request.
#[derive(Default)]
struct Scan {
    /// Strongest principal match among applicable Allow statements.
    allow: Option<PrincipalMatch>,
}

fn scan(
    set: &PolicySet,
    request: &RequestContext,
    arn: Option<&Arn<'_>>,
    allows: &mut Vec<StatementRef>,
    denies: &mut Vec<StatementRef>,
) -> Scan {
    let mut out = Scan::default();
    set.candidates(&request.action, |statement| {
        if let Some(strength) = statement.applies(request, arn) {
            match statement.effect {
                Effect::Deny => denies.push(statement.reference().clone()),
                Effect::Allow => {
                    allows.push(statement.reference().clone());
                    out.allow = out.allow.max(Some(strength));
                }
            }
        }
    });
    out
}

fn deny(outcome: Outcome, kind: PolicyType, statements: Vec<StatementRef>) -> Decision {
    Decision {
        outcome,
        statements,
        denied_by: Some(kind),
    }
}

/// Decides one request.
pub fn evaluate(input: &EvalInput<'_>) -> Decision {
    let request = input.request;
    // Split the resource ARN once for every statement.
    let parsed = Arn::parse(&request.resource);
    let arn = parsed.as_ref();
    let mut allows = Vec::new();
    let mut denies = Vec::new();

    // Every level is scanned (not short-circuited): its denies count too.
    let mut scp_ok = true;
    for level in input.service_control {
        scp_ok &= scan(level, request, arn, &mut allows, &mut denies)
            .allow
            .is_some();
    }
    let mut rcp_ok = true;
    for level in input.resource_control {
        rcp_ok &= scan(level, request, arn, &mut allows, &mut denies)
            .allow
            .is_some();
    }
    let resource = input
        .resource
        .map(|set| scan(set, request, arn, &mut allows, &mut denies).allow);
    let identity = scan(input.identity, request, arn, &mut allows, &mut denies).allow;
    let boundary = input
        .permissions_boundary
        .map(|set| scan(set, request, arn, &mut allows, &mut denies).allow);
    let session = input
        .session
        .map(|set| scan(set, request, arn, &mut allows, &mut denies).allow);

    if let Some(first) = denies.first() {
        let kind = denies
            .iter()
            .map(|d| d.policy_type)
            .min_by_key(|t| deny_priority(*t))
            .unwrap_or(first.policy_type);
        return deny(Outcome::ExplicitDeny, kind, denies);
    }
    if !scp_ok {
        return deny(
            Outcome::ImplicitDeny,
            PolicyType::ServiceControl,
            Vec::new(),
        );
    }
    if !rcp_ok {
        return deny(
            Outcome::ImplicitDeny,
            PolicyType::ResourceControl,
            Vec::new(),
        );
    }

    let resource_allow = resource.flatten();
    let mut identity_ok = identity.is_some();
    let mut boundary_ok = boundary.is_none_or(|b| b.is_some());
    let mut session_ok = session.is_none_or(|s| s.is_some());

    let caller_account = request.caller.account();
    let same_account =
        caller_account.is_some() && caller_account == request.effective_resource_account();
    if same_account && matches!(*request.caller, Caller::Root { .. }) {
        // The root user is allowed everything in its own account; only SCPs,
        // RCPs and explicit denies (handled above) restrict it.
        identity_ok = true;
        boundary_ok = true;
        session_ok = true;
    }

    let verdict: Result<(), PolicyType> = if caller_account.is_none() {
        // Services, federated and anonymous callers have no identity policies.
        resource_allow.map(|_| ()).ok_or(PolicyType::Resource)
    } else if same_account {
        if input.resource_policy_required && resource_allow.is_none() {
            Err(PolicyType::Resource)
        } else {
            match resource_allow {
                Some(PrincipalMatch::Direct) => Ok(()),
                Some(PrincipalMatch::RoleArn) => first_failure(true, boundary_ok, session_ok),
                _ => first_failure(identity_ok, boundary_ok, session_ok),
            }
        }
    } else if resource_allow.is_none() {
        Err(PolicyType::Resource)
    } else {
        first_failure(identity_ok, boundary_ok, session_ok)
    };

    match verdict {
        Ok(()) => Decision {
            outcome: Outcome::Allow,
            statements: allows,
            denied_by: None,
        },
        Err(kind) => deny(Outcome::ImplicitDeny, kind, Vec::new()),
    }
}

fn first_failure(identity: bool, boundary: bool, session: bool) -> Result<(), PolicyType> {
    if !identity {
        Err(PolicyType::Identity)
    } else if !boundary {
        Err(PolicyType::PermissionsBoundary)
    } else if !session {
        Err(PolicyType::Session)
    } else {
        Ok(())
    }
}

/// Which explicit deny AWS names first when several policy kinds deny.
fn deny_priority(kind: PolicyType) -> u8 {
    match kind {
        PolicyType::ServiceControl => 0,
        PolicyType::ResourceControl => 1,
        PolicyType::Resource => 2,
        PolicyType::Identity => 3,
        PolicyType::PermissionsBoundary => 4,
        PolicyType::Session => 5,
    }
}
