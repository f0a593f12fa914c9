//! Effective permissions: what a user or role may do, decided by the enforcement code itself
//! (`authz::authorize_console`, the engine every request goes through) for the principal as
//! it would call, over the common IAM and STS actions or one the viewer names, with AWS's
//! reason for each denial. Viewing needs iam:SimulatePrincipalPolicy on the principal.

use super::Cx;
use super::guard::console_caller;
use super::guard::{allowed, denied, render, with_session};
use super::view::Out;
use crate::auth::Caller;
use crate::authz::{RequestFacts, authorize_console};
use portcullis_core::session::SessionPrincipal;
use portcullis_core::{Principal, RoleSession};
use portcullis_proto::{Operation, Service};
use serde_json::{Value, json};

/// The actions shown unless the viewer names one.
const COMMON: &[Operation] = &[
    Operation::ListUsers,
    Operation::GetUser,
    Operation::CreateUser,
    Operation::DeleteUser,
    Operation::CreateAccessKey,
    Operation::ListRoles,
    Operation::CreateRole,
    Operation::PutUserPolicy,
    Operation::AttachUserPolicy,
    Operation::CreatePolicy,
    Operation::UpdateAccountPasswordPolicy,
    Operation::GenerateCredentialReport,
    Operation::ChangePassword,
    Operation::GetAccountSummary,
];

/// The principal `kind`/`name` as an API caller (a user with its long-term identity, a role
/// as a fresh session of it), or `None` when it does not exist.
fn caller(cx: &Cx, account: &str, kind: &str, name: &str) -> Option<Caller> {
    let store = &cx.app.store;
    if kind != "role" {
        let user = store.get_user(account, name).ok().flatten()?;
        return Some(Caller {
            principal: Principal::User(user),
            access_key_id: "console".into(),
            region: "us-east-1".into(),
            session: None,
            mfa_verified_at: None,
        });
    }
    let r = store.get_role(account, name).ok().flatten()?;
    let session_name = "effective-permissions".to_string();
    let now = cx.now.timestamp();
    Some(console_caller(
        Principal::RoleSession(RoleSession {
            account: account.to_string(),
            role_id: r.id.clone(),
            role_name: r.name.clone(),
            role_path: r.path.clone(),
            session_name: session_name.clone(),
        }),
        SessionPrincipal::Role {
            id: r.id,
            name: r.name,
            path: r.path,
            session: session_name,
        },
        account,
        (now, now + 3600, None),
    ))
}

/// `/console/permissions?kind=user|role&name=NAME[&action=Operation]`.
pub fn page(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let account = who.state.account.clone();
        let kind = if cx.field("kind") == "role" {
            "role"
        } else {
            "user"
        };
        let name = cx.field("name");
        let mut data = json!({"kind": kind, "name": name, "action": cx.field("action")});
        if name.is_empty() {
            return render(cx, who, "permissions", "permissions.html", data);
        }
        let arn = portcullis_core::arn::entity(&account, kind, "/", name);
        if let Err(why) = allowed(
            cx,
            who,
            Operation::SimulatePrincipalPolicy,
            &[("PolicySourceArn", &arn)],
        ) {
            return denied(cx, who, "permissions", "iam:SimulatePrincipalPolicy", &why);
        }
        let Some(subject) = caller(cx, &account, kind, name) else {
            data["error"] = json!(format!("The {kind} {name} cannot be found."));
            return render(cx, who, "permissions", "permissions.html", data);
        };
        let ops: Vec<Operation> = match cx.field("action") {
            "" => COMMON.to_vec(),
            a => {
                let short = a.rsplit(':').next().unwrap_or(a);
                match Operation::from_wire(Service::Iam, short)
                    .or_else(|| Operation::from_wire(Service::Sts, short))
                {
                    Some(op) => vec![op],
                    None => {
                        data["error"] = json!(format!("{a} is not an IAM or STS action."));
                        return render(cx, who, "permissions", "permissions.html", data);
                    }
                }
            }
        };
        let facts = RequestFacts {
            origin: &cx.origin,
            user_agent: cx.user_agent(),
            now: cx.now,
            full_context: false,
        };
        let rows: Vec<Value> = ops
            .iter()
            .map(|op| {
                let rule = crate::handlers::routes::route(*op).rule;
                let decision = authorize_console(&cx.app, &rule, &subject, *op, &[], &facts);
                json!({
                    "action": format!("{}:{}", op.info().service.prefix(), op.name()),
                    "allowed": decision.is_ok(),
                    "statements": decision.as_ref().ok(),
                    "why": decision.err().map(|e| e.message),
                })
            })
            .collect();
        data["rows"] = json!(rows);
        data["arn"] = json!(arn);
        render(cx, who, "permissions", "permissions.html", data)
    })
}
