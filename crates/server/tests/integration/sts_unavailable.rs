//! STS operations whose feature this server does not offer: each answers the error AWS gives an
//! account without the feature, with AWS's code (the one the model names, so the SDK reads it as
//! the operation's modeled error), status and words.

use crate::common::{
    DEV_ACCOUNT, Server, err_code, err_message, role_credentials_of, user_with_key,
};
use crate::raw::{RawResponse, Signing, assert_error, send, signed_post};
use aws_sdk_sts::types::PolicyDescriptorType;

#[tokio::test]
async fn unavailable_features_answer_with_modeled_errors() {
    let s = Server::dev();
    let sts = s.root_sts();

    let root_task = PolicyDescriptorType::builder()
        .arn("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")
        .build();
    let call = || {
        sts.assume_root()
            .target_principal("111122223333")
            .task_policy_arn(root_task.clone())
            .send()
    };
    assert_eq!(err_code(call().await), ("AccessDenied".into(), 403));
    assert_eq!(
        err_message(call().await),
        "AssumeRoot is available only to the management account of an organization or its delegated administrator, and this account is not in an organization."
    );

    let call = || {
        sts.get_web_identity_token()
            .audience("https://example.com")
            .signing_algorithm("RS256")
            .send()
    };
    let e = call().await.expect_err("refused").into_service_error();
    assert!(
        e.is_outbound_web_identity_federation_disabled_exception(),
        "{e:?}"
    );
    assert_eq!(
        err_code(call().await),
        ("OutboundWebIdentityFederationDisabledException".into(), 403)
    );
    assert_eq!(
        err_message(call().await),
        "The outbound web identity federation feature is not enabled for this account."
    );

    let call = || {
        sts.get_delegated_access_token()
            .trade_in_token("token")
            .send()
    };
    let e = call().await.expect_err("refused").into_service_error();
    assert!(e.is_expired_trade_in_token_exception(), "{e:?}");
    assert_eq!(
        err_message(call().await),
        "The trade-in token provided in the request is not valid or has expired."
    );

    let call = || {
        sts.assume_role_with_saml()
            .role_arn(format!("arn:aws:iam::{DEV_ACCOUNT}:role/r"))
            .principal_arn(format!("arn:aws:iam::{DEV_ACCOUNT}:saml-provider/p"))
            .saml_assertion("PHNhbWw+PC9zYW1sPg==")
            .send()
    };
    let e = call().await.expect_err("refused").into_service_error();
    assert!(e.is_invalid_identity_token_exception(), "{e:?}");
    assert_eq!(
        err_message(call().await),
        "SAML assertions cannot be verified by this server; use AssumeRoleWithWebIdentity or AssumeRole."
    );
}

/// GetScopedCredentials (not in the SDK yet), signed with `signing`.
fn scoped(s: &Server, signing: &Signing<'_>) -> RawResponse {
    let body = b"Action=GetScopedCredentials&Version=2011-06-15";
    send(&s.addr, &signed_post(&s.addr, body, signing))
}

#[tokio::test]
async fn scoped_credentials_refuse_long_term_and_temporary_credentials_alike() {
    let s = Server::dev();
    let r = scoped(&s, &Signing::root("sts"));
    assert_error(&r, 400, "InvalidSubjectCredentials");
    assert!(
        r.body.contains(
            "<Message>GetScopedCredentials requires temporary security credentials.</Message>"
        ),
        "{}",
        r.body
    );

    // A role session allowed to call it is told the feature is not offered.
    let (key, secret) = user_with_key(&s.root_iam(), "alice").await;
    let statement = r#"{"Effect":"Allow","Action":"sts:GetScopedCredentials","Resource":"*"}"#;
    let c = role_credentials_of(&s, (&key, &secret), "alice", "r", statement).await;
    let token = [("x-amz-security-token", c.session_token())];
    let signing = Signing {
        key: c.access_key_id(),
        secret: c.secret_access_key(),
        extra_headers: &token,
        ..Signing::root("sts")
    };
    let r = scoped(&s, &signing);
    assert_error(&r, 400, "InvalidSubjectCredentials");
    assert!(
        r.body.contains("<Message>GetScopedCredentials is not supported by this server; use AssumeRole with a session policy instead.</Message>"),
        "{}",
        r.body
    );
}
