//! The access key cache of authentication: each key's principal, status and secret, with the
//! SigV4 signing keys derived from it. Like every server cache it is a [`GenCache`], cleared by
//! any successful IAM write.

use crate::cache::GenCache;
use portcullis_core::{KeyStatus, Principal, Secret};
use std::sync::Mutex;

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

/// Access key id -> what authentication needs of it.
pub type KeyCache = GenCache<CachedKey>;
