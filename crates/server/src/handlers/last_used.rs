//! Last-used tracking for access keys: AWS records the first use in each 15-minute window, so
//! at most one write per key per window leaves the hot path, in the background.

use crate::app::App;
use chrono::{DateTime, TimeDelta, Utc};
use portcullis_core::model::LastUsed;
use std::sync::Arc;

pub const WINDOW: TimeDelta = TimeDelta::minutes(15);

pub fn record(
    app: &Arc<App>,
    access_key_id: &str,
    service: &str,
    region: &str,
    now: DateTime<Utc>,
) {
    {
        let mut seen = app.last_used.lock().unwrap_or_else(|e| e.into_inner());
        match seen.get(access_key_id) {
            Some(t) if *t > now - WINDOW => return,
            _ => {
                seen.insert(access_key_id.to_string(), now);
            }
        }
    }
    let app = app.clone();
    let id = access_key_id.to_string();
    let used = LastUsed {
        at: now,
        service: service.to_string(),
        region: region.to_string(),
    };
    tokio::task::spawn_blocking(move || {
        if let Err(e) = app
            .store
            .record_access_key_use(&id, &used, used.at - WINDOW)
        {
            tracing::warn!(error = %e, "could not record access key use");
        }
    });
}
