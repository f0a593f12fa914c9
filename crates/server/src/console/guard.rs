//! Who is signed in: the session cookie opened and checked (its stage, its hard end, the idle
//! timeout, a sign-out since it began, a principal that still exists), the API [`Caller`] it
//! stands for, and the checks every page makes with it: the CSRF token of a form and the
//! policy engine's decision on the action (a refusal is a "not authorized" page that says why).

use super::Cx;
use super::cookie::{self, SessionState, Stage};
use super::view::{self, Out};
use super::who::{Decided, Who};
use crate::auth::Caller;
use crate::authz::{RequestFacts, authorize_console};
use chrono::TimeDelta;
use portcullis_core::iam::passwords::new_password_hash;
use portcullis_core::session::{Session, SessionPrincipal};
use portcullis_core::{IamError, Principal, RoleSession, User};
use portcullis_proto::Operation;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::sync::Arc;

/// A session ends after this long without a request.
pub const IDLE: TimeDelta = TimeDelta::minutes(60);
/// The account setting that records a user's last sign-out, in Unix milliseconds (sessions
/// begun before it end).
pub fn signed_out_key(user: &str) -> String {
    format!("console:signed-out:{user}")
}

/// Whose sign-outs end this session: the user's id, or the account's for root.
pub fn marker(state: &SessionState) -> String {
    state
        .user_id
        .clone()
        .unwrap_or_else(|| state.account.clone())
}

/// Back to the sign-in page, the session cookie removed.
pub fn to_signin() -> Out {
    view::redirect("/console/signin").with_cookie(cookie::clear(cookie::SESSION))
}

/// The session of this request in `stage`, checked; `Err` is the answer to give instead.
pub fn session_in(cx: &Cx, stage: Stage) -> Result<SessionState, Out> {
    let state = cx
        .cookie(cookie::SESSION)
        .and_then(|c| cookie::open_session(&cx.app.master, c))
        .ok_or_else(to_signin)?;
    let now = cx.now.timestamp();
    if state.stage != stage || now >= state.expires || now - state.seen >= IDLE.num_seconds() {
        return Err(to_signin());
    }
    Ok(state)
}

/// The signed-in principal, its session refreshed (idle timer); signs out what no longer
/// holds: an ended session, a user since deleted, a sign-out since the session began.
pub fn signed_in(cx: &Cx) -> Result<Who, Out> {
    let mut state = session_in(cx, Stage::Ready)?;
    let now = cx.now.timestamp();
    let app = &cx.app;
    let store_down = |_| view::plain(503, "The store cannot be read; try again.");
    let principal = match &state.user_id {
        None => Principal::Root {
            account: state.account.clone(),
        },
        Some(id) => {
            let user = app
                .store
                .get_user_by_id(&state.account, id)
                .map_err(store_down)?
                .ok_or_else(to_signin)?;
            Principal::User(user)
        }
    };
    let marker = marker(&state);
    let signed_out = app
        .store
        .account_setting(&state.account, &signed_out_key(&marker))
        .map_err(store_down)?
        .and_then(|t| t.parse::<i64>().ok());
    if signed_out.is_some_and(|ms| ms >= state.issued_ms) {
        return Err(to_signin());
    }
    if state.role.as_ref().is_some_and(|r| now >= r.expires) {
        state.role = None;
    }
    state.seen = now;
    let caller = caller_of(&state, principal);
    Ok(Who {
        state,
        caller,
        decided: RefCell::default(),
    })
}

/// The API caller a console session stands for: the user (or root) with a session that
/// carries the sign-in time and MFA, or the role session it switched to.
fn caller_of(state: &SessionState, principal: Principal) -> Caller {
    let (principal, session_principal, issued, expires) = match (&state.role, &principal) {
        (Some(r), Principal::User(_)) => (
            Principal::RoleSession(RoleSession {
                account: state.account.clone(),
                role_id: r.id.clone(),
                role_name: r.name.clone(),
                role_path: r.path.clone(),
                session_name: r.session_name.clone(),
            }),
            SessionPrincipal::Role {
                id: r.id.clone(),
                name: r.name.clone(),
                path: r.path.clone(),
                session: r.session_name.clone(),
            },
            r.issued,
            r.expires,
        ),
        (_, Principal::User(u)) => (
            principal.clone(),
            SessionPrincipal::User { id: u.id.clone() },
            state.issued,
            state.expires,
        ),
        _ => (
            principal.clone(),
            SessionPrincipal::Root,
            state.issued,
            state.expires,
        ),
    };
    let times = (issued, expires, state.mfa_at);
    console_caller(principal, session_principal, &state.account, times)
}

/// An API caller for `principal` with a console session of `session_principal`:
/// `(issued, expires, mfa_at)` in Unix seconds.
pub fn console_caller(
    principal: Principal,
    session_principal: SessionPrincipal,
    account: &str,
    (issued, expires, mfa_at): (i64, i64, Option<i64>),
) -> Caller {
    let session = Session {
        principal: session_principal,
        account: account.to_string(),
        access_key_id: "console".to_string(),
        issued,
        expires,
        policy: None,
        policy_arns: Vec::new(),
        tags: Vec::new(),
        transitive_tag_keys: Vec::new(),
        source_identity: None,
        mfa_at,
        chained: false,
        federated_provider: None,
    };
    Caller {
        principal,
        access_key_id: "console".to_string(),
        region: "us-east-1".to_string(),
        session: Some(Arc::new(session)),
        mfa_verified_at: None,
    }
}

/// The refreshed session cookie of a signed-in page.
pub fn refreshed(cx: &Cx, who: &Who, out: Out) -> Out {
    let left = who.state.expires - cx.now.timestamp();
    out.with_cookie(cookie::set(
        cookie::SESSION,
        &cookie::seal_session(&cx.app.master, &who.state),
        left.max(0),
    ))
}

/// A form's CSRF token checked against the session's.
pub fn csrf(cx: &Cx, expected: &str) -> Result<(), Out> {
    if cookie::csrf_ok(cx.field("csrf"), expected) {
        Ok(())
    } else {
        Err(view::plain(
            403,
            "This form has expired or did not come from the console. Go back, reload and try again.",
        ))
    }
}

/// Runs a core service in one store transaction, as the API's handlers do, and clears the
/// caches after a change; `Err`: AWS's words for the refusal.
pub fn write<T>(
    cx: &Cx,
    f: impl FnMut(&dyn portcullis_core::store::Tx) -> portcullis_core::IamResult<T>,
) -> Result<T, String> {
    let out = portcullis_core::store::write(&*cx.app.store, f).map_err(refusal)?;
    cx.app.invalidate_caches();
    Ok(out)
}

/// A new console password for `user`, checked (the account's policy, the screening, the
/// user's history) and hashed by core as the API's are; `Err`: AWS's words for the refusal.
pub fn password_hash(cx: &Cx, user: &User, password: &str) -> Result<String, String> {
    let screening = cx.app.settings.password_screening;
    new_password_hash(&*cx.app.store, user, password, screening)
        .map_err(|e| crate::failure::new_password_failure(e).message)
}

/// A refusal of core's services in AWS's words, as the API answers it (a store failure is
/// logged and worded without its cause).
pub fn refusal(e: IamError) -> String {
    crate::failure::iam_error(e).message
}

/// The policy engine's decision on `op` for the signed-in principal; `Err`: why not.
pub fn allowed(cx: &Cx, who: &Who, op: Operation, names: &[(&str, &str)]) -> Result<(), String> {
    let facts = RequestFacts {
        origin: &cx.origin,
        user_agent: cx.user_agent(),
        now: cx.now,
        full_context: false,
    };
    let rule = crate::handlers::routes::route(op).rule;
    let decision = authorize_console(&cx.app, &rule, &who.caller, op, names, &facts)
        .map(|_| ())
        .map_err(|e| e.message);
    // Changes, and switching role (the console's AssumeRole, which CloudTrail records too).
    if crate::handlers::routes::route(op).writes || op == Operation::AssumeRole {
        who.decided.borrow_mut().push(Decided {
            op,
            names: names
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            denied: decision.as_ref().err().cloned(),
        });
    }
    decision
}

/// The "not authorized" page: the action and the engine's reason.
pub fn denied(cx: &Cx, who: &Who, section: &str, action: &str, why: &str) -> Out {
    let mut data = who.base(cx, section);
    data["action"] = json!(action);
    data["why"] = json!(why);
    match cx.console.templates.render("denied.html", data) {
        Ok(body) => view::html(403, body),
        Err(out) => out,
    }
}

/// A signed-in page: `f` runs with the principal (forms checked for CSRF first) and its
/// answer carries the refreshed session.
pub fn with_session(cx: &Cx, f: impl FnOnce(&mut Who) -> Out) -> Out {
    let mut who = match signed_in(cx) {
        Ok(w) => w,
        Err(out) => return out,
    };
    if let (true, Err(out)) = (cx.post, csrf(cx, &who.state.csrf)) {
        return out;
    }
    let out = f(&mut who);
    if !super::action_audit::record(cx, &who, out.status()) {
        tracing::error!("the audit record of a console change could not be written");
        return view::plain(500, "The change could not be recorded in the audit trail.");
    }
    refreshed(cx, &who, out)
}

/// A page rendered with the base data merged with `data`.
pub fn render(cx: &Cx, who: &Who, section: &str, template: &str, data: Value) -> Out {
    let mut all = who.base(cx, section);
    if let (Some(base), Value::Object(extra)) = (all.as_object_mut(), data) {
        base.extend(extra);
    }
    match cx.console.templates.render(template, all) {
        Ok(body) => view::html(200, body),
        Err(out) => out,
    }
}

/// A page with a form: `data` and the form's refusal (`error`), answered 400 when there is one.
pub fn render_form(
    cx: &Cx,
    who: &Who,
    (section, template): (&str, &str),
    mut data: Value,
    error: Option<String>,
) -> Out {
    let refused = error.is_some();
    data["error"] = json!(error);
    let out = render(cx, who, section, template, data);
    if refused {
        view::with_status(out, 400)
    } else {
        out
    }
}

/// A list page (`section`, template `{section}.html`), decided as its listing operation `op`:
/// the rows and the form `data` builds (only once allowed), with the form's refusal.
pub fn list_page(
    cx: &Cx,
    who: &Who,
    (section, op): (&str, Operation),
    error: Option<String>,
    data: impl FnOnce() -> Value,
) -> Out {
    if let Err(why) = allowed(cx, who, op, &[]) {
        let action = format!("{}:{}", op.info().service.prefix(), op.name());
        return denied(cx, who, section, &action, &why);
    }
    let template = format!("{section}.html");
    render_form(cx, who, (section, &template), data(), error)
}

/// A list page's route: GET lists, POST runs the page's form (`create`).
pub fn list_or_create(
    cx: &Cx,
    create: fn(&Cx, &Who) -> Out,
    listing: fn(&Cx, &Who, Option<String>) -> Out,
) -> Out {
    with_session(cx, |who| {
        if cx.post {
            create(cx, who)
        } else {
            listing(cx, who, None)
        }
    })
}

/// The page that says `what` does not exist (404).
pub fn not_found(cx: &Cx, who: &Who, section: &str, title: &str, text: String, back: &str) -> Out {
    let out = render(
        cx,
        who,
        section,
        "message.html",
        json!({"title": title, "text": text, "back": back}),
    );
    if out.status() == 200 {
        out.status_set(404)
    } else {
        out
    }
}
