//! Roles and switching to one: the list of the account's roles (with their trust
//! relationships), creating one, editing its trust policy (the engine's validation messages),
//! deleting it, and "Switch role", the console's AssumeRole: decided by the role's trust
//! policy and the user's own policies (with the sign-in's MFA facts), for at most the role's
//! MaxSessionDuration and an hour by default; the role session is shown in the header until
//! it ends or the user switches back.

use super::Cx;
use super::cookie::RoleHat;
use super::guard::{allowed, denied, list_page, render, render_form, with_session, write};
use super::policies::pretty;
use super::view::ago;
use super::view::{self, Out, with_status};
use portcullis_core::iam::{documents, roles};
use portcullis_core::{Principal, Role, RoleUpdate, ids};
use portcullis_proto::{Operation, Params, validate};
use serde_json::{Value, json};

/// `/console/roles`: the account's roles (GET) and a new role (POST).
pub fn list(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let mut error = None;
        if cx.post {
            match create(cx, who) {
                Ok(out) => return out,
                Err(msg) => error = Some(msg),
            }
        }
        list_page(
            cx,
            who,
            ("roles", Operation::ListRoles),
            error.clone(),
            || {
                let roles: Vec<Value> = cx
                    .app
                    .store
                    .list_roles(&who.state.account, "/", None, 1000)
                    .map(|p| p.items)
                    .unwrap_or_default()
                    .iter()
                    .map(|r| {
                        let trust = pretty(&r.assume_role_policy);
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
                let trust = if error.is_some() {
                    cx.raw("trust").to_string()
                } else {
                    default_trust(&who.state.account)
                };
                json!({"roles": roles, "new_name": cx.field("role_name"), "trust": trust})
            },
        )
    })
}

/// A trust policy that lets the account's own principals (those their policies allow) assume
/// the role.
fn default_trust(account: &str) -> String {
    pretty(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":"sts:AssumeRole"}}]}}"#
    ))
}

fn create(cx: &Cx, who: &super::who::Who) -> Result<Out, String> {
    let name = cx.field("role_name");
    let doc = cx.raw("trust");
    let mut params = Params::default();
    params.insert("RoleName", name);
    params.insert("AssumeRolePolicyDocument", doc);
    validate::validate(Operation::CreateRole.info(), &params).map_err(|e| e.message)?;
    if let Err(why) = allowed(cx, who, Operation::CreateRole, &[("RoleName", name)]) {
        return Ok(denied(cx, who, "roles", "iam:CreateRole", &why));
    }
    documents::check_trust_policy(doc).map_err(|e| e.message().to_string())?;
    let role = Role {
        account: who.state.account.clone(),
        id: ids::unique_id(ids::IdKind::Role),
        name: name.to_string(),
        path: "/".to_string(),
        created: cx.now,
        assume_role_policy: doc.to_string(),
        description: None,
        max_session_duration: 3600,
        permissions_boundary: None,
        last_used: None,
    };
    let quotas = cx.app.settings.quotas;
    write(cx, |tx| roles::create(tx, &role, &[], &quotas))?;
    Ok(view::redirect(&format!("/console/roles/{name}")))
}

/// `/console/roles/{name}`: the role (GET); POST `action` is save (its trust policy) or delete.
pub fn show(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let name = cx.segment("name");
        let account = who.state.account.clone();
        let (op, action) = match (cx.post, cx.field("action")) {
            (false, _) => (Operation::GetRole, "iam:GetRole"),
            (true, "delete") => (Operation::DeleteRole, "iam:DeleteRole"),
            (true, _) => (
                Operation::UpdateAssumeRolePolicy,
                "iam:UpdateAssumeRolePolicy",
            ),
        };
        if let Err(why) = allowed(cx, who, op, &[("RoleName", name)]) {
            return denied(cx, who, "roles", action, &why);
        }
        let mut error = None;
        if cx.post {
            let doc = cx.raw("trust");
            let result = if op == Operation::DeleteRole {
                write(cx, |tx| roles::delete(tx, &account, name))
            } else {
                let update = RoleUpdate {
                    description: None,
                    max_session_duration: None,
                    assume_role_policy: Some(doc.to_string()),
                };
                documents::check_trust_policy(doc)
                    .map_err(|e| e.message().to_string())
                    .and_then(|()| {
                        write(cx, |tx| roles::update(tx, &account, name, &update)).map(|_| ())
                    })
            };
            match result {
                Ok(()) => {
                    return view::redirect(&if op == Operation::DeleteRole {
                        "/console/roles".to_string()
                    } else {
                        format!("/console/roles/{name}?done=saved")
                    });
                }
                Err(msg) => error = Some(msg),
            }
        }
        let Some(role) = cx.app.store.get_role(&account, name).ok().flatten() else {
            return super::guard::not_found(
                cx,
                who,
                "roles",
                "No such role",
                format!("The role with name {name} cannot be found."),
                "/console/roles",
            );
        };
        let trust = if error.is_some() {
            cx.raw("trust").to_string()
        } else {
            pretty(&role.assume_role_policy)
        };
        let attached = cx.app.store.attached_policies(&role.id).unwrap_or_default();
        let data = json!({
            "role": {"name": role.name, "arn": role.arn(), "max_hours": role.max_session_duration / 3600,
                     "last_used": ago(cx, role.last_used.as_ref().map(|(t, _)| *t))},
            "trust": trust,
            "attached": attached,
            "saved": cx.field("done") == "saved",
        });
        render_form(cx, who, ("roles", "role.html"), data, error)
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
