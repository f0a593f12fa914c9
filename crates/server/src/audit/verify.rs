//! `portcullis audit-log verify`: checks a log offline with only its public key. Every record's
//! hash must match its content, every record must link to the one before it with the next
//! sequence number (across files, whose names must match their first record), every checkpoint
//! signature must verify, and a log that does not start at record 0 must say (in a later,
//! chained record) that retention removed the files before it. The first record that fails is
//! reported with its file and line.

use super::chain::{self, CHAIN_FIELD, GENESIS};
use super::files::{first_seq_of, log_files};
use ed25519_dalek::VerifyingKey;
use serde_json::Value;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// What an intact log holds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub records: u64,
    pub checkpoints: u64,
    pub first_seq: u64,
    pub last_seq: u64,
    /// Records after the last checkpoint (their chain is intact, but no signature covers them
    /// yet).
    pub unsigned_tail: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// A record was changed, removed or reordered.
    #[error("{}:{line}: {reason}", file.display())]
    Tampered {
        file: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("no audit log files (audit-*.jsonl) in {}", .0.display())]
    Empty(PathBuf),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

struct Position<'a> {
    file: &'a Path,
    line: usize,
}

impl Position<'_> {
    fn tampered(&self, reason: impl Into<String>) -> VerifyError {
        VerifyError::Tampered {
            file: self.file.to_path_buf(),
            line: self.line,
            reason: reason.into(),
        }
    }
}

/// Verifies every file of the log in `dir` against `key`.
pub fn verify_dir(dir: &Path, key: &VerifyingKey) -> Result<Summary, VerifyError> {
    let files = log_files(dir).map_err(|e| VerifyError::Io {
        path: dir.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    if files.is_empty() {
        return Err(VerifyError::Empty(dir.to_path_buf()));
    }
    let mut v = Verifier {
        key,
        next: None,
        summary: Summary {
            files: files.len(),
            ..Summary::default()
        },
        last_signed: None,
        removed_through: None,
    };
    for path in &files {
        v.file(path)?;
    }
    let first = Position {
        file: &files[0],
        line: 1,
    };
    if v.summary.first_seq > 0
        && v.removed_through
            .is_none_or(|r| r + 1 < v.summary.first_seq)
    {
        return Err(first.tampered(format!(
            "the log starts at record {} and no record says retention removed the ones before it: records were removed",
            v.summary.first_seq
        )));
    }
    let Some(signed) = v.last_signed else {
        return Err(first.tampered("the log has no signed checkpoint"));
    };
    v.summary.unsigned_tail = v.summary.last_seq - signed;
    Ok(v.summary)
}

struct Verifier<'k> {
    key: &'k VerifyingKey,
    /// The next sequence number and the hash it must link to.
    next: Option<(u64, String)>,
    summary: Summary,
    last_signed: Option<u64>,
    removed_through: Option<u64>,
}

impl Verifier<'_> {
    fn file(&mut self, path: &Path) -> Result<(), VerifyError> {
        let io = |e| VerifyError::Io {
            path: path.to_path_buf(),
            source: e,
        };
        let reader = std::io::BufReader::new(std::fs::File::open(path).map_err(io)?);
        let mut first_in_file = true;
        for (i, line) in reader.split(b'\n').enumerate() {
            let line = line.map_err(io)?;
            let at = Position {
                file: path,
                line: i + 1,
            };
            let seq = self.record(&line, &at)?;
            if first_in_file && first_seq_of(path) != Some(seq) {
                return Err(at.tampered(format!(
                    "the file's first record is {seq}, not the one its name says: records were removed or reordered"
                )));
            }
            first_in_file = false;
        }
        Ok(())
    }

    /// Checks one line; returns its sequence number.
    fn record(&mut self, line: &[u8], at: &Position<'_>) -> Result<u64, VerifyError> {
        let mut record: Value = serde_json::from_slice(line)
            .map_err(|_| at.tampered("not a JSON record: the record was changed"))?;
        let chain = record
            .as_object_mut()
            .and_then(|o| o.remove(CHAIN_FIELD))
            .ok_or_else(|| at.tampered("no portcullisChain member: the record was changed"))?;
        let (Some(seq), Some(prev), Some(hash)) = (
            chain["seq"].as_u64(),
            chain["prev"].as_str(),
            chain["hash"].as_str(),
        ) else {
            return Err(at.tampered("malformed portcullisChain member: the record was changed"));
        };
        if chain::link_hash(seq, prev, &chain::canonical(&record)) != hash {
            return Err(at.tampered(format!(
                "record {seq} does not match its hash: the record was changed"
            )));
        }
        match &self.next {
            None if seq == 0 && prev != GENESIS => {
                return Err(at.tampered("record 0 does not start the chain"));
            }
            None => self.summary.first_seq = seq,
            Some((want, _)) if seq != *want => {
                return Err(at.tampered(format!(
                    "record {seq} is where record {want} belongs: records were removed or reordered"
                )));
            }
            Some((_, want_prev)) if prev != want_prev => {
                return Err(at.tampered(format!(
                    "record {seq} does not link to the record before it: a record was changed, removed or reordered"
                )));
            }
            Some(_) => {}
        }
        let data = &record["additionalEventData"];
        match record["eventName"].as_str() {
            Some("Checkpoint") if record["eventSource"] == super::INTERNAL_SOURCE => {
                let signature = data["checkpoint"]["signature"].as_str().unwrap_or_default();
                if !chain::verify_checkpoint(self.key, seq, prev, signature) {
                    return Err(at.tampered(format!(
                        "the signature of checkpoint {seq} does not verify: records before it were changed (or the log was signed with another key)"
                    )));
                }
                self.summary.checkpoints += 1;
                self.last_signed = Some(seq);
            }
            Some("LogFilesRemoved") if record["eventSource"] == super::INTERNAL_SOURCE => {
                if let Some(through) = data["removedThroughSeq"].as_u64() {
                    self.removed_through = self.removed_through.max(Some(through));
                }
            }
            _ => {}
        }
        self.next = Some((seq + 1, hash.to_string()));
        self.summary.records += 1;
        self.summary.last_seq = seq;
        Ok(seq)
    }
}
