//! Runs the AWS validation oracle, `tests/oracle/aws_validation.json`: policy
//! documents with the verdict and exact message AWS IAM gave for them in
//! CreatePolicy, CreateRole and UpdateAssumeRolePolicy. Each case goes through
//! [`Policy::parse_with`] with the kind and options the server uses for that
//! operation; the verdict, error code and message must all be AWS's. A case
//! marked `"unsettled"` (with the reason) is reported, not asserted.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed expectation should panic"
)]

use std::fs;
use std::path::Path;

use portcullis_policy::*;
use serde_json::Value;

/// The kind and options the server validates with in an operation.
fn setup_of(operation: &str) -> (PolicyKind, ParseOptions) {
    let stored_identity = ParseOptions {
        require_current_version: true,
        ..ParseOptions::default()
    };
    match operation {
        "CreatePolicy"
        | "CreatePolicyVersion"
        | "PutUserPolicy"
        | "PutGroupPolicy"
        | "PutRolePolicy" => (PolicyKind::Identity, stored_identity),
        "CreateRole" | "UpdateAssumeRolePolicy" => (PolicyKind::Trust, ParseOptions::default()),
        other => panic!("unknown operation {other}"),
    }
}

fn kind_name(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "Identity",
        PolicyKind::Resource => "Resource",
        PolicyKind::Trust => "Trust",
    }
}

/// `None` when the case passes, else what went wrong.
fn run(case: &Value) -> Option<String> {
    let operation = case["operation"].as_str().unwrap();
    let (kind, options) = setup_of(operation);
    assert_eq!(case["kind"].as_str(), Some(kind_name(kind)), "kind");
    let text = match &case["document"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let result = Policy::parse_with(&text, kind, &options);
    let want_valid = case["valid"].as_bool().unwrap();
    match (want_valid, result) {
        (true, Ok(policy)) => {
            let again = Policy::parse_with(&policy.to_json_string(), kind, &options);
            match again {
                Ok(again) if again == policy => None,
                Ok(again) => Some(format!("round trip changed the policy: {again:?}")),
                Err(e) => Some(format!("round trip refused: {e}")),
            }
        }
        (true, Err(e)) => Some(format!("refused with {e}; AWS accepts it")),
        (false, Ok(_)) => Some(format!(
            "accepted; AWS refuses it with {:?}",
            case["error"].as_str().unwrap()
        )),
        (false, Err(e)) => {
            let want_code = case["code"].as_str().unwrap();
            let want = case["error"].as_str().unwrap();
            (e.code().as_str() != want_code || e.message() != want)
                .then(|| format!("refused with {e}; AWS says {want_code}: {want}"))
        }
    }
}

#[test]
fn aws_validation_oracle() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/aws_validation.json");
    let doc: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    let (mut failures, mut unsettled) = (Vec::new(), Vec::new());
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let outcome = run(case);
        match (case.get("unsettled").and_then(Value::as_str), outcome) {
            (Some(reason), outcome) => unsettled.push(format!(
                "{name}: {} ({reason})",
                outcome.as_deref().unwrap_or("passes")
            )),
            (None, Some(problem)) => failures.push(format!("{name}: {problem}")),
            (None, None) => {}
        }
    }
    let valid = cases.iter().filter(|c| c["valid"] == true).count();
    println!(
        "AWS oracle: {} cases ({valid} valid, {} invalid), {} failing, {} unsettled",
        cases.len(),
        cases.len() - valid,
        failures.len(),
        unsettled.len()
    );
    for line in &unsettled {
        println!("unsettled: {line}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from AWS:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
