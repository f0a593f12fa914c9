//! Central authorization: every operation is checked here, once, before its handler runs, using
//! the action, the resource rule and extra actions its route declares ([`Rule`]), the request's
//! typed input (the very value the handler then reads) and the policy engine's decision. It
//! reads the server only through [`Env`], so another front end can ask the same questions.
//!
//! Root may do everything in its own account (as in AWS, where only organization policies limit
//! it). An IAM user is decided by its effective identity policies (its own inline and attached
//! policies and those of its groups) within its permissions boundary; a role session by its
//! role's policies and boundary, intersected with its session policies; a federated user by the
//! intersection of its creator's policies and its session policies. Temporary credentials carry
//! the restrictions AWS puts on them (no IAM calls from GetSessionToken sessions without MFA or
//! from federated users; see [`sessions`]). `sts:AssumeRole` is decided together with the
//! role's trust policy (see [`assume`]), and the unsigned `sts:AssumeRoleWithWebIdentity` by
//! the trust policy alone for the token it verifies (see [`web_identity`]). GetCallerIdentity
//! is never authorized, as in AWS.

mod assume;
mod console;
mod context;
pub mod mfa;
mod policies;
mod rule;
mod sessions;
mod target;
mod web_identity;

pub use console::authorize_console;
use policies::UserView;
pub use policies::{
    DocumentSource, PrincipalPolicies, RoleEntry, managed_document, owner_documents,
};

pub use rule::{EntityKind, Extra, Resource, Rule, Sessions};
pub use sessions::{Refusal, SessionKind, refusal};
pub use target::Target;
use target::target;
pub use web_identity::WebIdentityGrant;

use crate::attempts::Attempts;
use crate::auth::Caller;
use crate::cache::GenCache;
use crate::failure::store_failure;
use crate::net::Origin;
use crate::sealing::SealingKeys;
use chrono::{DateTime, Utc};
use portcullis_core::Principal;
use portcullis_core::Store;
use portcullis_core::crypto::MasterKey;
use portcullis_core::session::SessionPrincipal;
use portcullis_core::sts::web_identity::JwkSet;
use portcullis_policy::{EvalInput, PolicySet, RequestContext, access_denied_message, evaluate};
use portcullis_proto::{AwsError, Input, Operation};
use std::sync::Arc;

/// What authorization needs from the server it runs in: the store, its own caches, and the
/// keys and settings of a few steps (MFA codes, encoded failure messages). The server's `App`
/// implements it; another front end (a console) can hand its own, and then asks
/// [`authorize`] the same questions the Query API does.
pub trait Env {
    fn store(&self) -> &dyn Store;
    fn caches(&self) -> &Caches;
    /// `--explain`: log every decision at info level and encode AccessDenied's reasons.
    fn explain(&self) -> bool;
    fn sealing(&self) -> &SealingKeys;
    fn master(&self) -> &MasterKey;
    /// Failed guesses of MFA codes.
    fn attempts(&self) -> &Attempts;
    /// The keys of the OIDC issuer `issuer` (`https://...`) for a token signed with key `kid`:
    /// configured, or fetched from the issuer; `None` when they cannot be had.
    fn issuer_keys(&self, issuer: &str, kid: Option<&str>) -> Option<Arc<JwkSet>>;
}

impl<E: Env + ?Sized> Env for Arc<E> {
    fn store(&self) -> &dyn Store {
        (**self).store()
    }
    fn caches(&self) -> &Caches {
        (**self).caches()
    }
    fn explain(&self) -> bool {
        (**self).explain()
    }
    fn sealing(&self) -> &SealingKeys {
        (**self).sealing()
    }
    fn master(&self) -> &MasterKey {
        (**self).master()
    }
    fn attempts(&self) -> &Attempts {
        (**self).attempts()
    }
    fn issuer_keys(&self, issuer: &str, kid: Option<&str>) -> Option<Arc<JwkSet>> {
        (**self).issuer_keys(issuer, kid)
    }
}

/// Authorization's caches of what it builds from the store, each cleared after any write.
#[derive(Debug, Default)]
pub struct Caches {
    /// User or role id -> compiled effective policies and tags.
    pub policies: GenCache<PrincipalPolicies>,
    /// Existing entities as authorization targets (ARN, tags, boundary), by kind and name.
    pub targets: GenCache<Target>,
    /// Roles (with tags) by account and lowercase name, for AssumeRole and role sessions.
    pub roles: GenCache<RoleEntry>,
    /// Compiled session policies (by content) and trust policies (by role id).
    pub session_policies: GenCache<PolicySet>,
}

impl Caches {
    pub fn invalidate_all(&self) {
        self.policies.invalidate_all();
        self.session_policies.invalidate_all();
        self.roles.invalidate_all();
        self.targets.invalidate_all();
    }

    /// Turns every cache on or off (off while the node cannot follow a shared database's
    /// change log).
    pub fn set_enabled(&self, on: bool) {
        self.policies.set_enabled(on);
        self.session_policies.set_enabled(on);
        self.roles.set_enabled(on);
        self.targets.set_enabled(on);
    }
}

/// Facts about the request that condition keys read.
#[derive(Debug)]
pub struct RequestFacts<'a> {
    pub origin: &'a Origin,
    pub user_agent: Option<&'a str>,
    pub now: DateTime<Utc>,
    /// Fill every context key, not only those the policies read (for `--explain`, whose
    /// decoded messages show the whole context).
    pub full_context: bool,
}

/// One authorization question: who asks to do what, and how the request arrived.
struct Ask<'a> {
    op: Operation,
    /// The operation's row of the route table.
    rule: &'a Rule,
    /// The request's parameters, decoded once: the same value the handler reads.
    input: &'a Input,
    caller: &'a Caller,
    facts: &'a RequestFacts<'a>,
}

/// The caller in policy terms, with the policies that decide for it.
struct Subject {
    who: Arc<portcullis_policy::Caller>,
    policies: Arc<PrincipalPolicies>,
    session: Option<Arc<PolicySet>>,
}

impl Subject {
    /// What was built in advance for an IAM user acting as itself (principal keys and tags,
    /// its self target); `None` for every other caller, federated users included.
    fn own_view(&self) -> Option<&UserView> {
        match *self.who {
            portcullis_policy::Caller::User { .. } => self.policies.user.as_ref(),
            _ => None,
        }
    }
}

/// The subject of a caller other than root acting in its own right (`None`: root, allowed
/// everything in its account).
fn subject(app: &dyn Env, caller: &Caller) -> Result<Option<Subject>, AwsError> {
    let session = match &caller.session {
        Some(s) => policies::session_policies(app, s)?,
        None => None,
    };
    let account = || caller.principal.account().to_string();
    let (who, policies) = match &caller.principal {
        Principal::Root { .. } => return Ok(None),
        Principal::User(user) => {
            let policies = policies::user_policies(app, user)?;
            let who = match &policies.user {
                Some(view) => view.caller.clone(),
                None => Arc::new(policies::user_caller(user)),
            };
            (who, policies)
        }
        Principal::RoleSession(s) => (
            Arc::new(portcullis_policy::Caller::RoleSession {
                role_arn: s.role_arn(),
                session_arn: caller.principal.arn(),
                account: account(),
                role_unique_id: Some(s.role_id.clone()),
            }),
            policies::role_policies(app, s)?,
        ),
        Principal::FederatedUser { .. } => {
            // The identity side is the creator's: root's everything, or the user's policies
            // (nothing once that user is deleted).
            let policies = match caller.session.as_deref().map(|s| &s.principal) {
                Some(SessionPrincipal::Federated {
                    issuer: Some(id), ..
                }) => match app
                    .store()
                    .get_user_by_id(caller.principal.account(), id)
                    .map_err(store_failure)?
                {
                    Some(user) => policies::user_policies(app, &user)?,
                    None => Arc::new(PrincipalPolicies::none()),
                },
                Some(SessionPrincipal::Federated { issuer: None, .. }) => policies::allow_all(),
                _ => Arc::new(PrincipalPolicies::none()),
            };
            (
                Arc::new(portcullis_policy::Caller::FederatedUser {
                    arn: caller.principal.arn(),
                    account: account(),
                }),
                policies,
            )
        }
    };
    Ok(Some(Subject {
        who,
        policies,
        session,
    }))
}

/// The statements that made `decision`, as `policy#Sid` (or `policy[index]` without a Sid).
pub fn statement_names(decision: &portcullis_policy::Decision) -> Vec<String> {
    decision
        .statements
        .iter()
        .map(|s| match &s.sid {
            Some(sid) => format!("{}#{sid}", s.policy_id),
            None => format!("{}[{}]", s.policy_id, s.index),
        })
        .collect()
}

/// Writes a decision to the log: at debug level, or at info level (target
/// `portcullis::explain`) when the server runs with `--explain`. Statements that decided it
/// and the missing piece of a denial are named.
pub fn log_decision(app: &dyn Env, ctx: &RequestContext, decision: &portcullis_policy::Decision) {
    // Nothing is formatted unless someone reads it: this runs on every request.
    if !app.explain() && !tracing::enabled!(tracing::Level::DEBUG) {
        return;
    }
    let statements = statement_names(decision);
    let reason = decision.reason_suffix(&ctx.action).unwrap_or_default();
    let principal = ctx.caller.display_arn();
    // The same event at either level (the macros take their level and target as written).
    macro_rules! decision_event {
        ($level:ident $(, $target:literal)?) => {
            tracing::$level!(
                $(target: $target,)?
                %principal,
                action = %ctx.action,
                resource = %ctx.resource,
                outcome = ?decision.outcome,
                ?statements,
                %reason,
                "authorization decision"
            )
        };
    }
    if app.explain() {
        decision_event!(info, "portcullis::explain");
    } else {
        decision_event!(debug);
    }
}

/// Decides one request context for a subject; AccessDenied with AWS's wording when denied.
fn decide(
    app: &dyn Env,
    subject: &Subject,
    ctx: &RequestContext,
    resource: Option<&PolicySet>,
    message: impl FnOnce(&portcullis_policy::Decision) -> String,
) -> Result<portcullis_policy::Decision, AwsError> {
    let mut input = EvalInput::new(ctx, &subject.policies.identity);
    input.permissions_boundary = subject.policies.boundary.as_ref();
    input.session = subject.session.as_deref();
    if let Some(r) = resource {
        input.resource = Some(r);
        input.resource_policy_required = true;
    }
    let decision = evaluate(&input);
    log_decision(app, ctx, &decision);
    if decision.is_allowed() {
        return Ok(decision);
    }
    let mut text = message(&decision);
    if app.explain() {
        text.push_str(" Encoded authorization failure message: ");
        text.push_str(
            &app.sealing()
                .ring()
                .seal_message(&decoded_message(ctx, &decision)),
        );
    }
    Err(AwsError::access_denied(text))
}

/// The decision as STS DecodeAuthorizationMessage shows it (the shape AWS's decoded messages
/// have: allowed, explicitDeny, matchedStatements, failures, context).
fn decoded_message(ctx: &RequestContext, decision: &portcullis_policy::Decision) -> String {
    use portcullis_policy::Caller as C;
    let id = match &*ctx.caller {
        C::User { unique_id, .. } => unique_id.clone(),
        C::RoleSession {
            role_unique_id,
            session_arn,
            ..
        } => role_unique_id
            .as_ref()
            .map(|r| format!("{r}:{}", session_arn.rsplit('/').next().unwrap_or_default())),
        C::Root { account } => Some(account.clone()),
        _ => None,
    };
    let statements: Vec<serde_json::Value> = decision
        .statements
        .iter()
        .map(|s| {
            serde_json::json!({
                "statementId": s.sid.as_deref().unwrap_or(""),
                "policyId": &*s.policy_id,
                "index": s.index,
            })
        })
        .collect();
    serde_json::json!({
        "allowed": false,
        "explicitDeny": decision.outcome == portcullis_policy::Outcome::ExplicitDeny,
        "matchedStatements": {"items": statements},
        "failures": {"items": []},
        "reason": decision.reason_suffix(&ctx.action).unwrap_or_default(),
        "context": {
            "principal": {"id": id, "arn": ctx.caller.display_arn()},
            "action": &ctx.action,
            "resource": &ctx.resource,
            "conditions": {"items": ctx.entries().map(|(key, values)| serde_json::json!({
                "key": key,
                "values": {"items": values.iter().map(|v| serde_json::json!({"value": v})).collect::<Vec<_>>()},
            })).collect::<Vec<_>>()},
        },
    })
    .to_string()
}

/// What authorization established besides its yes, which the handler then uses.
#[derive(Debug, Default)]
pub struct Granted {
    /// When the one-time MFA code the request passed (GetSessionToken, AssumeRole) was
    /// accepted, in Unix seconds.
    pub mfa_at: Option<i64>,
    /// The verified web identity token and its role (AssumeRoleWithWebIdentity).
    pub web_identity: Option<WebIdentityGrant>,
    /// The role AssumeRole's trust policy allowed the caller (AssumeRole).
    pub assumed_role: Option<Arc<RoleEntry>>,
}

/// Allows or denies the operation `input` is for, for `caller` (`None`: an unsigned request),
/// with AWS's AccessDenied wording; `input` is the request's typed input, which the handler
/// then reads too. The one-time MFA code GetSessionToken and AssumeRole may pass is verified
/// here, once (for AssumeRole before the trust policy is evaluated, which sees the MFA), and so
/// is AssumeRoleWithWebIdentity's token: the answer says what was verified, with the role
/// either assumes, which the handler then issues from without reading it again.
pub fn authorize(
    app: &dyn Env,
    rule: &Rule,
    input: &Input,
    caller: Option<&Caller>,
    facts: &RequestFacts<'_>,
) -> Result<Granted, AwsError> {
    let op = input.op();
    if let Some(caller) = caller {
        sessions::check(op, rule.sessions, caller)?;
    }
    let mfa = |at: Option<i64>| Granted {
        mfa_at: at,
        ..Granted::default()
    };
    let caller = match (rule.resource, caller) {
        // The token is the caller, whether or not the request is also signed.
        (Resource::WebIdentity, _) => {
            let grant = web_identity::authorize_web_identity(app, input.get()?, facts.now)?;
            return Ok(Granted {
                web_identity: Some(grant),
                ..Granted::default()
            });
        }
        (Resource::Unchecked, _) => return Ok(Granted::default()),
        (_, Some(caller)) => caller,
        (_, None) => return Err(AwsError::missing_authentication_token()),
    };
    let ask = Ask {
        op,
        rule,
        input,
        caller,
        facts,
    };
    match rule.resource {
        Resource::CallerMfa => {
            return mfa::verify_token(app, mfa::offered(input), caller, facts.now).map(mfa);
        }
        Resource::Trust => {
            let assumed = assume::authorize_assume_role(app, &ask)?;
            return Ok(Granted {
                mfa_at: assumed.mfa_at,
                assumed_role: Some(assumed.role),
                ..Granted::default()
            });
        }
        _ => {}
    }
    let Some(subject) = subject(app, caller)? else {
        return Ok(Granted::default());
    };
    let target = target(app, rule, input, caller, &subject)?;
    let ctx = context::build(&subject, &target, &ask);
    decide(app, &subject, &ctx, None, |d| {
        access_denied_message(&ctx, d)
    })?;
    pass_role(app, &subject, &ask)?;
    Ok(Granted::default())
}

/// Where IAM itself hands a role to a service, the caller must also be allowed `iam:PassRole`
/// on it (AddRoleToInstanceProfile: the role goes to EC2), as the route table's row says.
fn pass_role(app: &dyn Env, subject: &Subject, ask: &Ask<'_>) -> Result<(), AwsError> {
    for extra in ask.rule.extra {
        if let Extra::PassRole(member, service) = *extra {
            pass_role_to(app, subject, ask, member, service)?;
        }
    }
    Ok(())
}

fn pass_role_to(
    app: &dyn Env,
    subject: &Subject,
    ask: &Ask<'_>,
    member: &str,
    service: &'static str,
) -> Result<(), AwsError> {
    let account = ask.caller.principal.account();
    let Some(name) = ask.input.text(member) else {
        return Ok(());
    };
    // A missing role is the handler's NoSuchEntity.
    let Some(role) = policies::role_by_name(app, account, name)? else {
        return Ok(());
    };
    let target = Target {
        arn: role.role.arn(),
        tags: role.tags.clone(),
        boundary: None,
    };
    let mut ctx = context::build_for(subject, &target, ask, "iam:PassRole", None);
    ctx.set("iam:PassedToService", service);
    decide(app, subject, &ctx, None, |d| access_denied_message(&ctx, d)).map(|_| ())
}

/// Authorizes `action` on `resource` for an API outside the IAM and STS operation table
/// (CloudTrail's LookupEvents) with the caller's policies and the context every request has
/// ([`context::base`]): such a request passes no IAM input, so no parameter enters the context.
pub fn authorize_action(
    app: &dyn Env,
    caller: &Caller,
    facts: &RequestFacts<'_>,
    action: &'static str,
    resource: &str,
) -> Result<(), AwsError> {
    let Some(subject) = subject(app, caller)? else {
        return Ok(());
    };
    let target = Target::plain(resource.to_string());
    let (ctx, _) = context::base(&subject, &target, caller, facts, action, None);
    decide(app, &subject, &ctx, None, |d| {
        access_denied_message(&ctx, d)
    })
    .map(|_| ())
}
