//! Attaching managed policies to a user from its page, and detaching them: decided as
//! AttachUserPolicy and DetachUserPolicy on the user with the policy's ARN (so
//! `iam:PolicyARN` conditions apply), written through core's service (the attachment quota).
//! The policy may be an AWS managed one or one of the account's.

use super::Cx;
use super::credentials::target_user;
use super::guard::{allowed, denied, refusal, with_session};
use super::users::user_page;
use super::view::{self, Out, with_status};
use portcullis_core::catalog::aws_managed;
use portcullis_core::iam::policies;
use portcullis_core::{OwnerKind, store};
use portcullis_proto::Operation;

/// `/console/users/{name}/policies` (POST): `action` attach (with `policy_arn`) or detach.
pub fn update(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let name = cx.segment("name");
        let arn = cx.field("policy_arn");
        let (op, action) = if cx.field("action") == "detach" {
            (Operation::DetachUserPolicy, "iam:DetachUserPolicy")
        } else {
            (Operation::AttachUserPolicy, "iam:AttachUserPolicy")
        };
        if let Err(why) = allowed(cx, who, op, &[("UserName", name), ("PolicyArn", arn)]) {
            return denied(cx, who, "users", action, &why);
        }
        let user = match target_user(cx, who, name) {
            Ok(u) => u,
            Err(out) => return out,
        };
        let store = &cx.app.store;
        let result = if op == Operation::DetachUserPolicy {
            store::write(&**store, |tx| {
                policies::detach(tx, &user.account, &user.id, arn)
            })
            .map_err(refusal)
        } else {
            let exists = aws_managed::find(arn).is_some()
                || store
                    .get_policy(&user.account, arn)
                    .ok()
                    .flatten()
                    .is_some();
            if exists {
                let quotas = cx.app.settings.quotas;
                store::write(&**store, |tx| {
                    policies::attach(tx, &user.account, OwnerKind::User, &user.id, arn, &quotas)
                })
                .map_err(refusal)
            } else {
                Err(format!("Policy {arn} does not exist or is not attachable."))
            }
        };
        match result {
            Ok(()) => {
                cx.app.invalidate_caches();
                view::redirect(&format!("/console/users/{name}"))
            }
            Err(msg) => with_status(user_page(cx, who, name, Some(msg), None), 400),
        }
    })
}
