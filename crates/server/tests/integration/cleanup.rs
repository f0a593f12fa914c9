//! `portcullis cleanup` end to end, on the same scenario against a `dev` endpoint (through the
//! AWS credential chain) and against a data directory (directly): keys and a password unused
//! for 50 days, a user excluded by tag, the last administrator; plan, apply, undo, and deletion
//! once the recovery window has passed; each step in the audit trail.

use crate::audit::{dev_with_audit, records, verify, wait_for};
use crate::common::{DEV_KEY, DEV_SECRET, Server, bin, err_code, iam_client, user_with_key};
use aws_sdk_iam::types::{StatusType, Tag};
use chrono::{TimeDelta, Utc};
use serde_json::Value;
use std::process::Command;
use std::time::Duration;

const DAY: i64 = 86_400;
const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const EXCLUDE: [&str; 2] = ["--exclude-tag", "cleanup=keep"];

/// `portcullis ARGS` with the dev root key as the only credentials the AWS credential chain
/// can find.
pub(crate) fn with_dev_credentials(args: &[&str]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env("AWS_ACCESS_KEY_ID", DEV_KEY)
        .env("AWS_SECRET_ACCESS_KEY", DEV_SECRET)
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL");
    cmd
}

/// Runs `portcullis cleanup <cmd> --json` (see [`with_dev_credentials`]); the parsed report.
fn cleanup(target: &[&str], cmd: &str, extra: &[&str]) -> Value {
    let out = with_dev_credentials(&["cleanup", cmd])
        .args(target)
        .args(extra)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cleanup {cmd} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The steps of a report as (action, user, access key id or "").
fn steps(report: &Value) -> Vec<(String, String, String)> {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["action"].as_str().unwrap().to_string(),
                s["user"].as_str().unwrap().to_string(),
                s["accessKeyId"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn step(action: &str, user: &str, key: &str) -> (String, String, String) {
    (action.into(), user.into(), key.into())
}

fn all_done(report: &Value) {
    for s in report["steps"].as_array().unwrap() {
        assert_eq!(s["result"], "done", "{s}");
    }
}

fn kept_reason(report: &Value, principal: &str) -> Vec<String> {
    report["kept"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["principal"] == principal)
        .map(|k| k["reason"].as_str().unwrap().to_string())
        .collect()
}

fn as_of(days: i64) -> String {
    (Utc::now() + TimeDelta::days(days)).to_rfc3339()
}

const ALICE_PASSWORD: &str = "Cleanup-Test-Pass-1";

/// alice (key, console password, may change her password), bob (key; tagged cleanup=keep) and
/// admin (AdministratorAccess; key); alice's key and secret.
async fn scenario(root: &aws_sdk_iam::Client) -> (String, String) {
    let alice = user_with_key(root, "alice").await;
    root.create_login_profile()
        .user_name("alice")
        .password(ALICE_PASSWORD)
        .send()
        .await
        .unwrap();
    root.put_user_policy()
        .user_name("alice")
        .policy_name("own-password")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"*"}]}"#,
        )
        .send()
        .await
        .unwrap();
    user_with_key(root, "bob").await;
    let keep = Tag::builder().key("cleanup").value("keep").build().unwrap();
    root.tag_user()
        .user_name("bob")
        .tags(keep)
        .send()
        .await
        .unwrap();
    user_with_key(root, "admin").await;
    root.attach_user_policy()
        .user_name("admin")
        .policy_arn(ADMIN)
        .send()
        .await
        .unwrap();
    alice
}

/// What the first plan must say of the scenario.
fn check_first_plan(plan: &Value, alice_key: &str) {
    assert_eq!(
        steps(plan),
        [
            step("deactivate-key", "alice", alice_key),
            step("remove-password", "alice", "")
        ],
        "{plan:#}"
    );
    assert!(
        plan["steps"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("never used in 50 days")
    );
    assert_eq!(kept_reason(plan, "bob"), ["excluded by tag cleanup=keep"]);
    // (Its unused permissions are reported too.)
    assert!(
        kept_reason(plan, "admin")
            .contains(&"the last user able to administer the account".to_string()),
        "{plan:#}"
    );
    let kinds: Vec<(&str, &str)> = plan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap(),
                f["principal"].as_str().unwrap(),
            )
        })
        .collect();
    for expected in [
        ("UnusedAccessKey", "alice"),
        ("UnusedPassword", "alice"),
        ("UnusedAccessKey", "bob"),
        ("UnusedAccessKey", "admin"),
        ("UnusedPermission", "admin"),
    ] {
        assert!(kinds.contains(&expected), "{expected:?} in {kinds:?}");
    }
}

async fn key_status(root: &aws_sdk_iam::Client, user: &str) -> Vec<StatusType> {
    let keys = root
        .list_access_keys()
        .user_name(user)
        .send()
        .await
        .unwrap();
    keys.access_key_metadata()
        .iter()
        .map(|k| k.status().unwrap().clone())
        .collect()
}

async fn cleanup_tags(root: &aws_sdk_iam::Client, user: &str) -> Vec<String> {
    let tags = root.list_user_tags().user_name(user).send().await.unwrap();
    tags.tags()
        .iter()
        .map(|t| t.key().to_string())
        .filter(|k| k.starts_with("portcullis:cleanup:"))
        .collect()
}

#[tokio::test]
async fn cleanup_an_endpoint_on_the_dev_clock() {
    let (s, _tmp, audit) = dev_with_audit();
    let root = s.root_iam();
    // Everything is made 50 days ago; one more user uses its key today.
    s.shift_clock(-50 * DAY);
    let (alice_key, _) = scenario(&root).await;
    let (busy_key, busy_secret) = user_with_key(&root, "busy").await;
    s.shift_clock(0);
    s.sts(&busy_key, &busy_secret)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    // The use is recorded in the background.
    for _ in 0..100 {
        let used = root
            .get_access_key_last_used()
            .access_key_id(&busy_key)
            .send()
            .await
            .unwrap();
        if used
            .access_key_last_used()
            .and_then(|u| u.last_used_date())
            .is_some()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let endpoint = s.endpoint();
    let target = ["--endpoint-url", endpoint.as_str()];

    let plan = cleanup(&target, "plan", &EXCLUDE);
    check_first_plan(&plan, &alice_key);
    assert!(
        !plan["findings"].to_string().contains(&busy_key),
        "a key used today is not unused"
    );
    // The plan changed nothing.
    assert_eq!(key_status(&root, "alice").await, [StatusType::Active]);

    let applied = cleanup(&target, "apply", &EXCLUDE);
    all_done(&applied);
    assert_eq!(steps(&applied), steps(&plan));
    assert_eq!(key_status(&root, "alice").await, [StatusType::Inactive]);
    let (code, _) = err_code(root.get_login_profile().user_name("alice").send().await);
    assert_eq!(code, "NoSuchEntity");
    assert_eq!(cleanup_tags(&root, "alice").await.len(), 2);
    assert_eq!(key_status(&root, "admin").await, [StatusType::Active]);
    assert_eq!(key_status(&root, "bob").await, [StatusType::Active]);
    // The endpoint's own trail recorded the steps.
    wait_for(&audit, "the deactivation", |r| {
        r["eventName"] == "UpdateAccessKey"
            && r["requestParameters"]["accessKeyId"] == alice_key.as_str()
            && r["requestParameters"]["status"] == "Inactive"
    });
    wait_for(&audit, "the password removal", |r| {
        r["eventName"] == "DeleteLoginProfile" && r.get("errorCode").is_none()
    });

    let undone = cleanup(&target, "undo", &[]);
    all_done(&undone);
    assert_eq!(
        steps(&undone),
        [
            step("reactivate-key", "alice", &alice_key),
            step("restore-password", "alice", "")
        ]
    );
    assert!(
        undone["steps"][1]["note"]
            .as_str()
            .unwrap()
            .contains("temporary password")
    );
    assert_eq!(key_status(&root, "alice").await, [StatusType::Active]);
    let profile = root
        .get_login_profile()
        .user_name("alice")
        .send()
        .await
        .unwrap();
    assert!(profile.login_profile().unwrap().password_reset_required());
    assert!(cleanup_tags(&root, "alice").await.is_empty());

    // Deactivated again (the restored password is new, so it stays), then deleted once the
    // 30-day window has passed.
    let again = cleanup(&target, "apply", &EXCLUDE);
    all_done(&again);
    assert_eq!(steps(&again), [step("deactivate-key", "alice", &alice_key)]);
    let later = as_of(31);
    let finished = cleanup(
        &target,
        "apply",
        &[EXCLUDE[0], EXCLUDE[1], "--as-of", &later],
    );
    all_done(&finished);
    assert_eq!(steps(&finished), [step("delete-key", "alice", &alice_key)]);
    assert!(key_status(&root, "alice").await.is_empty());
    assert!(cleanup_tags(&root, "alice").await.is_empty());
    // Past the window there is nothing left to undo.
    assert!(steps(&cleanup(&target, "undo", &["--as-of", &later])).is_empty());
}

/// ChangePassword with alice's first password (and not with another).
async fn change_password(as_alice: &aws_sdk_iam::Client) {
    let wrong = as_alice
        .change_password()
        .old_password("Not-Her-Password-9")
        .new_password("Cleanup-Test-Pass-2")
        .send()
        .await;
    assert!(wrong.is_err());
    as_alice
        .change_password()
        .old_password(ALICE_PASSWORD)
        .new_password("Cleanup-Test-Pass-2")
        .send()
        .await
        .unwrap();
}

/// Starts `serve` on `data`, runs `f` with a root client and the endpoint, and stops the server cleanly.
async fn with_server<F, Fut, T>(data: &std::path::Path, key: &(String, String), f: F) -> T
where
    F: FnOnce(aws_sdk_iam::Client, String) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut s = Server::serve(data);
    let out = f(iam_client(&s.endpoint(), &key.0, &key.1), s.endpoint()).await;
    s.signal("TERM");
    s.wait_exit(Duration::from_secs(10)).unwrap();
    out
}

#[tokio::test]
async fn cleanup_a_data_directory_directly() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let root_key = crate::lifecycle::init_root_key(&data);
    let alice = with_server(
        &data,
        &root_key,
        |root, _| async move { scenario(&root).await },
    )
    .await;
    let alice_key = alice.0.clone();
    let dir = data.to_str().unwrap();
    let target = ["--data-dir", dir];
    // 50 days on, with the server stopped.
    let at50 = as_of(50);
    let at = |t: &str| [EXCLUDE[0], EXCLUDE[1], "--as-of", t].map(String::from);
    let args = at(&at50);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let plan = cleanup(&target, "plan", &args);
    check_first_plan(&plan, &alice_key);
    all_done(&cleanup(&target, "apply", &args));
    with_server(&data, &root_key, |root, _| async move {
        assert_eq!(key_status(&root, "alice").await, [StatusType::Inactive]);
        let (code, _) = err_code(root.get_login_profile().user_name("alice").send().await);
        assert_eq!(code, "NoSuchEntity");
        assert_eq!(cleanup_tags(&root, "alice").await.len(), 3);
        assert_eq!(key_status(&root, "admin").await, [StatusType::Active]);
    })
    .await;

    let at51 = as_of(51);
    let undone = cleanup(&target, "undo", &["--as-of", &at51]);
    all_done(&undone);
    assert_eq!(
        steps(&undone),
        [
            step("reactivate-key", "alice", &alice_key),
            step("restore-password", "alice", "")
        ]
    );
    let restored = alice.clone();
    with_server(&data, &root_key, |root, endpoint| async move {
        assert_eq!(key_status(&root, "alice").await, [StatusType::Active]);
        root.get_login_profile()
            .user_name("alice")
            .send()
            .await
            .unwrap();
        assert!(cleanup_tags(&root, "alice").await.is_empty());
        // Her former password is back: the old password ChangePassword accepts.
        let as_alice = iam_client(&endpoint, &restored.0, &restored.1);
        change_password(&as_alice).await;
    })
    .await;

    // Her key and changed password are unused 50 days on: deactivated and removed again, then
    // deleted and forgotten once the window has passed.
    let again = cleanup(&target, "apply", &args);
    all_done(&again);
    assert_eq!(steps(&again), steps(&plan));
    let at81 = as_of(81);
    let args = at(&at81);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let finished = cleanup(&target, "apply", &args);
    all_done(&finished);
    assert_eq!(
        steps(&finished),
        [
            step("delete-key", "alice", &alice_key),
            step("forget-password-record", "alice", "")
        ]
    );
    with_server(&data, &root_key, |root, _| async move {
        assert!(key_status(&root, "alice").await.is_empty());
        assert!(cleanup_tags(&root, "alice").await.is_empty());
        let (code, _) = err_code(root.get_login_profile().user_name("alice").send().await);
        assert_eq!(code, "NoSuchEntity");
    })
    .await;

    // Every step is a record of the cleanup log, which verifies with the data directory's key.
    let log = data.join("audit-cleanup");
    let names: Vec<String> = records(&log)
        .iter()
        .filter(|r| r["eventSource"] == "iam.amazonaws.com")
        .map(|r| r["eventName"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "UpdateAccessKey",
            "DeleteLoginProfile",
            "UpdateAccessKey",
            "CreateLoginProfile",
            "UpdateAccessKey",
            "DeleteLoginProfile",
            "DeleteAccessKey",
            "UntagUser"
        ]
    );
    let v = verify(&log, &data.join("audit.pub"));
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
}

/// `[cleanup]` in the configuration runs the same plan inside the server on a schedule, on the
/// server's clock: 50 days on, alice's unused key goes Inactive and her unused password goes
/// without any command, the excluded user and the last administrator keep theirs; a schedule
/// without `apply` changes nothing.
#[tokio::test]
async fn scheduled_cleanup_runs_the_plan_inside_the_server() {
    for apply in [false, true] {
        let (s, _tmp) = Server::dev_with_config(&format!(
            "[cleanup]\nevery_seconds = 1\napply = {apply}\nexclude_tags = [\"cleanup=keep\"]\n"
        ));
        let root = s.root_iam();
        s.shift_clock(-50 * DAY);
        scenario(&root).await;
        s.shift_clock(0);
        // Runs come every second: wait for one that finds alice's key (or five seconds' worth).
        let mut alice = key_status(&root, "alice").await;
        for _ in 0..100 {
            if alice == [StatusType::Inactive] {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            alice = key_status(&root, "alice").await;
        }
        if !apply {
            assert_eq!(
                alice,
                [StatusType::Active],
                "a plan-only schedule changed a key"
            );
            continue;
        }
        assert_eq!(alice, [StatusType::Inactive]);
        let (code, _) = err_code(root.get_login_profile().user_name("alice").send().await);
        assert_eq!(code, "NoSuchEntity", "alice's unused password is removed");
        assert_eq!(key_status(&root, "bob").await, [StatusType::Active]);
        assert_eq!(key_status(&root, "admin").await, [StatusType::Active]);
        assert!(
            cleanup_tags(&root, "alice")
                .await
                .iter()
                .any(|t| t.starts_with("portcullis:cleanup")),
            "the undo record is on alice"
        );
    }
}
