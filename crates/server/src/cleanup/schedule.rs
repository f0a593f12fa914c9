//! The scheduled cleanup: a `[cleanup]` table in the configuration makes `serve` (and `dev`)
//! run the same findings and plan as `portcullis cleanup` for every account of its store, every
//! `every_seconds`, on a thread of its own. Without `apply = true` it only logs the plan; with
//! it, it carries the plan out as `cleanup apply` does (deactivate first, delete after the
//! recovery window, the last administrator kept, exclusions honoured), each step recorded in
//! the server's own audit trail, and the caches are cleared after. Time is the server's clock
//! (the dev clock in `dev`).

use super::direct::DataDir;
use super::{Target, exclusions};
use crate::app::App;
use crate::config::CleanupSchedule as Schedule;
use anyhow::{Result, anyhow, bail};
use portcullis_core::findings::{self, Settings, cleanup};
use std::sync::Arc;
use std::time::Duration;

impl Schedule {
    fn settings(&self) -> Result<Settings> {
        Settings::new(
            self.unused_days.unwrap_or(findings::DEFAULT_UNUSED_DAYS),
            self.rotation_days
                .unwrap_or(findings::DEFAULT_ROTATION_DAYS),
        )
        .map_err(|e| anyhow!("[cleanup]: {e}"))
    }

    fn recovery_days(&self) -> u32 {
        self.recovery_days.unwrap_or(cleanup::DEFAULT_RECOVERY_DAYS)
    }
}

/// Checks `schedule` and starts its thread.
pub fn start(app: Arc<App>, schedule: Schedule) -> Result<()> {
    schedule.settings()?;
    if schedule.every_seconds == 0 {
        bail!("[cleanup]: every_seconds must be at least 1");
    }
    if schedule.recovery_days() == 0 {
        bail!("[cleanup]: the recovery window must be at least 1 day");
    }
    tracing::info!(
        every_seconds = schedule.every_seconds,
        apply = schedule.apply,
        "scheduled cleanup on"
    );
    std::thread::Builder::new()
        .name("cleanup-schedule".into())
        .spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(schedule.every_seconds));
                if let Err(e) = run_all(&app, &schedule) {
                    tracing::error!(error = %format!("{e:#}"), "scheduled cleanup failed");
                }
            }
        })
        .map_err(|e| anyhow!("starting the scheduled cleanup: {e}"))?;
    Ok(())
}

/// One run over every account.
fn run_all(app: &Arc<App>, schedule: &Schedule) -> Result<()> {
    for account in app.store.list_accounts()? {
        run(app, &account.id, schedule)?;
    }
    Ok(())
}

/// One run over one account: findings, plan, and (with `apply`) its steps.
fn run(app: &Arc<App>, account: &str, schedule: &Schedule) -> Result<()> {
    let now = app.clock.now();
    let mut target = DataDir::attached(app.clone(), account);
    let principals = target.principals()?;
    let found = findings::findings(&principals, &schedule.settings()?, now);
    let excluded = exclusions(
        &schedule.exclude_tags,
        &schedule.exclude_paths,
        &schedule.exclude_groups,
    );
    let plan = cleanup::plan(
        &principals,
        &found,
        &excluded,
        schedule.recovery_days(),
        now,
    );
    tracing::info!(
        account,
        findings = found.len(),
        steps = plan.steps.len(),
        apply = schedule.apply,
        "scheduled cleanup"
    );
    if !schedule.apply || plan.steps.is_empty() {
        return Ok(());
    }
    let mut result = Ok(());
    for step in &plan.steps {
        if let Err(e) = target.apply(step, now) {
            // Later steps may rest on this one: the next run starts over.
            result = Err(e);
            break;
        }
    }
    target.close();
    app.invalidate_caches();
    result
}
