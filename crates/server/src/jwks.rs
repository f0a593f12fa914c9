//! OIDC issuers' signing keys, fetched over HTTPS for AssumeRoleWithWebIdentity when the
//! configuration names no JWKS file for the issuer: the issuer's
//! `/.well-known/openid-configuration` gives `jwks_uri`, whose key set is cached for as long as
//! its `Cache-Control: max-age` says (one hour when it says nothing, within a minute and a
//! day). A token whose `kid` the cached set lacks triggers one refresh per issuer at most every
//! `refresh` (`oidc_refresh_seconds`, 30 by default), so key rotation is picked up and junk tokens cannot make the server
//! hammer an issuer. Fetches are HTTPS only, bounded in time ([`FETCH_TIMEOUT`]) and size
//! ([`MAX_BYTES`]); only issuers registered as OIDC providers are ever asked.

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use portcullis_core::sts::web_identity::JwkSet;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The whole of one fetch (discovery and key set) must finish within this.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest discovery document or key set read.
pub const MAX_BYTES: usize = 256 * 1024;
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// Why an issuer's keys could not be had.
#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("{0} is not an https URL")]
    NotHttps(String),
    #[error("fetching {0} failed: {1}")]
    Fetch(String, String),
    #[error("fetching {0} took too long")]
    Timeout(String),
    #[error("{0} answered HTTP {1}")]
    Status(String, u16),
    #[error("{0} is not a valid document: {1}")]
    Invalid(String, String),
    #[error("the keys of {0} were fetched moments ago and failed; not asking again yet")]
    RecentlyFailed(String),
}

#[derive(Debug)]
struct Entry {
    keys: Option<Arc<JwkSet>>,
    fresh_until: Instant,
    fetched_at: Instant,
}

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

/// Fetched key sets by issuer.
#[derive(Debug)]
pub struct JwksCache {
    extra_ca: Option<PathBuf>,
    /// Least time between two fetches for one issuer (after a failure or an unknown `kid`).
    refresh: Duration,
    /// Issuer -> the base URL its discovery document is fetched from.
    discovery: std::collections::BTreeMap<String, String>,
    /// Built on first use (reading the CA files then).
    client: OnceLock<Result<Client<Https, Empty<Bytes>>, String>>,
    entries: Mutex<HashMap<String, Entry>>,
}

/// An HTTPS-only client trusting the system's CAs and, when given, those of `extra_ca` (PEM).
pub fn https_client(extra_ca: Option<&Path>) -> anyhow::Result<Client<Https, Empty<Bytes>>> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = extra_ca {
        crate::tls::add_pem_roots(&mut roots, path)?;
    }
    let tls = rustls::ClientConfig::builder_with_provider(crate::tls::provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| anyhow::anyhow!("TLS client: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_connect_timeout(Some(FETCH_TIMEOUT));
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_only()
        .enable_http1()
        .wrap_connector(http);
    Ok(Client::builder(TokioExecutor::new()).build(https))
}

impl JwksCache {
    pub fn new(
        extra_ca: Option<&Path>,
        refresh: Duration,
        discovery: std::collections::BTreeMap<String, String>,
    ) -> Self {
        JwksCache {
            extra_ca: extra_ca.map(Path::to_path_buf),
            refresh,
            discovery,
            client: OnceLock::new(),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The key set of `issuer` able to check a token signed with `kid`, fetched when not cached,
    /// expired, or missing `kid` (at most once per `refresh` (`oidc_refresh_seconds`, 30 by default)).
    pub async fn keys(&self, issuer: &str, kid: Option<&str>) -> Result<Arc<JwkSet>, JwksError> {
        let now = Instant::now();
        let cached = {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            entries
                .get(issuer)
                .map(|e| (e.keys.clone(), e.fresh_until, e.fetched_at))
        };
        if let Some((keys, fresh_until, fetched_at)) = cached {
            let recent = now.duration_since(fetched_at) < self.refresh;
            match keys {
                Some(k) if now < fresh_until && kid.is_none_or(|id| k.find(id).is_some()) => {
                    return Ok(k);
                }
                // An unknown kid (or an expired set) asked again too soon: answer from what we have.
                Some(k) if recent => return Ok(k),
                None if recent => return Err(JwksError::RecentlyFailed(issuer.to_string())),
                _ => {}
            }
        }
        let fetched = tokio::time::timeout(FETCH_TIMEOUT, self.fetch(issuer))
            .await
            .unwrap_or_else(|_| Err(JwksError::Timeout(issuer.to_string())));
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match fetched {
            Ok((keys, lifetime)) => {
                let keys = Arc::new(keys);
                entries.insert(
                    issuer.to_string(),
                    Entry {
                        keys: Some(keys.clone()),
                        fresh_until: now + lifetime,
                        fetched_at: now,
                    },
                );
                Ok(keys)
            }
            Err(e) => {
                // Keep serving an earlier set; remember the failure so it is not retried at once.
                let previous = entries.get(issuer).and_then(|e| e.keys.clone());
                entries.insert(
                    issuer.to_string(),
                    Entry {
                        keys: previous,
                        fresh_until: now,
                        fetched_at: now,
                    },
                );
                Err(e)
            }
        }
    }

    async fn fetch(&self, issuer: &str) -> Result<(JwkSet, Duration), JwksError> {
        let base = self.discovery.get(issuer).map_or(issuer, String::as_str);
        let discovery = format!(
            "{}/.well-known/openid-configuration",
            base.trim_end_matches('/')
        );
        let (body, _) = self.get(&discovery).await?;
        let doc: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| JwksError::Invalid(discovery.clone(), e.to_string()))?;
        let jwks_uri = doc
            .get("jwks_uri")
            .and_then(|v| v.as_str())
            .ok_or_else(|| JwksError::Invalid(discovery.clone(), "no jwks_uri".into()))?
            .to_string();
        let (body, lifetime) = self.get(&jwks_uri).await?;
        let keys: JwkSet = serde_json::from_slice(&body)
            .map_err(|e| JwksError::Invalid(jwks_uri.clone(), e.to_string()))?;
        Ok((keys, lifetime))
    }

    async fn get(&self, url: &str) -> Result<(Bytes, Duration), JwksError> {
        let uri: hyper::Uri = url
            .parse()
            .map_err(|_| JwksError::NotHttps(url.to_string()))?;
        if uri.scheme_str() != Some("https") {
            return Err(JwksError::NotHttps(url.to_string()));
        }
        let request = hyper::Request::get(uri)
            .header(hyper::header::USER_AGENT, "portcullis")
            .header(hyper::header::ACCEPT, "application/json")
            .body(Empty::new())
            .map_err(|e| JwksError::Fetch(url.to_string(), e.to_string()))?;
        let client = self
            .client
            .get_or_init(|| https_client(self.extra_ca.as_deref()).map_err(|e| format!("{e:#}")))
            .as_ref()
            .map_err(|e| JwksError::Fetch(url.to_string(), e.clone()))?;
        let response = client
            .request(request)
            .await
            .map_err(|e| JwksError::Fetch(url.to_string(), format!("{e:?}")))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(JwksError::Status(url.to_string(), status));
        }
        let lifetime = response
            .headers()
            .get(hyper::header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .and_then(max_age)
            .unwrap_or(DEFAULT_LIFETIME)
            .clamp(Duration::from_secs(60), Duration::from_secs(86_400));
        let body = Limited::new(response.into_body(), MAX_BYTES)
            .collect()
            .await
            .map_err(|e| JwksError::Fetch(url.to_string(), e.to_string()))?
            .to_bytes();
        Ok((body, lifetime))
    }
}

/// `max-age=N` of a Cache-Control header.
fn max_age(header: &str) -> Option<Duration> {
    header.split(',').find_map(|d| {
        let (name, value) = d.trim().split_once('=')?;
        if name.trim().eq_ignore_ascii_case("max-age") {
            value.trim().parse().ok().map(Duration::from_secs)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_max_age() {
        assert_eq!(
            max_age("public, max-age=600, must-revalidate"),
            Some(Duration::from_secs(600))
        );
        assert_eq!(max_age("no-cache"), None);
        assert_eq!(max_age("max-age=soon"), None);
    }
}
