//! AssumeRoleWithWebIdentity against a local OIDC issuer the test itself plays: tokens signed
//! with the issuer's key (its JWKS given in the server's configuration) are accepted when the
//! trust policy's `:aud`/`:sub` conditions hold; forged, expired, mis-addressed and unknown
//! tokens are refused with STS's errors.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::json;

const ISSUER: &str = "https://issuer.portcullis.test";
const HOST: &str = "issuer.portcullis.test";

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/oidc")
        .join(name)
}

fn token(key_file: &str, claims: serde_json::Value) -> String {
    let der = std::fs::read(fixture(key_file)).unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("test-key-1".into());
    encode(&header, &claims, &EncodingKey::from_rsa_der(&der)).unwrap()
}

fn claims(sub: &str, aud: &str, exp_in: i64) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({"iss": ISSUER, "sub": sub, "aud": aud, "iat": now, "exp": now + exp_in})
}

#[tokio::test]
async fn tokens_of_a_configured_issuer_assume_roles_their_trust_policy_allows() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("p.toml");
    std::fs::write(
        &config,
        format!(
            "[oidc_jwks]\n\"{ISSUER}\" = \"{}\"\n\"https://nokeys.portcullis.test\" = \"{}\"\n",
            fixture("issuer-jwks.json").display(),
            fixture("issuer-jwks.json").display()
        ),
    )
    .unwrap();
    let s = Server::spawn(
        &[
            "dev",
            "--listen",
            "127.0.0.1:0",
            "--config",
            config.to_str().unwrap(),
        ],
        &[],
    );
    let iam = s.root_iam();
    let provider = iam
        .create_open_id_connect_provider()
        .url(ISSUER)
        .client_id_list("my-app")
        .send()
        .await
        .unwrap();
    let provider_arn = provider.open_id_connect_provider_arn().unwrap().to_string();
    assert_eq!(
        provider_arn,
        format!("arn:aws:iam::{DEV_ACCOUNT}:oidc-provider/{HOST}")
    );
    iam.create_role()
        .role_name("web")
        .assume_role_policy_document(
            json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow",
                "Principal": {"Federated": provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {
                    format!("{HOST}:aud"): "my-app",
                    format!("{HOST}:sub"): "user-1"
                }}
            }]})
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    iam.put_role_policy()
        .role_name("web")
        .policy_name("read")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}"#,
        )
        .send()
        .await
        .unwrap();
    let sts = s.root_sts();
    let assume = |t: String| {
        sts.assume_role_with_web_identity()
            .role_arn(format!("arn:aws:iam::{DEV_ACCOUNT}:role/web"))
            .role_session_name("web-session")
            .web_identity_token(t)
            .send()
    };

    let out = assume(token("issuer-rsa.der", claims("user-1", "my-app", 600)))
        .await
        .unwrap();
    assert_eq!(out.subject_from_web_identity_token(), Some("user-1"));
    assert_eq!(out.audience(), Some("my-app"));
    assert_eq!(out.provider(), Some(ISSUER));
    let c = out.credentials().unwrap();
    assert!(c.access_key_id().starts_with("ASIA"));
    let who = s.sts_session(c).get_caller_identity().send().await.unwrap();
    assert_eq!(
        who.arn(),
        Some(format!("arn:aws:sts::{DEV_ACCOUNT}:assumed-role/web/web-session").as_str())
    );
    s.iam_session(c).list_roles().send().await.unwrap();

    // Another subject: the trust policy's condition fails.
    let r = assume(token("issuer-rsa.der", claims("user-2", "my-app", 600))).await;
    assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    // Another audience than the provider's client ids.
    let r = assume(token("issuer-rsa.der", claims("user-1", "other-app", 600))).await;
    assert_eq!(err_message(r), "Incorrect token audience");
    // Signed with a key that is not the issuer's.
    let r = assume(token("other-rsa.der", claims("user-1", "my-app", 600))).await;
    assert_eq!(err_code(r), ("InvalidIdentityToken".into(), 400));
    // Expired.
    let r = assume(token("issuer-rsa.der", claims("user-1", "my-app", -60))).await;
    assert_eq!(err_code(r), ("ExpiredTokenException".into(), 400));
    // A tampered payload (another subject) under the original signature.
    let good = token("issuer-rsa.der", claims("user-2", "my-app", 600));
    let other = token("issuer-rsa.der", claims("user-1", "my-app", 600));
    let parts: Vec<&str> = good.split('.').collect();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        other.split('.').nth(1).unwrap(),
        parts[2]
    );
    let r = assume(forged).await;
    assert_eq!(err_code(r), ("InvalidIdentityToken".into(), 400));
    // Not a JWT at all.
    let r = assume("not-a-jwt-at-all".into()).await;
    assert_eq!(err_code(r), ("InvalidIdentityToken".into(), 400));
    // An issuer with no provider in the account.
    let mut foreign = claims("user-1", "my-app", 600);
    foreign["iss"] = json!("https://nokeys.portcullis.test");
    let r = assume(token("issuer-rsa.der", foreign)).await;
    assert_eq!(
        err_message(r),
        "No OpenIDConnect provider found in your account for https://nokeys.portcullis.test"
    );
}

#[tokio::test]
async fn an_issuer_without_configured_keys_cannot_be_verified() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_open_id_connect_provider()
        .url(ISSUER)
        .client_id_list("my-app")
        .send()
        .await
        .unwrap();
    iam.create_role()
        .role_name("web")
        .assume_role_policy_document(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Federated": format!("arn:aws:iam::{DEV_ACCOUNT}:oidc-provider/{HOST}")},
                "Action": "sts:AssumeRoleWithWebIdentity"}]})
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    let r = s
        .root_sts()
        .assume_role_with_web_identity()
        .role_arn(format!("arn:aws:iam::{DEV_ACCOUNT}:role/web"))
        .role_session_name("web-session")
        .web_identity_token(token("issuer-rsa.der", claims("user-1", "my-app", 600)))
        .send()
        .await;
    assert_eq!(err_code(r), ("IDPCommunicationError".into(), 400));
}
