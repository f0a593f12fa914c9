//! The database a server runs on: the SQLite file of its data directory (the default), or a
//! PostgreSQL server (`--database postgres://...`) that several nodes share. With PostgreSQL the
//! data directory still holds the master key (or `PORTCULLIS_MASTER_KEY` gives it), which every
//! node must share; the first node to start on an empty database (or `portcullis init
//! --database`) creates the first account, once, under an advisory lock, and every node checks
//! at start that its master key opens the database's secrets. The offline commands (`init`,
//! `account ...`, `cleanup`, `backup`, `restore`) open either database too.

use crate::bootstrap::{self, RootCredentials};
use anyhow::{Context, Result, bail};
use portcullis_core::Store;
use portcullis_core::crypto::MasterKey;
use portcullis_core::store::AccountStore;
use portcullis_store::{Durability, PgStore, PgTarget, SqliteStore, SslMode};
use std::path::Path;
use std::sync::Arc;

/// An open database.
#[derive(Debug, Clone)]
pub enum Database {
    Sqlite(Arc<SqliteStore>),
    Postgres(Arc<PgStore>),
}

/// Whether `url` names a PostgreSQL server.
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn store_err(e: portcullis_core::StoreError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Connects to PostgreSQL and runs pending migrations.
pub fn open_postgres(url: &str) -> Result<Arc<PgStore>> {
    if !is_postgres(url) {
        bail!(
            "--database takes a postgres:// URL (the default is the SQLite file in the data directory)"
        );
    }
    let store = PgStore::open(url)
        .map_err(store_err)
        .context("opening the PostgreSQL database")?;
    Ok(Arc::new(store))
}

impl Database {
    /// The database of `serve`: `url` (PostgreSQL) or the data directory's SQLite file. An
    /// uninitialised setup is initialised first (new root credentials are returned, to be
    /// announced once).
    pub fn open_for_serve(
        url: Option<&str>,
        dir: &Path,
        durability: Durability,
        account: Option<&str>,
        allow_plaintext: bool,
    ) -> Result<(Self, Option<RootCredentials>)> {
        let Some(url) = url else {
            let creds = if bootstrap::is_initialised(dir) {
                None
            } else {
                Some(bootstrap::init_data_dir(dir, account)?)
            };
            let store = SqliteStore::open(&bootstrap::db_path(dir), durability)
                .map_err(store_err)
                .context("opening the database")?;
            let (mode, sync) = store.pragmas().map_err(store_err)?;
            tracing::info!(data_dir = %dir.display(), journal_mode = %mode, synchronous = sync, "database open");
            return Ok((Database::Sqlite(Arc::new(store)), creds));
        };
        check_transport(
            portcullis_store::pg_target(url).map_err(store_err)?,
            allow_plaintext,
        )?;
        bootstrap::ensure_master_key(dir)?;
        let master = bootstrap::load_master_key(dir)?;
        let store = open_postgres(url)?;
        let creds = store
            .exclusively(|| first_account(store.as_ref(), &master, account))
            .map_err(store_err)??;
        check_master_key(store.as_ref(), &master)?;
        tracing::info!(
            schema_version = store.schema_version().map_err(store_err)?,
            "PostgreSQL database open"
        );
        Ok((Database::Postgres(store), creds))
    }

    /// The store, for the server.
    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            Database::Sqlite(s) => s.clone(),
            Database::Postgres(s) => s.clone(),
        }
    }

    /// Closes the database cleanly at shutdown (folds SQLite's WAL into the main file).
    pub fn close(&self) -> Result<()> {
        if let Database::Sqlite(s) = self {
            s.checkpoint()
                .map_err(|e| anyhow::anyhow!("closing the database: {e}"))?;
        }
        tracing::info!("database closed");
        Ok(())
    }
}

/// `serve` refuses to reach a PostgreSQL server on another machine without TLS (`sslmode`
/// below `require`) unless `allow_plaintext`: the connection carries sealed secrets, password
/// hashes and everything decisions are made from. TLS that does not check the certificate
/// fully is allowed, with a warning.
fn check_transport(target: PgTarget, allow_plaintext: bool) -> Result<()> {
    if target.local {
        return Ok(());
    }
    if !target.encrypted() {
        if !allow_plaintext {
            bail!(
                "the database is on another machine and the connection would not be encrypted: add sslmode=verify-full (with sslrootcert=CA.pem for a private CA) to the URL, or pass --database-allow-plaintext (database_allow_plaintext = true) when the network is trusted"
            );
        }
        tracing::warn!(
            "the connection to PostgreSQL is not encrypted (allowed by --database-allow-plaintext)"
        );
    } else if target.ssl_mode != SslMode::VerifyFull {
        tracing::warn!(ssl_mode = ?target.ssl_mode, "the PostgreSQL server's certificate is not fully checked: sslmode=verify-full checks that it names the host");
    }
    Ok(())
}

/// The store of the offline commands (`account ...`, `cleanup` on a data directory): `url`
/// (PostgreSQL), or the SQLite file of the initialised data directory `dir`.
pub fn open_existing(url: Option<&str>, dir: &Path) -> Result<Arc<dyn Store>> {
    Ok(match url {
        Some(url) => open_postgres(url)?,
        None => Arc::new(bootstrap::open_store(dir)?),
    })
}

/// `portcullis init`: a new data directory with its SQLite database; or, with `url`, the first
/// account of an empty PostgreSQL database, the data directory keeping only the master key
/// (made unless it exists or `PORTCULLIS_MASTER_KEY` gives it), under the database's bootstrap
/// lock so that nodes starting meanwhile do not make an account of their own.
pub fn init(url: Option<&str>, dir: &Path, account: Option<&str>) -> Result<RootCredentials> {
    let Some(url) = url else {
        return bootstrap::init_data_dir(dir, account);
    };
    let account = bootstrap::account_id_or_random(account)?;
    let store = open_postgres(url)?;
    store
        .exclusively(|| {
            if !store.list_accounts().map_err(store_err)?.is_empty() {
                bail!(
                    "the database already holds accounts: add one with `portcullis account create --database ...`"
                );
            }
            bootstrap::ensure_master_key(dir)?;
            let master = bootstrap::load_master_key(dir)?;
            bootstrap::create_account(store.as_ref(), &master, &account, None)
        })
        .map_err(store_err)?
}

/// `portcullis account create`: another account in the data directory's database, or with
/// `url` in PostgreSQL (with the master key every node shares, checked first).
pub fn add_account(
    url: Option<&str>,
    dir: &Path,
    account: Option<&str>,
) -> Result<RootCredentials> {
    let Some(url) = url else {
        return bootstrap::add_account(dir, account);
    };
    let master = bootstrap::load_master_key(dir)?;
    let store = open_postgres(url)?;
    check_master_key(store.as_ref(), &master)?;
    bootstrap::add_account_to(store.as_ref(), &master, account)
}

/// Sets the root console password of `account` (or of the only account) in the database
/// (`url`, or the data directory's).
pub fn set_root_password(
    url: Option<&str>,
    dir: &Path,
    account: Option<&str>,
    password: &str,
) -> Result<()> {
    let store = open_existing(url, dir)?;
    let account = match account {
        Some(a) => a.to_string(),
        None => match store.list_accounts().map_err(store_err)?.as_slice() {
            [one] => one.id.clone(),
            _ => bail!("the database holds several accounts: name one with --account-id"),
        },
    };
    crate::console::root_password::set(store.as_ref(), &account, password)?;
    println!("Set the console password of the root user of account {account}.");
    Ok(())
}

/// Creates the first account when the database has none (callers hold the database's
/// advisory lock, so nodes starting together create one account between them).
fn first_account(
    store: &dyn Store,
    master: &MasterKey,
    account: Option<&str>,
) -> Result<Option<RootCredentials>> {
    if !store.list_accounts().map_err(store_err)?.is_empty() {
        return Ok(None);
    }
    let account = bootstrap::account_id_or_random(account)?;
    bootstrap::create_account(store, master, &account, None).map(Some)
}

/// Refuses a master key that does not open the database's secrets (a node started with a key
/// of its own instead of the shared one would otherwise refuse every signature).
pub(crate) fn check_master_key(store: &dyn Store, master: &MasterKey) -> Result<()> {
    for account in store.list_accounts().map_err(store_err)? {
        let keys = store
            .list_access_keys(&account.id, None)
            .map_err(store_err)?;
        if let Some(k) = keys.first() {
            if master.open(&k.sealed_secret, k.id.as_bytes()).is_err() {
                bail!(
                    "the master key does not open this database's secrets: every node must use the same master key (copy master.key, or set PORTCULLIS_MASTER_KEY)"
                );
            }
            return Ok(());
        }
    }
    Ok(())
}

/// An existing SQLite database file.
fn open_sqlite_file(path: &Path) -> Result<SqliteStore> {
    if !path.exists() {
        bail!("{} holds no database", path.display());
    }
    SqliteStore::open(path, Durability::Full)
        .map_err(store_err)
        .with_context(|| format!("opening {}", path.display()))
}

fn print_counts(counts: &portcullis_store::Counts) {
    for (table, n) in counts {
        println!("{table:<24} {n}");
    }
}

/// `portcullis backup --to FILE`: a consistent copy of the database (`url`, or the data
/// directory's SQLite file) into a new SQLite file, taken while servers keep running.
pub fn backup(url: Option<&str>, dir: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        bail!("{} exists; back up into a new file", to.display());
    }
    let dest = SqliteStore::open(to, Durability::Full)
        .map_err(store_err)
        .with_context(|| format!("creating {}", to.display()))?;
    let counts = match url {
        Some(url) => open_postgres(url)?.copy_into(&dest),
        None => open_sqlite_file(&bootstrap::db_path(dir))?.copy_into(&dest),
    }
    .map_err(store_err)
    .context("copying")?;
    dest.checkpoint().map_err(store_err)?;
    print_counts(&counts);
    println!(
        "Backed up into {}; secrets stay sealed with the master key (keep it too).",
        to.display()
    );
    Ok(())
}

/// `portcullis restore --from FILE`: a backup copied into an empty database (`url`, or the data
/// directory's SQLite file, created when missing).
pub fn restore(url: Option<&str>, dir: &Path, from: &Path) -> Result<()> {
    let source = open_sqlite_file(from)?;
    let counts = match url {
        Some(url) => source.copy_into(open_postgres(url)?.as_ref()),
        None => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            let dest =
                SqliteStore::open(&bootstrap::db_path(dir), Durability::Full).map_err(store_err)?;
            let copied = source.copy_into(&dest);
            dest.checkpoint().map_err(store_err)?;
            copied
        }
    }
    .map_err(store_err)
    .context("restoring")?;
    print_counts(&counts);
    println!("Restored; serve it with the master key of the backed-up data.");
    Ok(())
}

/// `portcullis migrate --from DATA_DIR --to URL`: copies the data directory's database into an
/// empty PostgreSQL database and prints the rows of each table (the same on both sides).
pub fn migrate(from: &Path, to: &str) -> Result<()> {
    let source = open_sqlite_file(&bootstrap::db_path(from))?;
    let dest = open_postgres(to)?;
    let counts = source
        .copy_into(dest.as_ref())
        .map_err(store_err)
        .context("copying")?;
    print_counts(&counts);
    println!(
        "Copied; both sides count the same rows. Run the nodes with the master key of {} (copy master.key, or set PORTCULLIS_MASTER_KEY): secrets were copied sealed.",
        from.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_transport;
    use portcullis_store::pg_target;

    #[test]
    fn serve_refuses_plain_text_to_another_machine_unless_allowed() {
        let check = |url: &str, allow| check_transport(pg_target(url).unwrap(), allow).is_ok();
        assert!(!check("postgres://u@db.example/x", false));
        assert!(!check("postgres://u@10.0.0.5/x?sslmode=prefer", false));
        assert!(check("postgres://u@10.0.0.5/x?sslmode=disable", true));
        assert!(check("postgres://u@db.example/x?sslmode=require", false));
        assert!(check(
            "postgres://u@127.0.0.1:5432/x?sslmode=disable",
            false
        ));
        assert!(check("postgres://u@localhost/x", false));
    }
}
