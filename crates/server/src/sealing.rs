//! The STS sealing keyring on disk: created on first use (mode 0600, refused when others can
//! read it), rotated by `portcullis sts rotate-keys`, and re-read by running servers when the
//! file changes, so every node sharing the file seals with the new key within seconds and keeps
//! opening tokens sealed with the keys it replaced.

use anyhow::{Context, Result, bail};
use chrono::{TimeDelta, Utc};
use portcullis_core::session::Keyring;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

/// The longest any session lives (GetSessionToken / GetFederationToken: 36 hours), plus the
/// allowed clock skew: a retired key is kept at least this long.
pub const RETIRED_KEY_LIFETIME: TimeDelta = TimeDelta::hours(37);
const RECHECK: Duration = Duration::from_secs(2);

#[derive(Debug)]
struct FileState {
    checked: Instant,
    modified: Option<SystemTime>,
}

#[derive(Debug)]
pub struct SealingKeys {
    ring: RwLock<Arc<Keyring>>,
    file: Option<(PathBuf, Mutex<FileState>)>,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn read(path: &Path) -> Result<Keyring> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("the sealing key file {} is missing", path.display()))?;
    if meta.permissions().mode() & 0o077 != 0 {
        bail!(
            "the sealing key file {} is readable by group or others; run: chmod 600 {}",
            path.display(),
            path.display()
        );
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Keyring::parse(&text).with_context(|| format!("the sealing key file {}", path.display()))
}

/// Replaces the file's contents atomically (a 0600 temporary file renamed over it).
fn write(path: &Path, ring: &Keyring) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .with_context(|| format!("creating {}", tmp.display()))?;
    f.write_all(ring.to_text().expose().as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

impl SealingKeys {
    /// A keyring that lives in memory only (dev mode).
    pub fn ephemeral() -> Self {
        SealingKeys {
            ring: RwLock::new(Arc::new(Keyring::generate(Utc::now()))),
            file: None,
        }
    }

    /// The keyring in `path`, created with one fresh key when the file does not exist.
    pub fn open(path: &Path) -> Result<Self> {
        if !path.exists() {
            write(path, &Keyring::generate(Utc::now()))?;
            tracing::info!(path = %path.display(), "created the STS sealing key file");
        }
        let ring = read(path)?;
        Ok(SealingKeys {
            ring: RwLock::new(Arc::new(ring)),
            file: Some((
                path.to_path_buf(),
                Mutex::new(FileState {
                    checked: Instant::now(),
                    modified: modified(path),
                }),
            )),
        })
    }

    /// The current keyring, re-read first if the file changed since it was last looked at.
    pub fn ring(&self) -> Arc<Keyring> {
        // Every session request passes here: a request that finds another one checking the
        // file goes on with the loaded keys instead of waiting.
        if let Some((path, state)) = &self.file
            && let Ok(mut st) = state.try_lock()
            && st.checked.elapsed() >= RECHECK
        {
            st.checked = Instant::now();
            let m = modified(path);
            if m != st.modified {
                match read(path) {
                    Ok(ring) => {
                        st.modified = m;
                        tracing::info!(keys = ?ring.ids(), "reloaded the STS sealing keys");
                        *self.ring.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(ring);
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "cannot reload the STS sealing keys; keeping the loaded ones")
                    }
                }
            }
        }
        self.ring.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// `portcullis sts rotate-keys`: a new current key; keys retired longer ago than any session
/// lives are dropped. Returns the key ids now in the file, current first.
pub fn rotate(path: &Path) -> Result<Vec<u32>> {
    let ring = read(path)?.rotated(Utc::now(), RETIRED_KEY_LIFETIME);
    write(path, &ring)?;
    Ok(ring.ids())
}
