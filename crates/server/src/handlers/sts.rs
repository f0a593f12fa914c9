//! STS operations. Credentials are issued as sealed sessions (see `portcullis_core::session`):
//! nothing about a session is stored, so issuing and using them never writes to the database
//! (except the role's last-used record, once per window).

use crate::authz::managed_document;
use crate::handlers::tagging::decode_tags;
use crate::handlers::{Ctx, policy_error, store_failure, sts_error};
use crate::usage;
use chrono::TimeDelta;
use portcullis_core::session::{Session, SessionPrincipal};
use portcullis_core::sts::{chaining, duration, packed};
use portcullis_core::{Principal, RoleSession, StsError, ids};
use portcullis_policy::{Policy, PolicyKind, SESSION_POLICY_MAX, SizeQuota, policy_size};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    AssumeRoleInput, DecodeAuthorizationMessageInput, GetAccessKeyInfoInput,
    GetFederationTokenInput, GetSessionTokenInput, PolicyDescriptorType, Tag,
};
use portcullis_proto::output::{
    AssumeRoleOutput, AssumedRoleUser, Credentials, DecodeAuthorizationMessageOutput,
    FederatedUser, GetAccessKeyInfoOutput, GetCallerIdentityOutput, GetFederationTokenOutput,
    GetSessionTokenOutput,
};

/// Answers every authenticated caller; never authorized (AWS does the same).
pub fn get_caller_identity(ctx: &Ctx) -> Result<GetCallerIdentityOutput, AwsError> {
    let p = &ctx.caller()?.principal;
    Ok(GetCallerIdentityOutput {
        user_id: Some(p.user_id()),
        account: Some(p.account().to_string()),
        arn: Some(p.arn()),
    })
}

/// Session policies and tags a request passes, checked, with their packed size in percent.
pub(crate) struct SessionInputs {
    pub(crate) policy: Option<String>,
    pub(crate) policy_arns: Vec<String>,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) packed_percent: usize,
}

/// The session policy, managed session policies and session tags a request passes.
pub(crate) type Passed<'a> = (
    Option<&'a String>,
    Option<&'a [PolicyDescriptorType]>,
    Option<&'a [Tag]>,
);

pub(crate) fn session_inputs(
    ctx: &Ctx,
    account: &str,
    (policy, arns, tags): Passed<'_>,
) -> Result<SessionInputs, AwsError> {
    let policy = policy.cloned();
    let mut plaintext = 0;
    if let Some(doc) = &policy {
        Policy::parse(doc, PolicyKind::Identity).map_err(|e| policy_error(&e))?;
        plaintext += policy_size(doc);
    }
    let mut policy_arns = Vec::new();
    for m in arns.unwrap_or_default() {
        let arn = m.arn.as_deref().unwrap_or_default();
        if managed_document(&ctx.app, account, arn)?.is_none() {
            return Err(sts_error(StsError::PolicyNotAttachable(arn.to_string())));
        }
        plaintext += arn.len();
        policy_arns.push(arn.to_string());
    }
    SizeQuota::SessionPolicy
        .check(plaintext)
        .map_err(|e| policy_error(&e))?;
    // IAM's tag rules, with STS's error code.
    let tags = decode_tags(tags, "Tags").map_err(|e| sts_error(StsError::SessionTags(e)))?;
    let tags: Vec<(String, String)> = tags.into_iter().map(|t| (t.key, t.value)).collect();
    let packed_percent =
        packed::percent(plaintext, &tags, SESSION_POLICY_MAX).map_err(sts_error)?;
    Ok(SessionInputs {
        policy,
        policy_arns,
        tags,
        packed_percent,
    })
}

/// Seals a session (under a new temporary access key id) into its `Credentials`.
pub(crate) fn credentials(ctx: &Ctx, mut session: Session) -> Credentials {
    session.access_key_id = ids::temporary_access_key_id();
    let (token, secret) = ctx.app.sealing.ring().seal(&session);
    Credentials {
        expiration: session.expires_at(),
        access_key_id: session.access_key_id,
        secret_access_key: secret,
        session_token: token,
    }
}

pub(crate) fn new_session(
    ctx: &Ctx,
    principal: SessionPrincipal,
    account: &str,
    seconds: i64,
) -> Session {
    Session {
        principal,
        account: account.to_string(),
        access_key_id: String::new(),
        issued: ctx.now.timestamp(),
        expires: (ctx.now + TimeDelta::seconds(seconds)).timestamp(),
        policy: None,
        policy_arns: Vec::new(),
        tags: Vec::new(),
        transitive_tag_keys: Vec::new(),
        source_identity: None,
        mfa_at: None,
        chained: false,
        federated_provider: None,
    }
}

/// A new session of `role` called `session_name`, lasting `seconds`.
pub(crate) fn role_session(
    ctx: &Ctx,
    role: &portcullis_core::Role,
    session_name: &str,
    seconds: i64,
) -> Session {
    let principal = SessionPrincipal::Role {
        id: role.id.clone(),
        name: role.name.clone(),
        path: role.path.clone(),
        session: session_name.to_string(),
    };
    new_session(ctx, principal, &role.account, seconds)
}

/// AssumeRole: a session of the role authorization found, with the session policies and tags
/// passed, what the calling session passes on, and the MFA proved.
pub fn assume_role(ctx: &Ctx) -> Result<AssumeRoleOutput, AwsError> {
    let caller = ctx.caller()?;
    let input: &AssumeRoleInput = ctx.input()?;
    // Authorization found the role and handed it over with every request its route sends here.
    let role = &ctx
        .assumed_role
        .as_ref()
        .ok_or_else(AwsError::internal)?
        .role;
    let parent = caller.session.as_deref();
    let chained = chaining::is_chained(parent);
    let seconds =
        duration::role_session(input.duration_seconds, role.max_session_duration, chained)
            .map_err(sts_error)?;
    let passed = (
        input.policy.as_ref(),
        input.policy_arns.as_deref(),
        input.tags.as_deref(),
    );
    let inputs = session_inputs(ctx, &role.account, passed)?;
    let passed_policy_or_tags =
        inputs.policy.is_some() || !inputs.policy_arns.is_empty() || !inputs.tags.is_empty();
    let tags = chaining::tags(
        parent,
        inputs.tags,
        input.transitive_tag_keys.clone().unwrap_or_default(),
    )
    .map_err(sts_error)?;
    let source_identity =
        chaining::source_identity(parent, input.source_identity.as_deref()).map_err(sts_error)?;

    let session_name = input.role_session_name.clone();
    let mut session = role_session(ctx, role, &session_name, seconds);
    session.policy = inputs.policy;
    session.policy_arns = inputs.policy_arns;
    session.tags = tags.tags;
    session.transitive_tag_keys = tags.transitive_keys;
    session.source_identity = source_identity.clone();
    // A code verified with this request (before the trust policy was evaluated), or the MFA
    // of the calling session.
    session.mfa_at = caller
        .mfa_verified_at
        .or_else(|| parent.and_then(|s| s.mfa_at));
    session.chained = chained;

    Ok(AssumeRoleOutput {
        credentials: Some(credentials(ctx, session)),
        assumed_role_user: Some(assumed_role(ctx, role, session_name, &caller.region)),
        packed_policy_size: passed_policy_or_tags.then_some(inputs.packed_percent as i64),
        source_identity,
        ..Default::default()
    })
}

/// The `AssumedRoleUser` of a new session of `role`; records the role's use.
pub(crate) fn assumed_role(
    ctx: &Ctx,
    role: &portcullis_core::Role,
    session_name: String,
    region: &str,
) -> AssumedRoleUser {
    let session = RoleSession {
        account: role.account.clone(),
        role_id: role.id.clone(),
        role_name: role.name.clone(),
        role_path: role.path.clone(),
        session_name,
    };
    usage::record_role(&ctx.app, &session, region, ctx.now);
    let assumed = Principal::RoleSession(session);
    AssumedRoleUser {
        assumed_role_id: assumed.user_id(),
        arn: assumed.arn(),
    }
}

/// GetSessionToken: the same user (or root) with a session; long-term keys only (enforced
/// before the handler runs). A valid MFA code makes it an MFA session, which may call IAM.
pub fn get_session_token(ctx: &Ctx) -> Result<GetSessionTokenOutput, AwsError> {
    let caller = ctx.caller()?;
    let (principal, root) = match &caller.principal {
        Principal::Root { .. } => (SessionPrincipal::Root, true),
        Principal::User(u) => (SessionPrincipal::User { id: u.id.clone() }, false),
        _ => return Err(session_credentials(ctx)),
    };
    let input: &GetSessionTokenInput = ctx.input()?;
    let seconds = duration::token_session(input.duration_seconds, root);
    let mut session = new_session(ctx, principal, caller.principal.account(), seconds);
    // Verified, once, before the request was authorized.
    session.mfa_at = caller.mfa_verified_at;
    Ok(GetSessionTokenOutput {
        credentials: Some(credentials(ctx, session)),
        ..Default::default()
    })
}

/// The refusal of GetSessionToken or GetFederationToken to temporary credentials (which
/// authorization refuses first; the handler does not rely on it).
fn session_credentials(ctx: &Ctx) -> AwsError {
    sts_error(StsError::SessionCredentials {
        operation: ctx.op.name().to_string(),
    })
}

/// GetFederationToken: a federated user whose permissions are the caller's policies
/// intersected with the session policies passed here (none passed: no permissions).
pub fn get_federation_token(ctx: &Ctx) -> Result<GetFederationTokenOutput, AwsError> {
    let caller = ctx.caller()?;
    let account = caller.principal.account().to_string();
    let (issuer, root) = match &caller.principal {
        Principal::Root { .. } => (None, true),
        Principal::User(u) => (Some(u.id.clone()), false),
        _ => return Err(session_credentials(ctx)),
    };
    let input: &GetFederationTokenInput = ctx.input()?;
    let seconds = duration::token_session(input.duration_seconds, root);
    let name = input.name.clone();
    let passed = (
        input.policy.as_ref(),
        input.policy_arns.as_deref(),
        input.tags.as_deref(),
    );
    let inputs = session_inputs(ctx, &account, passed)?;
    let mut session = new_session(
        ctx,
        SessionPrincipal::Federated {
            name: name.clone(),
            issuer,
        },
        &account,
        seconds,
    );
    session.policy = inputs.policy;
    session.policy_arns = inputs.policy_arns;
    session.tags = inputs.tags;
    let fed = Principal::FederatedUser { account, name };
    Ok(GetFederationTokenOutput {
        credentials: Some(credentials(ctx, session)),
        federated_user: Some(FederatedUser {
            federated_user_id: fed.user_id(),
            arn: fed.arn(),
        }),
        packed_policy_size: Some(inputs.packed_percent as i64),
        ..Default::default()
    })
}

/// GetAccessKeyInfo: the account a key belongs to (its state is not revealed).
pub fn get_access_key_info(ctx: &Ctx) -> Result<GetAccessKeyInfoOutput, AwsError> {
    let caller = ctx.caller()?;
    let input: &GetAccessKeyInfoInput = ctx.input()?;
    let id = input.access_key_id.as_str();
    let account = if id == caller.access_key_id {
        Some(caller.principal.account().to_string())
    } else {
        ctx.app
            .store
            .get_access_key(id)
            .map_err(store_failure)?
            .map(|k| k.account)
    };
    let account = account.ok_or_else(|| sts_error(StsError::UnknownAccessKey(id.to_string())))?;
    Ok(GetAccessKeyInfoOutput {
        account: Some(account),
    })
}

/// DecodeAuthorizationMessage: the decision behind an AccessDenied that carried an encoded
/// authorization failure message (the server runs with `--explain`), sealed with the STS keys
/// so only this server (or one sharing its keys) can read it.
pub fn decode_authorization_message(
    ctx: &Ctx,
) -> Result<DecodeAuthorizationMessageOutput, AwsError> {
    let decoded = ctx
        .app
        .sealing
        .ring()
        .open_message(
            &ctx.input::<DecodeAuthorizationMessageInput>()?
                .encoded_message,
        )
        .map_err(|_| sts_error(StsError::InvalidAuthorizationMessage))?;
    Ok(DecodeAuthorizationMessageOutput {
        decoded_message: Some(decoded),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::App;
    use crate::auth::Caller;
    use crate::authz::RoleEntry;
    use crate::config::{FileConfig, Settings};
    use crate::sealing::SealingKeys;
    use portcullis_core::crypto::MasterKey;
    use portcullis_core::{Role, SystemClock, User};
    use portcullis_proto::{Input, Operation, Params};
    use std::sync::Arc;

    const ACCOUNT: &str = "123456789012";

    fn ctx(assumed_role: Option<Arc<RoleEntry>>) -> Ctx {
        let store = portcullis_store::SqliteStore::in_memory().expect("store");
        let settings = Settings::new(&FileConfig::default(), None, false).expect("settings");
        let app = App::new(
            Arc::new(store),
            MasterKey::generate(),
            SealingKeys::ephemeral(),
            Arc::new(SystemClock),
            settings,
            None,
        );
        let mut params = Params::default();
        params.insert("RoleArn", "arn:aws:iam::123456789012:role/ghost");
        params.insert("RoleSessionName", "s");
        params.insert("DurationSeconds", "7200");
        let now = chrono::Utc::now();
        let user = User {
            account: ACCOUNT.into(),
            id: "AIDAEXAMPLE".into(),
            name: "alice".into(),
            path: "/".into(),
            created: now,
            password_last_used: None,
            permissions_boundary: None,
        };
        Ctx {
            app,
            op: Operation::AssumeRole,
            caller: Some(Caller {
                principal: Principal::User(user),
                access_key_id: "AKIAEXAMPLE".into(),
                region: "us-east-1".into(),
                session: None,
                mfa_verified_at: None,
            }),
            input: Input::decode(Operation::AssumeRole, &params).expect("input"),
            web_identity: None,
            assumed_role,
            now,
            audit: None,
        }
    }

    fn ghost(max_session_duration: i64) -> Arc<RoleEntry> {
        Arc::new(RoleEntry {
            role: Role {
                account: ACCOUNT.into(),
                id: "AROAGHOST".into(),
                name: "ghost".into(),
                path: "/".into(),
                created: chrono::Utc::now(),
                assume_role_policy: "{}".into(),
                description: None,
                max_session_duration,
                permissions_boundary: None,
                last_used: None,
            },
            tags: Vec::new(),
        })
    }

    /// The session is issued from the role authorization handed over: this one is in no store,
    /// so a second lookup would have refused it.
    #[tokio::test]
    async fn assume_role_issues_from_the_role_authorization_found() {
        let out = assume_role(&ctx(Some(ghost(7200)))).expect("issued");
        let user = out.assumed_role_user.expect("assumed role user");
        assert_eq!(user.arn, "arn:aws:sts::123456789012:assumed-role/ghost/s");
        assert_eq!(user.assumed_role_id, "AROAGHOST:s");
        // Its MaxSessionDuration is the one read: an hour refuses the two asked for.
        let e = assume_role(&ctx(Some(ghost(3600)))).expect_err("refused");
        assert_eq!(e.code, "ValidationError");
        // Without the grant (a route that authorized otherwise) nothing is issued.
        let e = assume_role(&ctx(None)).expect_err("refused");
        assert_eq!(e.status, 500);
    }
}
