//! The connection level: TLS in `serve` (the AWS SDK over TLS with a test CA, certificate
//! reload, the self-signed default, plain HTTP refused off loopback, `aws:SecureTransport`)
//! and limits a client cannot get around (slow headers, idle connections, the connection cap,
//! unsigned bodies, malformed chunked bodies).

use crate::common::{DEV_KEY, DEV_SECRET, Server, bin, user_with_key};
use crate::raw::send;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

/// A test CA and a server certificate it signed for 127.0.0.1 and localhost, as PEM files.
struct TestPki {
    ca_pem: String,
    cert: std::path::PathBuf,
    key: std::path::PathBuf,
}

/// A test certificate authority and its key.
pub(crate) struct TestCa {
    pub cert: rcgen::Certificate,
    key: rcgen::KeyPair,
}

impl TestCa {
    pub fn new(name: &str) -> TestCa {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        let cert = params.self_signed(&key).unwrap();
        TestCa { cert, key }
    }

    /// A certificate for `names` signed by this CA, and its key.
    pub fn sign(&self, names: &[&str]) -> (rcgen::Certificate, rcgen::KeyPair) {
        let key = rcgen::KeyPair::generate().unwrap();
        let names = names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let cert = rcgen::CertificateParams::new(names)
            .unwrap()
            .signed_by(&key, &self.cert, &self.key)
            .unwrap();
        (cert, key)
    }
}

fn issue(dir: &Path, tag: &str) -> TestPki {
    let ca = TestCa::new(&format!("test CA {tag}"));
    let (cert, key) = ca.sign(&["127.0.0.1", "localhost"]);
    let pki = TestPki {
        ca_pem: ca.cert.pem(),
        cert: dir.join(format!("cert-{tag}.pem")),
        key: dir.join(format!("key-{tag}.pem")),
    };
    std::fs::write(&pki.cert, cert.pem()).unwrap();
    std::fs::write(&pki.key, key.serialize_pem()).unwrap();
    pki
}

fn https_client(ca_pem: &str) -> aws_sdk_iam::config::SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .tls_context(
            TlsContext::builder()
                .with_trust_store(TrustStore::empty().with_pem_certificate(ca_pem.as_bytes()))
                .build()
                .unwrap(),
        )
        .build_https()
}

fn iam_over_tls(addr: &str, ca_pem: &str, key: &str, secret: &str) -> aws_sdk_iam::Client {
    let creds = aws_sdk_iam::config::Credentials::new(key, secret, None, None, "test");
    let conf = aws_sdk_iam::Config::builder()
        .behavior_version(aws_sdk_iam::config::BehaviorVersion::latest())
        .region(aws_sdk_iam::config::Region::new("us-east-1"))
        .endpoint_url(format!("https://{addr}"))
        .credentials_provider(creds)
        .http_client(https_client(ca_pem))
        .build();
    aws_sdk_iam::Client::from_conf(conf)
}

#[tokio::test]
async fn serve_speaks_tls_reloads_its_certificate_and_sets_secure_transport() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let (key, secret) = crate::lifecycle::init_root_key(&data);
    let first = issue(dir.path(), "one");
    let cert = dir.path().join("cert.pem");
    let tls_key = dir.path().join("key.pem");
    std::fs::copy(&first.cert, &cert).unwrap();
    std::fs::copy(&first.key, &tls_key).unwrap();
    let s = Server::spawn(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().unwrap(),
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            tls_key.to_str().unwrap(),
        ],
        &[],
    );
    let root = iam_over_tls(&s.addr, &first.ca_pem, &key, &secret);
    root.list_users().send().await.unwrap();

    // aws:SecureTransport is true over TLS.
    let (ak, sk) = user_with_key(&root, "alice").await;
    root.put_user_policy()
        .user_name("alice")
        .policy_name("tls-only")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#,
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    iam_over_tls(&s.addr, &first.ca_pem, &ak, &sk)
        .list_users()
        .send()
        .await
        .unwrap();

    // Plain HTTP to the TLS port gets no answer a client could take for IAM's.
    let plain = send(
        &s.addr,
        b"GET /_portcullis/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert_ne!(plain.status, 200);

    // A renewed certificate (from another CA) is served without a restart.
    let second = issue(dir.path(), "two");
    std::fs::copy(&second.key, &tls_key).unwrap();
    std::fs::copy(&second.cert, &cert).unwrap();
    let renewed = iam_over_tls(&s.addr, &second.ca_pem, &key, &secret);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if renewed.list_users().send().await.is_ok() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new certificate was never served"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        iam_over_tls(&s.addr, &first.ca_pem, &key, &secret)
            .list_users()
            .send()
            .await
            .is_err(),
        "the old certificate is no longer served"
    );
}

#[tokio::test]
async fn plain_http_is_denied_by_a_secure_transport_condition() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = user_with_key(&root, "alice").await;
    root.put_user_policy()
        .user_name("alice")
        .policy_name("tls-only")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#,
        )
        .send()
        .await
        .unwrap();
    let r = s.iam(&ak, &sk).list_users().send().await;
    assert_eq!(crate::common::err_code(r).0, "AccessDenied");
}

#[tokio::test]
async fn serve_makes_a_self_signed_certificate_and_refuses_plain_http_off_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let (key, secret) = crate::lifecycle::init_root_key(&data);
    let s = Server::spawn(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().unwrap(),
        ],
        &[],
    );
    let made = data.join("tls/cert.pem");
    let pem = std::fs::read_to_string(&made).unwrap();
    assert!(
        s.log.lock().unwrap().contains("sha256="),
        "the fingerprint is logged"
    );
    iam_over_tls(&s.addr, &pem, &key, &secret)
        .list_users()
        .send()
        .await
        .unwrap();
    let key_mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(data.join("tls/key.pem"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(key_mode & 0o777, 0o600);

    let refused = std::process::Command::new(bin())
        .args([
            "serve",
            "--no-tls",
            "--listen",
            "0.0.0.0:0",
            "--data-dir",
            data.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("plain HTTP is refused"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

/// Whether the server closed `stream`: EOF or a reset within the read timeout.
fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 512];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                return false;
            }
            Err(_) => return true,
        }
    }
}

#[tokio::test]
async fn slow_and_idle_connections_are_cut_off_while_others_are_served() {
    let (s, _dir) =
        Server::dev_with_config("header_timeout_seconds = 1\nidle_timeout_seconds = 2\n");
    // Hundreds of clients that never finish their request heads, and some that say nothing.
    let mut slow: Vec<TcpStream> = (0..300)
        .map(|i| {
            let mut c = TcpStream::connect(&s.addr).unwrap();
            if i % 2 == 0 {
                c.write_all(b"POST / HTTP/1.1\r\nhost: x\r\nx-slow: ")
                    .unwrap();
            }
            c
        })
        .collect();
    // Others are served meanwhile.
    s.root_iam().list_users().send().await.unwrap();
    for c in &mut slow {
        c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    }
    let open = slow
        .iter_mut()
        .map(closed_by_server)
        .filter(|closed| !closed)
        .count();
    assert_eq!(open, 0, "every slow or idle connection is closed");
    s.root_iam().list_users().send().await.unwrap();
}

#[tokio::test]
async fn connections_over_the_cap_get_a_retryable_503() {
    let (s, _dir) = Server::dev_with_config("max_connections = 3\nidle_timeout_seconds = 30\n");
    let held: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(&s.addr).unwrap())
        .collect();
    // The held connections are accepted before the next one arrives.
    std::thread::sleep(Duration::from_millis(300));
    let over = send(
        &s.addr,
        b"GET /_portcullis/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert_eq!(over.status, 503, "{over:?}");
    assert!(over.body.contains("<Code>ServiceUnavailable</Code>"));
    drop(held);
    // Slots come back when connections end.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = send(
            &s.addr,
            b"GET /_portcullis/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
        );
        if r.status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "slots never came back: {r:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test]
async fn unsigned_bodies_are_capped_and_bad_chunked_bodies_are_a_400() {
    let s = Server::dev();
    let big = "a".repeat(600 * 1024);
    let unsigned = send(
        &s.addr,
        format!(
            "POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{big}",
            big.len()
        )
        .as_bytes(),
    );
    crate::raw::assert_error(&unsigned, 413, "RequestEntityTooLarge");
    let chunked = send(
        &s.addr,
        b"POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\nzz\r\nAction=ListUsers\r\n0\r\n\r\n",
    );
    assert_eq!(chunked.status, 400, "{chunked:?}");
    // A signed request of the same size is read (and answered on its merits).
    let body = format!("Action=ListUsers&Version=2010-05-08&Pad={big}");
    let signed = send(
        &s.addr,
        &crate::raw::signed_post(
            &s.addr,
            body.as_bytes(),
            &crate::raw::Signing {
                key: DEV_KEY,
                secret: DEV_SECRET,
                ..crate::raw::Signing::root("iam")
            },
        ),
    );
    assert_eq!(signed.status, 200, "{}", signed.body);
}

/// `GET /_portcullis/health` over TLS trusting `ca_pem`, with a client certificate when given;
/// the status code, or `None` when the handshake or the exchange failed.
async fn health_over_tls(addr: &str, ca_pem: &str, client: Option<(&str, &str)>) -> Option<u16> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.ok()?).ok()?;
    }
    let builder = rustls::ClientConfig::builder_with_provider(portcullis::tls::provider())
        .with_safe_default_protocol_versions()
        .ok()?
        .with_root_certificates(roots);
    let config = match client {
        None => builder.with_no_client_auth(),
        Some((cert, key)) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from_pem_slice(cert.as_bytes()).ok()?],
                PrivateKeyDer::from_pem_slice(key.as_bytes()).ok()?,
            )
            .ok()?,
    };
    let tcp = tokio::net::TcpStream::connect(addr).await.ok()?;
    let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
    let name = ServerName::try_from("127.0.0.1").ok()?;
    let mut tls = connector.connect(name, tcp).await.ok()?;
    tls.write_all(b"GET /_portcullis/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .ok()?;
    let mut out = Vec::new();
    tls.read_to_end(&mut out).await.ok()?;
    let text = String::from_utf8_lossy(&out);
    text.split(' ').nth(1)?.parse().ok()
}

#[tokio::test]
async fn mutual_tls_requires_a_client_certificate_from_the_ca() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    crate::lifecycle::init_root_key(&data);
    let server = issue(dir.path(), "server");
    // The client CA and a client certificate it signed.
    let client_ca = TestCa::new("client CA");
    let (client_cert, client_key) = client_ca.sign(&["operator"]);
    let ca_file = dir.path().join("clients.pem");
    std::fs::write(&ca_file, client_ca.cert.pem()).unwrap();
    let s = Server::spawn(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().unwrap(),
            "--tls-cert",
            server.cert.to_str().unwrap(),
            "--tls-key",
            server.key.to_str().unwrap(),
            "--tls-client-ca",
            ca_file.to_str().unwrap(),
        ],
        &[],
    );
    let with_cert = health_over_tls(
        &s.addr,
        &server.ca_pem,
        Some((&client_cert.pem(), &client_key.serialize_pem())),
    )
    .await;
    assert_eq!(with_cert, Some(200));
    assert_eq!(health_over_tls(&s.addr, &server.ca_pem, None).await, None);
    // A certificate from another CA is refused too.
    let other = issue(dir.path(), "other");
    let other_cert = std::fs::read_to_string(&other.cert).unwrap();
    let other_key = std::fs::read_to_string(&other.key).unwrap();
    assert_eq!(
        health_over_tls(&s.addr, &server.ca_pem, Some((&other_cert, &other_key))).await,
        None
    );
}
