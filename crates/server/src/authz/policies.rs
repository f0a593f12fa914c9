//! The policies that decide for a principal, compiled once and cached until the next write: a
//! user's own and its groups' policies, a role's policies, permissions boundaries, session
//! policies and trust policies.

use super::Env;
use super::Target;
use super::context::{self, Wants};
use crate::failure::store_failure;
use portcullis_core::catalog::aws_managed;
use portcullis_core::session::Session;
use portcullis_core::{Role, RoleSession, Tag, User};
use portcullis_policy::{CompiledPolicy, PolicyKind, PolicySet, PolicyType, SharedKeys};
use portcullis_proto::AwsError;
use sha2::{Digest, Sha256};
use std::sync::{Arc, LazyLock};

/// A principal's compiled identity policies, boundary and tags (for `aws:PrincipalTag`).
#[derive(Debug)]
pub struct PrincipalPolicies {
    pub identity: PolicySet,
    pub boundary: Option<PolicySet>,
    pub tags: Vec<Tag>,
    /// Which known context keys the identity policies and boundary read.
    pub wants: Wants,
    /// A user's own view, built once per cache fill instead of once per request.
    pub user: Option<UserView>,
}

/// What authorization needs of a user acting with its own keys.
#[derive(Debug)]
pub struct UserView {
    /// The user as the policy engine sees it.
    pub caller: Arc<portcullis_policy::Caller>,
    /// Its principal keys and tags (see [`context::principal_keys`]).
    pub keys: Arc<SharedKeys>,
    /// The user as the target of a request about itself.
    pub target: Arc<Target>,
}

/// A user as the policy engine sees it.
pub fn user_caller(user: &User) -> portcullis_policy::Caller {
    portcullis_policy::Caller::User {
        arn: user.arn(),
        account: user.account.clone(),
        unique_id: Some(user.id.clone()),
    }
}

impl PrincipalPolicies {
    fn new(identity: PolicySet, boundary: Option<PolicySet>, tags: Vec<Tag>) -> Self {
        let mut wants = Wants::of(identity.context_keys());
        if let Some(b) = &boundary {
            wants = wants.with(Wants::of(b.context_keys()));
        }
        PrincipalPolicies {
            identity,
            boundary,
            tags,
            wants,
            user: None,
        }
    }

    /// No policy at all: allows nothing.
    pub fn none() -> Self {
        PrincipalPolicies::new(PolicySet::new([]), None, Vec::new())
    }
}

/// Where one of an owner's policy documents comes from.
#[derive(Debug)]
pub enum DocumentSource {
    /// An inline policy, by name.
    Inline(String),
    /// An attached managed policy, by ARN.
    Managed(String),
}

/// The inline and attached (default-version) policy documents of one user, group or role.
pub fn owner_documents(
    app: &dyn Env,
    account: &str,
    owner_id: &str,
) -> Result<Vec<(DocumentSource, String)>, AwsError> {
    let mut out: Vec<(DocumentSource, String)> = app
        .store()
        .list_inline_policies(owner_id)
        .map_err(store_failure)?
        .into_iter()
        .map(|(name, doc)| (DocumentSource::Inline(name), doc))
        .collect();
    for arn in app
        .store()
        .attached_policies(owner_id)
        .map_err(store_failure)?
    {
        if let Some(doc) = managed_document(app, account, &arn)? {
            out.push((DocumentSource::Managed(arn), doc));
        }
    }
    Ok(out)
}

/// Compiles a stored document. Stored documents were validated when written, so a failure here
/// means corruption: failing closed (an error, never a skipped policy) is the only safe answer.
fn compile(
    id: String,
    doc: &str,
    kind: PolicyKind,
    policy_type: PolicyType,
) -> Result<CompiledPolicy, AwsError> {
    CompiledPolicy::parse(doc, kind, id.clone(), policy_type).map_err(|e| {
        tracing::error!(policy = %id, error = %e, "a stored policy does not compile");
        AwsError::internal()
    })
}

/// The default version of a managed policy (AWS managed or of `account`).
pub fn managed_document(
    app: &dyn Env,
    account: &str,
    arn: &str,
) -> Result<Option<String>, AwsError> {
    if let Some(b) = aws_managed::find(arn) {
        return Ok(Some(b.document.to_string()));
    }
    let Some(p) = app
        .store()
        .get_policy(account, arn)
        .map_err(store_failure)?
    else {
        return Ok(None);
    };
    Ok(app
        .store()
        .get_policy_version(account, arn, &p.default_version)
        .map_err(store_failure)?
        .map(|v| v.document))
}

/// Inline and attached policies of one user, group or role.
fn owner_policies(
    app: &dyn Env,
    account: &str,
    owner_id: &str,
    owner_arn: &str,
    out: &mut Vec<CompiledPolicy>,
) -> Result<(), AwsError> {
    for (source, doc) in owner_documents(app, account, owner_id)? {
        let id = match source {
            DocumentSource::Inline(name) => format!("{owner_arn}/{name}"),
            DocumentSource::Managed(arn) => arn,
        };
        out.push(compile(
            id,
            &doc,
            PolicyKind::Identity,
            PolicyType::Identity,
        )?);
    }
    Ok(())
}

/// A permissions boundary; one that no longer resolves allows nothing.
fn boundary(
    app: &dyn Env,
    account: &str,
    arn: Option<&String>,
) -> Result<Option<PolicySet>, AwsError> {
    let Some(arn) = arn else { return Ok(None) };
    let doc = managed_document(app, account, arn)?;
    Ok(Some(PolicySet::new(
        doc.map(|d| {
            compile(
                arn.clone(),
                &d,
                PolicyKind::Identity,
                PolicyType::PermissionsBoundary,
            )
        })
        .transpose()?,
    )))
}

/// A user's effective policies: its own inline and attached policies, those of its groups, and
/// its permissions boundary.
pub fn user_policies(app: &dyn Env, user: &User) -> Result<Arc<PrincipalPolicies>, AwsError> {
    app.caches().policies.get_or_fill(&user.id, || {
        let mut compiled = Vec::new();
        owner_policies(app, &user.account, &user.id, &user.arn(), &mut compiled)?;
        for g in app
            .store()
            .all_groups_for_user(&user.account, &user.id)
            .map_err(store_failure)?
        {
            owner_policies(app, &user.account, &g.id, &g.arn(), &mut compiled)?;
        }
        compiled.extend(self_service_password(app, user)?);
        let tags = app.store().tags(&user.id).map_err(store_failure)?;
        let caller = Arc::new(user_caller(user));
        let view = UserView {
            keys: context::principal_keys(&caller, &tags),
            target: Arc::new(Target {
                arn: user.arn(),
                tags: tags.clone(),
                boundary: user.permissions_boundary.clone(),
            }),
            caller,
        };
        let mut policies = PrincipalPolicies::new(
            PolicySet::new(compiled),
            boundary(app, &user.account, user.permissions_boundary.as_ref())?,
            tags,
        );
        policies.user = Some(view);
        Ok(policies)
    })
}

/// With the account password policy's AllowUsersToChangePassword, every user may change its
/// own password and read the policy without a policy of its own: AWS's implicit account-level
/// grant, here an identity policy of the user (so an explicit Deny still wins). It is cached
/// with the user's policies, which every write invalidates.
fn self_service_password(app: &dyn Env, user: &User) -> Result<Option<CompiledPolicy>, AwsError> {
    let allowed = app
        .store()
        .password_policy(&user.account)
        .map_err(store_failure)?
        .is_some_and(|p| p.allow_users_to_change);
    if !allowed {
        return Ok(None);
    }
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "iam:ChangePassword", "Resource": user.arn()},
            {"Effect": "Allow", "Action": "iam:GetAccountPasswordPolicy", "Resource": "*"},
        ],
    })
    .to_string();
    compile(
        "AllowUsersToChangePassword".into(),
        &doc,
        PolicyKind::Identity,
        PolicyType::Identity,
    )
    .map(Some)
}

/// The role a session belongs to, if it still exists (a role deleted and created again under
/// the same name is another role: its id differs).
pub fn session_role(app: &dyn Env, s: &RoleSession) -> Result<Option<Role>, AwsError> {
    Ok(role_by_name(app, &s.account, &s.role_name)?
        .filter(|r| r.role.id == s.role_id)
        .map(|r| r.role.clone()))
}

/// A role and its tags, as the trust decision and AssumeRole read them.
#[derive(Debug)]
pub struct RoleEntry {
    pub role: Role,
    pub tags: Vec<Tag>,
}

/// A role by name (ignoring case, as names are unique that way), cached until the next write.
pub fn role_by_name(
    app: &dyn Env,
    account: &str,
    name: &str,
) -> Result<Option<Arc<RoleEntry>>, AwsError> {
    let key = format!("{account}/{}", name.to_lowercase());
    app.caches().roles.get_or_fill_existing(&key, || {
        let Some(role) = app.store().get_role(account, name).map_err(store_failure)? else {
            return Ok(None);
        };
        let tags = app.store().tags(&role.id).map_err(store_failure)?;
        Ok(Some(RoleEntry { role, tags }))
    })
}

/// A role session's role policies and boundary; a deleted role's sessions have none.
pub fn role_policies(app: &dyn Env, s: &RoleSession) -> Result<Arc<PrincipalPolicies>, AwsError> {
    app.caches().policies.get_or_fill(&s.role_id, || {
        let Some(role) = session_role(app, s)? else {
            return Ok(PrincipalPolicies::none());
        };
        let mut compiled = Vec::new();
        owner_policies(app, &role.account, &role.id, &role.arn(), &mut compiled)?;
        Ok(PrincipalPolicies::new(
            PolicySet::new(compiled),
            boundary(app, &role.account, role.permissions_boundary.as_ref())?,
            app.store().tags(&role.id).map_err(store_failure)?,
        ))
    })
}

/// Everything, for the identity side of a federated session that root created (its
/// permissions are then exactly its session policies).
pub fn allow_all() -> Arc<PrincipalPolicies> {
    static ALL: LazyLock<Arc<PrincipalPolicies>> = LazyLock::new(|| {
        let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        let policy =
            CompiledPolicy::parse(doc, PolicyKind::Identity, "root", PolicyType::Identity).ok();
        Arc::new(PrincipalPolicies::new(
            PolicySet::new(policy),
            None,
            Vec::new(),
        ))
    });
    ALL.clone()
}

/// The session policies of a session (inline and managed), cached by their content. A
/// federated session without session policies gets an empty set: it may do nothing.
pub fn session_policies(
    app: &dyn Env,
    session: &Session,
) -> Result<Option<Arc<PolicySet>>, AwsError> {
    let federated = matches!(
        session.principal,
        portcullis_core::session::SessionPrincipal::Federated { .. }
    );
    if !session.has_session_policy() && !federated {
        return Ok(None);
    }
    let mut h = Sha256::new();
    h.update(session.account.as_bytes());
    h.update([0]);
    h.update(session.policy.as_deref().unwrap_or("").as_bytes());
    for arn in &session.policy_arns {
        h.update([0]);
        h.update(arn.as_bytes());
    }
    let key = format!("session:{}", hex::encode(h.finalize()));
    let set = app.caches().session_policies.get_or_fill(&key, || {
        let mut compiled = Vec::new();
        if let Some(doc) = &session.policy {
            compiled.push(compile(
                "session-policy".into(),
                doc,
                PolicyKind::Identity,
                PolicyType::Session,
            )?);
        }
        for arn in &session.policy_arns {
            if let Some(doc) = managed_document(app, &session.account, arn)? {
                compiled.push(compile(
                    arn.clone(),
                    &doc,
                    PolicyKind::Identity,
                    PolicyType::Session,
                )?);
            }
        }
        Ok(PolicySet::new(compiled))
    })?;
    Ok(Some(set))
}

/// A role's trust policy, as the resource policy of `sts:AssumeRole*`.
pub fn trust_policy(app: &dyn Env, role: &Role) -> Result<Arc<PolicySet>, AwsError> {
    let key = format!("trust:{}", role.id);
    app.caches().session_policies.get_or_fill(&key, || {
        Ok(PolicySet::new([compile(
            role.arn(),
            &role.assume_role_policy,
            PolicyKind::Trust,
            PolicyType::Resource,
        )?]))
    })
}
