//! [`GenCache`]: the generation-counter cache behind every in-memory cache of the server
//! (access keys, principals' compiled policies, targets, roles, session and trust policies).
//! Any successful IAM write clears them all (writes are rare), and a generation counter keeps
//! a reader that raced with a write from re-inserting what the write made stale, so a change
//! takes effect on the very next request. [`GenCache::get_or_fill`] is the one way to read
//! through a cache. A server that shares its database with others also clears them when the
//! change log says another node wrote, and turns them off ([`GenCache::set_enabled`]) while it
//! cannot read the change log, so that it never answers from what may be stale.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// The most entries one cache holds.
const MAX_ENTRIES: usize = 100_000;

/// A map from id to shared value, cleared as a whole.
#[derive(Debug)]
pub struct GenCache<V> {
    map: RwLock<HashMap<String, Arc<V>, ahash::RandomState>>,
    generation: AtomicU64,
    /// Off: every read goes to the store and nothing is kept.
    enabled: AtomicBool,
    /// Lookups that found a value, and that did not (for `/metrics`).
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<V> Default for GenCache<V> {
    fn default() -> Self {
        GenCache {
            map: RwLock::default(),
            generation: AtomicU64::new(0),
            enabled: AtomicBool::new(true),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }
}

impl<V> GenCache<V> {
    pub fn get(&self, id: &str) -> Option<Arc<V>> {
        if !self.enabled.load(Ordering::Acquire) {
            return None;
        }
        let found = self
            .map
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned();
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        found
    }

    /// Lookups so far: (hits, misses).
    pub fn stats(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.hits.load(Relaxed), self.misses.load(Relaxed))
    }

    /// The cached value of `id`, or the one `fill` builds, kept unless a write cleared the
    /// cache while it was being built.
    pub fn get_or_fill<E>(
        &self,
        id: &str,
        fill: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        if let Some(v) = self.get(id) {
            return Ok(v);
        }
        let generation = self.generation();
        let v = Arc::new(fill()?);
        self.insert(id, v.clone(), generation);
        Ok(v)
    }

    /// As [`Self::get_or_fill`] for what may not exist: an absent value is not cached.
    pub fn get_or_fill_existing<E>(
        &self,
        id: &str,
        fill: impl FnOnce() -> Result<Option<V>, E>,
    ) -> Result<Option<Arc<V>>, E> {
        if let Some(v) = self.get(id) {
            return Ok(Some(v));
        }
        let generation = self.generation();
        let Some(v) = fill()? else { return Ok(None) };
        let v = Arc::new(v);
        self.insert(id, v.clone(), generation);
        Ok(Some(v))
    }

    /// The generation to pass to [`Self::insert`]: read it before building the value. (The
    /// access key lookup in `auth.rs` still reads through by hand; everything else uses
    /// [`Self::get_or_fill`].)
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Inserts unless the cache was cleared since `generation` was read. A full cache starts
    /// over, so memory stays bounded whatever callers do.
    pub fn insert(&self, id: &str, value: Arc<V>, generation: u64) {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::Acquire) == generation
            && self.enabled.load(Ordering::Acquire)
        {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(id.to_string(), value);
        }
    }

    /// Turns the cache on or off; turning it off also clears it (the generation moves on, so
    /// nothing read before is kept afterwards).
    pub fn set_enabled(&self, on: bool) {
        if !on {
            self.enabled.store(false, Ordering::Release);
            self.invalidate_all();
        } else {
            self.invalidate_all();
            self.enabled.store(true, Ordering::Release);
        }
    }

    pub fn invalidate_all(&self) {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        map.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_once_and_keeps_the_value_until_cleared() {
        let cache = GenCache::<u32>::default();
        let mut calls = 0;
        let mut fill = |v| {
            calls += 1;
            Ok::<_, ()>(v)
        };
        assert_eq!(*cache.get_or_fill("a", || fill(1)).unwrap(), 1);
        assert_eq!(*cache.get_or_fill("a", || fill(2)).unwrap(), 1);
        cache.invalidate_all();
        assert_eq!(*cache.get_or_fill("a", || fill(3)).unwrap(), 3);
        assert_eq!(calls, 2);
        assert_eq!(cache.get_or_fill("b", || Err::<u32, _>("no")), Err("no"));
        assert!(cache.get("b").is_none());
    }

    #[test]
    fn a_disabled_cache_keeps_nothing_until_enabled() {
        let cache = GenCache::<u32>::default();
        cache.get_or_fill("a", || Ok::<_, ()>(1)).unwrap();
        cache.set_enabled(false);
        assert!(cache.get("a").is_none());
        assert_eq!(*cache.get_or_fill("a", || Ok::<_, ()>(2)).unwrap(), 2);
        assert!(cache.get("a").is_none(), "nothing is kept while off");
        cache.set_enabled(true);
        assert!(cache.get("a").is_none(), "what was there before is gone");
        assert_eq!(*cache.get_or_fill("a", || Ok::<_, ()>(3)).unwrap(), 3);
        assert_eq!(cache.get("a").as_deref(), Some(&3));
    }

    #[test]
    fn absent_values_are_not_cached() {
        let cache = GenCache::<u32>::default();
        assert_eq!(
            cache.get_or_fill_existing("a", || Ok::<_, ()>(None)),
            Ok(None)
        );
        assert!(cache.get("a").is_none());
        let v = cache
            .get_or_fill_existing("a", || Ok::<_, ()>(Some(7)))
            .unwrap();
        assert_eq!(v.as_deref(), Some(&7));
        assert_eq!(cache.get("a").as_deref(), Some(&7));
    }

    #[test]
    fn a_value_built_across_a_clear_is_returned_but_not_kept() {
        let cache = GenCache::<u32>::default();
        let v = cache.get_or_fill("a", || {
            cache.invalidate_all();
            Ok::<_, ()>(1)
        });
        assert_eq!(v.as_deref(), Ok(&1));
        assert!(cache.get("a").is_none());
    }
}
