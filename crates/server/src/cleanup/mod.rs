//! `portcullis cleanup plan|apply|undo`: finds unused access (`portcullis_core::findings`) in
//! a data directory ([`direct`]) or at any IAM endpoint through the AWS credential chain
//! ([`endpoint`]), and plans and carries out the cleanup: deactivate first, delete after the
//! recovery window, undo within it. The rules are in core; this module gathers the facts,
//! carries out the steps and shows the result ([`render`]).

pub mod admin;
pub mod direct;
pub mod endpoint;
pub mod render;

pub mod schedule;
pub mod sdk;

use crate::config::FileConfig;
use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use portcullis_core::Secret;
use portcullis_core::findings::cleanup::{self, Exclusions, Plan, Step};
use portcullis_core::findings::{self, PrincipalFacts, Settings};
use render::Done;
use std::path::PathBuf;

/// Where cleanup reads and acts.
pub trait Target {
    /// Every user and role of the account, with what the findings read.
    fn principals(&mut self) -> Result<Vec<PrincipalFacts>>;
    /// Carries out one step (its recovery record first); returns a note for the operator.
    fn apply(&mut self, step: &Step, now: DateTime<Utc>) -> Result<Option<String>>;
    /// Ends the run (closes the audit log a data directory's steps were written to).
    fn close(&mut self) {}
}

#[derive(Debug, Subcommand)]
pub enum CleanupCommand {
    /// List the findings and what `apply` would do about them, and why.
    Plan(Options),
    /// Carry out the plan: deactivate unused keys and remove unused console passwords (kept
    /// for undo), delete what was deactivated longer ago than the recovery window.
    Apply(Options),
    /// Reactivate the keys and restore the passwords cleanup took away within the window.
    Undo {
        #[command(flatten)]
        options: Options,
        /// Only this user.
        #[arg(long)]
        user: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct Options {
    /// Data directory to clean directly (default: the configured one, else ./portcullis-data).
    #[arg(long, conflicts_with_all = ["endpoint_url", "aws"])]
    pub data_dir: Option<PathBuf>,
    /// A PostgreSQL database (`postgres://...`) to clean instead of the data directory's SQLite
    /// file (the data directory, or PORTCULLIS_MASTER_KEY, gives the master key).
    #[arg(long, env = "PORTCULLIS_DATABASE", conflicts_with_all = ["endpoint_url", "aws"])]
    pub database: Option<String>,
    /// The account of the data directory (default: its only account).
    #[arg(long, conflicts_with_all = ["endpoint_url", "aws"])]
    pub account: Option<String>,
    /// Clean the IAM endpoint at this URL, with credentials from the AWS credential chain.
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// Clean the IAM endpoint the AWS environment names (AWS itself unless AWS_ENDPOINT_URL
    /// says otherwise), with credentials from the AWS credential chain.
    #[arg(long)]
    pub aws: bool,
    /// Tracking window: access unused for this many days is reported (1-365).
    #[arg(long, default_value_t = findings::DEFAULT_UNUSED_DAYS)]
    pub unused_days: u32,
    /// Active access keys this many days old are reported as not rotated.
    #[arg(long, default_value_t = findings::DEFAULT_ROTATION_DAYS)]
    pub rotation_days: u32,
    /// Days a deactivated key or removed password can be restored before it is deleted.
    #[arg(long, default_value_t = cleanup::DEFAULT_RECOVERY_DAYS)]
    pub recovery_days: u32,
    /// Leave principals with this tag alone (KEY, or KEY=VALUE); repeatable.
    #[arg(long = "exclude-tag", value_name = "KEY[=VALUE]")]
    pub exclude_tags: Vec<String>,
    /// Leave principals whose path starts with this alone; repeatable.
    #[arg(long = "exclude-path", value_name = "PREFIX")]
    pub exclude_paths: Vec<String>,
    /// Leave members of this group alone; repeatable.
    #[arg(long = "exclude-group", value_name = "GROUP")]
    pub exclude_groups: Vec<String>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Decide and act as at this RFC 3339 time instead of now (rehearsals and tests).
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
}

/// The exclusions `--exclude-tag KEY[=VALUE]`, `--exclude-path` and `--exclude-group` (or the
/// schedule's same keys) name.
pub fn exclusions(tags: &[String], paths: &[String], groups: &[String]) -> Exclusions {
    Exclusions {
        tags: tags
            .iter()
            .map(|t| match t.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (t.clone(), None),
            })
            .collect(),
        paths: paths.to_vec(),
        groups: groups.to_vec(),
    }
}

impl Options {
    fn exclusions(&self) -> Exclusions {
        exclusions(
            &self.exclude_tags,
            &self.exclude_paths,
            &self.exclude_groups,
        )
    }

    fn now(&self) -> Result<DateTime<Utc>> {
        match &self.as_of {
            None => Ok(Utc::now()),
            Some(t) => DateTime::parse_from_rfc3339(t)
                .map(|d| d.to_utc())
                .map_err(|e| anyhow!("--as-of {t:?} is not an RFC 3339 time: {e}")),
        }
    }

    fn target(&self, file: &FileConfig) -> Result<Box<dyn Target>> {
        if self.endpoint_url.is_some() || self.aws {
            return Ok(Box::new(endpoint::Endpoint::connect(
                self.endpoint_url.as_deref(),
            )?));
        }
        let dir = self
            .data_dir
            .clone()
            .or_else(|| file.data_dir.clone())
            .unwrap_or_else(|| PathBuf::from("portcullis-data"));
        let url = self.database.as_deref().or(file.database.as_deref());
        Ok(Box::new(direct::DataDir::open(
            &dir,
            url,
            self.account.as_deref(),
            file,
        )?))
    }
}

/// A random console password of 20 characters with every character class, for a password
/// restored where the old one cannot be.
pub fn temporary_password() -> Secret {
    use rand::Rng;
    use rand::seq::SliceRandom;
    const CLASSES: [&[u8]; 4] = [
        b"ABCDEFGHJKLMNPQRSTUVWXYZ",
        b"abcdefghijkmnopqrstuvwxyz",
        b"23456789",
        b"!@#$%^&*()-_=+",
    ];
    let mut rng = rand::rngs::OsRng;
    let mut chars: Vec<u8> = (0..20)
        .map(|i| {
            let class = CLASSES[i % CLASSES.len()];
            class[rng.gen_range(0..class.len())]
        })
        .collect();
    chars.shuffle(&mut rng);
    Secret::new(String::from_utf8_lossy(&chars).into_owned())
}

/// Runs a `cleanup` subcommand.
pub fn run(cmd: &CleanupCommand, file: &FileConfig) -> Result<()> {
    let (options, undo_user) = match cmd {
        CleanupCommand::Plan(o) | CleanupCommand::Apply(o) => (o, None),
        CleanupCommand::Undo { options, user } => (options, Some(user.as_deref())),
    };
    let settings =
        Settings::new(options.unused_days, options.rotation_days).map_err(|e| anyhow!(e))?;
    if options.recovery_days == 0 {
        bail!("the recovery window must be at least 1 day");
    }
    let now = options.now()?;
    let mut target = options.target(file)?;
    let principals = target.principals()?;
    let found = findings::findings(&principals, &settings, now);
    let plan: Plan = match undo_user {
        None => cleanup::plan(
            &principals,
            &found,
            &options.exclusions(),
            options.recovery_days,
            now,
        ),
        Some(user) => cleanup::undo(&principals, user, options.recovery_days, now),
    };
    let mut done = Vec::new();
    if !matches!(cmd, CleanupCommand::Plan(_)) {
        for step in &plan.steps {
            match target.apply(step, now) {
                Ok(note) => done.push(Done::Ok(note)),
                Err(e) => {
                    // Stop at the first failure: later steps may rest on this one.
                    done.push(Done::Failed(format!("{e:#}")));
                    break;
                }
            }
        }
    }
    target.close();
    let shown = if undo_user.is_some() {
        &[][..]
    } else {
        &found[..]
    };
    if options.json {
        println!("{}", render::json(now, shown, &plan, &done));
    } else {
        print!("{}", render::text(shown, &plan, &done));
    }
    if done.iter().any(|d| matches!(d, Done::Failed(_))) {
        bail!("a step failed; the steps after it were not attempted");
    }
    Ok(())
}
