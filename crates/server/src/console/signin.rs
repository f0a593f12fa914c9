//! Signing in: account (id or alias), user name and password (or the root user's own
//! password), then the MFA code when the user has a device, then a new password when the old
//! one must be reset or has expired (with HardExpiry an expired password cannot sign in at
//! all). Unknown user, wrong password and locked user get the same answer after the same work
//! (one Argon2id verification each); guessing is slowed by the `throttle`, per user name and
//! per source address, and a user locked after `throttle::LOCK_AT` failures stays locked until
//! an administrator unlocks it. Every attempt leaves a `ConsoleLogin` record.

use super::Cx;
use super::cookie::{self, SessionState, SigninState, Stage};
use super::guard::{self, signed_out_key};
use super::login_audit::{self, Attempted};
use super::throttle::{self, LOCK_AT, Wait};
use super::view::{self, Out};
use crate::failure::new_password_failure;
use chrono::TimeDelta;
use portcullis_core::iam::credential_report::ROOT_SIGNED_IN;
use portcullis_core::iam::passwords::{NewPasswordError, replace_password};
use portcullis_core::passwords;
use portcullis_core::{IamError, User, store};
use serde_json::{Value, json};
use std::sync::OnceLock;

/// The account setting holding the root user's console password (an Argon2id PHC string).
pub const ROOT_PASSWORD: &str = "console:root-password";
/// The account setting that marks a user locked after too many failures.
pub fn locked_key(user_id: &str) -> String {
    format!("console:locked:{user_id}")
}
/// Console sessions last this long unless the login profile says otherwise (as AWS).
pub const DEFAULT_SESSION: TimeDelta = TimeDelta::hours(12);
/// Time to enter the MFA code or the new password after the password.
const STEP_TIME: TimeDelta = TimeDelta::minutes(5);
/// The one answer to a failed sign-in, whatever failed.
pub const FAILED: &str = "Your authentication information is incorrect. Please try again.";

/// A hash that matches no password, verified when there is no real one so that every failure
/// costs the same.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        passwords::hash(&cookie::token()).unwrap_or_else(|_| {
            // A well-formed PHC string of the same parameters (its value matches nothing).
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$8b0lYgXl7tnl4Ek1IBH1e2hkQbpAB1yAvPU0GzZ6OM0".to_string()
        })
    })
}

fn page(cx: &Cx, template: &str, mut data: Value, status: u16) -> Out {
    data["year"] = json!(cx.now.format("%Y").to_string());
    match cx.console.templates.render(template, data) {
        Ok(body) => view::html(status, body),
        Err(out) => out,
    }
}

/// The sign-in form with a fresh CSRF cookie.
fn signin_form(cx: &Cx, error: Option<&str>, status: u16) -> Out {
    let state = SigninState {
        csrf: cookie::token(),
        expires: (cx.now + STEP_TIME * 6).timestamp(),
    };
    let data = json!({
        "csrf": state.csrf,
        "account": cx.field("account"),
        "user": cx.field("user"),
        "root": cx.field("kind") == "root",
        "error": error,
    });
    page(cx, "signin.html", data, status).with_cookie(cookie::set(
        cookie::SIGNIN,
        &cookie::seal_signin(&cx.app.master, &state),
        (STEP_TIME * 6).num_seconds(),
    ))
}

/// `/console/signin`: the form (GET) and the password check (POST).
pub fn signin(cx: &Cx) -> Out {
    if !cx.post {
        if guard::signed_in(cx).is_ok() {
            return view::redirect("/console/home");
        }
        return signin_form(cx, None, 200);
    }
    let form_ok = cx
        .cookie(cookie::SIGNIN)
        .and_then(|c| cookie::open_signin(&cx.app.master, c))
        .is_some_and(|s| {
            s.expires > cx.now.timestamp() && cookie::csrf_ok(cx.field("csrf"), &s.csrf)
        });
    if !form_ok {
        return signin_form(cx, Some("The sign-in form expired. Please try again."), 403);
    }
    match check_password(cx) {
        Ok(out) => out,
        Err(Refusal::Failed) => signin_form(cx, Some(FAILED), 401),
        Err(Refusal::Wait(secs)) => signin_form(
            cx,
            Some(&format!(
                "Too many failed sign-in attempts. Wait {secs} second{}, then try again.",
                if secs == 1 { "" } else { "s" }
            )),
            429,
        ),
        Err(Refusal::Busy) => {
            signin_form(cx, Some("The server is busy. Try again in a moment."), 503)
        }
        Err(Refusal::Expired) => signin_form(
            cx,
            Some("Your password has expired. Ask your administrator to reset it."),
            401,
        ),
    }
}

#[derive(Debug)]
enum Refusal {
    Failed,
    Wait(i64),
    Busy,
    Expired,
}

/// The account a sign-in names: a 12-digit id that exists, or an alias.
fn resolve_account(cx: &Cx, text: &str) -> Option<String> {
    let store = &*cx.app.store;
    if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        return store.get_account(text).ok().flatten().map(|a| a.id);
    }
    let alias = text.to_ascii_lowercase();
    store::write(store, |tx| Ok(tx.alias_account(&alias)?))
        .ok()
        .flatten()
}

/// Who is signing in, the hash to check (the dummy hash for nobody) and whether the user is
/// locked.
fn credentials_of(
    cx: &Cx,
    account: Option<&str>,
    name: &str,
    root: bool,
) -> (Option<Who>, String, bool) {
    let store = &*cx.app.store;
    let found = account.and_then(|account| {
        if root {
            let hash = store
                .account_setting(account, ROOT_PASSWORD)
                .ok()
                .flatten()?;
            return Some((Who::Root(account.to_string()), hash, false));
        }
        // The same reads whether or not the user exists (so the same time).
        let user = store.get_user(account, name).ok().flatten();
        let id = user.as_ref().map_or("", |u| u.id.as_str());
        let hash = store.login_password_hash(account, id).ok().flatten();
        let locked = store
            .account_setting(account, &locked_key(id))
            .ok()
            .flatten();
        Some((Who::User(user?), hash?, locked.is_some()))
    });
    match found {
        Some((who, hash, locked)) => (Some(who), hash, locked),
        None => (None, dummy_hash().to_string(), false),
    }
}

#[derive(Debug)]
enum Who {
    User(User),
    Root(String),
}

impl Who {
    fn attempted(&self) -> Attempted<'_> {
        match self {
            Who::User(u) => Attempted::User(u),
            Who::Root(a) => Attempted::Root(a),
        }
    }
}

fn check_password(cx: &Cx) -> Result<Out, Refusal> {
    let account_text = cx.field("account");
    let root = cx.field("kind") == "root";
    let name = if root { "root" } else { cx.field("user") };
    let account = resolve_account(cx, account_text);
    let user_key = format!(
        "user\0{}\0{}",
        account.as_deref().unwrap_or(account_text),
        name.to_ascii_lowercase()
    );
    let ip_key = format!("ip\0{}", cx.origin.source_ip);
    let store = cx.app.store.as_ref();
    let failures = throttle::begin(store, &[&user_key, &ip_key], cx.now)
        .map_err(|e| {
            tracing::warn!(error = %e, "cannot count a console sign-in attempt: refused");
            Refusal::Busy
        })?
        .map_err(|Wait(s)| Refusal::Wait(s))?;
    let (who, hash, locked) = credentials_of(cx, account.as_deref(), name, root);
    // The hash is checked whatever else is known, so every failure takes the same time.
    let matches = passwords::verify(cx.raw("password"), &hash).map_err(|_| Refusal::Busy)?;
    let who = match who {
        Some(w) if matches && !locked => w,
        who => {
            let attempted = match &who {
                Some(w) => w.attempted(),
                None => Attempted::Unknown {
                    account: account.as_deref().unwrap_or(account_text),
                    name,
                },
            };
            if let (Some(Who::User(u)), true) = (&who, failures >= LOCK_AT && !locked) {
                lock(cx, u);
            }
            login_audit::record(cx, &attempted, false, false, Some("Failed authentication"));
            return Err(Refusal::Failed);
        }
    };
    throttle::clear(store, &user_key);
    throttle::clear(store, &ip_key);
    let state = match &who {
        Who::Root(account) => new_state(Stage::Ready, account, None, "root", cx),
        Who::User(u) => {
            let devices = cx
                .app
                .store
                .mfa_devices_for_user(&u.account, &u.id)
                .unwrap_or_default();
            let stage = if devices.iter().any(|d| d.enabled.is_some()) {
                Stage::Mfa
            } else {
                Stage::NewPassword
            };
            new_state(stage, &u.account, Some(&u.id), &u.name, cx)
        }
    };
    match state.stage {
        Stage::Mfa => Ok(to_stage(cx, &state, "/console/mfa")),
        _ => finish(cx, state),
    }
}

fn new_state(
    stage: Stage,
    account: &str,
    user_id: Option<&str>,
    name: &str,
    cx: &Cx,
) -> SessionState {
    let now = cx.now.timestamp();
    SessionState {
        stage,
        account: account.to_string(),
        user_id: user_id.map(str::to_string),
        user_name: name.to_string(),
        issued: now,
        issued_ms: cx.now.timestamp_millis(),
        // Until the last step is passed (see `signed_in`).
        expires: now + STEP_TIME.num_seconds(),
        seen: now,
        mfa_at: None,
        csrf: cookie::token(),
        role: None,
    }
}

/// Locks `user` after too many consecutive failures (kept in the store, so every node and a
/// restart see it), until an administrator unlocks it.
fn lock(cx: &Cx, user: &User) {
    let setting = vec![(locked_key(&user.id), Some(cx.now.timestamp().to_string()))];
    if cx
        .app
        .store
        .put_account_settings(&user.account, &setting)
        .is_ok()
    {
        tracing::warn!(user = %user.name, account = %user.account, "console sign-in locked after {LOCK_AT} consecutive failures");
    }
}

/// A session cookie for `state` and a redirect to `to`.
fn to_stage(cx: &Cx, state: &SessionState, to: &str) -> Out {
    let left = match state.stage {
        Stage::Ready => state.expires - cx.now.timestamp(),
        _ => STEP_TIME.num_seconds(),
    };
    view::redirect(to).with_cookie(cookie::set(
        cookie::SESSION,
        &cookie::seal_session(&cx.app.master, state),
        left,
    ))
}

/// After the password (and MFA): a forced change, a refusal of an expired password, or the
/// signed-in session.
fn finish(cx: &Cx, mut state: SessionState) -> Result<Out, Refusal> {
    let Some(user_id) = state.user_id.clone() else {
        let used = vec![(
            ROOT_SIGNED_IN.to_string(),
            Some(cx.now.timestamp().to_string()),
        )];
        if cx
            .app
            .store
            .put_account_settings(&state.account, &used)
            .is_err()
        {
            return Err(Refusal::Busy);
        }
        login_audit::record(cx, &Attempted::Root(&state.account), true, false, None);
        state.stage = Stage::Ready;
        state.expires = state.issued + DEFAULT_SESSION.num_seconds();
        return Ok(to_stage(cx, &state, "/console/home"));
    };
    let store = &cx.app.store;
    let user = store
        .get_user_by_id(&state.account, &user_id)
        .ok()
        .flatten()
        .ok_or(Refusal::Failed)?;
    let profile = store
        .login_profile(&state.account, &user_id)
        .ok()
        .flatten()
        .ok_or(Refusal::Failed)?;
    let policy = store.password_policy(&state.account).ok().flatten();
    let expired = profile
        .next_rotation(policy.as_ref())
        .is_some_and(|t| t <= cx.now);
    let mfa_used = state.mfa_at.is_some();
    if expired && policy.as_ref().and_then(|p| p.hard_expiry) == Some(true) {
        login_audit::record(
            cx,
            &Attempted::User(&user),
            false,
            mfa_used,
            Some("Password expired"),
        );
        return Err(Refusal::Expired);
    }
    if expired || profile.reset_required {
        state.stage = Stage::NewPassword;
        state.expires = (cx.now + STEP_TIME).timestamp();
        return Ok(to_stage(cx, &state, "/console/new-password"));
    }
    signed_in(cx, &user, state)
}

/// A console session's length: the user's MaxSigninSessionDuration, or 12 hours.
fn session_length(cx: &Cx, user: &User) -> TimeDelta {
    cx.app
        .store
        .login_profile(&user.account, &user.id)
        .ok()
        .flatten()
        .and_then(|p| p.max_session_duration)
        .map_or(DEFAULT_SESSION, TimeDelta::seconds)
}

/// The session begins: PasswordLastUsed is set and the sign-in recorded.
fn signed_in(cx: &Cx, user: &User, mut state: SessionState) -> Result<Out, Refusal> {
    if cx
        .app
        .store
        .record_password_use(&user.account, &user.id, cx.now)
        .is_err()
    {
        return Err(Refusal::Busy);
    }
    cx.app.invalidate_caches();
    login_audit::record(
        cx,
        &Attempted::User(user),
        true,
        state.mfa_at.is_some(),
        None,
    );
    state.stage = Stage::Ready;
    state.expires = state.issued + session_length(cx, user).num_seconds();
    state.seen = cx.now.timestamp();
    Ok(to_stage(cx, &state, "/console/home"))
}

fn step_error(cx: &Cx, refusal: Refusal) -> Out {
    let msg = match refusal {
        Refusal::Expired => "Your password has expired. Ask your administrator to reset it.",
        Refusal::Busy => "The server is busy. Try again in a moment.",
        _ => FAILED,
    };
    signin_form(cx, Some(msg), 401).with_cookie(cookie::clear(cookie::SESSION))
}

/// The session of a sign-in step in `stage`, whose form (`template`) a GET shows; a POST's
/// CSRF token is checked. `Err`: the answer to give instead.
fn step(cx: &Cx, stage: Stage, template: &str) -> Result<SessionState, Out> {
    let state = guard::session_in(cx, stage)?;
    if !cx.post {
        return Err(step_form(cx, template, &state, None, 200));
    }
    guard::csrf(cx, &state.csrf)?;
    Ok(state)
}

/// A sign-in step's form, with `error` when the last try was refused.
fn step_form(
    cx: &Cx,
    template: &str,
    state: &SessionState,
    error: Option<&str>,
    status: u16,
) -> Out {
    page(
        cx,
        template,
        json!({"csrf": state.csrf, "user": state.user_name, "error": error}),
        status,
    )
}

/// The user signing in (`None`: root, or a user since deleted).
fn step_user(cx: &Cx, state: &SessionState) -> Option<User> {
    let id = state.user_id.as_deref()?;
    cx.app
        .store
        .get_user_by_id(&state.account, id)
        .ok()
        .flatten()
}

/// `/console/mfa`: the code of the user's device, checked once.
pub fn mfa(cx: &Cx) -> Out {
    let mut state = match step(cx, Stage::Mfa, "mfa.html") {
        Ok(s) => s,
        Err(out) => return out,
    };
    let form = |error: Option<&str>, status| step_form(cx, "mfa.html", &state, error, status);
    let Some(user) = step_user(cx, &state) else {
        return guard::to_signin();
    };
    let store = &cx.app.store;
    let devices = store
        .mfa_devices_for_user(&user.account, &user.id)
        .unwrap_or_default();
    let code = cx.field("code");
    let verified = devices
        .iter()
        .filter(|d| d.enabled.is_some())
        .find_map(|d| {
            crate::authz::mfa::verify_device_code(&cx.app, &user, &d.serial, code, cx.now).ok()
        });
    let Some(at) = verified else {
        login_audit::record(
            cx,
            &Attempted::User(&user),
            false,
            true,
            Some("Failed authentication"),
        );
        return form(
            Some("The code is not right. Enter the current code from your device."),
            401,
        );
    };
    state.mfa_at = Some(at);
    finish(cx, state).unwrap_or_else(|r| step_error(cx, r))
}

/// `/console/new-password`: the password must be changed before the session begins.
pub fn new_password(cx: &Cx) -> Out {
    let state = match step(cx, Stage::NewPassword, "new_password.html") {
        Ok(s) => s,
        Err(out) => return out,
    };
    let form =
        |error: Option<&str>, status| step_form(cx, "new_password.html", &state, error, status);
    let Some(user) = step_user(cx, &state) else {
        return guard::to_signin();
    };
    let (new, again) = (cx.raw("new_password"), cx.raw("confirm_password"));
    if new != again {
        return form(Some("The two passwords are not the same."), 400);
    }
    let screening = cx.app.settings.password_screening;
    if let Err(e) = replace_password(&*cx.app.store, &user, new, screening, cx.now) {
        // A refusal is the user's to fix; a failure of the store or of hashing is not.
        let status = match e {
            NewPasswordError::Refused(IamError::Store(_)) | NewPasswordError::Hashing(_) => 503,
            NewPasswordError::Refused(_) => 400,
        };
        return form(Some(&new_password_failure(e).message), status);
    }
    signed_in(cx, &user, state).unwrap_or_else(|r| step_error(cx, r))
}

/// `/console/signout` (POST): ends this session and every other session of the principal
/// begun before now.
pub fn signout(cx: &Cx) -> Out {
    if !cx.post {
        return view::redirect("/console/home");
    }
    let Ok(who) = guard::signed_in(cx) else {
        return guard::to_signin();
    };
    if let Err(out) = guard::csrf(cx, &who.state.csrf) {
        return out;
    }
    let key = signed_out_key(&guard::marker(&who.state));
    let setting = vec![(key, Some(cx.now.timestamp_millis().to_string()))];
    let _ = cx
        .app
        .store
        .put_account_settings(&who.state.account, &setting);
    view::redirect("/console/signin?signed_out=1").with_cookie(cookie::clear(cookie::SESSION))
}
