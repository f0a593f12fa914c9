//! AssumeRoleWithWebIdentity: an unsigned request carrying an OIDC ID token. The token's issuer
//! must be an IAM OIDC provider of the role's account whose keys Portcullis has (configured
//! JWKS); the verified token, with an audience among the provider's client ids, is then the
//! caller of the role's trust policy.

use crate::authz::{WebIdentity, authorize_web_identity, find_role};
use crate::handlers::sts::{assumed_role, credentials, new_session, session_inputs};
use crate::handlers::{Ctx, store_failure};
use portcullis_core::arn;
use portcullis_core::session::SessionPrincipal;
use portcullis_core::sts::web_identity::{self, WebIdentityError};
use portcullis_proto::AwsError;
use portcullis_proto::input::AssumeRoleWithWebIdentityInput;
use portcullis_proto::output::AssumeRoleWithWebIdentityOutput;

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::new("InvalidIdentityToken", 400, message)
}

fn token_error(e: WebIdentityError) -> AwsError {
    match e {
        WebIdentityError::Expired => AwsError::new("ExpiredTokenException", 400, e.to_string()),
        other => invalid(other.to_string()),
    }
}

pub fn assume_role_with_web_identity(
    ctx: &Ctx,
) -> Result<AssumeRoleWithWebIdentityOutput, AwsError> {
    let input: &AssumeRoleWithWebIdentityInput = ctx.input()?;
    let role_arn = input.role_arn.as_str();
    let token = input.web_identity_token.expose();
    let session_name = input.role_session_name.clone();
    let denied =
        || AwsError::access_denied("Not authorized to perform sts:AssumeRoleWithWebIdentity");
    // The token is verified against the providers of the account the ARN names before the
    // role is looked up, so an anonymous caller cannot tell a missing role from a refused one.
    let [_, _, _, account, _] = crate::authz::split_arn(role_arn)?;
    let iss = web_identity::unverified_issuer(token).map_err(token_error)?;
    let url = iss.strip_prefix("https://").unwrap_or(&iss).to_string();
    let provider_arn = arn::oidc_provider(account, &url);
    let provider = ctx
        .app
        .store
        .get_oidc_provider(account, &provider_arn)
        .map_err(store_failure)?
        .ok_or_else(|| {
            invalid(format!(
                "No OpenIDConnect provider found in your account for {iss}"
            ))
        })?;
    // Configured keys win; otherwise the issuer's published keys, fetched over HTTPS.
    let fetched;
    let keys = match ctx.app.settings.oidc_jwks.get(&iss) {
        Some(keys) => keys,
        None => {
            fetched = fetch_keys(ctx, &iss, token)?;
            &*fetched
        }
    };
    let claims = web_identity::verify(
        token,
        keys,
        &provider.issuer(),
        &provider.client_ids,
        ctx.now.timestamp(),
    )
    .map_err(token_error)?;
    let audience = claims
        .audiences()
        .into_iter()
        .find(|a| provider.client_ids.contains(a))
        .unwrap_or_default();
    let entry = find_role(&ctx.app, role_arn)?.ok_or_else(denied)?;
    let role = &entry.role;
    let subject = claims.sub.clone().unwrap_or_default();
    let (tags, transitive) = claims.session_tags();
    authorize_web_identity(
        &ctx.app,
        &entry,
        &WebIdentity {
            provider_arn: &provider_arn,
            provider_url: &url,
            audience: &audience,
            subject: &subject,
            amr: claims.amr(),
            session_name: &session_name,
            tag_keys: tags.iter().map(|(k, _)| k.clone()).collect(),
            tags: &tags,
            now: ctx.now,
        },
    )?;

    let seconds = input.duration_seconds.unwrap_or(3600);
    if seconds > role.max_session_duration {
        return Err(AwsError::validation(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ));
    }
    // The operation has no `Tags` member: session tags come from the token only.
    let passed = (input.policy.as_ref(), input.policy_arns.as_deref(), None);
    let inputs = session_inputs(ctx, &role.account, passed)?;
    let mut session = new_session(
        ctx,
        SessionPrincipal::Role {
            id: role.id.clone(),
            name: role.name.clone(),
            path: role.path.clone(),
            session: session_name.clone(),
        },
        &role.account,
        seconds,
    );
    let passed_policy = inputs.policy.is_some() || !inputs.policy_arns.is_empty();
    session.policy = inputs.policy;
    session.policy_arns = inputs.policy_arns;
    session.tags = tags;
    session.transitive_tag_keys = transitive;
    session.source_identity = claims.source_identity.clone();
    session.federated_provider = Some(provider_arn.clone());

    Ok(AssumeRoleWithWebIdentityOutput {
        credentials: Some(credentials(ctx, session)),
        subject_from_web_identity_token: Some(subject),
        // An unsigned request names no region: the global endpoint's.
        assumed_role_user: Some(assumed_role(ctx, role, session_name, "us-east-1")),
        packed_policy_size: passed_policy.then_some(inputs.packed_percent as i64),
        provider: Some(iss),
        audience: Some(audience),
        source_identity: claims.source_identity.clone(),
        ..Default::default()
    })
}

/// The issuer's key set from its `jwks_uri` (cached), or IDPCommunicationError. The fetch is
/// awaited on this worker thread, handed over to the runtime's other workers meanwhile.
fn fetch_keys(
    ctx: &Ctx,
    issuer: &str,
    token: &str,
) -> Result<std::sync::Arc<web_identity::JwkSet>, AwsError> {
    let unreachable = || {
        AwsError::new(
            "IDPCommunicationError",
            400,
            "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
        )
    };
    let kid = web_identity::key_id(token);
    let handle = tokio::runtime::Handle::try_current().map_err(|_| unreachable())?;
    if handle.runtime_flavor() != tokio::runtime::RuntimeFlavor::MultiThread {
        return Err(unreachable());
    }
    let fetched =
        tokio::task::block_in_place(|| handle.block_on(ctx.app.jwks.keys(issuer, kid.as_deref())));
    fetched.map_err(|e| {
        tracing::warn!(issuer, error = %e, "fetching the issuer's keys failed");
        unreachable()
    })
}
