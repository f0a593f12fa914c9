//! The result of an evaluation and the wording of AWS's AccessDenied message.

use std::sync::Arc;

use crate::context::RequestContext;

/// The role a policy plays in evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyType {
    /// Identity-based policy (inline or managed, of the user, its groups, or the role).
    Identity,
    /// Resource-based policy (for IAM/STS: a role trust policy).
    Resource,
    /// Permissions boundary of the user or role.
    PermissionsBoundary,
    /// STS session policy (inline `Policy` or `PolicyArns`).
    Session,
    /// Organizations service control policy.
    ServiceControl,
    /// Organizations resource control policy.
    ResourceControl,
}

impl PolicyType {
    /// The noun AWS uses in AccessDenied messages, with its article.
    pub fn with_article(self) -> &'static str {
        match self {
            PolicyType::Identity => "an identity-based policy",
            PolicyType::Resource => "a resource-based policy",
            PolicyType::PermissionsBoundary => "a permissions boundary",
            PolicyType::Session => "a session policy",
            PolicyType::ServiceControl => "a service control policy",
            PolicyType::ResourceControl => "a resource control policy",
        }
    }

    /// The noun without article ("no identity-based policy allows ...").
    pub fn noun(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity-based policy",
            PolicyType::Resource => "resource-based policy",
            PolicyType::PermissionsBoundary => "permissions boundary",
            PolicyType::Session => "session policy",
            PolicyType::ServiceControl => "service control policy",
            PolicyType::ResourceControl => "resource control policy",
        }
    }
}

/// A statement that took part in a decision.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StatementRef {
    /// The id the policy was compiled under.
    pub policy_id: Arc<str>,
    /// The role of that policy.
    pub policy_type: PolicyType,
    /// Zero-based position of the statement in its policy.
    pub index: usize,
    /// The statement's Sid, if it has one.
    pub sid: Option<Arc<str>>,
}

/// Allow, explicit deny or implicit (default) deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The request is allowed.
    Allow,
    /// A matching Deny statement exists.
    ExplicitDeny,
    /// No required Allow was found.
    ImplicitDeny,
}

/// The decision and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The outcome.
    pub outcome: Outcome,
    /// For `Allow`: the Allow statements that granted (SCP, RCP,
    /// resource-based, identity-based, boundary, session). For `ExplicitDeny`:
    /// the matching Deny statements. Empty for `ImplicitDeny`, and for the
    /// root user's implicit allow. Listed in evaluation order: SCP levels,
    /// RCP levels, resource policy, identity, boundary, session policies;
    /// within a set in policy order, then statement order.
    pub statements: Vec<StatementRef>,
    /// For denials: the kind of policy that denied (explicit) or that lacked an
    /// Allow (implicit).
    pub denied_by: Option<PolicyType>,
}

impl Decision {
    /// True for `Outcome::Allow`.
    pub fn is_allowed(&self) -> bool {
        self.outcome == Outcome::Allow
    }

    /// The end of AWS's AccessDenied message, e.g. `because no
    /// identity-based policy allows the iam:CreateUser action` or `with an
    /// explicit deny in an identity-based policy`. `None` when allowed.
    pub fn reason_suffix(&self, action: &str) -> Option<String> {
        let kind = self.denied_by?;
        match self.outcome {
            Outcome::Allow => None,
            Outcome::ExplicitDeny => {
                Some(format!("with an explicit deny in {}", kind.with_article()))
            }
            Outcome::ImplicitDeny => Some(format!(
                "because no {} allows the {action} action",
                kind.noun()
            )),
        }
    }
}

/// AWS's full AccessDenied message for a denied request:
/// `User: <arn> is not authorized to perform: <action> on resource: <resource> <reason>`.
pub fn access_denied_message(request: &RequestContext, decision: &Decision) -> String {
    let mut message = format!(
        "User: {} is not authorized to perform: {} on resource: {}",
        request.caller.display_arn(),
        request.action,
        request.resource
    );
    if let Some(reason) = decision.reason_suffix(&request.action) {
        message.push(' ');
        message.push_str(&reason);
    }
    message
}
