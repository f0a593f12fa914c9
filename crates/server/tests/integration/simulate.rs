//! The policy simulator: SimulatePrincipalPolicy over a user's own, group and boundary policies;
//! SimulateCustomPolicy checked against every policy-engine corpus case it can express; and the
//! GetContextKeysFor* operations.

use crate::common::{DEV_ACCOUNT, Server, err_code};
use aws_sdk_iam::types::{ContextEntry, ContextKeyTypeEnum, PolicyEvaluationDecisionType};
use serde_json::Value;
use std::path::PathBuf;

fn doc(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

#[tokio::test]
async fn simulate_principal_policy_reports_decisions_statements_and_missing_keys() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("sam").send().await.unwrap();
    iam.put_user_policy()
        .user_name("sam")
        .policy_name("own")
        .policy_document(doc(
            r#"{"Sid":"Users","Effect":"Allow","Action":["iam:ListUsers","iam:CreateUser","iam:DeleteUser"],"Resource":"*"},
               {"Sid":"NoDelete","Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"},
               {"Sid":"FromOffice","Effect":"Allow","Action":"iam:ListRoles","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#,
        ))
        .send()
        .await
        .unwrap();
    iam.create_group().group_name("ops").send().await.unwrap();
    iam.add_user_to_group()
        .group_name("ops")
        .user_name("sam")
        .send()
        .await
        .unwrap();
    iam.put_group_policy()
        .group_name("ops")
        .policy_name("groups")
        .policy_document(doc(
            r#"{"Effect":"Allow","Action":"iam:ListGroups","Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    let arn = format!("arn:aws:iam::{DEV_ACCOUNT}:user/sam");
    let out = iam
        .simulate_principal_policy()
        .policy_source_arn(&arn)
        .action_names("iam:ListUsers")
        .action_names("iam:DeleteUser")
        .action_names("iam:ListGroups")
        .action_names("iam:ListRoles")
        .action_names("iam:GetUser")
        .permissions_boundary_policy_input_list(doc(
            r#"{"Effect":"Allow","Action":["iam:List*","iam:DeleteUser"],"Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    let results = out.evaluation_results();
    let decision = |a: &str| {
        results
            .iter()
            .find(|r| r.eval_action_name() == a)
            .unwrap()
            .eval_decision()
            .clone()
    };
    assert_eq!(
        decision("iam:ListUsers"),
        PolicyEvaluationDecisionType::Allowed
    );
    assert_eq!(
        decision("iam:DeleteUser"),
        PolicyEvaluationDecisionType::ExplicitDeny
    );
    assert_eq!(
        decision("iam:ListGroups"),
        PolicyEvaluationDecisionType::Allowed
    );
    assert_eq!(
        decision("iam:ListRoles"),
        PolicyEvaluationDecisionType::ImplicitDeny,
        "aws:SourceIp was not supplied"
    );
    assert_eq!(
        decision("iam:GetUser"),
        PolicyEvaluationDecisionType::ImplicitDeny
    );
    let list_users = &results[0];
    let m = &list_users.matched_statements()[0];
    assert_eq!(m.source_policy_id(), Some("own"));
    assert_eq!(m.source_policy_type().map(|t| t.as_str()), Some("user"));
    assert_eq!(m.start_position().map(|p| p.line()), Some(1));
    assert!(m.start_position().unwrap().column() > 30);
    let groups = results
        .iter()
        .find(|r| r.eval_action_name() == "iam:ListGroups")
        .unwrap();
    assert_eq!(
        groups.matched_statements()[0]
            .source_policy_type()
            .map(|t| t.as_str()),
        Some("group")
    );
    assert_eq!(list_users.missing_context_values(), ["aws:SourceIp"]);
    assert_eq!(
        list_users
            .permissions_boundary_decision_detail()
            .map(|d| d.allowed_by_permissions_boundary()),
        Some(true)
    );
    let get_user = results
        .iter()
        .find(|r| r.eval_action_name() == "iam:GetUser")
        .unwrap();
    assert_eq!(
        get_user
            .permissions_boundary_decision_detail()
            .map(|d| d.allowed_by_permissions_boundary()),
        Some(false)
    );

    // With the context key supplied, the condition holds.
    let out = iam
        .simulate_principal_policy()
        .policy_source_arn(&arn)
        .action_names("iam:ListRoles")
        .context_entries(
            ContextEntry::builder()
                .context_key_name("aws:SourceIp")
                .context_key_values("10.1.2.3")
                .context_key_type(ContextKeyTypeEnum::Ip)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.evaluation_results()[0].eval_decision(),
        &PolicyEvaluationDecisionType::Allowed
    );
    assert!(
        out.evaluation_results()[0]
            .missing_context_values()
            .is_empty()
    );

    // Paging: one result per page.
    let first = iam
        .simulate_principal_policy()
        .policy_source_arn(&arn)
        .action_names("iam:ListUsers")
        .action_names("iam:ListGroups")
        .max_items(1)
        .send()
        .await
        .unwrap();
    assert!(first.is_truncated());
    assert_eq!(first.evaluation_results().len(), 1);
    let second = iam
        .simulate_principal_policy()
        .policy_source_arn(&arn)
        .action_names("iam:ListUsers")
        .action_names("iam:ListGroups")
        .max_items(1)
        .marker(first.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert!(!second.is_truncated());
    assert_eq!(
        second.evaluation_results()[0].eval_action_name(),
        "iam:ListGroups"
    );

    let r = iam
        .simulate_principal_policy()
        .policy_source_arn(format!("arn:aws:iam::{DEV_ACCOUNT}:user/nobody"))
        .action_names("iam:ListUsers")
        .send()
        .await;
    assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));
    let r = iam
        .simulate_custom_policy()
        .policy_input_list(r#"{"Statement":[{"Effect":"Allow"}]}"#)
        .action_names("iam:ListUsers")
        .send()
        .await;
    assert_eq!(err_code(r), ("InvalidInput".into(), 400));

    let keys = iam
        .get_context_keys_for_principal_policy()
        .policy_source_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(keys.context_key_names(), ["aws:SourceIp"]);
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../policy/tests/corpus")
}

fn texts(v: Option<&Value>) -> Vec<String> {
    let Some(v) = v else { return Vec::new() };
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        one => vec![one],
    };
    items
        .into_iter()
        .map(|e| {
            let d = e.get("document").unwrap_or(e);
            d.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| d.to_string())
        })
        .collect()
}

/// Every corpus request that SimulateCustomPolicy can express (identity policies and a
/// boundary, a user caller, plain context values) gets the engine's expected decision.
#[tokio::test]
async fn simulate_custom_policy_agrees_with_the_engine_corpus() {
    let s = Server::dev();
    let iam = s.root_iam();
    let mut checked = 0;
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let corpus: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in corpus["cases"].as_array().into_iter().flatten() {
            let Some(p) = case.get("policies").and_then(Value::as_object) else {
                continue;
            };
            if p.keys().any(|k| k != "identity" && k != "boundary") {
                continue;
            }
            let identity = texts(p.get("identity"));
            let boundary = texts(p.get("boundary"));
            if identity
                .iter()
                .chain(&boundary)
                .any(|t| t.contains("aws:userid"))
            {
                continue;
            }
            let defaults = case.get("defaults").cloned().unwrap_or(Value::Null);
            for req in case["requests"].as_array().into_iter().flatten() {
                let get = |k: &str| req.get(k).or_else(|| defaults.get(k));
                let caller = get("caller");
                let name = match caller {
                    None => "alice".to_string(),
                    Some(c)
                        if c["type"] == "User"
                            && c.get("account").is_none()
                            && c.get("arn").is_none() =>
                    {
                        c["name"].as_str().unwrap_or("alice").to_string()
                    }
                    Some(_) => continue,
                };
                if get("resource_account").is_some() {
                    continue;
                }
                let mut context = serde_json::Map::new();
                for src in [defaults.get("context"), req.get("context")] {
                    if let Some(Value::Object(m)) = src {
                        context.extend(m.clone());
                    }
                }
                if context.values().any(Value::is_null) {
                    continue;
                }
                let action = get("action")
                    .and_then(Value::as_str)
                    .unwrap_or("iam:GetUser");
                let resource = get("resource").and_then(Value::as_str).unwrap_or("*");
                let mut call = iam
                    .simulate_custom_policy()
                    .action_names(action)
                    .resource_arns(resource)
                    .caller_arn(format!("arn:aws:iam::{DEV_ACCOUNT}:user/{name}"))
                    .set_policy_input_list(Some(identity.clone()));
                if !boundary.is_empty() {
                    call = call.set_permissions_boundary_policy_input_list(Some(boundary.clone()));
                }
                for (k, v) in &context {
                    let (values, kind) = match v {
                        Value::Array(a) => (
                            a.iter()
                                .map(|x| x.as_str().map(str::to_string).unwrap_or(x.to_string()))
                                .collect(),
                            ContextKeyTypeEnum::StringList,
                        ),
                        Value::String(t) => (vec![t.clone()], ContextKeyTypeEnum::String),
                        other => (vec![other.to_string()], ContextKeyTypeEnum::String),
                    };
                    call = call.context_entries(
                        ContextEntry::builder()
                            .context_key_name(k)
                            .set_context_key_values(Some(values))
                            .context_key_type(kind)
                            .build(),
                    );
                }
                let label = format!("{}: {} {:?}", file.display(), case["name"], req);
                let out = call
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{label}: {e:?}"));
                let got = out.evaluation_results()[0]
                    .eval_decision()
                    .as_str()
                    .to_string();
                let want = match req["expect"]["decision"].as_str().unwrap() {
                    "Allow" => "allowed",
                    "ExplicitDeny" => "explicitDeny",
                    _ => "implicitDeny",
                };
                assert_eq!(got, want, "{label}");
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 100,
        "only {checked} corpus requests were expressible"
    );
    println!("SimulateCustomPolicy agreed with the engine corpus on {checked} requests");
}
