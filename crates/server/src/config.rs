//! Configuration: flags and `PORTCULLIS_*` environment variables (through clap), then an optional
//! TOML file for anything not given there, then defaults. Unknown file keys are rejected.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The TOML configuration file. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Data directory of `serve` and `init`.
    pub data_dir: Option<PathBuf>,
    /// Address `serve` listens on.
    pub listen: Option<String>,
    /// `text` or `json`.
    pub log_format: Option<String>,
    /// A tracing filter such as `info` or `portcullis=debug`.
    pub log_level: Option<String>,
    /// `full` (default) or `normal`.
    pub durability: Option<String>,
    /// `serve`: a PostgreSQL server (`postgres://...`) to keep the state in instead of the data
    /// directory's SQLite file; several nodes can share it.
    pub database: Option<String>,
    /// `serve`: reach a PostgreSQL server on another machine without TLS.
    pub database_allow_plaintext: Option<bool>,
    /// Allowed clock skew of signed requests, in seconds (default 900).
    pub clock_skew_seconds: Option<i64>,
    /// Largest accepted request body in bytes.
    pub max_body_bytes: Option<usize>,
    /// Seconds a client has to send a request body (default 30).
    pub body_timeout_seconds: Option<u64>,
    /// Connections served at once (default 4096); more get a 503 and are closed.
    pub max_connections: Option<usize>,
    /// Seconds a client has to send a request's headers, or finish a TLS handshake (default 10).
    pub header_timeout_seconds: Option<u64>,
    /// Seconds a connection may stay without traffic before it is closed (default 60).
    pub idle_timeout_seconds: Option<u64>,
    /// `serve`: PEM certificate chain for TLS (with `tls_key`).
    pub tls_cert: Option<PathBuf>,
    /// `serve`: PEM private key for TLS.
    pub tls_key: Option<PathBuf>,
    /// `serve`: PEM CA that client certificates must chain to (mutual TLS).
    pub tls_client_ca: Option<PathBuf>,
    /// `serve`: plain HTTP on any address, because a TLS-terminating proxy sits in front.
    pub behind_tls_proxy: Option<bool>,
    /// Quota: users per account.
    pub max_users_per_account: Option<usize>,
    /// Quota: groups per account (AWS default 300).
    pub max_groups_per_account: Option<usize>,
    /// Quota: roles per account (AWS default 1000).
    pub max_roles_per_account: Option<usize>,
    /// Quota: managed policies attached to one user, group or role (AWS default 10, at most 20).
    pub attached_policies_per_principal: Option<usize>,
    /// Proxies (IPs or CIDRs) whose `X-Forwarded-For` is believed for `aws:SourceIp`.
    pub trusted_proxies: Option<Vec<String>>,
    /// OIDC issuer (`https://...`, as tokens' `iss` says it) -> file holding its JWKS: the keys
    /// AssumeRoleWithWebIdentity verifies that issuer's tokens with.
    pub oidc_jwks: Option<std::collections::BTreeMap<String, PathBuf>>,
    /// PEM CAs trusted (besides the system's) when fetching issuers' keys over HTTPS.
    pub oidc_ca_file: Option<PathBuf>,
    /// Least seconds between two fetches of one issuer's keys (default 30).
    pub oidc_refresh_seconds: Option<u64>,
    /// Issuer -> the base URL its discovery document is fetched from instead of the issuer URL
    /// itself (split-horizon DNS, an internal mirror).
    pub oidc_discovery: Option<std::collections::BTreeMap<String, String>>,
    /// Log every authorization decision at info level with its deciding statements.
    pub explain: Option<bool>,
    /// Refuse common passwords and passwords equal to the user name on top of the account
    /// password policy (default true; false behaves as AWS).
    pub password_screening: Option<bool>,
    /// Serve `GET /metrics` to any peer, not only loopback ones (default false).
    pub metrics_public: Option<bool>,
    /// `[cleanup]`: run the cleanup plan of every account on a schedule (see
    /// `crate::cleanup::schedule`).
    pub cleanup: Option<CleanupSchedule>,
    /// The audit trail: on unless this is `false` (or `--no-audit` is given). Every request is
    /// recorded in CloudTrail's format, chained and signed; see README "Audit trail".
    pub audit: Option<bool>,
    /// Directory of the audit log's JSON-lines files (default `DATA_DIR/audit` for `serve`;
    /// `dev` keeps records in memory unless this is set).
    pub audit_dir: Option<PathBuf>,
    /// Size in bytes at which an audit log file is rotated (default 64 MiB).
    pub audit_max_file_bytes: Option<u64>,
    /// Audit log files kept at most, the current one included (default: all).
    pub audit_retain_files: Option<usize>,
    /// Audit log files older than this many days are removed (default: never).
    pub audit_retain_days: Option<u32>,
    /// The Ed25519 key that signs audit checkpoints (default `DATA_DIR/audit.key` for `serve`,
    /// created with mode 0600 and its public key `audit.pub` beside it; `dev` uses an
    /// in-memory key unless this is set).
    pub audit_signing_key: Option<PathBuf>,
}

impl FileConfig {
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let Some(path) = path else {
            return Ok(Self::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading configuration file {}", path.display()))?;
        toml::from_str(&text)
            .with_context(|| format!("parsing configuration file {}", path.display()))
    }
}

/// `[cleanup]` of the configuration file: the scheduled cleanup (`cleanup::schedule` runs it).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CleanupSchedule {
    /// Seconds between two runs; the first runs this long after start (e.g. 86400).
    pub every_seconds: u64,
    /// Carry the plan out; without it the plan is only logged.
    #[serde(default)]
    pub apply: bool,
    /// Tracking window in days (default 45, 1-365).
    pub unused_days: Option<u32>,
    /// Rotation age of access keys in days (default 90).
    pub rotation_days: Option<u32>,
    /// Recovery window in days (default 30).
    pub recovery_days: Option<u32>,
    /// Principals with this tag (`KEY` or `KEY=VALUE`) are left alone.
    #[serde(default)]
    pub exclude_tags: Vec<String>,
    /// Principals whose path starts with one of these are left alone.
    #[serde(default)]
    pub exclude_paths: Vec<String>,
    /// Members of these groups are left alone.
    #[serde(default)]
    pub exclude_groups: Vec<String>,
}

/// Limits and knobs the request pipeline reads.
#[derive(Clone, Debug)]
pub struct Settings {
    pub clock_skew: chrono::TimeDelta,
    pub max_body_bytes: usize,
    /// Time a client has to send a request body.
    pub body_timeout: std::time::Duration,
    /// The configurable IAM quotas, passed to core's services.
    pub quotas: portcullis_core::quotas::Quotas,
    pub trusted_proxies: Vec<crate::net::Cidr>,
    /// Issuer -> its signing keys, read at start (these win over keys fetched over HTTPS).
    pub oidc_jwks:
        std::collections::HashMap<String, Arc<portcullis_core::sts::web_identity::JwkSet>>,
    /// Extra CAs for fetching issuers' keys over HTTPS.
    pub oidc_ca_file: Option<PathBuf>,
    /// Least time between two fetches of one issuer's keys.
    pub oidc_refresh: std::time::Duration,
    /// Issuer -> where its discovery document is fetched from.
    pub oidc_discovery: std::collections::BTreeMap<String, String>,
    /// Authorization decisions are logged at info level (target `portcullis::explain`).
    pub explain: bool,
    /// New passwords are also screened against common passwords and the user name.
    pub password_screening: bool,
    /// `GET /metrics` answers any peer, not only loopback ones.
    pub metrics_public: bool,
}

pub const DEFAULT_MAX_BODY: usize = 4 * 1024 * 1024;

impl FileConfig {
    /// The connection limits this file asks for, with defaults for the rest.
    pub fn limits(&self) -> crate::listener::Limits {
        let d = crate::listener::Limits::default();
        let secs = |v: Option<u64>, default: std::time::Duration| {
            v.map_or(default, |s| {
                std::time::Duration::from_secs(s.clamp(1, 3600))
            })
        };
        crate::listener::Limits {
            max_connections: self.max_connections.unwrap_or(d.max_connections).max(1),
            header_timeout: secs(self.header_timeout_seconds, d.header_timeout),
            idle_timeout: secs(self.idle_timeout_seconds, d.idle_timeout),
        }
    }
}

impl Settings {
    /// Settings from the file, with trusted proxies from the command line (or the file).
    pub fn new(file: &FileConfig, trusted_proxies: Option<&str>, explain: bool) -> Result<Self> {
        let listed: Vec<String> = match trusted_proxies {
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            None => file.trusted_proxies.clone().unwrap_or_default(),
        };
        let mut proxies = Vec::with_capacity(listed.len());
        for p in &listed {
            proxies.push(crate::net::Cidr::parse(p).with_context(|| {
                format!("invalid trusted proxy {p:?} (expected an IP or CIDR)")
            })?);
        }
        let mut oidc_jwks = std::collections::HashMap::new();
        for (issuer, path) in file.oidc_jwks.iter().flatten() {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the JWKS of {issuer} from {}", path.display()))?;
            let set: portcullis_core::sts::web_identity::JwkSet = serde_json::from_str(&text)
                .with_context(|| format!("the JWKS of {issuer} in {}", path.display()))?;
            oidc_jwks.insert(issuer.clone(), Arc::new(set));
        }
        if let Some(path) = &file.oidc_ca_file {
            crate::jwks::https_client(Some(path)).context("oidc_ca_file")?;
        }
        let base = Self::from_file(file);
        Ok(Settings {
            trusted_proxies: proxies,
            oidc_jwks,
            explain: explain || base.explain,
            ..base
        })
    }

    pub fn from_file(file: &FileConfig) -> Self {
        Settings {
            clock_skew: chrono::TimeDelta::seconds(
                file.clock_skew_seconds.unwrap_or(900).clamp(1, 86_400),
            ),
            max_body_bytes: file.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY),
            body_timeout: std::time::Duration::from_secs(
                file.body_timeout_seconds.unwrap_or(30).clamp(1, 3600),
            ),
            quotas: {
                let d = portcullis_core::quotas::Quotas::default();
                portcullis_core::quotas::Quotas {
                    users_per_account: file.max_users_per_account.unwrap_or(d.users_per_account),
                    groups_per_account: file.max_groups_per_account.unwrap_or(d.groups_per_account),
                    roles_per_account: file.max_roles_per_account.unwrap_or(d.roles_per_account),
                    attached_policies_per_principal: file
                        .attached_policies_per_principal
                        .unwrap_or(d.attached_policies_per_principal)
                        .clamp(1, 20),
                    ..d
                }
            },
            metrics_public: file.metrics_public.unwrap_or(false),
            trusted_proxies: Vec::new(),
            oidc_jwks: std::collections::HashMap::new(),
            oidc_ca_file: file.oidc_ca_file.clone(),
            oidc_discovery: file.oidc_discovery.clone().unwrap_or_default(),
            oidc_refresh: std::time::Duration::from_secs(
                file.oidc_refresh_seconds.unwrap_or(30).clamp(1, 3600),
            ),
            explain: file.explain.unwrap_or(false),
            password_screening: file.password_screening.unwrap_or(true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_rejected() {
        let err = toml::from_str::<FileConfig>("listen = \"127.0.0.1:1\"\nlisten_port = 3\n").err();
        assert!(err.is_some_and(|e| e.to_string().contains("unknown field")));
        let ok: FileConfig =
            toml::from_str("listen = \"127.0.0.1:1\"\nclock_skew_seconds = 60\n").unwrap();
        assert_eq!(Settings::from_file(&ok).clock_skew.num_seconds(), 60);
        assert!(Settings::from_file(&ok).password_screening);
        let aws: FileConfig = toml::from_str("password_screening = false\n").unwrap();
        assert!(!Settings::from_file(&aws).password_screening);
    }
}
