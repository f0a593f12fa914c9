//! `portcullis audit` against a `dev` server: each CIS IAM check seen failing and passing on an
//! account set up for it, JSON output, and the exit code.

use crate::cleanup::with_dev_credentials;
use crate::common::{Server, user_with_key};
use serde_json::Value;
use std::collections::HashMap;

const DAY: i64 = 86_400;

/// Runs `portcullis audit --json` against `s`: whether it exited 0, and each check's status.
fn audit(s: &Server) -> (bool, HashMap<String, String>, Value) {
    let out = with_dev_credentials(&["audit", "--json", "--endpoint-url", &s.endpoint()])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "audit printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let statuses = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.success(), statuses, report)
}

fn details(report: &Value, id: &str) -> String {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .map(|c| c["details"].to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn audit_reports_cis_checks_of_an_endpoint() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ok, fresh, _) = audit(&s);
    assert!(!ok, "failures exit non-zero");
    for id in [
        "root-no-access-keys",
        "root-mfa",
        "password-length",
        "password-reuse",
        "support-role",
    ] {
        assert_eq!(fresh[id], "FAIL", "{id}");
    }
    for id in [
        "console-users-mfa",
        "unused-credentials",
        "one-active-key",
        "keys-rotated",
        "permissions-through-groups",
        "no-full-admin-policies",
        "expired-certificates",
        "roles-over-long-term-keys",
    ] {
        assert_eq!(fresh[id], "PASS", "{id}");
    }
    assert_eq!(fresh["access-analyzer"], "N/A");

    // A strong password policy and a support role make those checks pass.
    root.update_account_password_policy()
        .minimum_password_length(14)
        .password_reuse_prevention(24)
        .send()
        .await
        .unwrap();
    root.create_role()
        .role_name("support")
        .assume_role_policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#,
        )
        .send()
        .await
        .unwrap();
    root.attach_role_policy()
        .role_name("support")
        .policy_arn("arn:aws:iam::aws:policy/AWSSupportAccess")
        .send()
        .await
        .unwrap();
    // 100 days ago: "old" got a key and a console password, without MFA, never used since.
    s.shift_clock(-100 * DAY);
    user_with_key(&root, "old").await;
    root.create_login_profile()
        .user_name("old")
        .password("Old-Password-123456")
        .send()
        .await
        .unwrap();
    s.shift_clock(0);
    // "direct" holds AdministratorAccess itself, and two active keys.
    user_with_key(&root, "direct").await;
    root.create_access_key()
        .user_name("direct")
        .send()
        .await
        .unwrap();
    root.attach_user_policy()
        .user_name("direct")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .unwrap();

    // As AWS, the endpoint hands out the same credential report for 4 hours: move past them.
    s.shift_clock(5 * 3600);
    let (ok, now, report) = audit(&s);
    assert!(!ok);
    for id in ["password-length", "password-reuse", "support-role"] {
        assert_eq!(now[id], "PASS", "{id}");
    }
    for id in [
        "console-users-mfa",
        "unused-credentials",
        "keys-rotated",
        "one-active-key",
        "permissions-through-groups",
        "no-full-admin-policies",
    ] {
        assert_eq!(now[id], "FAIL", "{id}: {}", details(&report, id));
    }
    assert_eq!(now["roles-over-long-term-keys"], "WARN");
    assert!(details(&report, "unused-credentials").contains("old: console password"));
    assert!(!details(&report, "unused-credentials").contains("direct"));
    assert!(details(&report, "one-active-key").contains("direct"));
    assert!(details(&report, "no-full-admin-policies").contains("AdministratorAccess"));
    assert_eq!(report["failed"], 8);
}
