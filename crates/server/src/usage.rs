//! The pipeline's usage step: last-used tracking for access keys and roles, and for each action
//! of each service a user or role calls (service last accessed reports). AWS records the first
//! use in each 15-minute window, so at most one write per key (or per principal and action) per
//! window leaves the hot path, in the background.

use crate::app::App;
use crate::auth::Caller;
use chrono::{DateTime, TimeDelta, Utc};
use portcullis_core::model::LastUsed;
use portcullis_core::reports::ServiceAccess;
use portcullis_core::{Principal, RoleSession};
use std::sync::Arc;

pub const WINDOW: TimeDelta = TimeDelta::minutes(15);

/// Records a request's use of its credentials: the access key's last use for long-term keys,
/// the role's last use for role sessions (temporary key ids are not stored anywhere).
pub fn record_caller(app: &Arc<App>, caller: &Caller, service: &str, now: DateTime<Utc>) {
    match (&caller.session, &caller.principal) {
        (None, _) => record(app, &caller.access_key_id, service, &caller.region, now),
        (Some(_), Principal::RoleSession(s)) => record_role(app, s, &caller.region, now),
        (Some(_), _) => {}
    }
}

/// Records that the caller's user or role (not the root user or a federated user, which
/// service last accessed reports do not cover) called `action` of `service`.
pub fn record_service_access(
    app: &Arc<App>,
    caller: &Caller,
    service: &str,
    action: &str,
    now: DateTime<Utc>,
) {
    let (account, entity_id) = match &caller.principal {
        Principal::User(u) => (&u.account, &u.id),
        Principal::RoleSession(s) => (&s.account, &s.role_id),
        Principal::Root { .. } | Principal::FederatedUser { .. } => return,
    };
    if !first_in_window(app, &[entity_id, " ", service, ":", action], now) {
        return;
    }
    let app = app.clone();
    let account = account.clone();
    let access = ServiceAccess {
        entity_id: entity_id.clone(),
        service: service.to_string(),
        action: action.to_string(),
        at: now,
        region: caller.region.clone(),
    };
    tokio::task::spawn_blocking(move || {
        if let Err(e) = app.store.record_service_access(&account, &access) {
            tracing::warn!(error = %e, "could not record service access");
        }
    });
}

/// Records a role's use (AssumeRole and requests of its sessions), once per window.
pub fn record_role(app: &Arc<App>, session: &RoleSession, region: &str, now: DateTime<Utc>) {
    if !first_in_window(app, &[&session.role_id], now) {
        return;
    }
    let app = app.clone();
    let (account, id, region) = (
        session.account.clone(),
        session.role_id.clone(),
        region.to_string(),
    );
    tokio::task::spawn_blocking(move || {
        if let Err(e) = app.store.record_role_use(&account, &id, now, &region) {
            tracing::warn!(error = %e, "could not record role use");
        }
    });
}

/// True for the first use of the id `parts` spell in the current window (and remembers it).
/// Every request asks, so the id is assembled in a reused buffer: nothing is allocated
/// unless the id is new.
fn first_in_window(app: &App, parts: &[&str], now: DateTime<Utc>) -> bool {
    thread_local! {
        static ID: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    ID.with_borrow_mut(|id| {
        id.clear();
        parts.iter().for_each(|p| id.push_str(p));
        let mut seen = app.last_used.lock().unwrap_or_else(|e| e.into_inner());
        match seen.get(id.as_str()) {
            Some(t) if *t > now - WINDOW => false,
            _ => {
                // Entries older than the window decide nothing: drop them before the map grows
                // past its bound, so memory stays flat however many keys and actions are used.
                if seen.len() >= MAX_REMEMBERED {
                    seen.retain(|_, t| *t > now - WINDOW);
                }
                seen.insert(id.clone(), now);
                true
            }
        }
    })
}

/// Uses remembered at most (one per access key, role and user or role x action).
const MAX_REMEMBERED: usize = 200_000;

pub fn record(
    app: &Arc<App>,
    access_key_id: &str,
    service: &str,
    region: &str,
    now: DateTime<Utc>,
) {
    if !first_in_window(app, &[access_key_id], now) {
        return;
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
