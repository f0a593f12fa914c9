//! Security credentials: a user's console password (enable, reset, require a reset, disable,
//! unlock after too many failures), and "My security credentials", where users change their
//! own password and manage their own MFA and keys (what IAMUserChangePassword and
//! self-service policies allow). The credentials tab's data is `credentials_tab`'s.

use super::Cx;
use super::credentials_tab::{credentials_data, notice};
use super::guard::{allowed, denied, password_hash, render, with_session};
use super::signin::locked_key;
use super::users::user_page;
use super::view::{self, Out, with_status};
use super::who::Who;
use crate::failure::new_password_failure;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::passwords::change_password;
use portcullis_core::passwords::{LoginProfile, LoginProfileUpdate};
use portcullis_core::{IamError, Principal, User};
use portcullis_proto::Operation;
use serde_json::json;

/// Where an action on `name`'s credentials returns: "My security credentials" or the user.
pub fn back_to(cx: &Cx, name: &str, done: &str) -> Out {
    if cx.field("back") == "me" {
        view::redirect(&format!("/console/me?done={done}"))
    } else {
        view::redirect(&format!("/console/users/{name}?done={done}"))
    }
}

/// The user `name` of the signed-in account, or the page that says it does not exist.
pub fn target_user(cx: &Cx, who: &Who, name: &str) -> Result<User, Out> {
    cx.app
        .store
        .get_user(&who.state.account, name)
        .ok()
        .flatten()
        .ok_or_else(|| user_page(cx, who, name, None, None))
}

/// `/console/users/{name}/password` (POST): `action` is enable, reset, require-reset or
/// disable.
pub fn password(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let name = cx.segment("name");
        let action = cx.field("action");
        let op = match action {
            "enable" => Operation::CreateLoginProfile,
            "reset" | "require-reset" => Operation::UpdateLoginProfile,
            "disable" => Operation::DeleteLoginProfile,
            _ => return view::plain(400, "Unknown action."),
        };
        if let Err(why) = allowed(cx, who, op, &[("UserName", name)]) {
            return denied(cx, who, "users", &format!("iam:{}", op.name()), &why);
        }
        let user = match target_user(cx, who, name) {
            Ok(u) => u,
            Err(out) => return out,
        };
        match password_action(cx, &user, action) {
            Ok(done) => {
                cx.app.invalidate_caches();
                back_to(cx, name, done)
            }
            Err(msg) => with_status(user_page(cx, who, name, Some(msg), None), 400),
        }
    })
}

/// AWS's words for a user without a login profile.
fn no_profile(user: &User) -> String {
    IamError::no_such(EntityKind::LoginProfile, &user.name).to_string()
}

fn password_action(cx: &Cx, user: &User, action: &str) -> Result<&'static str, String> {
    let store = &cx.app.store;
    let require_reset = cx.field("require_reset") == "on";
    let fail = |_| "The store could not be written; try again.".to_string();
    match action {
        "enable" | "reset" => {
            let hash = password_hash(cx, user, cx.raw("password"))?;
            if action == "enable" {
                let profile = LoginProfile {
                    account: user.account.clone(),
                    user_id: user.id.clone(),
                    created: cx.now,
                    password_changed: cx.now,
                    reset_required: require_reset,
                    max_session_duration: None,
                };
                store.create_login_profile(&profile, &hash).map_err(|_| {
                    IamError::exists(EntityKind::LoginProfile, &user.name).to_string()
                })?;
            } else {
                let update = LoginProfileUpdate {
                    password_hash: Some(hash),
                    reset_required: Some(require_reset),
                    max_session_duration: None,
                    now: cx.now,
                };
                store
                    .update_login_profile(&user.account, &user.id, &update)
                    .map_err(|_| no_profile(user))?;
            }
            Ok("password")
        }
        "require-reset" => {
            let update = LoginProfileUpdate {
                password_hash: None,
                reset_required: Some(true),
                max_session_duration: None,
                now: cx.now,
            };
            store
                .update_login_profile(&user.account, &user.id, &update)
                .map_err(|_| no_profile(user))?;
            Ok("reset-required")
        }
        _ => {
            store
                .delete_login_profile(&user.account, &user.id)
                .map_err(fail)?;
            Ok("password-removed")
        }
    }
}

/// `/console/users/{name}/unlock` (POST): lifts the lock after too many failed sign-ins
/// (decided as iam:UpdateLoginProfile).
pub fn unlock(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let name = cx.segment("name");
        if let Err(why) = allowed(
            cx,
            who,
            Operation::UpdateLoginProfile,
            &[("UserName", name)],
        ) {
            return denied(cx, who, "users", "iam:UpdateLoginProfile", &why);
        }
        let user = match target_user(cx, who, name) {
            Ok(u) => u,
            Err(out) => return out,
        };
        let setting = vec![(locked_key(&user.id), None)];
        if cx
            .app
            .store
            .put_account_settings(&user.account, &setting)
            .is_err()
        {
            return view::plain(503, "The store could not be written; try again.");
        }
        super::throttle::clear(
            cx.app.store.as_ref(),
            &format!("user\0{}\0{}", user.account, user.name.to_ascii_lowercase()),
        );
        tracing::info!(user = %user.name, by = %who.caller.principal.arn(), "console sign-in unlocked");
        back_to(cx, name, "unlocked")
    })
}

/// `/console/me`: the signed-in user's own credentials.
pub fn me(cx: &Cx) -> Out {
    with_session(cx, |who| me_page(cx, who, None))
}

fn me_page(cx: &Cx, who: &Who, error: Option<String>) -> Out {
    let mut data = match (&who.caller.principal, &who.state.role) {
        (Principal::User(u), None) => {
            let mut d = credentials_data(cx, who, u);
            d["back"] = json!("me");
            d
        }
        _ => json!({"not_user": true}),
    };
    data["error"] = json!(error);
    data["notice"] = json!(notice(cx.field("done")));
    render(cx, who, "me", "me.html", data)
}

/// `/console/me/password` (POST): the user changes its own password (iam:ChangePassword,
/// the old password checked with the same guess limit as the API's).
pub fn change_own(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let Principal::User(user) = &who.caller.principal else {
            return me_page(cx, who, Some(IamError::NotAnIamUser.to_string()));
        };
        if let Err(why) = allowed(cx, who, Operation::ChangePassword, &[]) {
            return denied(cx, who, "me", "iam:ChangePassword", &why);
        }
        match change(cx, user) {
            Ok(()) => {
                cx.app.invalidate_caches();
                view::redirect("/console/me?done=password-changed")
            }
            Err(msg) => with_status(me_page(cx, who, Some(msg)), 400),
        }
    })
}

/// The form's new password, typed twice, changed by core's ChangePassword (as the API's).
fn change(cx: &Cx, user: &User) -> Result<(), String> {
    if cx.raw("new_password") != cx.raw("confirm_password") {
        return Err("The two new passwords are not the same.".into());
    }
    let passwords = (cx.raw("old_password"), cx.raw("new_password"));
    let screening = cx.app.settings.password_screening;
    change_password(
        &*cx.app.store,
        &cx.app.attempts,
        user,
        passwords,
        screening,
        cx.now,
    )
    .map_err(|e| new_password_failure(e).message)
}
