//! Shared server state: the store, the master key, the STS sealing keys, the clock, settings
//! and caches.

use crate::authz::{PrincipalPolicies, RoleEntry, Target};
use crate::cache::GenCache;
use crate::config::Settings;
use crate::keycache::KeyCache;
use crate::sealing::SealingKeys;
use chrono::{DateTime, Utc};
use portcullis_core::clock::OffsetClock;
use portcullis_core::crypto::MasterKey;
use portcullis_core::{Clock, Secret, Store};
use portcullis_policy::PolicySet;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The well-known account of `portcullis dev`, restored by `POST /_portcullis/reset`.
#[derive(Debug, Clone)]
pub struct DevSeed {
    pub account: String,
    pub access_key_id: String,
    pub secret: Secret,
    /// The server's clock, which `POST /_portcullis/clock` shifts.
    pub clock: Arc<OffsetClock>,
}

#[derive(Debug)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub master: MasterKey,
    /// Seals and opens STS session tokens.
    pub sealing: SealingKeys,
    pub clock: Arc<dyn Clock>,
    pub settings: Settings,
    pub keys: KeyCache,
    /// User or role id -> compiled effective policies and tags.
    pub policies: GenCache<PrincipalPolicies>,
    /// Existing entities as authorization targets (ARN, tags, boundary), by kind and name.
    pub targets: GenCache<Target>,
    /// Roles (with tags) by account and lowercase name, for AssumeRole and role sessions.
    pub roles: GenCache<RoleEntry>,
    /// Compiled session policies (by content) and trust policies (by role id).
    pub session_policies: GenCache<PolicySet>,
    /// Access key id -> when its last use was recorded (see `usage`).
    pub last_used: Mutex<HashMap<String, DateTime<Utc>, ahash::RandomState>>,
    pub dev: Option<DevSeed>,
    /// Failed guesses of MFA codes and old passwords.
    pub attempts: crate::attempts::Attempts,
    /// OIDC issuers' keys fetched over HTTPS.
    pub jwks: crate::jwks::JwksCache,
    /// The audit trail (started by `serve` and `dev`).
    pub audit: crate::audit::Audit,
    /// Prometheus counters (`GET /metrics`).
    pub metrics: crate::metrics::Metrics,
}

impl App {
    pub fn new(
        store: Arc<dyn Store>,
        master: MasterKey,
        sealing: SealingKeys,
        clock: Arc<dyn Clock>,
        settings: Settings,
        dev: Option<DevSeed>,
    ) -> Arc<Self> {
        let jwks = crate::jwks::JwksCache::new(
            settings.oidc_ca_file.as_deref(),
            settings.oidc_refresh,
            settings.oidc_discovery.clone(),
        );
        Arc::new(App {
            jwks,
            store,
            master,
            sealing,
            clock,
            settings,
            keys: KeyCache::default(),
            policies: GenCache::default(),
            session_policies: GenCache::default(),
            roles: GenCache::default(),
            targets: GenCache::default(),
            last_used: Mutex::default(),
            dev,
            attempts: Default::default(),
            audit: Default::default(),
            metrics: Default::default(),
        })
    }

    /// Forgets everything cached from the store (after any write).
    pub fn invalidate_caches(&self) {
        self.keys.invalidate_all();
        self.policies.invalidate_all();
        self.session_policies.invalidate_all();
        self.roles.invalidate_all();
        self.targets.invalidate_all();
    }

    /// Wipes all state and recreates the dev account (dev mode only).
    pub fn reset_dev(&self) -> anyhow::Result<()> {
        let Some(seed) = &self.dev else {
            anyhow::bail!("reset is only available in dev mode")
        };
        self.store.wipe().map_err(|e| anyhow::anyhow!("{e}"))?;
        self.invalidate_caches();
        self.last_used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        crate::bootstrap::create_account(
            self.store.as_ref(),
            &self.master,
            &seed.account,
            Some((&seed.access_key_id, &seed.secret)),
        )?;
        Ok(())
    }
}
