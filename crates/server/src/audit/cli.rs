//! The audit trail's part of the command line: the `--audit-dir`/`--no-audit` flags of `serve`
//! and `dev`, their merge with the configuration file, and `portcullis audit-log verify`.

use super::{AuditSettings, DEFAULT_MAX_FILE_BYTES, chain, verify};
use crate::config::FileConfig;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

/// Flags of `serve` and `dev`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Directory of the audit log (default DATA_DIR/audit for `serve`; `dev` keeps records in
    /// memory unless given one).
    #[arg(long, env = "PORTCULLIS_AUDIT_DIR")]
    pub audit_dir: Option<PathBuf>,
    /// Turn the audit trail off (requests are then not recorded at all).
    #[arg(long, env = "PORTCULLIS_NO_AUDIT")]
    pub no_audit: bool,
}

impl AuditArgs {
    /// The settings these flags and the file ask for.
    pub fn settings(&self, file: &FileConfig) -> AuditSettings {
        AuditSettings {
            enabled: !self.no_audit && file.audit.unwrap_or(true),
            dir: self.audit_dir.clone().or_else(|| file.audit_dir.clone()),
            max_file_bytes: file
                .audit_max_file_bytes
                .unwrap_or(DEFAULT_MAX_FILE_BYTES)
                .max(4096),
            retain_files: file.audit_retain_files,
            retain_days: file.audit_retain_days,
            signing_key: file.audit_signing_key.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum AuditLogCommand {
    /// Check a log offline: every hash link, every checkpoint signature, sequence continuity
    /// across files. Exits non-zero at the first record that was changed, removed or reordered.
    Verify {
        /// The log directory (default: `audit_dir` of the configuration, else DATA_DIR/audit).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The log's public key file (`audit.pub`).
        #[arg(long)]
        public_key: PathBuf,
    },
}

/// Runs an `audit-log` subcommand; `data_dir` is the configured data directory.
pub fn run(cmd: &AuditLogCommand, file: &FileConfig, data_dir: &Path) -> Result<()> {
    let AuditLogCommand::Verify { dir, public_key } = cmd;
    let dir = dir
        .clone()
        .or_else(|| file.audit_dir.clone())
        .unwrap_or_else(|| data_dir.join("audit"));
    let text = std::fs::read_to_string(public_key)
        .with_context(|| format!("reading {}", public_key.display()))?;
    let key = chain::parse_public_key(&text)
        .with_context(|| format!("{} is not an audit public key", public_key.display()))?;
    let s = verify::verify_dir(&dir, &key)?;
    println!(
        "intact: {} records (seq {}..={}) in {} files, {} signed checkpoints; {} records after the last checkpoint",
        s.records, s.first_seq, s.last_seq, s.files, s.checkpoints, s.unsigned_tail
    );
    Ok(())
}
