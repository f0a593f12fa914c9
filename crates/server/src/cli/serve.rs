//! Running the server: `serve` on the configured database with its TLS and audit settings,
//! `dev` on an in-memory (or given) database seeded like AWS's documentation examples, and what
//! both share once the app is built (the audit trail, the change follower, the listener).

use super::{DEFAULT_LISTEN, DevArgs, ServeArgs, announce, data_dir, sealing_path};
use crate::app::{App, DevSeed};
use crate::bootstrap;
use crate::config::{FileConfig, Settings};
use crate::console::root_password;
use crate::database::Database;
use crate::sealing::SealingKeys;
use anyhow::{Context, Result, bail};
use portcullis_core::clock::{OffsetClock, SystemClock};
use portcullis_core::crypto::MasterKey;
use portcullis_store::{Durability, SqliteStore};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

fn parse_listen(listen: Option<&str>, file: &FileConfig) -> Result<SocketAddr> {
    let text = listen
        .map(str::to_string)
        .or_else(|| file.listen.clone())
        .unwrap_or_else(|| DEFAULT_LISTEN.into());
    text.parse()
        .with_context(|| format!("invalid listen address {text:?} (expected IP:PORT)"))
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

pub(super) fn serve(a: &ServeArgs, file: &FileConfig, settings: Settings) -> Result<()> {
    let dir = data_dir(&a.data, file);
    let durability = match a
        .durability
        .clone()
        .or_else(|| file.durability.clone())
        .as_deref()
    {
        None | Some("full") => Durability::Full,
        Some("normal") => Durability::Normal,
        Some(other) => bail!("unknown durability {other:?} (use full or normal)"),
    };
    let (db, creds) = Database::open_for_serve(
        a.database.url(file),
        &dir,
        durability,
        a.account_id.as_deref(),
        a.database_allow_plaintext || file.database_allow_plaintext.unwrap_or(false),
    )?;
    if let Some(creds) = creds {
        announce(&creds, a.credentials_file.as_deref())?;
    }
    let master = bootstrap::load_master_key(&dir)?;
    let sealing = SealingKeys::open(&sealing_path(&a.sealing, &dir))?;
    let app = App::new(
        db.store(),
        master,
        sealing,
        Arc::new(SystemClock),
        settings,
        None,
    );
    let addr = parse_listen(a.listen.as_deref(), file)?;
    let transport = crate::http::Transport {
        tls: serve_tls(a, file, &dir, addr)?,
        limits: file.limits(),
    };
    let audit = a.audit.settings(file);
    run_server(&app, &db, file, (&audit, Some(&dir)), addr, transport)?;
    db.close()
}

/// On a shared database, follows its change log for the caches (see `coherence`), and counts
/// failed guesses there.
fn follow_changes(app: &Arc<App>, db: &Database) -> Result<Option<crate::coherence::Coherence>> {
    match db {
        Database::Postgres(store) => Ok(Some({
            app.attempts.share(store.clone());
            crate::coherence::Coherence::start(app.clone(), store.clone())
                .context("starting the change log follower")?
        })),
        Database::Sqlite(_) => Ok(None),
    }
}

/// TLS for `serve`: the configured certificate, or a self-signed one made on first start.
/// Plain HTTP only on loopback (`--no-tls`) or behind a TLS-terminating proxy.
fn serve_tls(
    a: &ServeArgs,
    file: &FileConfig,
    dir: &Path,
    addr: std::net::SocketAddr,
) -> Result<Option<Arc<crate::tls::TlsSource>>> {
    let behind_proxy = a.behind_tls_proxy || file.behind_tls_proxy.unwrap_or(false);
    if behind_proxy {
        return Ok(None);
    }
    if a.no_tls {
        if !addr.ip().is_loopback() {
            bail!(
                "plain HTTP is refused on {addr}, which is not a loopback address: serve TLS (the default), or pass --behind-tls-proxy when a TLS-terminating proxy sits in front"
            );
        }
        return Ok(None);
    }
    let client_ca = a
        .tls_client_ca
        .clone()
        .or_else(|| file.tls_client_ca.clone());
    let cert = a.tls_cert.clone().or_else(|| file.tls_cert.clone());
    let key = a.tls_key.clone().or_else(|| file.tls_key.clone());
    let files = match (cert, key) {
        (Some(cert), Some(key)) => crate::tls::TlsFiles {
            cert,
            key,
            client_ca,
        },
        (None, None) => {
            let tls_dir = dir.join("tls");
            let fresh = !tls_dir.join("cert.pem").exists();
            let mut names = vec![
                "localhost".to_string(),
                "127.0.0.1".to_string(),
                "::1".to_string(),
            ];
            if !addr.ip().is_unspecified() && !addr.ip().is_loopback() {
                names.push(addr.ip().to_string());
            }
            let files = crate::tls::ensure_self_signed(&tls_dir, &names)?;
            let print = crate::tls::fingerprint(&files.cert)?;
            if fresh {
                println!(
                    "TLS: made a self-signed certificate {} (SHA-256 {print}); give clients this file as their CA bundle, or configure --tls-cert/--tls-key",
                    files.cert.display()
                );
            }
            tracing::info!(cert = %files.cert.display(), sha256 = %print, "TLS with the self-signed certificate");
            crate::tls::TlsFiles { client_ca, ..files }
        }
        _ => bail!("--tls-cert and --tls-key go together"),
    };
    Ok(Some(crate::tls::TlsSource::open(files)?))
}

pub(super) fn dev(a: &DevArgs, file: &FileConfig, mut settings: Settings) -> Result<()> {
    // `dev` behaves as AWS: its stricter-than-AWS defaults are off unless asked for.
    if file.password_screening.is_none() {
        settings.password_screening = false;
    }
    let addr = parse_listen(a.listen.as_deref(), file)?;
    if !addr.ip().is_loopback() {
        bail!(
            "portcullis dev listens on loopback addresses only (got {addr}); use `portcullis serve` for anything else"
        );
    }
    let clock = Arc::new(OffsetClock::default());
    let seed = DevSeed {
        account: a.account_id.clone(),
        access_key_id: a.access_key_id.clone(),
        secret: portcullis_core::Secret::new(a.secret_access_key.clone()),
        clock: clock.clone(),
    };
    let db = match a.database.url(file) {
        Some(url) => Database::Postgres(crate::database::open_postgres(url)?),
        None => Database::Sqlite(Arc::new(
            SqliteStore::in_memory().map_err(|e| anyhow::anyhow!("{e}"))?,
        )),
    };
    let master = MasterKey::generate();
    let sealing = match &a.sealing_key_file {
        Some(path) => SealingKeys::open(path)?,
        None => SealingKeys::ephemeral(),
    };
    let app = App::new(db.store(), master, sealing, clock, settings, Some(seed));
    app.reset_dev().map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(p) = root_password::read(None, false)? {
        root_password::set(app.store.as_ref(), &a.account_id, &p)?;
    }
    tracing::info!(account = %a.account_id, access_key_id = %a.access_key_id, "dev mode: in-memory store");
    let transport = crate::http::Transport {
        tls: None,
        limits: file.limits(),
    };
    run_server(
        &app,
        &db,
        file,
        (&a.audit.settings(file), None),
        addr,
        transport,
    )
}

/// What `serve` and `dev` share once the app is built: the audit trail (and, with `data_dir`,
/// its default place there), the scheduled cleanup, following a shared database's change log,
/// then serving until a signal; the trail is closed after.
fn run_server(
    app: &Arc<App>,
    db: &Database,
    file: &FileConfig,
    (audit, data_dir): (&crate::audit::AuditSettings, Option<&std::path::Path>),
    addr: std::net::SocketAddr,
    transport: crate::http::Transport,
) -> Result<()> {
    app.audit.start(audit, data_dir, Some(app.store.clone()))?;
    if let Some(schedule) = &file.cleanup {
        crate::cleanup::schedule::start(app.clone(), schedule.clone())?;
    }
    let coherence = follow_changes(app, db)?;
    let served = runtime()?.block_on(crate::http::run(app.clone(), addr, transport));
    drop(coherence);
    app.audit.stop();
    served
}
