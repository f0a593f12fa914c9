//! Effective permissions: what a user or role may do, decided by the enforcement code itself
//! (`authz::authorize_console`, the engine every request goes through) for the principal as
//! it would call, over the common IAM and STS actions or one the viewer names, with AWS's
//! reason for each denial. Viewing needs iam:SimulatePrincipalPolicy on the principal.

use super::Cx;
use super::guard::{allowed, denied, render, with_session};
use super::view::Out;
use crate::auth::Caller;
use crate::authz::{RequestFacts, authorize_console};
use portcullis_core::session::{Session, SessionPrincipal};
use portcullis_core::{Principal, RoleSession};
use portcullis_proto::{Operation, Service};
use serde_json::{Value, json};
use std::sync::Arc;

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

/// The principal `kind`/`name` as an API caller, or `None` when it does not exist.
fn caller(cx: &Cx, account: &str, kind: &str, name: &str) -> Option<Caller> {
    let store = &cx.app.store;
    let (principal, session) = match kind {
        "role" => {
            let r = store.get_role(account, name).ok().flatten()?;
            let now = cx.now.timestamp();
            let session = Session {
                principal: SessionPrincipal::Role {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    path: r.path.clone(),
                    session: "effective-permissions".into(),
                },
                account: account.to_string(),
                access_key_id: "console".into(),
                issued: now,
                expires: now + 3600,
                policy: None,
                policy_arns: Vec::new(),
                tags: Vec::new(),
                transitive_tag_keys: Vec::new(),
                source_identity: None,
                mfa_at: None,
                chained: false,
                federated_provider: None,
            };
            (
                Principal::RoleSession(RoleSession {
                    account: account.to_string(),
                    role_id: r.id,
                    role_name: r.name,
                    role_path: r.path,
                    session_name: "effective-permissions".into(),
                }),
                Some(Arc::new(session)),
            )
        }
        _ => (
            Principal::User(store.get_user(account, name).ok().flatten()?),
            None,
        ),
    };
    Some(Caller {
        principal,
        access_key_id: "console".into(),
        region: "us-east-1".into(),
        session,
        mfa_verified_at: None,
    })
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
                let decision = authorize_console(&cx.app, &subject, *op, &[], &facts);
                json!({
                    "action": format!("{}:{}", op.info().service.prefix(), op.name()),
                    "allowed": decision.is_ok(),
                    "why": decision.err().map(|e| e.message),
                })
            })
            .collect();
        data["rows"] = json!(rows);
        data["arn"] = json!(arn);
        render(cx, who, "permissions", "permissions.html", data)
    })
}
