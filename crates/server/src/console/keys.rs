//! Access keys from the console: create one (its secret shown once, with a CSV download of
//! the pair), deactivate, activate and delete. Decided as CreateAccessKey, UpdateAccessKey and
//! DeleteAccessKey; the key is built and sealed as the API builds it, and written through
//! core's service (the per-user quota).

use super::Cx;
use super::credentials::{back_to, target_user};
use super::guard::{allowed, denied, render, with_session, write};
use super::users::user_page;
use super::view::{self, Out, with_status};
use portcullis_core::iam::access_keys;
use portcullis_core::{AccessKey, KeyStatus, ids};
use portcullis_proto::Operation;
use serde_json::json;

/// `/console/users/{name}/keys` (POST): a new key, its secret shown only on this page.
pub fn create(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let name = cx.segment("name");
        if let Err(why) = allowed(cx, who, Operation::CreateAccessKey, &[("UserName", name)]) {
            return denied(cx, who, "users", "iam:CreateAccessKey", &why);
        }
        let user = match target_user(cx, who, name) {
            Ok(u) => u,
            Err(out) => return out,
        };
        let id = ids::access_key_id();
        let secret = ids::secret_access_key();
        let key = AccessKey {
            id: id.clone(),
            account: user.account.clone(),
            user_id: Some(user.id.clone()),
            status: KeyStatus::Active,
            sealed_secret: cx
                .app
                .master
                .seal(secret.expose().as_bytes(), id.as_bytes()),
            created: cx.now,
            last_used: None,
        };
        let quotas = cx.app.settings.quotas;
        let written = write(cx, |tx| access_keys::create(tx, &key, &quotas));
        if let Err(msg) = written {
            return with_status(user_page(cx, who, name, Some(msg), None), 409);
        }
        let csv = format!(
            "Access key ID,Secret access key\n{id},{}\n",
            secret.expose()
        );
        render(
            cx,
            who,
            if cx.field("back") == "me" {
                "me"
            } else {
                "users"
            },
            "key_created.html",
            json!({
                "target": user.name,
                "key_id": id,
                "secret": secret.expose(),
                "csv": csv,
                "back": cx.field("back"),
            }),
        )
    })
}

/// `/console/users/{name}/keys/{id}` (POST): `action` is deactivate, activate or delete.
pub fn update(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let name = cx.segment("name");
        let key_id = cx.segment("id");
        let action = cx.field("action");
        let op = match action {
            "delete" => Operation::DeleteAccessKey,
            "activate" | "deactivate" => Operation::UpdateAccessKey,
            _ => return view::plain(400, "Unknown action."),
        };
        if let Err(why) = allowed(cx, who, op, &[("UserName", name), ("AccessKeyId", key_id)]) {
            return denied(cx, who, "users", &format!("iam:{}", op.name()), &why);
        }
        let user = match target_user(cx, who, name) {
            Ok(u) => u,
            Err(out) => return out,
        };
        let (account, owner) = (user.account.as_str(), Some(user.id.as_str()));
        let result = write(cx, |tx| match action {
            "delete" => access_keys::delete(tx, account, owner, key_id),
            other => {
                let status = if other == "activate" {
                    KeyStatus::Active
                } else {
                    KeyStatus::Inactive
                };
                access_keys::set_status(tx, account, owner, key_id, status)
            }
        });
        match result {
            Ok(_) => back_to(
                cx,
                name,
                if action == "delete" {
                    "key-deleted"
                } else {
                    "key"
                },
            ),
            Err(msg) => with_status(user_page(cx, who, name, Some(msg), None), 404),
        }
    })
}
