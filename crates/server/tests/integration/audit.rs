//! The audit trail seen from outside: the CloudTrail fields of sample records (a write, a
//! read, an AccessDenied, a bad signature, an AssumeRole and a call with its session), no secret
//! in any file of the log, every acknowledged write recorded across kill -9, and
//! `audit-log verify` on intact and edited copies of a log.

use crate::common::{DEV_ACCOUNT, DEV_KEY, Server, bin, iam_client, user_with_key};
use crate::raw::{self, Signing};
use aws_sdk_iam::operation::RequestId;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

use std::time::{Duration, Instant};

/// Every record of the log in `dir`, in order.
fn records(dir: &Path) -> Vec<Value> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The first record `pick` accepts, waiting for reads (recorded without waiting) to land.
fn wait_for(dir: &Path, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        if let Some(r) = records(dir).into_iter().find(|r| pick(r)) {
            return r;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no record of {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn by_request_id(dir: &Path, id: &str) -> Value {
    wait_for(dir, id, |r| r["requestID"] == id)
}

fn dev_with_audit() -> (Server, tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let audit = tmp.path().join("audit");
    let config = tmp.path().join("portcullis.toml");
    std::fs::write(
        &config,
        format!("audit_dir = {:?}\n", audit.to_str().unwrap()),
    )
    .unwrap();
    let s = Server::spawn(
        &[
            "dev",
            "--listen",
            "127.0.0.1:0",
            "--config",
            config.to_str().unwrap(),
        ],
        &[],
    );
    (s, tmp, audit)
}

fn assert_common(r: &Value, source: &str, name: &str, region: &str) {
    assert_eq!(r["eventVersion"], "1.11", "{r}");
    assert_eq!(r["eventSource"], source, "{r}");
    assert_eq!(r["eventName"], name, "{r}");
    assert_eq!(r["awsRegion"], region, "{r}");
    assert_eq!(r["sourceIPAddress"], "127.0.0.1", "{r}");
    assert_eq!(r["eventType"], "AwsApiCall", "{r}");
    assert_eq!(r["managementEvent"], true, "{r}");
    assert_eq!(r["eventID"].as_str().unwrap().len(), 36, "{r}");
    let time = r["eventTime"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{time}");
    assert_eq!(r["portcullisChain"]["hash"].as_str().unwrap().len(), 64);
}

#[tokio::test]
async fn audit_records_carry_cloudtrail_fields() {
    let (s, _tmp, dir) = dev_with_audit();
    let root = s.root_iam();

    // An allowed write, by root.
    let out = root.create_user().user_name("alice").send().await.unwrap();
    let r = by_request_id(&dir, out.request_id().unwrap());
    assert_common(&r, "iam.amazonaws.com", "CreateUser", "eu-west-1");
    assert!(
        r["userAgent"].as_str().unwrap().contains("aws-sdk-rust"),
        "{r}"
    );
    let id = &r["userIdentity"];
    assert_eq!(id["type"], "Root");
    assert_eq!(id["principalId"], DEV_ACCOUNT);
    assert_eq!(id["arn"], format!("arn:aws:iam::{DEV_ACCOUNT}:root"));
    assert_eq!(id["accountId"], DEV_ACCOUNT);
    assert_eq!(id["accessKeyId"], DEV_KEY);
    assert_eq!(
        r["requestParameters"],
        serde_json::json!({"userName": "alice"})
    );
    let user = out.user().unwrap();
    assert_eq!(r["responseElements"]["arn"], user.arn());
    assert_eq!(r["responseElements"]["userId"], user.user_id());
    assert_eq!(r["readOnly"], false);
    assert_eq!(r["recipientAccountId"], DEV_ACCOUNT);
    assert!(r.get("errorCode").is_none(), "{r}");

    // An allowed read.
    let out = root.get_user().user_name("alice").send().await.unwrap();
    let r = by_request_id(&dir, out.request_id().unwrap());
    assert_common(&r, "iam.amazonaws.com", "GetUser", "eu-west-1");
    assert_eq!(r["readOnly"], true);
    assert_eq!(r["responseElements"], Value::Null);

    // AccessDenied: a user without policies.
    let (key, secret) = user_with_key(&root, "bob").await;
    let denied = s.iam(&key, &secret).list_users().send().await;
    let err = denied.unwrap_err();
    let r = by_request_id(&dir, err.request_id().unwrap());
    assert_common(&r, "iam.amazonaws.com", "ListUsers", "eu-west-1");
    assert_eq!(r["errorCode"], "AccessDenied");
    assert!(
        r["errorMessage"]
            .as_str()
            .unwrap()
            .contains("iam:ListUsers"),
        "{r}"
    );
    let id = &r["userIdentity"];
    assert_eq!(id["type"], "IAMUser");
    assert_eq!(id["userName"], "bob");
    assert_eq!(id["accessKeyId"], key);
    assert_eq!(id["arn"], format!("arn:aws:iam::{DEV_ACCOUNT}:user/bob"));
    assert!(
        id["principalId"].as_str().unwrap().starts_with("AIDA"),
        "{id}"
    );

    // A bad signature: only what the request claims is known.
    let wrong = Signing {
        secret: "not-the-secret",
        ..Signing::root("iam")
    };
    let body = b"Action=ListRoles&Version=2010-05-08";
    let resp = raw::send(&s.addr, &raw::signed_post(&s.addr, body, &wrong));
    assert_eq!(resp.code(), "SignatureDoesNotMatch");
    let request_id = resp
        .headers
        .lines()
        .find_map(|l| l.strip_prefix("x-amzn-requestid: "))
        .unwrap()
        .trim()
        .to_string();
    let r = by_request_id(&dir, &request_id);
    assert_common(&r, "iam.amazonaws.com", "ListRoles", "us-east-1");
    assert_eq!(r["errorCode"], "SignatureDoesNotMatch");
    assert_eq!(r["userIdentity"]["accessKeyId"], DEV_KEY);
    assert_eq!(r["userIdentity"]["type"], "Unknown");

    // AssumeRole by a user, then a call with the session.
    let (ckey, csecret) = user_with_key(&root, "carol").await;
    root.create_role()
        .role_name("deployer")
        .assume_role_policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{DEV_ACCOUNT}:user/carol"}},"Action":"sts:AssumeRole"}}}}"#
        ))
        .send()
        .await
        .unwrap();
    let role_arn = format!("arn:aws:iam::{DEV_ACCOUNT}:role/deployer");
    let out = s
        .sts(&ckey, &csecret)
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name("deploy-1")
        .send()
        .await
        .unwrap();
    let r = by_request_id(
        &dir,
        aws_sdk_sts::operation::RequestId::request_id(&out).unwrap(),
    );
    assert_common(&r, "sts.amazonaws.com", "AssumeRole", "us-east-2");
    assert_eq!(r["userIdentity"]["type"], "IAMUser");
    assert_eq!(r["userIdentity"]["userName"], "carol");
    assert_eq!(r["requestParameters"]["roleArn"], role_arn.as_str());
    assert_eq!(r["requestParameters"]["roleSessionName"], "deploy-1");
    let creds = out.credentials().unwrap();
    assert_eq!(r["responseElements"]["accessKeyId"], creds.access_key_id());
    assert_eq!(
        r["responseElements"]["assumedRoleId"],
        out.assumed_role_user().unwrap().assumed_role_id()
    );
    let text = r.to_string();
    assert!(!text.contains(creds.secret_access_key()));
    assert!(!text.contains(creds.session_token()));

    let who = s
        .sts_session(creds)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    let r = by_request_id(
        &dir,
        aws_sdk_sts::operation::RequestId::request_id(&who).unwrap(),
    );
    let id = &r["userIdentity"];
    assert_eq!(id["type"], "AssumedRole");
    assert_eq!(id["arn"], who.arn().unwrap());
    assert_eq!(id["principalId"], who.user_id().unwrap());
    assert_eq!(id["accessKeyId"], creds.access_key_id());
    let issuer = &id["sessionContext"]["sessionIssuer"];
    assert_eq!(issuer["type"], "Role");
    assert_eq!(issuer["arn"], role_arn.as_str());
    assert_eq!(issuer["userName"], "deployer");
    let attributes = &id["sessionContext"]["attributes"];
    assert_eq!(attributes["mfaAuthenticated"], "false");
    assert!(attributes["creationDate"].as_str().unwrap().ends_with('Z'));
}

/// Every file under `dir` that holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            hits.push(p.display().to_string());
        }
    }
    hits
}

#[tokio::test]
async fn audit_log_holds_no_secret() {
    let (mut s, _tmp, dir) = dev_with_audit();
    let root = s.root_iam();
    let password = "Unique-Passw0rd-Audit-4711!";
    let (key, secret) = user_with_key(&root, "dave").await;
    root.create_login_profile()
        .user_name("dave")
        .password(password)
        .send()
        .await
        .unwrap();
    // A refused password is not written either (nor echoed in the error message).
    let weak = "short";
    let _ = root
        .update_login_profile()
        .user_name("dave")
        .password(weak)
        .send()
        .await;
    root.create_role()
        .role_name("r")
        .assume_role_policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{DEV_ACCOUNT}:user/dave"}},"Action":"sts:AssumeRole"}}}}"#
        ))
        .send()
        .await
        .unwrap();
    let sts = s.sts(&key, &secret);
    let assumed = sts
        .assume_role()
        .role_arn(format!("arn:aws:iam::{DEV_ACCOUNT}:role/r"))
        .role_session_name("secrets")
        .send()
        .await
        .unwrap();
    let session = sts.get_session_token().send().await.unwrap();
    // Calls signed with the sessions (their tokens travel in a header).
    s.sts_session(assumed.credentials().unwrap())
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    s.sts_session(session.credentials().unwrap())
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    // A one-time code that is refused.
    let _ = sts
        .get_session_token()
        .serial_number(format!("arn:aws:iam::{DEV_ACCOUNT}:mfa/none"))
        .token_code("246810")
        .send()
        .await;
    // A clean stop writes every record.
    s.signal("TERM");
    s.wait_exit(Duration::from_secs(10)).unwrap();
    let all = records(&dir);
    assert!(all.iter().any(|r| r["eventName"] == "CreateLoginProfile"
        && r["requestParameters"]["password"] == "HIDDEN_DUE_TO_SECURITY_REASONS"));
    assert!(all.iter().any(|r| r["eventName"] == "LoggingStopped"));
    let mut secrets = vec![password.to_string(), secret.clone(), "246810".to_string()];
    for c in [
        assumed.credentials().unwrap(),
        session.credentials().unwrap(),
    ] {
        secrets.push(c.secret_access_key().to_string());
        secrets.push(c.session_token().to_string());
    }
    for secret in &secrets {
        assert!(
            files_holding(&dir, secret).is_empty(),
            "a secret is in the audit log: {secret}"
        );
    }
    // The refused short password may only be absent from the record's parameters.
    let update = all
        .iter()
        .find(|r| r["eventName"] == "UpdateLoginProfile")
        .unwrap();
    assert_eq!(
        update["requestParameters"]["password"],
        "HIDDEN_DUE_TO_SECURITY_REASONS"
    );
    assert!(!update["errorMessage"].as_str().unwrap_or("").contains(weak));
}

fn verify(dir: &Path, public_key: &Path) -> std::process::Output {
    Command::new(bin())
        .args([
            "audit-log",
            "verify",
            "--dir",
            dir.to_str().unwrap(),
            "--public-key",
            public_key.to_str().unwrap(),
        ])
        .output()
        .unwrap()
}

#[tokio::test]
async fn audit_kill_9_keeps_every_acknowledged_write() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (key, secret) = crate::lifecycle::init_root_key(&data);
    let mut s = Server::serve(&data);
    let iam = iam_client(&s.endpoint(), &key, &secret);
    let acked = crate::lifecycle::create_users_until_killed(&mut s, &iam, 8, "audit-burst").await;
    let audit = data.join("audit");
    // The log as kill -9 left it verifies. The record of a change commits with the change in
    // the store (the audit outbox); what the log had not synced yet moves there at the next
    // start, which also says the stop was unclean.
    let public = data.join("audit.pub");
    let v = verify(&audit, &public);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    let mut s = Server::serve(&data);
    let started = wait_for(&audit, "the restart", |r| {
        r["eventName"] == "LoggingStarted" && r["additionalEventData"]["previousShutdown"] != "none"
    });
    assert_eq!(
        started["additionalEventData"]["previousShutdown"],
        "unclean"
    );
    s.signal("TERM");
    s.wait_exit(Duration::from_secs(10)).unwrap();
    let v = verify(&audit, &public);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    let mut recorded: std::collections::HashMap<String, usize> = Default::default();
    for r in records(&audit)
        .iter()
        .filter(|r| r["eventName"] == "CreateUser" && r.get("errorCode").is_none())
    {
        if let Some(name) = r["requestParameters"]["userName"].as_str() {
            *recorded.entry(name.to_string()).or_default() += 1;
        }
    }
    let missing: Vec<_> = acked
        .iter()
        .filter(|n| !recorded.contains_key(*n))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged creates have no audit record, e.g. {:?}",
        missing.len(),
        acked.len(),
        missing.first()
    );
    let twice: Vec<_> = recorded.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "recorded more than once: {twice:?}");
}

#[tokio::test]
async fn audit_log_verify_accepts_intact_and_finds_edits() {
    let (mut s, tmp, dir) = dev_with_audit();
    let root = s.root_iam();
    for i in 0..12 {
        root.create_user()
            .user_name(format!("v{i}"))
            .send()
            .await
            .unwrap();
    }
    s.signal("TERM");
    s.wait_exit(Duration::from_secs(10)).unwrap();
    let public = dir.join("audit.pub");
    let v = verify(&dir, &public);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    assert!(String::from_utf8_lossy(&v.stdout).contains("intact"));

    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .unwrap();
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let lines: Vec<String> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let at = lines.iter().position(|l| l.contains("\"v5\"")).unwrap();
    let edits: [(&str, Vec<String>); 3] = [
        ("changed", {
            let mut l = lines.clone();
            l[at] = l[at].replace("\"v5\"", "\"v55\"");
            l
        }),
        ("removed", {
            let mut l = lines.clone();
            l.remove(at);
            l
        }),
        ("reordered", {
            let mut l = lines.clone();
            l.swap(at, at + 1);
            l
        }),
    ];
    for (what, edited) in edits {
        let copy = tmp.path().join(what);
        std::fs::create_dir_all(&copy).unwrap();
        std::fs::write(copy.join(&name), edited.join("\n") + "\n").unwrap();
        let v = verify(&copy, &public);
        let err = String::from_utf8_lossy(&v.stderr);
        assert!(!v.status.success(), "{what}: accepted");
        assert!(
            err.contains(&format!("{name}:{}:", at + 1)),
            "{what}: {err}"
        );
    }
}
