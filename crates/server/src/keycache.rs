//! Caches in front of the store: access keys (with derived SigV4 signing keys) and each
//! principal's compiled policies. Any successful IAM write clears them all (writes are rare),
//! and a generation counter keeps a reader that raced with a write from re-inserting what the
//! write made stale, so a change takes effect on the very next request.

use portcullis_core::{KeyStatus, Principal, Secret};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// A derived SigV4 signing key and the (date, region, service) scope it belongs to.
type ScopedKey = (String, String, String, [u8; 32]);

/// What authentication needs to know about one access key.
#[derive(Debug)]
pub struct CachedKey {
    pub principal: Principal,
    pub status: KeyStatus,
    pub secret: Secret,
    /// (date, region, service) -> kSigning; a handful of entries at most.
    signing: Mutex<Vec<ScopedKey>>,
}

impl CachedKey {
    pub fn new(principal: Principal, status: KeyStatus, secret: Secret) -> Self {
        CachedKey {
            principal,
            status,
            secret,
            signing: Mutex::new(Vec::new()),
        }
    }

    pub fn signing_key(&self, date: &str, region: &str, service: &str) -> [u8; 32] {
        let mut cache = self.signing.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, _, _, k)) = cache
            .iter()
            .find(|(d, r, s, _)| d == date && r == region && s == service)
        {
            return *k;
        }
        let k = portcullis_proto::sigv4::signing_key(
            self.secret.expose().as_bytes(),
            date,
            region,
            service,
        );
        if cache.len() >= 8 {
            cache.remove(0);
        }
        cache.push((date.to_string(), region.to_string(), service.to_string(), k));
        k
    }
}

/// The most entries one cache holds.
const MAX_ENTRIES: usize = 100_000;

/// A map from id to shared value, cleared as a whole.
#[derive(Debug)]
pub struct GenCache<V> {
    map: RwLock<HashMap<String, Arc<V>, ahash::RandomState>>,
    generation: AtomicU64,
}

impl<V> Default for GenCache<V> {
    fn default() -> Self {
        GenCache {
            map: RwLock::default(),
            generation: AtomicU64::new(0),
        }
    }
}

impl<V> GenCache<V> {
    pub fn get(&self, id: &str) -> Option<Arc<V>> {
        self.map
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned()
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Inserts unless the cache was cleared since `generation` was read. A full cache starts
    /// over, so memory stays bounded whatever callers do.
    pub fn insert(&self, id: &str, value: Arc<V>, generation: u64) {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::Acquire) == generation {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(id.to_string(), value);
        }
    }

    pub fn invalidate_all(&self) {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        map.clear();
    }
}

pub type KeyCache = GenCache<CachedKey>;
