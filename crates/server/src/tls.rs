//! TLS for `serve`: a certificate chain and private key read from PEM files (rustls, TLS 1.2
//! and 1.3 with rustls's safe defaults), reloaded when the files change so renewals need no
//! restart, optional client certificates checked against a CA (mTLS), and a self-signed
//! certificate generated on first start when none is configured, so the server is never
//! reachable in clear by default.

use anyhow::{Context, Result, bail};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// Where the certificate, key and optional client CA come from.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
    /// Client certificates must chain to this CA when set.
    pub client_ca: Option<PathBuf>,
}

/// The current TLS configuration, replaced when its files change.
#[derive(Debug)]
pub struct TlsSource {
    files: TlsFiles,
    config: RwLock<Arc<ServerConfig>>,
    stamp: RwLock<Vec<Option<SystemTime>>>,
}

#[expect(
    deprecated,
    reason = "ring builds without cmake; its provider lacks only post-quantum key exchange"
)]
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn load(files: &TlsFiles) -> Result<ServerConfig> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .with_context(|| format!("reading TLS certificates from {}", files.cert.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("TLS certificates in {}", files.cert.display()))?;
    if certs.is_empty() {
        bail!("{} holds no PEM certificate", files.cert.display());
    }
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .with_context(|| format!("reading the TLS private key from {}", files.key.display()))?;
    let builder = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?;
    let builder = match &files.client_ca {
        None => builder.with_no_client_auth(),
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            add_pem_roots(&mut roots, ca)?;
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider(),
            )
            .build()
            .context("the client certificate verifier")?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let mut config = builder
        .with_single_cert(certs, key)
        .context("the TLS certificate and key do not fit together")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Adds every certificate of a PEM file to `roots` (a client CA, or extra CAs to trust).
pub fn add_pem_roots(roots: &mut rustls::RootCertStore, path: &Path) -> Result<()> {
    for cert in CertificateDer::pem_file_iter(path)
        .with_context(|| format!("reading CA certificates from {}", path.display()))?
    {
        roots
            .add(cert.with_context(|| format!("the CA certificates in {}", path.display()))?)
            .with_context(|| format!("the CA certificates in {}", path.display()))?;
    }
    Ok(())
}

fn stamps(files: &TlsFiles) -> Vec<Option<SystemTime>> {
    [
        Some(&files.cert),
        Some(&files.key),
        files.client_ca.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
    .collect()
}

impl TlsSource {
    pub fn open(files: TlsFiles) -> Result<Arc<Self>> {
        let config = load(&files)?;
        let stamp = stamps(&files);
        Ok(Arc::new(TlsSource {
            files,
            config: RwLock::new(Arc::new(config)),
            stamp: RwLock::new(stamp),
        }))
    }

    /// The configuration new connections use.
    pub fn current(&self) -> Arc<ServerConfig> {
        self.config
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Reloads when any file changed since the last load; a broken new file keeps the old
    /// configuration in service (and is logged).
    pub fn reload_if_changed(&self) {
        let now = stamps(&self.files);
        if *self.stamp.read().unwrap_or_else(|e| e.into_inner()) == now {
            return;
        }
        match load(&self.files) {
            Ok(config) => {
                *self.config.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(config);
                *self.stamp.write().unwrap_or_else(|e| e.into_inner()) = now;
                tracing::info!(cert = %self.files.cert.display(), "TLS certificate reloaded");
            }
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "TLS files changed but cannot be loaded; keeping the previous certificate");
            }
        }
    }

    /// Checks the files every `every` for as long as the runtime runs.
    pub fn watch(self: &Arc<Self>, every: Duration) {
        let me = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                let Some(source) = me.upgrade() else { return };
                tokio::task::spawn_blocking(move || source.reload_if_changed())
                    .await
                    .unwrap_or_default();
            }
        });
    }
}

/// SHA-256 fingerprint of the first certificate of a PEM file, as `AB:CD:...`.
pub fn fingerprint(cert: &Path) -> Result<String> {
    let der = CertificateDer::from_pem_file(cert)
        .with_context(|| format!("reading {}", cert.display()))?;
    Ok(Sha256::digest(der.as_ref())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":"))
}

/// A self-signed certificate for `names` (DNS names or IP addresses), written with its key
/// (mode 0600) as `cert.pem` and `key.pem` under `dir`, unless both are there already.
pub fn ensure_self_signed(dir: &Path, names: &[String]) -> Result<TlsFiles> {
    let files = TlsFiles {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
        client_ca: None,
    };
    if files.cert.exists() && files.key.exists() {
        return Ok(files);
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let key = rcgen::KeyPair::generate().context("generating a TLS key")?;
    let mut params =
        rcgen::CertificateParams::new(names.to_vec()).context("self-signed certificate names")?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Portcullis (self-signed)");
    let cert = params
        .self_signed(&key)
        .context("signing the self-signed certificate")?;
    crate::bootstrap::write_private(&files.key, &key.serialize_pem())?;
    std::fs::write(&files.cert, cert.pem())
        .with_context(|| format!("writing {}", files.cert.display()))?;
    Ok(files)
}
