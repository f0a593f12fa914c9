//! Groups: the list, creating and deleting one, and a group's page with its members (adding
//! and removing users) and policies. Decided as ListGroups, CreateGroup, GetGroup,
//! AddUserToGroup, RemoveUserFromGroup and DeleteGroup; written through core's services.

use super::Cx;
use super::guard::{
    allowed, denied, list_or_create, list_page, refusal, render, with_session, write,
};
use super::view::{self, Out, with_status};
use super::who::Who;
use portcullis_core::iam::groups;
use portcullis_core::store;
use portcullis_proto::{Operation, Params, validate};
use serde_json::{Value, json};

/// `/console/groups`: the list (GET) and a new group (POST).
pub fn list(cx: &Cx) -> Out {
    list_or_create(cx, create, listing)
}

fn listing(cx: &Cx, who: &Who, error: Option<String>) -> Out {
    list_page(cx, who, ("groups", Operation::ListGroups), error, || {
        let store = &cx.app.store;
        let rows: Vec<Value> = store
            .list_groups(&who.state.account, "/", None, 1000)
            .map(|p| p.items)
            .unwrap_or_default()
            .iter()
            .map(|g| {
                let members = store
                    .list_group_members(&g.account, &g.id, None, 1000)
                    .map(|p| p.items.len())
                    .unwrap_or_default();
                json!({"name": g.name, "members": members, "created": g.created.format("%Y-%m-%d").to_string()})
            })
            .collect();
        json!({"groups": rows, "new_name": cx.field("group_name")})
    })
}

fn create(cx: &Cx, who: &Who) -> Out {
    let name = cx.field("group_name");
    let mut params = Params::default();
    params.insert("GroupName", name);
    if let Err(e) = validate::validate(Operation::CreateGroup.info(), &params) {
        return listing(cx, who, Some(e.message));
    }
    if let Err(why) = allowed(cx, who, Operation::CreateGroup, &[("GroupName", name)]) {
        return denied(cx, who, "groups", "iam:CreateGroup", &why);
    }
    let quotas = cx.app.settings.quotas;
    let account = who.state.account.clone();
    match write(cx, |tx| {
        groups::create(tx, &account, name, "/", cx.now, &quotas)
    }) {
        Ok(g) => view::redirect(&format!("/console/groups/{}", g.name)),
        Err(msg) => listing(cx, who, Some(msg)),
    }
}

/// `/console/groups/{name}`: the page (GET); POST `action` is add, remove or delete.
pub fn show(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let name = cx.segment("name");
        let user = cx.field("user");
        let account = who.state.account.clone();
        let (op, action, names): (Operation, &str, Vec<(&str, &str)>) =
            match (cx.post, cx.field("action")) {
                (false, _) => (
                    Operation::GetGroup,
                    "iam:GetGroup",
                    vec![("GroupName", name)],
                ),
                (true, "add") => (
                    Operation::AddUserToGroup,
                    "iam:AddUserToGroup",
                    vec![("GroupName", name), ("UserName", user)],
                ),
                (true, "remove") => (
                    Operation::RemoveUserFromGroup,
                    "iam:RemoveUserFromGroup",
                    vec![("GroupName", name), ("UserName", user)],
                ),
                (true, _) => (
                    Operation::DeleteGroup,
                    "iam:DeleteGroup",
                    vec![("GroupName", name)],
                ),
            };
        if let Err(why) = allowed(cx, who, op, &names) {
            return denied(cx, who, "groups", action, &why);
        }
        let quotas = cx.app.settings.quotas;
        let store = &*cx.app.store;
        let result = match op {
            Operation::GetGroup => Ok(()),
            Operation::AddUserToGroup => store::write(store, |tx| {
                groups::add_user(tx, &account, name, user, cx.now, &quotas)
            })
            .map_err(refusal),
            Operation::RemoveUserFromGroup => {
                store::write(store, |tx| groups::remove_user(tx, &account, name, user))
                    .map_err(refusal)
            }
            _ => store::write(store, |tx| groups::delete(tx, &account, name)).map_err(refusal),
        };
        match (result, op) {
            (Ok(()), Operation::DeleteGroup) => {
                cx.app.invalidate_caches();
                view::redirect("/console/groups")
            }
            (Ok(()), Operation::GetGroup) => group_page(cx, who, name, None),
            (Ok(()), _) => {
                cx.app.invalidate_caches();
                view::redirect(&format!("/console/groups/{name}"))
            }
            (Err(msg), _) => with_status(group_page(cx, who, name, Some(msg)), 400),
        }
    })
}

fn group_page(cx: &Cx, who: &Who, name: &str, error: Option<String>) -> Out {
    let store = &cx.app.store;
    let Some(g) = store.get_group(&who.state.account, name).ok().flatten() else {
        return super::guard::not_found(
            cx,
            who,
            "groups",
            "No such group",
            format!("The group with name {name} cannot be found."),
            "/console/groups",
        );
    };
    let members: Vec<String> = store
        .list_group_members(&g.account, &g.id, None, 1000)
        .map(|p| p.items.into_iter().map(|u| u.name).collect())
        .unwrap_or_default();
    let attached = store.attached_policies(&g.id).unwrap_or_default();
    let inline: Vec<String> = store
        .list_inline_policies(&g.id)
        .unwrap_or_default()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    render(
        cx,
        who,
        "groups",
        "group.html",
        json!({
            "group": {"name": g.name, "arn": g.arn(), "created": g.created.format("%Y-%m-%d").to_string()},
            "members": members,
            "attached": attached,
            "inline": inline,
            "error": error,
        }),
    )
}
