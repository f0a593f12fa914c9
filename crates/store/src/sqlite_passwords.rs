//! Login profiles, password history and the account password policy for the SQLite engine.

use crate::sqlite_reports as reports;
use crate::sqlite_rows::{backend, count, parse_ts, ts};
use portcullis_core::passwords::{HISTORY, LoginProfile, LoginProfileUpdate, PasswordPolicy};
use portcullis_core::{StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

/// The account setting holding the password policy (JSON).
const POLICY_KEY: &str = "password_policy";

fn profile_row(r: &Row<'_>) -> rusqlite::Result<LoginProfile> {
    Ok(LoginProfile {
        account: r.get(0)?,
        user_id: r.get(1)?,
        created: parse_ts(&r.get::<_, String>(2)?)?,
        password_changed: parse_ts(&r.get::<_, String>(3)?)?,
        reset_required: r.get(4)?,
        max_session_duration: r.get(5)?,
    })
}

/// Adds a hash to the user's history and forgets all but the newest [`HISTORY`].
fn remember(tx: &Transaction<'_>, user_id: &str, hash: &str) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO password_history (user_id, seq, hash)
         VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM password_history WHERE user_id = ?1), ?2)",
        params![user_id, hash],
    )
    .map_err(backend)?;
    tx.execute(
        "DELETE FROM password_history WHERE user_id = ?1 AND seq <=
           (SELECT MAX(seq) FROM password_history WHERE user_id = ?1) - ?2",
        params![user_id, HISTORY as i64],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn create(
    tx: &Transaction<'_>,
    profile: &LoginProfile,
    password_hash: &str,
) -> StoreResult<()> {
    let user_exists = count(
        tx,
        "SELECT COUNT(*) FROM users WHERE id = ?1 AND account = ?2",
        [&profile.user_id, &profile.account],
    )? > 0;
    if !user_exists {
        return Err(StoreError::NotFound);
    }
    tx.execute(
        "INSERT INTO login_profiles
           (user_id, account, created, password_hash, password_changed, reset_required, max_session_duration)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            profile.user_id,
            profile.account,
            ts(profile.created),
            password_hash,
            ts(profile.password_changed),
            profile.reset_required,
            profile.max_session_duration
        ],
    )
    .map_err(backend)?;
    remember(tx, &profile.user_id, password_hash)
}

pub(crate) fn get(
    c: &Connection,
    account: &str,
    user_id: &str,
) -> StoreResult<Option<LoginProfile>> {
    c.prepare_cached(
        "SELECT account, user_id, created, password_changed, reset_required, max_session_duration
         FROM login_profiles WHERE account = ?1 AND user_id = ?2",
    )
    .and_then(|mut st| st.query_row([account, user_id], profile_row).optional())
    .map_err(backend)
}

pub(crate) fn password_hash(
    c: &Connection,
    account: &str,
    user_id: &str,
) -> StoreResult<Option<String>> {
    c.prepare_cached("SELECT password_hash FROM login_profiles WHERE account = ?1 AND user_id = ?2")
        .and_then(|mut st| st.query_row([account, user_id], |r| r.get(0)).optional())
        .map_err(backend)
}

pub(crate) fn update(
    tx: &Transaction<'_>,
    account: &str,
    user_id: &str,
    update: &LoginProfileUpdate,
) -> StoreResult<LoginProfile> {
    let mut profile = get(tx, account, user_id)?.ok_or(StoreError::NotFound)?;
    if let Some(hash) = &update.password_hash {
        tx.execute(
            "UPDATE login_profiles SET password_hash = ?2, password_changed = ?3 WHERE user_id = ?1",
            params![user_id, hash, ts(update.now)],
        )
        .map_err(backend)?;
        remember(tx, user_id, hash)?;
        profile.password_changed = update.now;
    }
    if let Some(flag) = update.reset_required {
        profile.reset_required = flag;
    }
    if let Some(duration) = update.max_session_duration {
        profile.max_session_duration = duration;
    }
    tx.execute(
        "UPDATE login_profiles SET reset_required = ?2, max_session_duration = ?3 WHERE user_id = ?1",
        params![user_id, profile.reset_required, profile.max_session_duration],
    )
    .map_err(backend)?;
    Ok(profile)
}

pub(crate) fn delete(tx: &Transaction<'_>, account: &str, user_id: &str) -> StoreResult<()> {
    let n = tx
        .execute(
            "DELETE FROM login_profiles WHERE account = ?1 AND user_id = ?2",
            [account, user_id],
        )
        .map_err(backend)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) fn history(c: &Connection, account: &str, user_id: &str) -> StoreResult<Vec<String>> {
    let mut st = c
        .prepare_cached(
            "SELECT h.hash FROM password_history h JOIN users u ON u.id = h.user_id
             WHERE u.account = ?1 AND h.user_id = ?2 ORDER BY h.seq DESC LIMIT ?3",
        )
        .map_err(backend)?;
    let out = st
        .query_map(params![account, user_id, HISTORY as i64], |r| r.get(0))
        .map_err(backend)?
        .collect::<Result<Vec<String>, _>>()
        .map_err(backend)?;
    Ok(out)
}

/// The DeleteUser conflict a login profile causes.
pub(crate) fn user_conflict(c: &Connection, user_id: &str) -> StoreResult<Option<&'static str>> {
    let has = count(
        c,
        "SELECT COUNT(*) FROM login_profiles WHERE user_id = ?1",
        [user_id],
    )? > 0;
    Ok(has.then_some("Cannot delete entity, must delete login profile first."))
}

pub(crate) fn policy(c: &Connection, account: &str) -> StoreResult<Option<PasswordPolicy>> {
    match reports::setting(c, account, POLICY_KEY)? {
        None => Ok(None),
        Some(text) => PasswordPolicy::from_json(&text)
            .map(Some)
            .ok_or_else(|| StoreError::Backend("unreadable password policy".into())),
    }
}

pub(crate) fn put_policy(
    tx: &Transaction<'_>,
    account: &str,
    policy: &PasswordPolicy,
) -> StoreResult<()> {
    reports::put_settings(
        tx,
        account,
        &[(POLICY_KEY.to_string(), Some(policy.to_json()))],
    )
}

pub(crate) fn delete_policy(tx: &Transaction<'_>, account: &str) -> StoreResult<()> {
    if reports::setting(tx, account, POLICY_KEY)?.is_none() {
        return Err(StoreError::NotFound);
    }
    reports::put_settings(tx, account, &[(POLICY_KEY.to_string(), None)])
}
