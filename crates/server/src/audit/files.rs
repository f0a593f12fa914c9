//! The audit log on disk: a directory (mode 0700) of JSON-lines files (mode 0600) named
//! `audit-SEQ.jsonl` after the sequence number of their first record, so that their names sort
//! in chain order. Each start of the server opens a new file, and so does a file that outgrows
//! the size limit; the chain continues across files. Old files are removed by count or age.
//! On start the last record is read back to continue the chain; a torn last line (the process
//! died mid-write; no record that was acknowledged can be torn) is cut off and reported.

use super::AuditError;
use super::chain::{CHAIN_FIELD, GENESIS};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Which files are kept.
#[derive(Clone, Copy, Debug, Default)]
pub struct Retention {
    /// Files kept at most (the current one included).
    pub files: Option<usize>,
    /// Files older than this (by their last change) are removed.
    pub age: Option<Duration>,
}

/// Files removed by retention.
#[derive(Debug)]
pub struct Removed {
    pub files: Vec<String>,
    /// The last sequence number they held.
    pub through_seq: u64,
}

/// How the previous run of the server ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Previous {
    /// A new log.
    None,
    /// Its last records are "logging stopped" and the final checkpoint.
    Clean,
    /// It stopped without saying so; `usize` bytes of a torn last line were cut off.
    Unclean(usize),
}

impl Previous {
    pub fn as_str(self) -> &'static str {
        match self {
            Previous::None => "none",
            Previous::Clean => "clean",
            Previous::Unclean(_) => "unclean",
        }
    }
    pub fn truncated(self) -> usize {
        match self {
            Previous::Unclean(n) => n,
            _ => 0,
        }
    }
}

/// A log directory being written.
#[derive(Debug)]
pub struct LogDir {
    dir: PathBuf,
    max_file_bytes: u64,
    retention: Retention,
    current: Option<Current>,
}

#[derive(Debug)]
struct Current {
    file: File,
    size: u64,
}

/// The files of a log in chain order.
pub fn log_files(dir: &Path) -> Result<Vec<PathBuf>, AuditError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| AuditError::io(dir, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("audit-") && n.ends_with(".jsonl"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The sequence number a file's name gives.
pub fn first_seq_of(path: &Path) -> Option<u64> {
    path.file_name()?
        .to_str()?
        .strip_prefix("audit-")?
        .strip_suffix(".jsonl")?
        .parse()
        .ok()
}

impl LogDir {
    pub fn new(dir: PathBuf, max_file_bytes: u64, retention: Retention) -> Self {
        LogDir {
            dir,
            max_file_bytes,
            retention,
            current: None,
        }
    }

    /// Creates the directory if needed and finds where the chain stands: the last sequence
    /// number and hash, and how the previous run ended.
    pub fn resume(&mut self) -> Result<(Option<u64>, String, Previous), AuditError> {
        use std::os::unix::fs::PermissionsExt;
        let io = |e| AuditError::io(&self.dir, e);
        if !self.dir.exists() {
            std::fs::create_dir_all(&self.dir).map_err(io)?;
            std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700))
                .map_err(io)?;
        }
        let mut truncated = 0;
        for path in log_files(&self.dir)?.iter().rev() {
            let (last, cut) = last_line(path)?;
            truncated += cut;
            let Some(line) = last else { continue };
            let record: serde_json::Value =
                serde_json::from_str(&line).map_err(|_| unreadable(path))?;
            let chain = &record[CHAIN_FIELD];
            let (Some(seq), Some(hash)) = (chain["seq"].as_u64(), chain["hash"].as_str()) else {
                return Err(unreadable(path));
            };
            let clean = truncated == 0
                && (record["eventName"] == "LoggingStopped"
                    || record["additionalEventData"]["checkpoint"]["final"] == true);
            let previous = if clean {
                Previous::Clean
            } else {
                Previous::Unclean(truncated)
            };
            return Ok((Some(seq), hash.to_string(), previous));
        }
        Ok((None, GENESIS.to_string(), Previous::None))
    }

    /// The `eventID`s in the last two files of the log: where records of changes a crash
    /// left in the store's audit outbox would be, had they reached the log.
    pub fn recent_event_ids(&self) -> Result<std::collections::HashSet<String>, AuditError> {
        const KEY: &str = "\"eventID\":\"";
        let mut ids = std::collections::HashSet::new();
        for path in log_files(&self.dir)?.iter().rev().take(2) {
            let text = std::fs::read_to_string(path).map_err(|e| AuditError::io(path, e))?;
            for line in text.lines() {
                let id = line
                    .find(KEY)
                    .map(|i| &line[i + KEY.len()..])
                    .and_then(|rest| rest.split('"').next());
                if let Some(id) = id {
                    ids.insert(id.to_string());
                }
            }
        }
        Ok(ids)
    }

    /// Appends `bytes` (whole lines; the first holds record `first_seq`), syncing when `sync`,
    /// after opening a new file when there is none or the current one is full. On failure the
    /// file is cut back to where it was. Returns what retention removed, if anything.
    pub fn write(
        &mut self,
        bytes: &[u8],
        first_seq: u64,
        sync: bool,
    ) -> Result<Option<Removed>, AuditError> {
        let full = self
            .current
            .as_ref()
            .is_none_or(|c| c.size > 0 && c.size + bytes.len() as u64 > self.max_file_bytes);
        let mut removed = None;
        if full {
            if let Some(old) = self.current.take() {
                old.file
                    .sync_all()
                    .map_err(|e| AuditError::io(&self.dir, e))?;
            }
            let path = self.dir.join(format!("audit-{first_seq:020}.jsonl"));
            let file = open_new(&path)?;
            sync_dir(&self.dir)?;
            self.current = Some(Current { file, size: 0 });
            removed = self.apply_retention(&path)?;
        }
        let Some(cur) = self.current.as_mut() else {
            return Err(AuditError::io(
                &self.dir,
                std::io::ErrorKind::NotFound.into(),
            ));
        };
        let written = cur
            .file
            .write_all(bytes)
            .and_then(|()| if sync { cur.file.sync_data() } else { Ok(()) });
        match written {
            Ok(()) => {
                cur.size += bytes.len() as u64;
                Ok(removed)
            }
            Err(e) => {
                let _ = cur.file.set_len(cur.size);
                let _ = cur.file.seek(SeekFrom::Start(cur.size));
                Err(AuditError::io(&self.dir, e))
            }
        }
    }

    /// Removes the oldest files past the count and those past the age (never `current`).
    fn apply_retention(&self, current: &Path) -> Result<Option<Removed>, AuditError> {
        if self.retention.files.is_none() && self.retention.age.is_none() {
            return Ok(None);
        }
        let files = log_files(&self.dir)?;
        let keep_from = self
            .retention
            .files
            .map_or(0, |n| files.len().saturating_sub(n.max(1)));
        let mut removed = Vec::new();
        let mut next_kept = None;
        for (i, path) in files.iter().enumerate() {
            if path == current {
                next_kept.get_or_insert_with(|| path.clone());
                break;
            }
            let old = self.retention.age.is_some_and(|age| {
                std::fs::metadata(path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|e| e > age)
            });
            // Files go oldest first only, so what remains is one unbroken stretch of the chain.
            if (i < keep_from || old) && next_kept.is_none() {
                std::fs::remove_file(path).map_err(|e| AuditError::io(path, e))?;
                removed.push(path.clone());
            } else {
                next_kept.get_or_insert_with(|| path.clone());
            }
        }
        if removed.is_empty() {
            return Ok(None);
        }
        sync_dir(&self.dir)?;
        let through_seq = next_kept
            .as_deref()
            .and_then(first_seq_of)
            .unwrap_or(0)
            .saturating_sub(1);
        Ok(Some(Removed {
            files: removed
                .iter()
                .filter_map(|p| p.file_name()?.to_str().map(str::to_string))
                .collect(),
            through_seq,
        }))
    }
}

fn unreadable(path: &Path) -> AuditError {
    AuditError::Corrupt(format!(
        "the last record of {} cannot be read, so the chain cannot continue; check it with `portcullis audit-log verify`, then move the directory aside to start a new log",
        path.display()
    ))
}

/// The last complete line of a file, after cutting off a torn one (returns its length).
fn last_line(path: &Path) -> Result<(Option<String>, usize), AuditError> {
    let io = |e| AuditError::io(path, e);
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    // Records are small; the last one lies within the last 1 MiB unless something is wrong.
    let window = len.min(1024 * 1024);
    f.seek(SeekFrom::Start(len - window)).map_err(io)?;
    let mut tail = Vec::with_capacity(usize::try_from(window).unwrap_or(0));
    f.read_to_end(&mut tail).map_err(io)?;
    let end = tail.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let torn = tail.len() - end;
    if torn > 0 {
        if end == 0 && window < len {
            return Err(unreadable(path));
        }
        f.set_len(len - torn as u64).map_err(io)?;
        f.sync_all().map_err(io)?;
        tracing::warn!(file = %path.display(), bytes = torn, "cut off a torn last audit record");
    }
    let complete = &tail[..end];
    let body = complete.strip_suffix(b"\n").unwrap_or(complete);
    let start = body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = &body[start..];
    if line.is_empty() {
        return Ok((None, torn));
    }
    let text = std::str::from_utf8(line).map_err(|_| unreadable(path))?;
    Ok((Some(text.to_string()), torn))
}

fn open_new(path: &Path) -> Result<File, AuditError> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .append(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| AuditError::io(path, e))
}

fn sync_dir(dir: &Path) -> Result<(), AuditError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| AuditError::io(dir, e))
}
