//! The audit trail: every request, allowed or refused, leaves a CloudTrail-format record
//! (`record`), chained by SHA-256 and signed at checkpoints with Ed25519 (`chain`), written by
//! one group-committing writer (`sink`) to rotated JSON-lines files (`files`), and checkable
//! offline with only the public key (`verify`). The record of a change, or of issued
//! credentials, is on disk (fsync'd) before the request is answered; when it cannot be written
//! the request fails with `ServiceFailure` instead, and further changes are refused before
//! they are made until the log can be written again. Reads are recorded without waiting.
//!
//! The request pipeline touches this module in four places: [`Draft::begin`] when a request
//! arrives, [`Draft::signed`] once its signature is parsed, [`Draft::routed`] once it is
//! routed (which also refuses a change while the log cannot be written), and [`finish`] with
//! the outcome, which makes the one record of the request.

pub mod chain;
pub mod cli;
pub mod elements;
pub mod files;
pub mod record;
pub mod sink;
#[cfg(test)]
mod tests;
pub mod verify;

pub use record::{Draft, Outboxed};

use portcullis_proto::{AwsError, Operation, Service};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `eventSource` of the log's own records (start, stop, checkpoints, retention).
pub const INTERNAL_SOURCE: &str = "audit.portcullis.internal";

/// Default size at which a log file is rotated.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("audit signing key: {0}")]
    Key(String),
    #[error("audit log: {0}")]
    Corrupt(String),
}

impl AuditError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        AuditError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The audit settings of `serve` and `dev` (see `config.rs` for their file keys).
#[derive(Clone, Debug)]
pub struct AuditSettings {
    /// False only when turned off explicitly (`audit = false`, `--no-audit`).
    pub enabled: bool,
    /// Where the log files go; `serve` defaults to `DATA_DIR/audit`, `dev` keeps records in
    /// memory without it.
    pub dir: Option<PathBuf>,
    pub max_file_bytes: u64,
    pub retain_files: Option<usize>,
    pub retain_days: Option<u32>,
    /// The Ed25519 signing key file; `serve` defaults to `DATA_DIR/audit.key`, `dev` uses an
    /// in-memory key without it.
    pub signing_key: Option<PathBuf>,
}

/// The trail as the server holds it: not started yet, explicitly off, or writing.
#[derive(Debug, Default)]
pub struct Audit {
    state: OnceLock<Option<sink::Sink>>,
    /// The directory of the log files, when the trail writes files.
    dir: OnceLock<PathBuf>,
}

impl Audit {
    /// Starts the trail (writing "logging started") with `settings`; `data_dir` is `serve`'s
    /// data directory (`None` for `dev`).
    /// With `store`, the record of a change made through the store commits in the change's
    /// own transaction (the audit outbox) and the log syncs it later; records a crash left
    /// there are moved into the log now.
    pub fn start(
        &self,
        settings: &AuditSettings,
        data_dir: Option<&Path>,
        store: Option<std::sync::Arc<dyn portcullis_core::Store>>,
    ) -> Result<(), AuditError> {
        let sink = if settings.enabled {
            let dir = settings
                .dir
                .clone()
                .or_else(|| data_dir.map(|d| d.join("audit")));
            if let Some(d) = dir {
                let _ = self.dir.set(d);
            }
            Some(open(settings, data_dir, store)?)
        } else {
            tracing::warn!("the audit trail is off (audit = false): requests are not recorded");
            None
        };
        if self.state.set(sink).is_err() {
            return Err(AuditError::Corrupt(
                "the audit trail was started twice".into(),
            ));
        }
        Ok(())
    }

    /// The directory of the log files (`None` when the trail is off or kept in memory).
    pub fn dir(&self) -> Option<&Path> {
        self.dir.get().map(PathBuf::as_path)
    }

    fn sink(&self) -> Option<&sink::Sink> {
        self.state.get().and_then(Option::as_ref)
    }

    /// The id of the log whose records of changes go into the store with the change (a log
    /// kept in files, started with the store), if they do.
    pub fn outbox_log(&self) -> Option<&str> {
        self.sink().and_then(sink::Sink::outbox_log)
    }

    /// Refuses a change (before it is made) while the log cannot be written.
    pub fn admit(&self) -> Result<(), AwsError> {
        match self.sink() {
            Some(s) if !s.healthy() => Err(AwsError::internal()),
            _ => Ok(()),
        }
    }

    /// Records an event the server makes itself (the console's `ConsoleLogin`), on disk
    /// before this returns: false when it could not be written (true with the trail off).
    pub async fn record(&self, event: &Value) -> bool {
        let Some(sink) = self.sink() else {
            return true;
        };
        match sink.send(chain::canonical(event), true, None) {
            Some(w) => w.await.unwrap_or(false),
            None => true,
        }
    }

    /// Writes one record made outside the request pipeline (`portcullis cleanup` on a data
    /// directory) and waits until it is on disk; false when it could not be written. With the
    /// trail off, there is nothing to write.
    pub fn record_blocking(&self, event: &Value) -> bool {
        match self.sink() {
            None => true,
            Some(s) => s
                .send(chain::canonical(event), true, None)
                .is_some_and(|rx| rx.blocking_recv().unwrap_or(false)),
        }
    }

    /// Writes "logging stopped" and a final checkpoint, and waits for them to reach the disk.
    pub fn stop(&self) {
        if let Some(s) = self.sink() {
            s.stop();
            tracing::info!("audit log closed");
        }
    }
}

fn open(
    settings: &AuditSettings,
    data_dir: Option<&Path>,
    store: Option<std::sync::Arc<dyn portcullis_core::Store>>,
) -> Result<sink::Sink, AuditError> {
    let key_path = settings
        .signing_key
        .clone()
        .or_else(|| data_dir.map(|d| d.join("audit.key")));
    let signer = match &key_path {
        Some(p) => chain::Signer::open_or_create(p)?,
        None => chain::Signer::generate(),
    };
    let dir = settings
        .dir
        .clone()
        .or_else(|| data_dir.map(|d| d.join("audit")));
    let target = match &dir {
        Some(dir) => {
            let retention = sink::retention(settings.retain_files, settings.retain_days);
            let mut log = files::LogDir::new(dir.clone(), settings.max_file_bytes, retention);
            if key_path.is_none() {
                // An in-memory key: its public half goes beside the log, to verify this run.
                log.resume()?;
                signer.write_public(&dir.join("audit.pub"))?;
            }
            sink::Target::Files(log)
        }
        None => sink::Target::Memory(Default::default()),
    };
    let started = sink::Sink::start(target, signer, store)?;
    match &dir {
        Some(d) => tracing::info!(dir = %d.display(), "audit log open"),
        None => tracing::info!("audit log in memory (set audit_dir to keep it)"),
    }
    Ok(started)
}

/// One of the log's own records.
pub(crate) fn internal_event(name: &str, data: Value) -> Value {
    json!({
        "eventVersion": "1.11",
        "eventTime": record::timestamp(chrono::Utc::now()),
        "eventSource": INTERNAL_SOURCE,
        "eventName": name,
        "eventType": "PortcullisAuditEvent",
        "eventID": record::event_id(),
        "readOnly": false,
        "managementEvent": true,
        "additionalEventData": data,
    })
}

/// What the pipeline answers.
pub type Outcome = Result<(Operation, String), (AwsError, Service)>;

/// Makes the request's record. The record of a change (or of issued credentials) is on disk
/// before this returns; if it cannot be written, the outcome becomes `ServiceFailure`.
pub async fn finish(audit: &Audit, mut draft: Draft, outcome: Outcome) -> Outcome {
    let Some(sink) = audit.sink() else {
        return outcome;
    };
    let event = match &outcome {
        Ok((_, xml)) => draft.event_json(Ok(xml)),
        Err((err, service)) => {
            draft.service.get_or_insert(*service);
            draft.event_json(Err(err))
        }
    };
    // A record the change's transaction stored is durable already: the log syncs it with
    // its batch and then removes it from the store.
    let outboxed = draft
        .outbox
        .as_ref()
        .filter(|o| o.stored())
        .map(|o| o.event_id.clone());
    let durable = outboxed.is_none()
        && draft
            .op
            .is_some_and(|op| record::is_durable(op, draft.writes));
    let waiter = sink.send(event, durable, outboxed);
    let written = match waiter {
        Some(w) => w.await.unwrap_or(false),
        None => true,
    };
    if written {
        return outcome;
    }
    tracing::error!(
        request_id = %draft.request_id,
        "the audit record of a change could not be written: the change is not acknowledged"
    );
    let service = draft.service.unwrap_or(Service::Iam);
    Err((AwsError::internal(), service))
}
