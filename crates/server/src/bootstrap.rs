//! Creating accounts and data directories: the master key file, the database, the first
//! account and its root access key.

use anyhow::{Context, Result, bail};
use chrono::Utc;
use portcullis_core::crypto::MasterKey;
use portcullis_core::{AccessKey, Account, KeyStatus, Secret, Store, ids};
use portcullis_store::{Durability, SqliteStore};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

const MASTER_KEY_FILE: &str = "master.key";
const DB_FILE: &str = "portcullis.sqlite";

#[derive(Debug)]
pub struct RootCredentials {
    pub account: String,
    pub access_key_id: String,
    pub secret: Secret,
}

pub fn db_path(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}

fn key_path(dir: &Path) -> PathBuf {
    dir.join(MASTER_KEY_FILE)
}

pub fn is_initialised(dir: &Path) -> bool {
    key_path(dir).exists() || db_path(dir).exists()
}

/// Writes a file readable by its owner only, failing if it exists.
pub fn write_private(path: &Path, contents: &str) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(contents.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

/// Reads the master key, refusing a key file that others can read.
pub fn load_master_key(dir: &Path) -> Result<MasterKey> {
    if let Ok(text) = std::env::var("PORTCULLIS_MASTER_KEY") {
        return MasterKey::from_base64(&text).context("PORTCULLIS_MASTER_KEY");
    }
    let path = key_path(dir);
    let meta = std::fs::metadata(&path)
        .with_context(|| format!("the master key file {} is missing", path.display()))?;
    if meta.permissions().mode() & 0o077 != 0 {
        bail!(
            "the master key file {} is readable by group or others; run: chmod 600 {}",
            path.display(),
            path.display()
        );
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    MasterKey::from_base64(&text)
        .with_context(|| format!("the master key file {} is not valid", path.display()))
}

/// Creates an account and its root access key (a fresh key unless one is given).
pub fn create_account(
    store: &dyn Store,
    master: &MasterKey,
    account: &str,
    root_key: Option<(&str, &Secret)>,
) -> Result<RootCredentials> {
    let now = Utc::now();
    store
        .create_account(&Account {
            id: account.to_string(),
            created: now,
        })
        .map_err(|e| anyhow::anyhow!("creating account {account}: {e}"))?;
    let (access_key_id, secret) = match root_key {
        Some((id, s)) => (id.to_string(), s.clone()),
        None => (ids::access_key_id(), ids::secret_access_key()),
    };
    let key = AccessKey {
        id: access_key_id.clone(),
        account: account.to_string(),
        user_id: None,
        status: KeyStatus::Active,
        sealed_secret: master.seal(secret.expose().as_bytes(), access_key_id.as_bytes()),
        created: now,
        last_used: None,
    };
    let quotas = portcullis_core::quotas::Quotas::default();
    portcullis_core::store::write(store, |tx| {
        portcullis_core::iam::access_keys::create(tx, &key, &quotas)
    })
    .map_err(|e| anyhow::anyhow!("creating the root access key: {e}"))?;
    Ok(RootCredentials {
        account: account.to_string(),
        access_key_id,
        secret,
    })
}

pub fn account_id_or_random(account: Option<&str>) -> Result<String> {
    match account {
        Some(a) if ids::is_account_id(a) => Ok(a.to_string()),
        Some(a) => bail!("account id {a:?} must be 12 digits"),
        None => Ok(ids::account_id()),
    }
}

/// `portcullis account create`: another account in an initialised data directory (a running
/// server sees it at once; accounts share nothing but the server).
pub fn add_account(dir: &Path, account: Option<&str>) -> Result<RootCredentials> {
    let store = open_store(dir)?;
    add_account_to(&store, &load_master_key(dir)?, account)
}

/// Another account (`account`, or a random id) in `store`, refused when it exists.
pub fn add_account_to(
    store: &dyn Store,
    master: &MasterKey,
    account: Option<&str>,
) -> Result<RootCredentials> {
    let account = account_id_or_random(account)?;
    if store
        .get_account(&account)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .is_some()
    {
        bail!("account {account} already exists");
    }
    create_account(store, master, &account, None)
}

/// Creates the data directory (mode 0700) and its master key file unless the key exists (or
/// `PORTCULLIS_MASTER_KEY` gives it): what a node on PostgreSQL keeps locally.
pub fn ensure_master_key(dir: &Path) -> Result<()> {
    if std::env::var_os("PORTCULLIS_MASTER_KEY").is_some() || key_path(dir).exists() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    write_private(&key_path(dir), MasterKey::generate().to_base64().expose())
}

/// The store of an initialised data directory (for the offline commands).
pub fn open_store(dir: &Path) -> Result<SqliteStore> {
    if !is_initialised(dir) {
        bail!(
            "{} is not initialised; run `portcullis init` first",
            dir.display()
        );
    }
    SqliteStore::open(&db_path(dir), Durability::Full)
        .map_err(|e| anyhow::anyhow!("opening the database: {e}"))
}

/// `portcullis init`: data directory, master key, database, first account and root key.
pub fn init_data_dir(dir: &Path, account: Option<&str>) -> Result<RootCredentials> {
    if is_initialised(dir) {
        bail!("{} is already initialised", dir.display());
    }
    let account = account_id_or_random(account)?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    let master = MasterKey::generate();
    write_private(&key_path(dir), master.to_base64().expose())?;
    let store = SqliteStore::open(&db_path(dir), Durability::Full)
        .map_err(|e| anyhow::anyhow!("creating the database: {e}"))?;
    let creds = create_account(&store, &master, &account, None)?;
    store.checkpoint().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(creds)
}

/// The AWS shared-credentials format, profile `default`.
pub fn write_credentials_file(path: &Path, creds: &RootCredentials) -> Result<()> {
    let text = format!(
        "[default]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
        creds.access_key_id,
        creds.secret.expose()
    );
    write_private(path, &text)
}
