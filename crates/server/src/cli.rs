//! The command line: its arguments (`init`, `serve`, `dev`, `account`, `migrate`, `backup`,
//! `restore`, `cleanup`, `audit`, `audit-log`, `sts rotate-keys`) and the commands that run and
//! end; `serve` and `dev` run the server (`cli/serve.rs`).

use crate::bootstrap::{self, RootCredentials};
use crate::config::{FileConfig, Settings};
use crate::console::root_password;
use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};

mod serve;
use serve::{dev, serve};

const DEV_ACCOUNT: &str = "123456789012";
const DEV_ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const DEV_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const DEFAULT_LISTEN: &str = "127.0.0.1:7070";
const DEFAULT_DATA_DIR: &str = "portcullis-data";

#[derive(Debug, Parser)]
#[command(
    name = "portcullis",
    version,
    about = "An AWS-compatible IAM and STS server."
)]
struct Cli {
    /// TOML configuration file; flags and environment variables take precedence over it.
    #[arg(long, global = true, env = "PORTCULLIS_CONFIG")]
    config: Option<PathBuf>,
    /// Log format: `text` or `json` (default text).
    #[arg(long, global = true, env = "PORTCULLIS_LOG_FORMAT")]
    log_format: Option<String>,
    /// Log filter, e.g. `info`, `debug`, `portcullis=debug` (default info).
    #[arg(long, global = true, env = "PORTCULLIS_LOG")]
    log_level: Option<String>,
    /// Comma-separated proxy IPs/CIDRs whose X-Forwarded-For sets aws:SourceIp (default: none;
    /// the TCP peer is the source).
    #[arg(long, global = true, env = "PORTCULLIS_TRUSTED_PROXIES")]
    trusted_proxies: Option<String>,
    /// Log every authorization decision (principal, action, resource, outcome, deciding
    /// statements, what was missing) at info level, target `portcullis::explain`.
    #[arg(long, global = true, env = "PORTCULLIS_EXPLAIN")]
    explain: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a data directory: SQLite database (or --database), master key (mode 0600), first
    /// account and its root key.
    Init(InitArgs),
    /// Run the server on the embedded SQLite store (initialising an empty data directory first),
    /// or on PostgreSQL (`--database`).
    Serve(ServeArgs),
    /// Run an in-memory server with a well-known account and root key, for tests (loopback only).
    Dev(DevArgs),
    /// STS administration.
    #[command(subcommand)]
    Sts(StsCommand),
    /// Accounts of a data directory (or --database).
    #[command(subcommand)]
    Account(AccountCommand),
    /// The audit log.
    #[command(subcommand)]
    AuditLog(crate::audit::cli::AuditLogCommand),
    /// Copy a SQLite data directory's database (accounts, entities, sealed secrets as they are,
    /// history) into an empty PostgreSQL database and check the counts.
    Migrate {
        /// The data directory to copy from.
        #[arg(long)]
        from: PathBuf,
        /// The PostgreSQL database to copy into (`postgres://...`).
        #[arg(long)]
        to: String,
    },
    /// Copy the database (the data directory's, or --database) into a new SQLite file, online
    /// and consistent.
    Backup {
        #[command(flatten)]
        data: DataDirArg,
        #[command(flatten)]
        database: DatabaseArg,
        /// The backup file to create.
        #[arg(long)]
        to: PathBuf,
    },
    /// Copy a backup into an empty database (the data directory's, or --database).
    Restore {
        #[command(flatten)]
        data: DataDirArg,
        #[command(flatten)]
        database: DatabaseArg,
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
    },
    /// Unused-access findings and their cleanup, in a data directory or at any IAM endpoint.
    #[command(subcommand)]
    Cleanup(crate::cleanup::CleanupCommand),
    /// The CIS AWS Foundations Benchmark's IAM checks (and the seed's practices) against any
    /// IAM endpoint; exits non-zero when a check fails.
    Audit(crate::cis::AuditArgs),
}

#[derive(Debug, Subcommand)]
enum AccountCommand {
    /// Add an account (with its root access key, printed once) to an initialised data directory.
    Create(InitArgs),
    /// Set the root user's console password (from --root-password-file, PORTCULLIS_ROOT_PASSWORD or the first line of stdin).
    SetRootPassword(RootPasswordArgs),
}

#[derive(Debug, Args)]
struct RootPasswordArgs {
    #[command(flatten)]
    data: DataDirArg,
    #[command(flatten)]
    database: DatabaseArg,
    /// The account (default: the data directory's only account).
    #[arg(long, env = "PORTCULLIS_ACCOUNT_ID")]
    account_id: Option<String>,
    /// A file whose first line is the password.
    #[arg(long)]
    root_password_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct DataDirArg {
    /// Data directory (default ./portcullis-data).
    #[arg(long, env = "PORTCULLIS_DATA_DIR")]
    data_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct InitArgs {
    #[command(flatten)]
    data: DataDirArg,
    #[command(flatten)]
    database: DatabaseArg,
    /// Id of the first account (12 digits; random when absent).
    #[arg(long, env = "PORTCULLIS_ACCOUNT_ID")]
    account_id: Option<String>,
    /// Also write the root key to this file in the AWS shared-credentials format (mode 0600).
    #[arg(long)]
    credentials_file: Option<PathBuf>,
    /// Also set the root user's console password: the first line of this file (or
    /// PORTCULLIS_ROOT_PASSWORD).
    #[arg(long)]
    root_password_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    data: DataDirArg,
    /// Address to listen on (default 127.0.0.1:7070; port 0 picks a free port).
    #[arg(long, env = "PORTCULLIS_LISTEN")]
    listen: Option<String>,
    /// Id of the first account when the data directory is empty.
    #[arg(long, env = "PORTCULLIS_ACCOUNT_ID")]
    account_id: Option<String>,
    /// Where to write the root key when the data directory is initialised.
    #[arg(long)]
    credentials_file: Option<PathBuf>,
    /// SQLite durability: `full` (every commit reaches the disk) or `normal`.
    #[arg(long, env = "PORTCULLIS_DURABILITY")]
    durability: Option<String>,
    #[command(flatten)]
    database: DatabaseArg,
    /// Reach a PostgreSQL server on another machine without TLS (refused otherwise).
    #[arg(long, env = "PORTCULLIS_DATABASE_ALLOW_PLAINTEXT")]
    database_allow_plaintext: bool,
    #[command(flatten)]
    sealing: SealingArg,
    /// PEM certificate chain to serve TLS with (with --tls-key; reloaded when the file
    /// changes). Without both, a self-signed certificate is made in DATA_DIR/tls.
    #[arg(long, env = "PORTCULLIS_TLS_CERT")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, env = "PORTCULLIS_TLS_KEY")]
    tls_key: Option<PathBuf>,
    /// Require client certificates that chain to this PEM CA (mutual TLS).
    #[arg(long, env = "PORTCULLIS_TLS_CLIENT_CA")]
    tls_client_ca: Option<PathBuf>,
    /// Serve plain HTTP on any address: a TLS-terminating proxy sits in front (list it in
    /// --trusted-proxies so its X-Forwarded-Proto sets aws:SecureTransport).
    #[arg(long, env = "PORTCULLIS_BEHIND_TLS_PROXY")]
    behind_tls_proxy: bool,
    /// Serve plain HTTP, on a loopback address only.
    #[arg(long, env = "PORTCULLIS_NO_TLS")]
    no_tls: bool,
    #[command(flatten)]
    audit: crate::audit::cli::AuditArgs,
}

#[derive(Debug, Args)]
struct DatabaseArg {
    /// A PostgreSQL server to keep the state in (`postgres://user:password@host:port/db`)
    /// instead of the data directory's SQLite file: several nodes can share it.
    #[arg(long, env = "PORTCULLIS_DATABASE")]
    database: Option<String>,
}

impl DatabaseArg {
    fn url<'a>(&'a self, file: &'a FileConfig) -> Option<&'a str> {
        self.database.as_deref().or(file.database.as_deref())
    }
}

#[derive(Debug, Args)]
struct SealingArg {
    /// The STS sealing key file (default DATA_DIR/sts-sealing.keys; created when missing). Nodes
    /// that share it accept each other's session tokens.
    #[arg(long, env = "PORTCULLIS_SEALING_KEY_FILE")]
    sealing_key_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum StsCommand {
    /// Add a new current sealing key; keys retired longer ago than any session lives are dropped.
    RotateKeys {
        #[command(flatten)]
        data: DataDirArg,
        #[command(flatten)]
        sealing: SealingArg,
    },
}

#[derive(Debug, Args)]
struct DevArgs {
    /// Loopback address to listen on (default 127.0.0.1:7070; port 0 picks a free port).
    #[arg(long, env = "PORTCULLIS_LISTEN")]
    listen: Option<String>,
    /// Account id of the well-known account.
    #[arg(long, env = "PORTCULLIS_DEV_ACCOUNT_ID", default_value = DEV_ACCOUNT)]
    account_id: String,
    /// Root access key id of the well-known account.
    #[arg(long, env = "PORTCULLIS_DEV_ACCESS_KEY_ID", default_value = DEV_ACCESS_KEY_ID)]
    access_key_id: String,
    /// Root secret access key of the well-known account.
    #[arg(long, env = "PORTCULLIS_DEV_SECRET_ACCESS_KEY", default_value = DEV_SECRET, hide_default_value = true)]
    secret_access_key: String,
    /// STS sealing key file to use instead of an in-memory key.
    #[arg(long, env = "PORTCULLIS_SEALING_KEY_FILE")]
    sealing_key_file: Option<PathBuf>,
    /// Keep dev's state in this PostgreSQL database instead of memory (it is wiped at start,
    /// like the in-memory state).
    #[command(flatten)]
    database: DatabaseArg,
    #[command(flatten)]
    audit: crate::audit::cli::AuditArgs,
}

pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("portcullis: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logging(cli: &Cli, file: &FileConfig) -> Result<()> {
    let level = cli
        .log_level
        .clone()
        .or_else(|| file.log_level.clone())
        .unwrap_or_else(|| "info".into());
    let filter = tracing_subscriber::EnvFilter::try_new(&level)
        .with_context(|| format!("invalid log filter {level:?}"))?;
    let format = cli
        .log_format
        .clone()
        .or_else(|| file.log_format.clone())
        .unwrap_or_else(|| "text".into());
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    match format.as_str() {
        "text" => builder.init(),
        "json" => builder.json().init(),
        other => bail!("unknown log format {other:?} (use text or json)"),
    }
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    let file = FileConfig::load(cli.config.as_deref())?;
    init_logging(&cli, &file)?;
    match &cli.command {
        Command::Init(a) => {
            let (dir, url) = (data_dir(&a.data, &file), a.database.url(&file));
            let creds = crate::database::init(url, &dir, a.account_id.as_deref())?;
            announce(&creds, a.credentials_file.as_deref())?;
            if let Some(p) = root_password::read(a.root_password_file.as_deref(), false)? {
                crate::database::set_root_password(url, &dir, Some(&creds.account), &p)?;
            }
            Ok(())
        }
        Command::Account(AccountCommand::SetRootPassword(a)) => {
            let dir = data_dir(&a.data, &file);
            let Some(p) = root_password::read(a.root_password_file.as_deref(), true)? else {
                bail!("no password given");
            };
            let url = a.database.url(&file);
            crate::database::set_root_password(url, &dir, a.account_id.as_deref(), &p)
        }
        Command::Serve(a) => serve(
            a,
            &file,
            Settings::new(&file, cli.trusted_proxies.as_deref(), cli.explain)?,
        ),
        Command::Dev(a) => dev(
            a,
            &file,
            Settings::new(&file, cli.trusted_proxies.as_deref(), cli.explain)?,
        ),
        Command::Account(AccountCommand::Create(a)) => {
            let (dir, url) = (data_dir(&a.data, &file), a.database.url(&file));
            let creds = crate::database::add_account(url, &dir, a.account_id.as_deref())?;
            announce(&creds, a.credentials_file.as_deref())?;
            if let Some(p) = root_password::read(a.root_password_file.as_deref(), false)? {
                crate::database::set_root_password(url, &dir, Some(&creds.account), &p)?;
            }
            Ok(())
        }
        Command::AuditLog(cmd) => {
            let dir = file
                .data_dir
                .clone()
                .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
            crate::audit::cli::run(cmd, &file, &dir)
        }
        Command::Migrate { from, to } => crate::database::migrate(from, to),
        Command::Backup { data, database, to } => {
            crate::database::backup(database.url(&file), &data_dir(data, &file), to)
        }
        Command::Restore {
            data,
            database,
            from,
        } => crate::database::restore(database.url(&file), &data_dir(data, &file), from),
        Command::Cleanup(cmd) => crate::cleanup::run(cmd, &file),
        Command::Audit(a) => crate::cis::run(a),
        Command::Sts(StsCommand::RotateKeys { data, sealing }) => {
            let path = sealing_path(sealing, &data_dir(data, &file));
            let ids = crate::sealing::rotate(&path)?;
            println!(
                "Rotated {}: key {} seals new sessions; keys {:?} still open older ones.",
                path.display(),
                ids[0],
                &ids[1..]
            );
            Ok(())
        }
    }
}

fn data_dir(arg: &DataDirArg, file: &FileConfig) -> PathBuf {
    arg.data_dir
        .clone()
        .or_else(|| file.data_dir.clone())
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR))
}

fn sealing_path(arg: &SealingArg, data_dir: &Path) -> PathBuf {
    arg.sealing_key_file
        .clone()
        .unwrap_or_else(|| data_dir.join("sts-sealing.keys"))
}

/// Hands the new root credentials to the operator: written to the credentials file when one
/// is given (and then never printed: under systemd or a container runtime stdout is the log),
/// else printed once on stdout (never the log).
fn announce(creds: &RootCredentials, credentials_file: Option<&Path>) -> Result<()> {
    println!("Account:               {}", creds.account);
    println!("Root access key id:    {}", creds.access_key_id);
    if let Some(path) = credentials_file {
        bootstrap::write_credentials_file(path, creds)?;
        println!("Wrote the root credentials to {}", path.display());
    } else {
        println!("Root secret access key: {}", creds.secret.expose());
        println!("(The secret is shown only now. Store it safely.)");
    }
    Ok(())
}
