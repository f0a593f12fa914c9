//! Users: the list (with last console sign-in, last key use, MFA, password and key ages),
//! creating and deleting a user, and a user's page (groups, policies, tags and the security
//! credentials). Each is decided by the policy engine as the API operation it performs.

use super::Cx;
use super::guard::{allowed, denied, list_or_create, list_page, render, with_session, write};
use super::view::{self, Out, ago, days};
use super::who::Who;
use portcullis_core::iam::users::{self, NewUser};
use portcullis_core::{KeyStatus, User};
use portcullis_proto::{Operation, Params, validate};
use serde_json::{Value, json};

/// One row of the users list.
pub fn row(cx: &Cx, u: &User) -> Value {
    let store = &cx.app.store;
    let profile = store.login_profile(&u.account, &u.id).ok().flatten();
    let keys = store
        .list_access_keys(&u.account, Some(&u.id))
        .unwrap_or_default();
    let mfa = store
        .mfa_devices_for_user(&u.account, &u.id)
        .unwrap_or_default()
        .iter()
        .any(|d| d.enabled.is_some());
    let last_key_use = keys
        .iter()
        .filter_map(|k| k.last_used.as_ref().map(|l| l.at))
        .max();
    let oldest_key = keys
        .iter()
        .filter(|k| k.status == KeyStatus::Active)
        .map(|k| k.created)
        .min();
    json!({
        "name": u.name,
        "path": u.path,
        "created": u.created.format("%Y-%m-%d").to_string(),
        "console": profile.is_some(),
        "password_age": profile.as_ref().map(|p| days(cx, p.password_changed)),
        "last_signin": ago(cx, u.password_last_used),
        "last_key_use": if keys.is_empty() { "—".to_string() } else { ago(cx, last_key_use) },
        "mfa": mfa,
        "key_age": oldest_key.map(|t| days(cx, t)),
        "keys": keys.len(),
    })
}

/// `/console/users`: the list (GET) and creating a user (POST).
pub fn list(cx: &Cx) -> Out {
    list_or_create(cx, create, listing)
}

fn listing(cx: &Cx, who: &Who, error: Option<String>) -> Out {
    list_page(cx, who, ("users", Operation::ListUsers), error, || {
        let users = cx
            .app
            .store
            .list_users(&who.state.account, "/", None, 1000)
            .map(|p| p.items)
            .unwrap_or_default();
        let rows: Vec<Value> = users.iter().map(|u| row(cx, u)).collect();
        json!({"users": rows, "new_name": cx.field("user_name")})
    })
}

fn create(cx: &Cx, who: &Who) -> Out {
    let name = cx.field("user_name");
    let mut params = Params::default();
    params.insert("UserName", name);
    if let Err(e) = validate::validate(Operation::CreateUser.info(), &params) {
        return listing(cx, who, Some(e.message));
    }
    if let Err(why) = allowed(cx, who, Operation::CreateUser, &[("UserName", name)]) {
        return denied(cx, who, "users", "iam:CreateUser", &why);
    }
    let input = NewUser {
        account: who.state.account.clone(),
        name: name.to_string(),
        path: "/".to_string(),
        permissions_boundary: None,
        tags: Vec::new(),
    };
    let quotas = cx.app.settings.quotas;
    match write(cx, |tx| users::create(tx, &input, cx.now, &quotas)) {
        Ok(u) => view::redirect(&format!("/console/users/{}", u.name)),
        Err(msg) => listing(cx, who, Some(msg)),
    }
}

/// `/console/users/{name}/delete` (POST).
pub fn delete(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let name = cx.segment("name");
        if let Err(why) = allowed(cx, who, Operation::DeleteUser, &[("UserName", name)]) {
            return denied(cx, who, "users", "iam:DeleteUser", &why);
        }
        let account = who.state.account.clone();
        match write(cx, |tx| users::delete(tx, &account, name)) {
            Ok(()) => view::redirect("/console/users"),
            Err(msg) => user_page(cx, who, name, Some(msg), None),
        }
    })
}

/// `/console/users/{name}`: the user's page.
pub fn show(cx: &Cx) -> Out {
    with_session(cx, |who| user_page(cx, who, cx.segment("name"), None, None))
}

/// The user's page, with an error or a notice from the last action.
pub fn user_page(
    cx: &Cx,
    who: &Who,
    name: &str,
    error: Option<String>,
    notice: Option<String>,
) -> Out {
    if let Err(why) = allowed(cx, who, Operation::GetUser, &[("UserName", name)]) {
        return denied(cx, who, "users", "iam:GetUser", &why);
    }
    let Some(user) = cx
        .app
        .store
        .get_user(&who.state.account, name)
        .ok()
        .flatten()
    else {
        return super::guard::not_found(
            cx,
            who,
            "users",
            "No such user",
            format!("The user with name {name} cannot be found."),
            "/console/users",
        );
    };
    let mut data = super::credentials_tab::credentials_data(cx, who, &user);
    let store = &cx.app.store;
    let groups: Vec<String> = store
        .all_groups_for_user(&user.account, &user.id)
        .unwrap_or_default()
        .into_iter()
        .map(|g| g.name)
        .collect();
    let attached = store.attached_policies(&user.id).unwrap_or_default();
    let inline: Vec<String> = store
        .list_inline_policies(&user.id)
        .unwrap_or_default()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let tags: Vec<Value> = store
        .tags(&user.id)
        .unwrap_or_default()
        .iter()
        .map(|t| json!({"key": t.key, "value": t.value}))
        .collect();
    let extra = json!({
        "user": {
            "name": user.name,
            "arn": user.arn(),
            "id": user.id,
            "created": user.created.format("%Y-%m-%d %H:%M UTC").to_string(),
            "last_signin": ago(cx, user.password_last_used),
        },
        "groups": groups,
        "attached": attached,
        "inline": inline,
        "tags": tags,
        "error": error,
        "notice": notice.or_else(|| super::credentials_tab::notice(cx.field("done")).map(String::from)),
    });
    if let (Some(d), Value::Object(e)) = (data.as_object_mut(), extra) {
        d.extend(e);
    }
    render(cx, who, "users", "user.html", data)
}
