//! AssumeRoleWithWebIdentity with the issuer's keys fetched over HTTPS: a local issuer the test
//! runs (TLS with its own CA, `/.well-known/openid-configuration` and a `jwks_uri`), key
//! rotation picked up on a new `kid`, junk `kid`s not refetched within the refresh interval,
//! and unreachable or silent issuers answered with IDPCommunicationError, never a hang.

use crate::common::{DEV_ACCOUNT, Server, err_code};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const ISSUER: &str = "https://fetched.portcullis.test";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/oidc")
            .join(name),
    )
    .unwrap()
}

/// The public JWK of a PKCS#1 RSA private key.
fn jwk(der_file: &str, kid: &str) -> serde_json::Value {
    use base64::Engine;
    use pkcs1::der::Decode;
    let der = fixture(der_file);
    let key = pkcs1::RsaPrivateKey::from_der(&der).unwrap();
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    json!({"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid,
           "n": b64(key.modulus.as_bytes()), "e": b64(key.public_exponent.as_bytes())})
}

fn token(issuer: &str, der_file: &str, kid: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.into());
    let claims =
        json!({"iss": issuer, "sub": "user-1", "aud": "my-app", "iat": now, "exp": now + 600});
    encode(
        &header,
        &claims,
        &EncodingKey::from_rsa_der(&fixture(der_file)),
    )
    .unwrap()
}

/// A local OIDC issuer over TLS; returns its URL, the CA file, the served JWKS (replaceable)
/// and a count of JWKS requests.
struct Issuer {
    url: String,
    ca_file: std::path::PathBuf,
    jwks: Arc<Mutex<String>>,
    jwks_requests: Arc<AtomicUsize>,
}

async fn issuer(dir: &std::path::Path) -> Issuer {
    let ca = crate::transport::TestCa::new("issuer CA");
    let (cert, key) = ca.sign(&["127.0.0.1"]);
    let ca_file = dir.join("issuer-ca.pem");
    std::fs::write(&ca_file, ca.cert.pem()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(portcullis::tls::provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let jwks = Arc::new(Mutex::new(String::new()));
    let jwks_requests = Arc::new(AtomicUsize::new(0));
    let (served, count, base) = (jwks.clone(), jwks_requests.clone(), url.clone());
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, served, count, base) = (
                acceptor.clone(),
                served.clone(),
                count.clone(),
                base.clone(),
            );
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        let body = match req.uri().path() {
                            "/.well-known/openid-configuration" => {
                                json!({"issuer": base, "jwks_uri": format!("{base}/keys")})
                                    .to_string()
                            }
                            _ => {
                                count.fetch_add(1, Ordering::SeqCst);
                                served.lock().unwrap().clone()
                            }
                        };
                        async move {
                            Ok::<_, std::convert::Infallible>(
                                hyper::Response::builder()
                                    .header("cache-control", "max-age=3600")
                                    .body(http_body_util::Full::new(bytes::Bytes::from(body)))
                                    .unwrap(),
                            )
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    Issuer {
        url,
        ca_file,
        jwks,
        jwks_requests,
    }
}

async fn provider_and_role(iam: &aws_sdk_iam::Client, url: &str, role: &str) -> String {
    let provider = iam
        .create_open_id_connect_provider()
        .url(url)
        .client_id_list("my-app")
        .send()
        .await
        .unwrap();
    let arn = provider.open_id_connect_provider_arn().unwrap().to_string();
    iam.create_role()
        .role_name(role)
        .assume_role_policy_document(
            json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Federated": arn},
                "Action": "sts:AssumeRoleWithWebIdentity"}]})
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    format!("arn:aws:iam::{DEV_ACCOUNT}:role/{role}")
}

async fn assume(
    s: &Server,
    role: &str,
    token: &str,
) -> Result<
    aws_sdk_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityOutput,
    aws_sdk_sts::error::SdkError<
        aws_sdk_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityError,
        aws_sdk_sts::config::http::HttpResponse,
    >,
> {
    s.root_sts()
        .assume_role_with_web_identity()
        .role_arn(role)
        .role_session_name("web")
        .web_identity_token(token)
        .send()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_fetched_over_https_and_rotation_is_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    let idp = issuer(dir.path()).await;
    *idp.jwks.lock().unwrap() = json!({"keys": [jwk("issuer-rsa.der", "k1")]}).to_string();
    // IAM takes provider URLs without a port: the issuer's name is mapped to the local server.
    let (s, _config) = Server::dev_with_config(&format!(
        "oidc_ca_file = \"{}\"\noidc_refresh_seconds = 1\n[oidc_discovery]\n\"{ISSUER}\" = \"{}\"\n",
        idp.ca_file.display(),
        idp.url
    ));
    let iam = s.root_iam();
    let role = provider_and_role(&iam, ISSUER, "web").await;

    assume(&s, &role, &token(ISSUER, "issuer-rsa.der", "k1"))
        .await
        .unwrap();
    assume(&s, &role, &token(ISSUER, "issuer-rsa.der", "k1"))
        .await
        .unwrap();
    assert_eq!(idp.jwks_requests.load(Ordering::SeqCst), 1, "cached");

    // A junk kid right away is refused without asking the issuer again.
    let junk = assume(&s, &role, &token(ISSUER, "other-rsa.der", "junk")).await;
    assert_eq!(err_code(junk).0, "InvalidIdentityToken");
    assert_eq!(idp.jwks_requests.load(Ordering::SeqCst), 1, "rate-limited");

    // The issuer rotates its key; a token with the new kid makes the server refetch.
    *idp.jwks.lock().unwrap() = json!({"keys": [jwk("other-rsa.der", "k2")]}).to_string();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assume(&s, &role, &token(ISSUER, "other-rsa.der", "k2"))
        .await
        .unwrap();
    assert_eq!(idp.jwks_requests.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_or_silent_issuers_are_an_idp_communication_error() {
    // Nothing listens on the first port; the second accepts connections and never answers.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_url = format!("https://{}", closed.local_addr().unwrap());
    drop(closed);
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("https://{}", silent.local_addr().unwrap());
    let (s, _config) = Server::dev_with_config(&format!(
        "[oidc_discovery]\n\"https://closed.portcullis.test\" = \"{closed_url}\"\n\"https://silent.portcullis.test\" = \"{silent_url}\"\n"
    ));
    let iam = s.root_iam();
    for (issuer, role) in [
        ("https://closed.portcullis.test", "closed"),
        ("https://silent.portcullis.test", "silent"),
    ] {
        let role = provider_and_role(&iam, issuer, role).await;
        let r = assume(&s, &role, &token(issuer, "issuer-rsa.der", "k1")).await;
        assert_eq!(err_code(r), ("IDPCommunicationError".to_string(), 400));
    }
    drop(silent);
}
