//! The change log of the PostgreSQL engine, and [`ChangeFeed`], how a server follows it. Every
//! write that may change what servers cache adds a row to `changes` in its own transaction and
//! notifies `portcullis_changes` (delivered at commit). A follower wakes on the notification,
//! or after its poll interval (notifications are lost while a connection is down, and do not
//! pass transaction-pooling proxies), and reads the rows of every transaction its previous
//! snapshot could not see: those of transaction id at least that snapshot's `xmin`. A
//! transaction that committed after the previous read is always among them, whatever order
//! transactions took their ids or sequence numbers in.

use crate::postgres::{PgStore, blocking, pg};
use portcullis_core::{StoreError, StoreResult};
use postgres::fallible_iterator::FallibleIterator;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Rows are kept this long (followers read every 100 ms or so; one that falls further behind
/// drops its caches when it reconnects).
const KEEP: &str = "60 seconds";
/// How often a follower prunes old rows.
const PRUNE_EVERY: Duration = Duration::from_secs(15);

/// One server's view of the change log, on a connection of its own that listens for
/// notifications.
pub struct ChangeFeed {
    client: postgres::Client,
    /// The `xmin` of the snapshot of the last read (as text: `xid8` has no Rust type here).
    xmin: String,
    /// The rows of transactions at or after `xmin` already seen.
    seen: HashSet<i64>,
    pruned: Instant,
}

impl std::fmt::Debug for ChangeFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeFeed")
            .field("xmin", &self.xmin)
            .field("seen", &self.seen.len())
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Opens a feed of the changes committed from now on.
    pub fn change_feed(&self) -> StoreResult<ChangeFeed> {
        blocking(|| {
            // A lost server must show as an error within seconds, not hang the follower.
            let mut config = self.engine.config().clone();
            config
                .tcp_user_timeout(Duration::from_secs(3))
                .keepalives_idle(Duration::from_secs(2))
                .keepalives_interval(Duration::from_secs(1))
                .keepalives_retries(2);
            let mut client = config.connect(self.engine.tls()).map_err(pg)?;
            client
                .batch_execute("SET statement_timeout = '3s'; LISTEN portcullis_changes")
                .map_err(pg)?;
            let mut feed = ChangeFeed {
                client,
                xmin: "0".into(),
                seen: HashSet::new(),
                pruned: Instant::now(),
            };
            let row = feed
                .client
                .query_one("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", &[])
                .map_err(pg)?;
            feed.xmin = row.get(0);
            feed.read()?;
            Ok(feed)
        })
    }
}

impl ChangeFeed {
    /// Waits up to `timeout` for a notification (returning at once when one is pending), then
    /// reads the log: `true` when a write committed since the last call. An error means the
    /// connection is unusable: open a new feed (and treat everything as changed).
    pub fn next(&mut self, timeout: Duration) -> StoreResult<bool> {
        blocking(|| {
            let mut notes = self.client.notifications();
            if notes.is_empty() {
                notes.timeout_iter(timeout).next().map_err(pg)?;
            }
            // Drain what else arrived; one read covers them all.
            while notes.iter().next().map_err(pg)?.is_some() {}
            drop(notes);
            if self.pruned.elapsed() >= PRUNE_EVERY {
                self.pruned = Instant::now();
                let prune = format!("DELETE FROM changes WHERE at < now() - interval '{KEEP}'");
                self.client.batch_execute(&prune).map_err(pg)?;
            }
            self.read()
        })
    }

    /// Reads the rows the last snapshot could not see, and moves on to this one.
    fn read(&mut self) -> StoreResult<bool> {
        let rows = self
            .client
            .query(
                "SELECT s.xmin::text, c.seq
                 FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) s
                 LEFT JOIN changes c ON c.tx >= CAST(CAST($1 AS TEXT) AS xid8)",
                &[&self.xmin],
            )
            .map_err(pg)?;
        let Some(first) = rows.first() else {
            return Err(StoreError::Backend(
                "the change log read returned nothing".into(),
            ));
        };
        let xmin: String = first.get(0);
        let seqs: HashSet<i64> = rows.iter().filter_map(|r| r.get(1)).collect();
        let changed = seqs.iter().any(|s| !self.seen.contains(s));
        self.seen = seqs;
        self.xmin = xmin;
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use crate::PgStore;
    use crate::testing::{TestSchema, database_url};
    use chrono::Utc;
    use portcullis_core::Account;
    use portcullis_core::model::LastUsed;
    use portcullis_core::store::prelude::*;
    use std::time::Duration;

    #[test]
    fn a_tracked_write_on_one_store_is_seen_by_the_feed_of_another() {
        let Some(url) = database_url() else { return };
        let schema = TestSchema::create(&url).unwrap();
        let (a, b) = (
            PgStore::open(&schema.url).unwrap(),
            PgStore::open(&schema.url).unwrap(),
        );
        let mut feed = b.change_feed().unwrap();
        assert!(!feed.next(Duration::from_millis(10)).unwrap());
        a.create_account(&Account {
            id: "111122223333".into(),
            created: Utc::now(),
        })
        .unwrap();
        // The notification wakes the feed long before the timeout.
        let t = std::time::Instant::now();
        assert!(feed.next(Duration::from_secs(10)).unwrap());
        assert!(t.elapsed() < Duration::from_secs(5));
        assert!(!feed.next(Duration::from_millis(10)).unwrap());
        // Usage records change nothing a server caches.
        let used = LastUsed {
            at: Utc::now(),
            service: "iam".into(),
            region: "us-east-1".into(),
        };
        a.record_access_key_use("AKIANONE", &used, Utc::now())
            .unwrap();
        assert!(!feed.next(Duration::from_millis(50)).unwrap());
    }
}
