//! `portcullis audit`: the IAM checks of the CIS AWS Foundations Benchmark and the seed's
//! practices (`portcullis_core::findings::cis`) against any IAM endpoint, a Portcullis server or
//! AWS itself, through the AWS credential chain ([`gather`]); a table or JSON, and a non-zero
//! exit when a check fails.

pub mod gather;

use crate::cleanup::render::table;
use anyhow::{Result, anyhow, bail};
use clap::Args;
use portcullis_core::findings::cis::{Check, Status, checks};
use portcullis_core::findings::{self, Settings};
use serde_json::json;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The IAM endpoint to check (default: the one the AWS environment names, else AWS).
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// Credentials unused this many days fail the unused-credentials check.
    #[arg(long, default_value_t = findings::DEFAULT_UNUSED_DAYS)]
    pub unused_days: u32,
    /// Access keys older than this many days fail the rotation check.
    #[arg(long, default_value_t = findings::DEFAULT_ROTATION_DAYS)]
    pub rotation_days: u32,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn render_json(results: &[Check]) -> String {
    let list: Vec<_> = results
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "control": c.control,
                "title": c.title,
                "status": c.status.as_str(),
                "details": c.details,
            })
        })
        .collect();
    let failed = results.iter().filter(|c| c.status == Status::Fail).count();
    serde_json::to_string_pretty(&json!({"checks": list, "failed": failed})).unwrap_or_default()
}

fn render_text(results: &[Check]) -> String {
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|c| {
            vec![
                c.control.to_string(),
                c.id.to_string(),
                c.status.as_str().to_string(),
                c.title.to_string(),
                c.details.join("; "),
            ]
        })
        .collect();
    table(&["CONTROL", "CHECK", "STATUS", "TITLE", "DETAILS"], &rows)
}

/// Runs `portcullis audit`.
pub fn run(args: &AuditArgs) -> Result<()> {
    let settings = Settings::new(args.unused_days, args.rotation_days).map_err(|e| anyhow!(e))?;
    let (rt, iam) = crate::cleanup::endpoint::client(args.endpoint_url.as_deref())?;
    let now = chrono::Utc::now();
    let facts = rt.block_on(gather::account(&iam, now))?;
    let results = checks(&facts, &settings, now);
    if args.json {
        println!("{}", render_json(&results));
    } else {
        print!("{}", render_text(&results));
    }
    let failed = results.iter().filter(|c| c.status == Status::Fail).count();
    if failed > 0 {
        bail!("{failed} of {} checks failed", results.len());
    }
    Ok(())
}
