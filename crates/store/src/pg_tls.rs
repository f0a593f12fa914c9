//! TLS to PostgreSQL, with rustls: the URL's `sslmode` and `sslrootcert` read as libpq reads
//! them. `disable` never encrypts; `prefer` (the default) encrypts when the server offers TLS,
//! else falls back to plain text; `require` insists on TLS without checking the certificate
//! (it defeats eavesdropping, not an impostor); `verify-ca` also checks that the certificate
//! chains to a trusted root; `verify-full` also checks that it names the host. The roots are
//! `sslrootcert`'s PEM file, or the system's (`sslrootcert=system`, or none given). The
//! `postgres` client reads only the first three modes, so the URL is read here first and handed
//! on with `sslmode` in its terms. [`Target`] says what a URL gives, for the server's refusal of
//! plain text to a remote host.

use portcullis_core::{StoreError, StoreResult};
use postgres::config::Host;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ClientConfig, WebPkiServerVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, RootCertStore, SignatureScheme};
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// How a URL asks to protect the connection (`sslmode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// What a database URL gives: the protection asked for, and whether every host is this machine
/// (a loopback address, `localhost` or a Unix socket).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub ssl_mode: SslMode,
    pub local: bool,
}

impl Target {
    /// Whether the connection is always encrypted (`require` or stronger).
    pub fn encrypted(&self) -> bool {
        matches!(
            self.ssl_mode,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull
        )
    }
}

/// The TLS connector for the `postgres` client.
pub(crate) type Tls = MakeRustlsConnect;

fn invalid(what: String) -> StoreError {
    StoreError::Backend(format!("invalid database URL: {what}"))
}

/// Reads `url`: the client's configuration, its TLS connector and what it targets.
pub(crate) fn parse(url: &str) -> StoreResult<(postgres::Config, Tls, Target)> {
    let (config, target, root_file) = read(url)?;
    let tls = MakeRustlsConnect::new(client_config(target.ssl_mode, root_file.as_deref())?);
    Ok((config, tls, target))
}

/// Reads `url`: the client's configuration, what it targets, and `sslrootcert`.
fn read(url: &str) -> StoreResult<(postgres::Config, Target, Option<String>)> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let (mut mode, mut root_file) = (SslMode::Prefer, None);
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .map_err(|_| invalid(format!("{key} is not UTF-8")))?;
        match key {
            "sslmode" => {
                mode = match value.as_ref() {
                    "disable" => SslMode::Disable,
                    "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" => SslMode::VerifyCa,
                    "verify-full" => SslMode::VerifyFull,
                    other => return Err(invalid(format!("unknown sslmode {other:?}"))),
                }
            }
            "sslrootcert" if value != "system" => root_file = Some(value.into_owned()),
            "sslrootcert" => root_file = None,
            _ => rest.push(pair),
        }
    }
    rest.push(match mode {
        SslMode::Disable => "sslmode=disable",
        SslMode::Prefer => "sslmode=prefer",
        _ => "sslmode=require",
    });
    let config: postgres::Config = format!("{base}?{}", rest.join("&"))
        .parse()
        .map_err(|e| invalid(format!("{e}")))?;
    // `hostaddr`, when given, is where the client connects (the host names only name it).
    let local = if config.get_hostaddrs().is_empty() {
        config.get_hosts().iter().all(|h| match h {
            Host::Tcp(name) => is_loopback(name),
            Host::Unix(_) => true,
        })
    } else {
        config.get_hostaddrs().iter().all(|a| a.is_loopback())
    };
    let target = Target {
        ssl_mode: mode,
        local,
    };
    Ok((config, target, root_file))
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|a| a.is_loopback())
}

/// The trusted roots: `file`'s PEM certificates, or the system's.
fn roots(file: Option<&str>) -> StoreResult<RootCertStore> {
    let mut roots = RootCertStore::empty();
    match file {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| invalid(format!("sslrootcert {path}: {e}")))?;
            roots.add_parsable_certificates(certs);
        }
        None => {
            roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        }
    }
    if roots.is_empty() {
        return Err(invalid("no trusted root certificate for sslmode".into()));
    }
    Ok(roots)
}

#[expect(
    deprecated,
    reason = "ring builds without cmake, as for the server's own TLS; it lacks only post-quantum key exchange"
)]
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn client_config(mode: SslMode, root_file: Option<&str>) -> StoreResult<ClientConfig> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Backend(format!("TLS: {e}")))?;
    let verifier: Arc<dyn ServerCertVerifier> = match mode {
        SslMode::Disable | SslMode::Prefer | SslMode::Require => Arc::new(Unverified(provider)),
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let webpki =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots(root_file)?), provider)
                    .build()
                    .map_err(|e| StoreError::Backend(format!("TLS: {e}")))?;
            if mode == SslMode::VerifyCa {
                Arc::new(AnyName(webpki))
            } else {
                webpki
            }
        }
    };
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// `prefer` and `require`: any certificate (the handshake's signatures are still checked).
#[derive(Debug)]
struct Unverified(Arc<CryptoProvider>);

impl Unverified {
    fn algorithms(&self) -> &WebPkiSupportedAlgorithms {
        &self.0.signature_verification_algorithms
    }
}

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, self.algorithms())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, self.algorithms())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms().supported_schemes()
    }
}

/// `verify-ca`: the chain must reach a trusted root; the name the certificate gives is not
/// checked.
#[derive(Debug)]
struct AnyName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        match self
            .0
            .verify_server_cert(end, intermediates, name, ocsp, now)
        {
            Err(Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// What `url` targets and asks for, without connecting (or reading its files).
pub fn target(url: &str) -> StoreResult<Target> {
    read(url).map(|(_, t, _)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_is_read_as_libpq_reads_it_and_handed_on() {
        let (c, _, t) = parse("postgres://u@db.example:5432/x?sslmode=require").unwrap();
        assert_eq!(
            (t.ssl_mode, t.local, t.encrypted()),
            (SslMode::Require, false, true)
        );
        assert_eq!(c.get_ssl_mode(), postgres::config::SslMode::Require);
        let (c, _, t) = parse("postgres://u@127.0.0.1/x?application_name=a").unwrap();
        assert_eq!(
            (t.ssl_mode, t.local, t.encrypted()),
            (SslMode::Prefer, true, false)
        );
        assert_eq!(c.get_ssl_mode(), postgres::config::SslMode::Prefer);
        assert_eq!(c.get_application_name(), Some("a"));
        let (_, _, t) = parse("postgres://u@localhost/x?sslmode=disable").unwrap();
        assert_eq!((t.ssl_mode, t.local), (SslMode::Disable, true));
        let (_, _, t) = parse("postgres://u@[::1]:5432/x").unwrap();
        assert!(t.local);
        assert!(!target("postgres://u@10.0.0.5/x").unwrap().local);
        assert!(!target("postgres://u@localhost,db.example/x").unwrap().local);
        assert!(
            target("postgres://u@db.example/x?hostaddr=127.0.0.1")
                .unwrap()
                .local
        );
        assert!(parse("postgres://u@h/x?sslmode=sometimes").is_err());
        assert!(parse("postgres://u@h/x?sslmode=verify-ca&sslrootcert=/no/such.pem").is_err());
    }

    #[test]
    fn a_root_file_without_certificates_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let not_pem = dir.path().join("empty.pem");
        std::fs::write(&not_pem, "nothing here\n").unwrap();
        let url = format!(
            "postgres://u@db.example/x?sslmode=verify-full&sslrootcert={}",
            not_pem.display()
        );
        let err = parse(&url).err().unwrap();
        assert!(err.to_string().contains("no trusted root"), "{err}");
    }

    /// The test cluster speaks TLS with a throw-away CA (`PG_TEST_CA`, from `scripts/pg.sh`):
    /// `verify-full` connects and the session is encrypted; a name the certificate does not give
    /// is refused by `verify-full` and accepted by `verify-ca`.
    #[test]
    fn verify_full_connects_to_the_test_cluster_over_tls() {
        let (Some(url), Ok(ca)) = (crate::testing::database_url(), std::env::var("PG_TEST_CA"))
        else {
            eprintln!("PG_TEST_CA is not set: skipping the TLS connection");
            return;
        };
        let schema = crate::testing::TestSchema::create(&url).unwrap();
        let with = |mode: &str| {
            schema.url.replace(
                "sslmode=disable",
                &format!("sslmode={mode}&sslrootcert={ca}"),
            )
        };
        let store = crate::PgStore::open(&with("verify-full")).unwrap();
        let encrypted = store
            .read(|c| {
                crate::engine::count(
                    c,
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl",
                    &[],
                )
            })
            .unwrap();
        assert_eq!(encrypted, 1, "the session is not encrypted");
        // Another name for the same address: the certificate does not give it.
        let renamed = |mode: &str| {
            with(mode).replacen("@127.0.0.1:", "@pg.invalid:", 1) + "&hostaddr=127.0.0.1"
        };
        let err = crate::PgStore::open(&renamed("verify-full")).err().unwrap();
        assert!(err.to_string().contains("connecting"), "{err}");
        crate::PgStore::open(&renamed("verify-ca")).unwrap();
    }
}
