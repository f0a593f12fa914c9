//! Customer managed policies: the list, creating one in the JSON editor (the engine's own
//! parser and size checks answer with AWS's MalformedPolicyDocument messages), viewing and
//! editing it (a new default version, at most five kept) and deleting it. Decided as
//! ListPolicies, CreatePolicy, GetPolicy, CreatePolicyVersion and DeletePolicy.

use super::Cx;
use super::guard::{allowed, denied, list_or_create, list_page, render_form, with_session, write};
use super::view::{self, Out};
use super::who::Who;
use portcullis_core::iam::{documents, policies};
use portcullis_core::{ManagedPolicy, arn, ids};
use portcullis_proto::{Operation, Params, validate};
use serde_json::{Value, json};

const EXAMPLE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["iam:GetUser", "iam:ListUsers"],
      "Resource": "*"
    }
  ]
}"#;

/// A document shown pretty-printed (as typed when it is not JSON).
pub fn pretty(doc: &str) -> String {
    serde_json::from_str::<Value>(doc)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| doc.to_string())
}

/// `/console/policies`: the list (GET) and a new policy (POST).
pub fn list(cx: &Cx) -> Out {
    list_or_create(cx, create, listing)
}

fn listing(cx: &Cx, who: &Who, error: Option<String>) -> Out {
    list_page(
        cx,
        who,
        ("policies", Operation::ListPolicies),
        error,
        || {
            let store = &cx.app.store;
            let rows: Vec<Value> = store
                .list_policies(&who.state.account)
                .unwrap_or_default()
                .iter()
                .map(|p| {
                    let (users, others) =
                        store.policy_usage(&p.account, &p.arn()).unwrap_or_default();
                    json!({
                        "name": p.name,
                        "arn": p.arn(),
                        "description": p.description,
                        "attachments": users + others,
                        "updated": p.updated.format("%Y-%m-%d").to_string(),
                    })
                })
                .collect();
            let document = if cx.post {
                cx.raw("document").to_string()
            } else {
                EXAMPLE.to_string()
            };
            json!({"policies": rows, "name": cx.field("name"), "document": document})
        },
    )
}

fn create(cx: &Cx, who: &Who) -> Out {
    let name = cx.field("name");
    let doc = cx.raw("document");
    let mut params = Params::default();
    params.insert("PolicyName", name);
    params.insert("PolicyDocument", doc);
    if let Err(e) = validate::validate(Operation::CreatePolicy.info(), &params) {
        return listing(cx, who, Some(e.message));
    }
    if let Err(why) = allowed(cx, who, Operation::CreatePolicy, &[("PolicyName", name)]) {
        return denied(cx, who, "policies", "iam:CreatePolicy", &why);
    }
    if let Err(e) = documents::check_managed_policy(doc) {
        return listing(cx, who, Some(e.message().to_string()));
    }
    let policy = ManagedPolicy {
        account: who.state.account.clone(),
        id: ids::unique_id(ids::IdKind::Policy),
        name: name.to_string(),
        path: "/".to_string(),
        description: None,
        default_version: "v1".into(),
        created: cx.now,
        updated: cx.now,
    };
    match write(cx, |tx| policies::create(tx, &policy, doc)) {
        Ok(()) => view::redirect(&format!("/console/policies/{name}")),
        Err(msg) => listing(cx, who, Some(msg)),
    }
}

/// `/console/policies/{name}`: the policy (GET), a new version (POST `action=save`) or its
/// deletion (POST `action=delete`).
pub fn show(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let name = cx.segment("name");
        let account = who.state.account.clone();
        let policy_arn = arn::entity(&account, "policy", "/", name);
        let (op, action) = match (cx.post, cx.field("action")) {
            (false, _) => (Operation::GetPolicy, "iam:GetPolicy"),
            (true, "delete") => (Operation::DeletePolicy, "iam:DeletePolicy"),
            (true, _) => (Operation::CreatePolicyVersion, "iam:CreatePolicyVersion"),
        };
        if let Err(why) = allowed(cx, who, op, &[("PolicyArn", &policy_arn)]) {
            return denied(cx, who, "policies", action, &why);
        }
        let mut error = None;
        if cx.post {
            let doc = cx.raw("document");
            let result = if op == Operation::DeletePolicy {
                write(cx, |tx| policies::delete(tx, &account, &policy_arn))
            } else {
                documents::check_managed_policy(doc)
                    .map_err(|e| e.message().to_string())
                    .and_then(|()| {
                        write(cx, |tx| {
                            policies::create_version(tx, &account, &policy_arn, doc, true, cx.now)
                        })
                        .map(|_| ())
                    })
            };
            match result {
                Ok(()) => {
                    return view::redirect(&if op == Operation::DeletePolicy {
                        "/console/policies".to_string()
                    } else {
                        format!("/console/policies/{name}?done=saved")
                    });
                }
                Err(msg) => error = Some(msg),
            }
        }
        policy_page(cx, who, &policy_arn, error)
    })
}

fn policy_page(cx: &Cx, who: &Who, policy_arn: &str, error: Option<String>) -> Out {
    let store = &cx.app.store;
    let Some(p) = store
        .get_policy(&who.state.account, policy_arn)
        .ok()
        .flatten()
    else {
        return super::guard::not_found(
            cx,
            who,
            "policies",
            "No such policy",
            format!("Policy {policy_arn} does not exist or is not attachable."),
            "/console/policies",
        );
    };
    let versions = store
        .list_policy_versions(&p.account, policy_arn)
        .unwrap_or_default();
    let current = versions
        .iter()
        .find(|v| v.is_default)
        .map(|v| v.document.clone())
        .unwrap_or_default();
    let document = if error.is_some() {
        cx.raw("document").to_string()
    } else {
        pretty(&current)
    };
    let data = json!({
        "policy": {"name": p.name, "arn": p.arn(), "version": p.default_version, "versions": versions.len()},
        "document": document,
        "saved": cx.field("done") == "saved",
    });
    render_form(cx, who, ("policies", "policy.html"), data, error)
}
