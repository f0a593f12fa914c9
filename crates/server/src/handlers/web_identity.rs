//! AssumeRoleWithWebIdentity: an unsigned request carrying an OIDC ID token, which
//! authorization has verified and decided against the role's trust policy
//! (`authz::web_identity`); the handler issues the session from what it verified.

use crate::authz::WebIdentityGrant;
use crate::handlers::sts::{assumed_role, credentials, role_session, session_inputs};
use crate::handlers::{Ctx, sts_error};
use portcullis_core::sts::duration;
use portcullis_proto::AwsError;
use portcullis_proto::input::AssumeRoleWithWebIdentityInput;
use portcullis_proto::output::AssumeRoleWithWebIdentityOutput;

pub fn assume_role_with_web_identity(
    ctx: &Ctx,
) -> Result<AssumeRoleWithWebIdentityOutput, AwsError> {
    let input: &AssumeRoleWithWebIdentityInput = ctx.input()?;
    // Authorization hands the grant to every request its route sends here.
    let grant: &WebIdentityGrant = ctx.web_identity.as_ref().ok_or_else(AwsError::internal)?;
    let role = &grant.role.role;
    let session_name = input.role_session_name.clone();
    // Authorization's token is the caller: never a role session, so never role chaining.
    let seconds = duration::role_session(input.duration_seconds, role.max_session_duration, false)
        .map_err(sts_error)?;
    // The operation has no `Tags` member: session tags come from the token only.
    let passed = (input.policy.as_ref(), input.policy_arns.as_deref(), None);
    let inputs = session_inputs(ctx, &role.account, passed)?;
    let mut session = role_session(ctx, role, &session_name, seconds);
    let passed_policy = inputs.policy.is_some() || !inputs.policy_arns.is_empty();
    session.policy = inputs.policy;
    session.policy_arns = inputs.policy_arns;
    session.tags = grant.tags.clone();
    session.transitive_tag_keys = grant.transitive_tag_keys.clone();
    session.source_identity = grant.source_identity.clone();
    session.federated_provider = Some(grant.provider_arn.clone());

    Ok(AssumeRoleWithWebIdentityOutput {
        credentials: Some(credentials(ctx, session)),
        subject_from_web_identity_token: Some(grant.subject.clone()),
        // An unsigned request names no region: the global endpoint's.
        assumed_role_user: Some(assumed_role(ctx, role, session_name, "us-east-1")),
        packed_policy_size: passed_policy.then_some(inputs.packed_percent as i64),
        provider: Some(grant.issuer.clone()),
        audience: Some(grant.audience.clone()),
        source_identity: grant.source_identity.clone(),
        ..Default::default()
    })
}
