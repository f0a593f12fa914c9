//! Runs every JSON case file in `tests/corpus/`.
//!
//! A file holds `{"description": ..., "cases": [...]}`. A case is either a
//! parse case (`"kind"`, `"document"`, and `"error"` or `"valid": true`) or an
//! evaluation case (`"policies"` and `"requests"`, each request with its
//! `"expect"`). Every case was written from AWS's documented behaviour.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed expectation should panic"
)]

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use portcullis_policy::*;
use serde_json::{Map, Value};

fn kind_of(name: &str) -> PolicyKind {
    match name {
        "Identity" => PolicyKind::Identity,
        "Resource" => PolicyKind::Resource,
        "Trust" => PolicyKind::Trust,
        other => panic!("unknown kind {other}"),
    }
}

fn text_of(doc: &Value) -> String {
    match doc {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn compile(
    entry: &Value,
    kind: PolicyKind,
    ptype: PolicyType,
    fallback_id: &str,
) -> CompiledPolicy {
    let (id, doc) = match entry.get("document") {
        Some(doc) => (
            entry
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or(fallback_id)
                .to_owned(),
            doc,
        ),
        None => (fallback_id.to_owned(), entry),
    };
    CompiledPolicy::parse(&text_of(doc), kind, id.as_str(), ptype)
        .unwrap_or_else(|e| panic!("policy {id} does not parse: {e}"))
}

fn set_of(
    value: Option<&Value>,
    kind: PolicyKind,
    ptype: PolicyType,
    prefix: &str,
) -> Option<PolicySet> {
    let value = value?;
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    Some(PolicySet::new(items.iter().enumerate().map(|(i, e)| {
        compile(e, kind, ptype, &format!("{prefix}{i}"))
    })))
}

fn levels_of(value: Option<&Value>, ptype: PolicyType, prefix: &str) -> Vec<PolicySet> {
    let Some(Value::Array(levels)) = value else {
        return Vec::new();
    };
    levels
        .iter()
        .enumerate()
        .filter_map(|(i, level)| {
            set_of(
                Some(level),
                PolicyKind::Identity,
                ptype,
                &format!("{prefix}{i}."),
            )
        })
        .collect()
}

const ACCOUNT: &str = "123456789012";

fn caller_of(value: Option<&Value>) -> Caller {
    let Some(v) = value else {
        return Caller::User {
            arn: format!("arn:aws:iam::{ACCOUNT}:user/alice"),
            account: ACCOUNT.into(),
            unique_id: Some("AIDAALICEEXAMPLE".into()),
        };
    };
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let account = s("account").unwrap_or_else(|| ACCOUNT.into());
    match s("type").as_deref() {
        Some("Root") => Caller::Root { account },
        Some("User") => {
            let name = s("name").unwrap_or_else(|| "alice".into());
            Caller::User {
                arn: s("arn").unwrap_or_else(|| format!("arn:aws:iam::{account}:user/{name}")),
                account,
                unique_id: s("unique_id"),
            }
        }
        Some("RoleSession") => {
            let role = s("role").unwrap_or_else(|| "app".into());
            let session = s("session").unwrap_or_else(|| "s1".into());
            Caller::RoleSession {
                role_arn: s("role_arn")
                    .unwrap_or_else(|| format!("arn:aws:iam::{account}:role/{role}")),
                session_arn: format!("arn:aws:sts::{account}:assumed-role/{role}/{session}"),
                account,
                role_unique_id: s("unique_id"),
            }
        }
        Some("FederatedUser") => {
            let name = s("name").unwrap_or_else(|| "fed".into());
            Caller::FederatedUser {
                arn: format!("arn:aws:sts::{account}:federated-user/{name}"),
                account,
            }
        }
        Some("Service") => Caller::Service {
            name: s("name").unwrap_or_default(),
        },
        Some("Federated") => Caller::Federated {
            provider: s("provider").unwrap_or_default(),
        },
        Some("Anonymous") => Caller::Anonymous,
        other => panic!("unknown caller type {other:?}"),
    }
}

fn request_of(req: &Value, defaults: &Value) -> RequestContext {
    let get = |k: &str| req.get(k).or_else(|| defaults.get(k));
    let caller = caller_of(get("caller"));
    let action = get("action")
        .and_then(Value::as_str)
        .unwrap_or("iam:GetUser");
    let resource = get("resource").and_then(Value::as_str).unwrap_or("*");
    let mut ctx = RequestContext::new(caller, action.to_string(), resource);
    ctx.resource_account = get("resource_account")
        .and_then(Value::as_str)
        .map(str::to_owned);
    ctx.set_principal_keys();
    let mut merged = Map::new();
    for source in [defaults.get("context"), req.get("context")] {
        if let Some(Value::Object(map)) = source {
            for (k, v) in map {
                merged.insert(k.clone(), v.clone());
            }
        }
    }
    for (key, value) in &merged {
        match value {
            Value::Null => {
                ctx.remove(key);
            }
            Value::Array(items) => {
                ctx.set_values(key, items.iter().map(text_of));
            }
            other => {
                ctx.set(key, text_of(other));
            }
        }
    }
    ctx
}

fn ptype_name(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Identity => "Identity",
        PolicyType::Resource => "Resource",
        PolicyType::PermissionsBoundary => "PermissionsBoundary",
        PolicyType::Session => "Session",
        PolicyType::ServiceControl => "ServiceControl",
        PolicyType::ResourceControl => "ResourceControl",
    }
}

fn run_eval_case(file: &str, case: &Value) -> usize {
    let name = case["name"].as_str().unwrap_or("?");
    let p = &case["policies"];
    let identity = set_of(
        p.get("identity"),
        PolicyKind::Identity,
        PolicyType::Identity,
        "identity",
    )
    .unwrap_or_default();
    let resource_kind = if p.get("trust").is_some() {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    };
    let resource = set_of(
        p.get("trust").or(p.get("resource")),
        resource_kind,
        PolicyType::Resource,
        "resource",
    );
    let boundary = set_of(
        p.get("boundary"),
        PolicyKind::Identity,
        PolicyType::PermissionsBoundary,
        "boundary",
    );
    let session = set_of(
        p.get("session"),
        PolicyKind::Identity,
        PolicyType::Session,
        "session",
    );
    let scps = levels_of(p.get("scp"), PolicyType::ServiceControl, "scp");
    let rcps = levels_of(p.get("rcp"), PolicyType::ResourceControl, "rcp");
    let defaults = case.get("defaults").cloned().unwrap_or(Value::Null);
    let requests = case["requests"]
        .as_array()
        .unwrap_or_else(|| panic!("{file}: {name}: no requests"));
    for (i, req) in requests.iter().enumerate() {
        let ctx = request_of(req, &defaults);
        let input = EvalInput {
            request: &ctx,
            identity: &identity,
            resource: resource.as_ref(),
            resource_policy_required: p.get("trust").is_some(),
            permissions_boundary: boundary.as_ref(),
            session: session.as_ref(),
            service_control: &scps,
            resource_control: &rcps,
        };
        let decision = evaluate(&input);
        let expect = &req["expect"];
        let label = format!(
            "{file}: {name} / request {i} ({})",
            req.get("note").and_then(Value::as_str).unwrap_or("")
        );
        let want = expect["decision"]
            .as_str()
            .unwrap_or_else(|| panic!("{label}: no expect.decision"));
        let got = match decision.outcome {
            Outcome::Allow => "Allow",
            Outcome::ExplicitDeny => "ExplicitDeny",
            Outcome::ImplicitDeny => "ImplicitDeny",
        };
        assert_eq!(got, want, "{label}: decision {decision:?}");
        if let Some(Value::Array(stmts)) = expect.get("statements") {
            let want: BTreeSet<String> = stmts
                .iter()
                .map(|s| s.as_str().unwrap_or_default().to_owned())
                .collect();
            let got: BTreeSet<String> = decision
                .statements
                .iter()
                .map(|s| match &s.sid {
                    Some(sid) => format!("{}#{}", s.policy_id, sid),
                    None => format!("{}#{}", s.policy_id, s.index),
                })
                .collect();
            assert_eq!(got, want, "{label}: deciding statements");
        }
        if let Some(by) = expect.get("denied_by").and_then(Value::as_str) {
            assert_eq!(
                decision.denied_by.map(ptype_name),
                Some(by),
                "{label}: denied_by"
            );
        }
        if let Some(msg) = expect.get("message").and_then(Value::as_str) {
            assert_eq!(
                access_denied_message(&ctx, &decision),
                msg,
                "{label}: message"
            );
        }
    }
    requests.len()
}

fn run_parse_case(file: &str, case: &Value) {
    let name = case["name"].as_str().unwrap_or("?");
    let kind = kind_of(case["kind"].as_str().unwrap_or("Identity"));
    let text = text_of(&case["document"]);
    let quota = case.get("quota").map(|q| match q["type"].as_str() {
        Some("ManagedPolicy") => SizeQuota::ManagedPolicy,
        Some("TrustPolicy") => SizeQuota::TrustPolicy {
            max: q["max"]
                .as_u64()
                .map_or(TRUST_POLICY_DEFAULT_MAX, |m| m as usize),
        },
        Some("SessionPolicy") => SizeQuota::SessionPolicy,
        other => panic!("{file}: {name}: unknown quota {other:?}"),
    });
    let result = Policy::parse_with(
        &text,
        kind,
        &ParseOptions {
            quota,
            ..ParseOptions::default()
        },
    );
    match (case.get("error").and_then(Value::as_str), result) {
        (Some(want), Err(e)) => {
            assert_eq!(e.message(), want, "{file}: {name}");
            if let Some(code) = case.get("code").and_then(Value::as_str) {
                assert_eq!(e.code().as_str(), code, "{file}: {name}: code");
            }
        }
        (Some(want), Ok(p)) => panic!("{file}: {name}: accepted, wanted error {want:?}: {p:?}"),
        (None, Err(e)) => panic!("{file}: {name}: rejected with {e}"),
        (None, Ok(policy)) => {
            // Valid documents round-trip through serialization.
            let again = Policy::parse(&policy.to_json_string(), kind)
                .unwrap_or_else(|e| panic!("{file}: {name}: re-parse failed: {e}"));
            assert_eq!(again, policy, "{file}: {name}: round trip");
        }
    }
}

#[test]
fn corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let (mut parse_cases, mut requests) = (0, 0);
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(path).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for case in doc["cases"]
            .as_array()
            .unwrap_or_else(|| panic!("{file}: no cases"))
        {
            if case.get("policies").is_some() {
                requests += run_eval_case(&file, case);
            } else {
                run_parse_case(&file, case);
                parse_cases += 1;
            }
        }
    }
    println!("corpus: {parse_cases} parse cases, {requests} evaluated requests");
    assert!(parse_cases > 0 && requests > 0);
}
