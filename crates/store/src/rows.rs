//! Row <-> entity conversions shared by several areas (users, access keys, groups) and the
//! timestamp encoding every area uses.

use crate::engine::Row;
use chrono::{DateTime, Utc};
use portcullis_core::model::LastUsed;
use portcullis_core::{AccessKey, Group, KeyStatus, User};
use portcullis_core::{StoreError, StoreResult};

/// Fixed-width UTC text, so text order is time order.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn parse_ts(s: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Backend(format!("unreadable time {s:?}: {e}")))
}

pub(crate) fn opt_ts(s: Option<String>) -> StoreResult<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_ts).transpose()
}

/// A stored key status; one this version does not know reads as `Inactive`.
pub(crate) fn key_status(s: &str) -> KeyStatus {
    KeyStatus::parse(s).unwrap_or(KeyStatus::Inactive)
}

/// The user columns in the order [`user`] reads them (a macro so SQL can be built with `concat!`).
macro_rules! user_columns {
    () => {
        "id, account, name, path, created, password_last_used, permissions_boundary"
    };
}
pub(crate) use user_columns;

pub(crate) fn user(row: &Row) -> StoreResult<User> {
    Ok(User {
        id: row.get(0)?,
        account: row.get(1)?,
        name: row.get(2)?,
        path: row.get(3)?,
        created: parse_ts(&row.get::<String>(4)?)?,
        password_last_used: opt_ts(row.get(5)?)?,
        permissions_boundary: row.get(6)?,
    })
}

/// The access key columns in the order [`access_key`] reads them.
macro_rules! key_columns {
    () => {
        "id, account, user_id, status, secret, created, last_used_at, last_used_service, last_used_region"
    };
}
pub(crate) use key_columns;

pub(crate) fn access_key(row: &Row) -> StoreResult<AccessKey> {
    let status: String = row.get(3)?;
    let last_used = match opt_ts(row.get(6)?)? {
        Some(at) => Some(LastUsed {
            at,
            service: row.get(7)?,
            region: row.get(8)?,
        }),
        None => None,
    };
    Ok(AccessKey {
        id: row.get(0)?,
        account: row.get(1)?,
        user_id: row.get(2)?,
        status: key_status(&status),
        sealed_secret: row.get(4)?,
        created: parse_ts(&row.get::<String>(5)?)?,
        last_used,
    })
}

/// The group columns in the order [`group`] reads them.
macro_rules! group_columns {
    () => {
        "id, account, name, path, created"
    };
}
pub(crate) use group_columns;

pub(crate) fn group(row: &Row) -> StoreResult<Group> {
    Ok(Group {
        id: row.get(0)?,
        account: row.get(1)?,
        name: row.get(2)?,
        path: row.get(3)?,
        created: parse_ts(&row.get::<String>(4)?)?,
    })
}
