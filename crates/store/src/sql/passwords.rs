//! Login profiles (console passwords as Argon2id hashes), each user's password history and the
//! account password policy, which is kept as an account setting: `PasswordStore` and
//! `PasswordTx` over the engine interface.

use super::account::{put_settings, setting};
use crate::engine::{
    Conn, Engine, EngineTx, Row, SqlStore, all_rows, any, change, exec, optional_row, params,
};
use crate::rows::{parse_ts, ts};
use chrono::{DateTime, TimeDelta, Utc};
use portcullis_core::passwords::{
    HISTORY, LoginProfile, LoginProfileUpdate, PasswordPolicy, SigninAttempt,
};
use portcullis_core::store::PasswordTx;
use portcullis_core::store::prelude::*;
use portcullis_core::{StoreError, StoreResult};

/// The account setting holding the password policy (JSON).
const POLICY_KEY: &str = "password_policy";

fn profile_row(r: &Row) -> StoreResult<LoginProfile> {
    Ok(LoginProfile {
        account: r.get(0)?,
        user_id: r.get(1)?,
        created: parse_ts(&r.get::<String>(2)?)?,
        password_changed: parse_ts(&r.get::<String>(3)?)?,
        reset_required: r.get(4)?,
        max_session_duration: r.get(5)?,
    })
}

fn find_profile(c: &dyn Conn, account: &str, user_id: &str) -> StoreResult<Option<LoginProfile>> {
    optional_row(
        c,
        "SELECT account, user_id, created, password_changed, reset_required, max_session_duration
         FROM login_profiles WHERE account = ?1 AND user_id = ?2",
        params![account, user_id],
        profile_row,
    )
}

/// Adds a hash to the user's history and forgets all but the newest [`HISTORY`].
fn remember(c: &dyn Conn, user_id: &str, hash: &str) -> StoreResult<()> {
    exec(
        c,
        "INSERT INTO password_history (user_id, seq, hash)
         VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM password_history WHERE user_id = ?1), ?2)",
        params![user_id, hash],
    )?;
    exec(
        c,
        "DELETE FROM password_history WHERE user_id = ?1 AND seq <=
           (SELECT MAX(seq) FROM password_history WHERE user_id = ?1) - ?2",
        params![user_id, HISTORY as i64],
    )
}

impl<E: Engine> PasswordStore for SqlStore<E> {
    fn login_profile(&self, account: &str, user_id: &str) -> StoreResult<Option<LoginProfile>> {
        self.read(|c| find_profile(c, account, user_id))
    }

    fn login_password_hash(&self, account: &str, user_id: &str) -> StoreResult<Option<String>> {
        self.read(|c| {
            optional_row(
                c,
                "SELECT password_hash FROM login_profiles WHERE account = ?1 AND user_id = ?2",
                params![account, user_id],
                |r| r.get(0),
            )
        })
    }

    fn password_history(&self, account: &str, user_id: &str) -> StoreResult<Vec<String>> {
        self.read(|c| {
            all_rows(
                c,
                "SELECT h.hash FROM password_history h JOIN users u ON u.id = h.user_id
             WHERE u.account = ?1 AND h.user_id = ?2 ORDER BY h.seq DESC LIMIT ?3",
                params![account, user_id, HISTORY as i64],
                |r| r.get(0),
            )
        })
    }

    fn password_policy(&self, account: &str) -> StoreResult<Option<PasswordPolicy>> {
        match self.read(|c| setting(c, account, POLICY_KEY))? {
            None => Ok(None),
            Some(text) => PasswordPolicy::from_json(&text)
                .map(Some)
                .ok_or_else(|| StoreError::Backend("unreadable password policy".into())),
        }
    }

    fn begin_signin_attempt(
        &self,
        keys: &[&str],
        now: DateTime<Utc>,
        delay: &dyn Fn(u32) -> TimeDelta,
        forget_before: DateTime<Utc>,
    ) -> StoreResult<SigninAttempt> {
        self.record(|c| super::signin_throttle::begin(c, keys, now, delay, forget_before))
    }

    fn forget_signin_failures(&self, key: &str) -> StoreResult<()> {
        self.record(|c| {
            exec(
                c,
                "DELETE FROM signin_throttle WHERE key = ?1",
                params![key],
            )
        })
    }
}

impl PasswordTx for EngineTx<'_> {
    fn create_login_profile(&self, profile: &LoginProfile, password_hash: &str) -> StoreResult<()> {
        let tx = self.0;
        if !any(
            tx,
            "SELECT COUNT(*) FROM users WHERE id = ?1 AND account = ?2",
            params![&profile.user_id, &profile.account],
        )? {
            return Err(StoreError::NotFound);
        }
        exec(
            tx,
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
        )?;
        remember(tx, &profile.user_id, password_hash)
    }

    fn update_login_profile(
        &self,
        account: &str,
        user_id: &str,
        update: &LoginProfileUpdate,
    ) -> StoreResult<LoginProfile> {
        let tx = self.0;
        let mut profile = find_profile(tx, account, user_id)?.ok_or(StoreError::NotFound)?;
        if let Some(hash) = &update.password_hash {
            exec(
                tx,
                "UPDATE login_profiles SET password_hash = ?2, password_changed = ?3 WHERE user_id = ?1",
                params![user_id, hash, ts(update.now)],
            )?;
            remember(tx, user_id, hash)?;
            profile.password_changed = update.now;
        }
        if let Some(flag) = update.reset_required {
            profile.reset_required = flag;
        }
        if let Some(duration) = update.max_session_duration {
            profile.max_session_duration = duration;
        }
        exec(
            tx,
            "UPDATE login_profiles SET reset_required = ?2, max_session_duration = ?3 WHERE user_id = ?1",
            params![
                user_id,
                profile.reset_required,
                profile.max_session_duration
            ],
        )?;
        Ok(profile)
    }

    fn delete_login_profile(&self, account: &str, user_id: &str) -> StoreResult<()> {
        let tx = self.0;
        change(
            tx,
            "DELETE FROM login_profiles WHERE account = ?1 AND user_id = ?2",
            params![account, user_id],
        )
    }

    fn put_password_policy(&self, account: &str, policy: &PasswordPolicy) -> StoreResult<()> {
        let tx = self.0;
        put_settings(
            tx,
            account,
            &[(POLICY_KEY.to_string(), Some(policy.to_json()))],
        )
    }

    fn delete_password_policy(&self, account: &str) -> StoreResult<()> {
        let tx = self.0;
        if setting(tx, account, POLICY_KEY)?.is_none() {
            return Err(StoreError::NotFound);
        }
        put_settings(tx, account, &[(POLICY_KEY.to_string(), None)])
    }
}
