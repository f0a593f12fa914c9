//! Shared server state: the store, the master key, the STS sealing keys, the clock, settings
//! and caches.

use crate::attempts::Attempts;
use crate::authz;
use crate::config::Settings;
use crate::keycache::KeyCache;
use crate::sealing::SealingKeys;
use chrono::{DateTime, Utc};
use portcullis_core::clock::OffsetClock;
use portcullis_core::crypto::MasterKey;
use portcullis_core::{Clock, Secret, Store};
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
    /// Authorization's compiled policies and targets.
    pub authz: authz::Caches,
    /// Access key id -> when its last use was recorded (see `usage`).
    pub last_used: Mutex<HashMap<String, DateTime<Utc>, ahash::RandomState>>,
    pub dev: Option<DevSeed>,
    /// Failed guesses of MFA codes and old passwords.
    pub attempts: Attempts,
    /// OIDC issuers' keys fetched over HTTPS.
    pub jwks: crate::jwks::JwksCache,
    /// The audit trail (started by `serve` and `dev`).
    pub audit: crate::audit::Audit,
    /// The web console's templates.
    pub console: crate::console::Console,
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
            authz: authz::Caches::default(),
            last_used: Mutex::default(),
            dev,
            attempts: Default::default(),
            audit: Default::default(),
            console: Default::default(),
            metrics: Default::default(),
        })
    }

    /// Forgets everything cached from the store (after any write).
    pub fn invalidate_caches(&self) {
        self.keys.invalidate_all();
        self.authz.invalidate_all();
    }

    /// Turns every cache of the store on or off (off while this node cannot follow the change
    /// log of a shared database).
    pub fn set_caching(&self, on: bool) {
        self.keys.set_enabled(on);
        self.authz.set_enabled(on);
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

/// What authorization reads of the server.
impl authz::Env for App {
    fn store(&self) -> &dyn Store {
        &*self.store
    }
    fn caches(&self) -> &authz::Caches {
        &self.authz
    }
    fn explain(&self) -> bool {
        self.settings.explain
    }
    fn sealing(&self) -> &SealingKeys {
        &self.sealing
    }
    fn master(&self) -> &MasterKey {
        &self.master
    }
    fn attempts(&self) -> &Attempts {
        &self.attempts
    }
}
