//! Shared server state: the store, the master key, the clock, settings and caches.

use crate::authz::PrincipalPolicies;
use crate::config::Settings;
use crate::keycache::{GenCache, KeyCache};
use chrono::{DateTime, Utc};
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
}

#[derive(Debug)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub master: MasterKey,
    pub clock: Arc<dyn Clock>,
    pub settings: Settings,
    pub keys: KeyCache,
    /// User id -> compiled effective policies and tags.
    pub policies: GenCache<PrincipalPolicies>,
    /// Access key id -> when its last use was recorded (see `handlers::last_used`).
    pub last_used: Mutex<HashMap<String, DateTime<Utc>>>,
    pub dev: Option<DevSeed>,
}

impl App {
    pub fn new(
        store: Arc<dyn Store>,
        master: MasterKey,
        clock: Arc<dyn Clock>,
        settings: Settings,
        dev: Option<DevSeed>,
    ) -> Arc<Self> {
        Arc::new(App {
            store,
            master,
            clock,
            settings,
            keys: KeyCache::default(),
            policies: GenCache::default(),
            last_used: Mutex::default(),
            dev,
        })
    }

    /// Forgets everything cached from the store (after any write).
    pub fn invalidate_caches(&self) {
        self.keys.invalidate_all();
        self.policies.invalidate_all();
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
