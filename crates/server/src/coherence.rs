//! Cache coherence between nodes that share a PostgreSQL database. Every write that may change
//! what a node caches adds a row to the database's change log in its own transaction
//! (`portcullis_store::ChangeFeed`); here a follower thread waits on the log's notifications (a
//! wake-up only) or [`POLL`], whichever comes first, and clears this node's caches when another
//! node wrote. A node that cannot read the log must not answer from what it cached: while the
//! follower fails its caches are cleared at every try, and once it has not read the log for
//! [`STALE_AFTER`] a watchdog (which does not depend on the follower making progress, since a
//! lost connection can hang it) turns the caches off, so that every request reads the database
//! (or fails with a retryable error when that is down too) until the follower reads the log
//! again.

use crate::app::App;
use portcullis_store::{ChangeFeed, PgStore};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The longest the follower waits for a notification before reading the log anyway.
pub const POLL: Duration = Duration::from_millis(100);
/// How long a node answers from its caches without having read the change log.
pub const STALE_AFTER: Duration = Duration::from_secs(5);

/// The follower and its watchdog; stopped on drop.
#[derive(Debug)]
pub struct Coherence {
    state: Arc<State>,
    threads: Vec<JoinHandle<()>>,
}

/// What the follower and the watchdog share.
#[derive(Debug)]
struct State {
    stop: AtomicBool,
    start: Instant,
    /// Milliseconds after `start` of the last good read of the log.
    last_read: AtomicU64,
    /// The watchdog turned the caches off.
    off: AtomicBool,
}

impl State {
    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }
}

impl Coherence {
    /// Starts following the change log of `store` for `app`'s caches.
    pub fn start(app: Arc<App>, store: Arc<PgStore>) -> std::io::Result<Self> {
        let state = Arc::new(State {
            stop: AtomicBool::new(false),
            start: Instant::now(),
            last_read: AtomicU64::new(0),
            off: AtomicBool::new(false),
        });
        let follower = {
            let (app, state) = (app.clone(), state.clone());
            std::thread::Builder::new()
                .name("change-follower".into())
                .spawn(move || follow(&app, &store, &state))?
        };
        let watchdog = {
            let state = state.clone();
            std::thread::Builder::new()
                .name("change-watchdog".into())
                .spawn(move || watch(&app, &state))?
        };
        Ok(Coherence {
            state,
            threads: vec![follower, watchdog],
        })
    }
}

impl Drop for Coherence {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::Release);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Reads the change log until stopped: clears the caches when another node wrote, and on any
/// failure (then opens a new feed, which counts as a change: what happened meanwhile is
/// unknown).
fn follow(app: &App, store: &PgStore, state: &State) {
    let mut feed: Option<ChangeFeed> = None;
    let mut failing = false;
    while !state.stopped() {
        let read = match feed.as_mut() {
            Some(f) => f.next(POLL),
            None => store.change_feed().map(|f| {
                feed = Some(f);
                true
            }),
        };
        match read {
            Ok(changed) => {
                if changed {
                    app.invalidate_caches();
                }
                state.last_read.store(state.now(), Ordering::Release);
                failing = false;
                if state.off.swap(false, Ordering::AcqRel) {
                    app.set_caching(true);
                    tracing::info!("following the change log again: caches on");
                }
            }
            Err(e) => {
                feed = None;
                app.invalidate_caches();
                if !failing {
                    failing = true;
                    tracing::warn!(error = %e, "cannot read the change log: caches cleared");
                }
                std::thread::sleep(POLL);
            }
        }
    }
}

/// Turns the caches off once the change log has not been read for [`STALE_AFTER`].
fn watch(app: &App, state: &State) {
    let limit = u64::try_from(STALE_AFTER.as_millis()).unwrap_or(u64::MAX);
    while !state.stopped() {
        std::thread::sleep(POLL);
        let behind = state
            .now()
            .saturating_sub(state.last_read.load(Ordering::Acquire));
        if behind > limit && !state.off.load(Ordering::Acquire) {
            app.set_caching(false);
            state.off.store(true, Ordering::Release);
            tracing::warn!(
                seconds = behind / 1000,
                "the change log has not been read: caches off, every request reads the database"
            );
        }
    }
}
