//! Roles and switching to one: the list of the account's roles (with their trust
//! relationships), and "Switch role", the console's AssumeRole: decided by the role's trust
//! policy and the user's own policies (with the sign-in's MFA facts), for at most the role's
//! MaxSessionDuration and an hour by default; the role session is shown in the header until
//! it ends or the user switches back.

use super::Cx;
use super::cookie::RoleHat;
use super::guard::{allowed, denied, render, with_session};
use super::users::{ago, with_status};
use super::view::{self, Out};
use portcullis_core::Principal;
use portcullis_proto::{Operation, Params, validate};
use serde_json::{Value, json};

/// `/console/roles`: the account's roles.
pub fn list(cx: &Cx) -> Out {
    with_session(cx, |who| {
        if let Err(why) = allowed(cx, who, Operation::ListRoles, &[]) {
            return denied(cx, who, "roles", "iam:ListRoles", &why);
        }
        let roles: Vec<Value> = cx
            .app
            .store
            .list_roles(&who.state.account, "/", None, 1000)
            .map(|p| p.items)
            .unwrap_or_default()
            .iter()
            .map(|r| {
                let trust = serde_json::from_str::<Value>(&r.assume_role_policy)
                    .ok()
                    .and_then(|v| serde_json::to_string_pretty(&v).ok())
                    .unwrap_or_else(|| r.assume_role_policy.clone());
                json!({
                    "name": r.name,
                    "arn": r.arn(),
                    "description": r.description,
                    "max_hours": r.max_session_duration / 3600,
                    "last_used": ago(cx, r.last_used.as_ref().map(|(t, _)| *t)),
                    "trust": trust,
                })
            })
            .collect();
        render(cx, who, "roles", "roles.html", json!({"roles": roles}))
    })
}

/// `/console/switch-role`: the form (GET) and the switch (POST).
pub fn switch(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let form = |error: Option<String>| {
            render(
                cx,
                who,
                "switch",
                "switch_role.html",
                json!({
                    "error": error,
                    "role_name": cx.field("role"),
                    "minutes": cx.field("minutes"),
                    "is_user": matches!(who.caller.principal, Principal::User(_)) || who.state.role.is_some(),
                }),
            )
        };
        if !cx.post {
            return form(None);
        }
        if who.state.user_id.is_none() {
            return with_status(
                form(Some("Roles may not be assumed by root accounts.".into())),
                403,
            );
        }
        if who.state.role.is_some() {
            return with_status(
                form(Some(
                    "Switch back before you switch to another role.".into(),
                )),
                400,
            );
        }
        let role_name = cx.field("role");
        let account = &who.state.account;
        let role_arn = portcullis_core::arn::entity(account, "role", "/", role_name);
        let session_name = who.state.user_name.clone();
        let mut params = Params::default();
        params.insert("RoleArn", role_arn.as_str());
        params.insert("RoleSessionName", session_name.as_str());
        if let Err(e) = validate::validate(Operation::AssumeRole.info(), &params) {
            return with_status(form(Some(e.message)), 400);
        }
        if let Err(why) = allowed(
            cx,
            who,
            Operation::AssumeRole,
            &[("RoleArn", &role_arn), ("RoleSessionName", &session_name)],
        ) {
            return with_status(form(Some(why)), 403);
        }
        let Some(role) = cx.app.store.get_role(account, role_name).ok().flatten() else {
            return with_status(
                form(Some(format!("The role {role_name} cannot be found."))),
                404,
            );
        };
        let minutes: i64 = cx.field("minutes").parse().unwrap_or(60);
        let seconds = (minutes * 60).clamp(900, role.max_session_duration);
        let now = cx.now.timestamp();
        let hat = RoleHat {
            id: role.id.clone(),
            name: role.name.clone(),
            path: role.path.clone(),
            session_name,
            issued: now,
            // The role session cannot outlive the console session.
            expires: (now + seconds).min(who.state.expires),
        };
        let _ = cx
            .app
            .store
            .record_role_use(account, &role.id, cx.now, "us-east-1");
        who.state.role = Some(hat);
        view::redirect("/console/home")
    })
}

/// `/console/switch-back` (POST): back to the signed-in user.
pub fn back(cx: &Cx) -> Out {
    with_session(cx, |who| {
        if !cx.post {
            return view::redirect("/console/home");
        }
        who.state.role = None;
        view::redirect("/console/home")
    })
}
