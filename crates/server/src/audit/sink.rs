//! The audit writer: one thread that chains records, writes them as JSON lines and makes them
//! durable with group commit (every record that arrives while the previous batch is being
//! written goes into the next batch, and a batch that holds a record of a change is fsync'd
//! once, before any of its requests is answered). It signs a checkpoint after every 1,000
//! records and at least every second while records flow, rotates files by size, removes old
//! files by count or age (recording that it did), and writes "logging started"/"logging
//! stopped" records, so a log never has a silent gap. A batch that cannot be written is cut
//! off the file again and reported to its waiters, which fail their requests; it is retried
//! with the next batch.

use super::chain::{self, GENESIS, Signer};
use super::files::{self, LogDir, Retention};
use super::{AuditError, internal_event};
use portcullis_core::Store;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Records between two checkpoints at most.
pub const CHECKPOINT_RECORDS: u64 = 1000;
/// Time between two checkpoints at most, while records flow.
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);
/// Records kept by the in-memory sink.
const MEMORY_RECORDS: usize = 10_000;
/// Unwritten lines kept for a retry at most (bytes).
const PENDING_MAX: usize = 64 * 1024 * 1024;
/// Records waiting that wake the writer even if none is durable.
const LAZY_MAX: usize = 1024;
/// Longest a read's record waits before it is written.
const READ_DELAY: Duration = Duration::from_millis(20);

/// Where records go.
#[derive(Debug)]
pub enum Target {
    /// JSON-lines files in a directory.
    Files(LogDir),
    /// The last records, in memory (`dev` without `audit_dir`).
    Memory(std::collections::VecDeque<String>),
}

pub(super) enum Msg {
    Record {
        body: String,
        ack: Option<tokio::sync::oneshot::Sender<bool>>,
        /// The event id of a record also kept in the store's audit outbox, removed there once
        /// this batch is on disk.
        outboxed: Option<String>,
    },
    Stop(mpsc::Sender<()>),
    /// Tests: the writer ends at once, as if the process had died.
    #[cfg(test)]
    Crash(mpsc::Sender<()>),
}

/// Records waiting for the writer. A durable record (or a full queue, or a stop) makes the
/// writer write at once; other records are written together at most [`READ_DELAY`] after the
/// first of them arrived, so recording a read costs no thread switch or system call of its own.
#[derive(Debug, Default)]
struct Queue {
    state: std::sync::Mutex<Waiting>,
    wake: std::sync::Condvar,
}

#[derive(Debug, Default)]
struct Waiting {
    msgs: Vec<Msg>,
    urgent: bool,
    /// The writer has ended: nothing more is taken.
    closed: bool,
}

impl Queue {
    fn push(&self, msg: Msg, urgent: bool) -> Result<(), Msg> {
        let mut w = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if w.closed {
            return Err(msg);
        }
        w.msgs.push(msg);
        if urgent || w.msgs.len() >= LAZY_MAX {
            w.urgent = true;
        }
        // The first record after the queue was emptied starts the writer's short wait.
        if w.urgent || w.msgs.len() == 1 {
            drop(w);
            self.wake.notify_one();
        }
        Ok(())
    }

    /// Waits until something is urgent, or `lazy` passes with records waiting, or `idle`
    /// passes; takes what is waiting into `batch`.
    fn take(&self, batch: &mut Vec<Msg>, idle: Duration) {
        let start = Instant::now();
        let mut w = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let waited = start.elapsed();
            let limit = if w.msgs.is_empty() {
                idle
            } else {
                idle.min(READ_DELAY)
            };
            if w.urgent || waited >= limit {
                break;
            }
            w = self
                .wake
                .wait_timeout(w, limit - waited)
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        }
        w.urgent = false;
        std::mem::swap(&mut w.msgs, batch);
    }

    fn close(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
    }
}

/// The handle request threads send records through.
#[derive(Debug)]
pub struct Sink {
    queue: Arc<Queue>,
    healthy: Arc<AtomicBool>,
    /// With records of changes kept in the store's audit outbox until they are on disk: the
    /// id of this log there (its signing key's id).
    outbox: Option<String>,
    thread: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Msg::Record { .. } => "Record",
            Msg::Stop(_) => "Stop",
            #[cfg(test)]
            Msg::Crash(_) => "Crash",
        })
    }
}

impl Sink {
    /// Opens the target, writes "logging started", the records a crash left in the store's
    /// audit outbox (when a file target is given the store), a checkpoint, and starts the
    /// writer.
    pub fn start(
        mut target: Target,
        signer: Signer,
        store: Option<Arc<dyn Store>>,
    ) -> Result<Self, AuditError> {
        let store = store.filter(|_| matches!(target, Target::Files(_)));
        let (prev_seq, prev_hash, previous) = match &mut target {
            Target::Files(dir) => dir.resume()?,
            Target::Memory(_) => (None, GENESIS.to_string(), files::Previous::None),
        };
        let written_hash = prev_hash.clone();
        let mut writer = Writer {
            target,
            seq: prev_seq.map_or(0, |s| s + 1),
            prev: prev_hash,
            signer,
            since_checkpoint: 0,
            last_checkpoint: Instant::now(),
            lost: 0,
            written: (prev_seq.map_or(0, |s| s + 1), written_hash),
            pending: String::with_capacity(64 * 1024),
            store,
            outboxed: Vec::new(),
            log_id: String::new(),
        };
        writer.log_id = chain::key_id(&writer.signer.verifying_key());
        let key_id = chain::key_id(&writer.signer.verifying_key());
        let started = internal_event(
            "LoggingStarted",
            json!({ "previousShutdown": previous.as_str(), "truncatedBytes": previous.truncated(), "publicKeyId": key_id }),
        );
        writer.append(&chain::canonical(&started));
        let recovered = writer.recover_outbox()?;
        writer.checkpoint(false);
        writer.flush(true)?;
        if let Some(store) = &writer.store {
            store
                .remove_audit_records(&recovered)
                .map_err(|e| AuditError::Corrupt(format!("audit outbox: {e}")))?;
        }
        let outbox = writer.store.is_some().then(|| writer.log_id.clone());
        let healthy = Arc::new(AtomicBool::new(true));
        let queue = Arc::new(Queue::default());
        let (q, flag) = (queue.clone(), healthy.clone());
        let thread = std::thread::Builder::new()
            .name("audit-writer".into())
            .spawn(move || writer.run(&q, &flag))
            .map_err(|e| AuditError::Io {
                path: "audit writer thread".into(),
                source: e,
            })?;
        Ok(Sink {
            queue,
            healthy,
            outbox,
            thread: std::sync::Mutex::new(Some(thread)),
        })
    }

    /// The log's id in the store's audit outbox, when records of changes go there first.
    pub fn outbox_log(&self) -> Option<&str> {
        self.outbox.as_deref()
    }

    /// Whether the last batch was written.
    pub fn healthy(&self) -> bool {
        self.healthy.load(Ordering::Acquire)
    }

    /// Queues a record (canonical JSON without its chain member). With `durable`, the answer
    /// tells whether it reached the disk. `outboxed` names a record the store's audit outbox
    /// holds too: it is synced with its batch and then removed from the store.
    pub fn send(
        &self,
        body: String,
        durable: bool,
        outboxed: Option<String>,
    ) -> Option<tokio::sync::oneshot::Receiver<bool>> {
        let (ack, rx) = if durable {
            let (t, r) = tokio::sync::oneshot::channel();
            (Some(t), Some(r))
        } else {
            (None, None)
        };
        if self
            .queue
            .push(
                Msg::Record {
                    body,
                    ack,
                    outboxed,
                },
                durable,
            )
            .is_err()
        {
            // The writer is gone: a durable record reports failure through its dropped sender.
            tracing::error!("audit writer has stopped; a record was not written");
        }
        rx
    }

    /// Tests: ends the writer without a word, as a killed process would.
    #[cfg(test)]
    pub fn crash(self) {
        let (done, wait) = mpsc::channel();
        if self.queue.push(Msg::Crash(done), true).is_ok() {
            let _ = wait.recv_timeout(Duration::from_secs(30));
        }
    }

    /// Writes "logging stopped", a last checkpoint, syncs and stops the writer.
    pub fn stop(&self) {
        let (done, wait) = mpsc::channel();
        if self.queue.push(Msg::Stop(done), true).is_ok() {
            let _ = wait.recv_timeout(Duration::from_secs(30));
        }
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(t) = thread {
            let _ = t.join();
        }
    }
}

struct Writer {
    target: Target,
    /// The sequence number of the next record.
    seq: u64,
    /// The hash of the last record written.
    prev: String,
    signer: Signer,
    since_checkpoint: u64,
    last_checkpoint: Instant,
    /// Records dropped by failed writes since the last good one.
    lost: u64,
    /// The next sequence number and the last hash on disk.
    written: (u64, String),
    /// Lines of the batch being written.
    pending: String,
    /// The store whose audit outbox holds records of changes until they are on disk here.
    store: Option<Arc<dyn Store>>,
    /// Event ids of the pending records the outbox holds too.
    outboxed: Vec<String>,
    /// This log's id in the outbox (its signing key's id): nodes sharing a database each
    /// recover their own records only.
    log_id: String,
}

impl Writer {
    fn run(mut self, queue: &Queue, healthy: &AtomicBool) {
        let mut batch: Vec<Msg> = Vec::with_capacity(1024);
        loop {
            let idle = if self.since_checkpoint > 0 {
                CHECKPOINT_INTERVAL.saturating_sub(self.last_checkpoint.elapsed())
            } else {
                Duration::from_secs(3600)
            };
            queue.take(&mut batch, idle);
            let stop = self.write_batch(&mut batch, healthy);
            if let Some(done) = stop {
                queue.close();
                self.stop("clean shutdown");
                let _ = done.send(());
                return;
            }
        }
    }

    /// Chains, writes and acknowledges one batch; returns the stop request if one came.
    fn write_batch(
        &mut self,
        batch: &mut Vec<Msg>,
        healthy: &AtomicBool,
    ) -> Option<mpsc::Sender<()>> {
        if self.lost > 0 && self.pending.is_empty() {
            let note = internal_event(
                "RecordsLost",
                json!({ "records": self.lost, "reason": "the audit log could not be written" }),
            );
            self.append(&chain::canonical(&note));
        }
        let mut acks = Vec::new();
        let mut stop = None;
        for msg in batch.drain(..) {
            match msg {
                Msg::Record {
                    body,
                    ack,
                    outboxed,
                } => {
                    self.append(&body);
                    if let Some(a) = ack {
                        acks.push(a);
                    }
                    self.outboxed.extend(outboxed);
                    if self.since_checkpoint >= CHECKPOINT_RECORDS {
                        self.checkpoint(false);
                    }
                }
                Msg::Stop(done) => stop = Some(done),
                #[cfg(test)]
                Msg::Crash(done) => {
                    let _ = self.flush(true);
                    let _ = done.send(());
                    loop {
                        std::thread::park();
                    }
                }
            }
        }
        if self.since_checkpoint > 0 && self.last_checkpoint.elapsed() >= CHECKPOINT_INTERVAL {
            self.checkpoint(false);
        }
        match self.flush(!acks.is_empty() || !self.outboxed.is_empty()) {
            Ok(()) => {
                healthy.store(true, Ordering::Release);
                self.forget_outboxed();
                for a in acks {
                    let _ = a.send(true);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot write the audit log: changes are refused until it can");
                healthy.store(false, Ordering::Release);
                for a in acks {
                    let _ = a.send(false);
                }
            }
        }
        stop
    }

    /// Adds one record (canonical JSON without its chain member) to the batch.
    fn append(&mut self, body: &str) {
        let hash = chain::link_hash(self.seq, &self.prev, body);
        self.pending
            .push_str(&chain::chained_line(body, self.seq, &self.prev, &hash));
        self.prev = hash;
        self.seq += 1;
        self.since_checkpoint += 1;
    }

    /// Adds a signed checkpoint over everything before it (`last`: the one after "logging
    /// stopped").
    fn checkpoint(&mut self, last: bool) {
        let signature = self.signer.sign_checkpoint(self.seq, &self.prev);
        let event = internal_event(
            "Checkpoint",
            json!({
                "checkpoint": {
                    "signature": signature,
                    "publicKeyId": chain::key_id(&self.signer.verifying_key()),
                    "records": self.since_checkpoint,
                    "final": last,
                }
            }),
        );
        self.append(&chain::canonical(&event));
        self.since_checkpoint = 0;
        self.last_checkpoint = Instant::now();
    }

    /// Writes the pending lines (then syncs them when `sync`). A write that fails leaves the
    /// file as it was and the lines pending, to be written with the next batch (so a change
    /// that was made but not acknowledged is still recorded); past [`PENDING_MAX`] they are
    /// dropped and the next record says how many were lost. When old files were removed to
    /// make room, a record saying so follows at once.
    fn flush(&mut self, sync: bool) -> Result<(), AuditError> {
        while !self.pending.is_empty() {
            let first_seq = self.written.0;
            let result = match &mut self.target {
                Target::Files(dir) => dir.write(self.pending.as_bytes(), first_seq, sync),
                Target::Memory(lines) => {
                    for line in self.pending.lines() {
                        if lines.len() >= MEMORY_RECORDS {
                            lines.pop_front();
                        }
                        lines.push_back(line.to_string());
                    }
                    Ok(None)
                }
            };
            let removed = match result {
                Ok(r) => r,
                Err(e) => {
                    if self.pending.len() > PENDING_MAX {
                        self.lost += count_lines(&self.pending);
                        self.pending.clear();
                        // Their records stay in the store's outbox, for the next start.
                        self.outboxed.clear();
                        (self.seq, self.prev) = self.written.clone();
                        self.since_checkpoint = 0;
                    }
                    return Err(e);
                }
            };
            self.pending.clear();
            self.written = (self.seq, self.prev.clone());
            self.lost = 0;
            if let Some(removed) = removed {
                let note = internal_event(
                    "LogFilesRemoved",
                    json!({ "files": removed.files, "removedThroughSeq": removed.through_seq }),
                );
                self.append(&chain::canonical(&note));
            }
        }
        Ok(())
    }

    /// Removes the records now on disk from the store's outbox. If that fails they stay
    /// there, and the next start finds them in the log and removes them then.
    fn forget_outboxed(&mut self) {
        if self.outboxed.is_empty() {
            return;
        }
        let ids = std::mem::take(&mut self.outboxed);
        if let Some(store) = &self.store
            && let Err(e) = store.remove_audit_records(&ids)
        {
            tracing::warn!(error = %e, "cannot clear the audit outbox; the next start will");
        }
    }

    /// Appends the records the store's outbox holds that the log does not (their change
    /// committed, and the process ended before the log had them on disk), marked as
    /// recovered; returns the ids of every record the outbox held.
    fn recover_outbox(&mut self) -> Result<Vec<String>, AuditError> {
        let (Some(store), Target::Files(dir)) = (&self.store, &self.target) else {
            return Ok(Vec::new());
        };
        let pending = store
            .pending_audit_records(&self.log_id)
            .map_err(|e| AuditError::Corrupt(format!("audit outbox: {e}")))?;
        if pending.is_empty() {
            return Ok(Vec::new());
        }
        let logged = dir.recent_event_ids()?;
        let mut ids = Vec::with_capacity(pending.len());
        for (id, record) in pending {
            if !logged.contains(&id) {
                self.append(&recovered(&record));
            }
            ids.push(id);
        }
        Ok(ids)
    }

    fn stop(&mut self, reason: &str) {
        let stopped = internal_event("LoggingStopped", json!({ "reason": reason }));
        self.append(&chain::canonical(&stopped));
        self.checkpoint(true);
        if let Err(e) = self.flush(true) {
            tracing::error!(error = %e, "cannot write the audit log's last records");
        }
    }
}

/// A record from the outbox, marked as recovered at start (it has no `responseElements`:
/// the process ended before the answer).
fn recovered(record: &str) -> String {
    let mut value: serde_json::Value = match serde_json::from_str(record) {
        Ok(v) => v,
        Err(_) => json!({ "unreadableRecord": record }),
    };
    if let Some(obj) = value.as_object_mut() {
        let extra = obj
            .entry("additionalEventData")
            .or_insert_with(|| json!({}));
        if let Some(extra) = extra.as_object_mut() {
            extra.insert("recoveredAtStart".into(), json!(true));
        }
    }
    chain::canonical(&value)
}

fn count_lines(s: &str) -> u64 {
    s.bytes().filter(|&b| b == b'\n').count() as u64
}

/// The retention settings of a file target.
pub fn retention(files: Option<usize>, days: Option<u32>) -> Retention {
    Retention {
        files,
        age: days.map(|d| Duration::from_secs(u64::from(d) * 86_400)),
    }
}
