//! The binary's life: init, serve on an empty directory, restart, SIGTERM, kill -9, dev reset,
//! configuration and secrets at rest.

use crate::common::{DEV_ACCOUNT, Server, bin, err_code, iam_client, sts_client};
use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A data directory initialised by a first `serve` (stopped again), and the root key it printed.
pub fn initialised_data_dir() -> (tempfile::TempDir, std::path::PathBuf, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut init = Server::serve(&data);
    init.signal("TERM");
    init.wait_exit(std::time::Duration::from_secs(10)).unwrap();
    let out = wait_for_stdout(&init, "Root secret access key:");
    let key = field(&out, "Root access key id:");
    let secret = field(&out, "Root secret access key:");
    (dir, data, key, secret)
}

/// `portcullis init` on `data`; the root key it printed.
pub fn init_root_key(data: &std::path::Path) -> (String, String) {
    let init = Command::new(bin())
        .args(["init", "--data-dir", data.to_str().unwrap()])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&init.stdout).into_owned();
    (
        field(&out, "Root access key id:"),
        field(&out, "Root secret access key:"),
    )
}

/// `streams` concurrent streams of CreateUser (names `{prefix}-{stream}-{i}`) against `s`,
/// which is killed with SIGKILL after 1.5 s; the names whose create was acknowledged.
pub async fn create_users_until_killed(
    s: &mut Server,
    iam: &aws_sdk_iam::Client,
    streams: usize,
    prefix: &str,
) -> Vec<String> {
    let acked = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for t in 0..streams {
        let iam = iam.clone();
        let acked = acked.clone();
        let prefix = prefix.to_string();
        tasks.push(tokio::spawn(async move {
            for i in 0..2000 {
                let name = format!("{prefix}-{t}-{i}");
                match iam.create_user().user_name(&name).send().await {
                    Ok(_) => acked.lock().unwrap().push(name),
                    Err(_) => return,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    s.child.kill().unwrap();
    let _ = s.child.wait();
    for t in tasks {
        let _ = t.await;
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() > 10, "the burst made progress: {}", acked.len());
    acked
}

pub fn field(text: &str, label: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(label))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| panic!("{label} not in {text}"))
}

pub fn wait_for_stdout(s: &Server, needle: &str) -> String {
    for _ in 0..200 {
        let out = s.stdout.lock().unwrap().clone();
        if out.contains(needle) {
            return out;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("stdout never contained {needle}")
}

pub fn files_contain(dir: &std::path::Path, needle: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file()
            && std::fs::read(&p)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
        {
            hits.push(p.display().to_string());
        }
    }
    hits
}

#[tokio::test]
async fn serve_initialises_restarts_and_keeps_secrets_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut s = Server::serve(&data);
    // stdout is only read to the end once the process exits; the banner is printed before listening.
    s.signal("TERM");
    assert!(
        s.wait_exit(Duration::from_secs(10))
            .is_some_and(|st| st.success()),
        "SIGTERM exits cleanly"
    );
    let out = wait_for_stdout(&s, "Root secret access key:");
    let key = field(&out, "Root access key id:");
    let secret = field(&out, "Root secret access key:");
    let account = field(&out, "Account:");
    assert!(key.starts_with("AKIA") && secret.len() == 40 && account.len() == 12);
    let mode = std::fs::metadata(data.join("master.key"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);

    let s = Server::serve(&data);
    let iam = iam_client(&s.endpoint(), &key, &secret);
    iam.create_user().user_name("persist").send().await.unwrap();
    let k = iam
        .create_access_key()
        .user_name("persist")
        .send()
        .await
        .unwrap();
    let user_secret = k.access_key().unwrap().secret_access_key().to_string();
    let user_key = k.access_key().unwrap().access_key_id().to_string();
    for needle in [&secret, &user_secret] {
        assert!(
            files_contain(&data, needle).is_empty(),
            "a secret is readable in {:?}",
            files_contain(&data, needle)
        );
        assert!(
            !s.log.lock().unwrap().contains(needle.as_str()),
            "a secret reached the log"
        );
    }
    drop(s);

    let s = Server::serve(&data);
    assert!(
        !s.stdout.lock().unwrap().contains("Root secret"),
        "credentials print only once"
    );
    let who = sts_client(&s.endpoint(), &user_key, &user_secret)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(
        who.arn(),
        Some(format!("arn:aws:iam::{account}:user/persist").as_str())
    );
}

#[test]
fn init_writes_credentials_and_refuses_unsafe_key_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let creds = dir.path().join("credentials");
    let out = Command::new(bin())
        .args([
            "init",
            "--data-dir",
            data.to_str().unwrap(),
            "--account-id",
            "111122223333",
            "--credentials-file",
            creds.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&creds).unwrap();
    assert!(
        text.starts_with("[default]\naws_access_key_id = AKIA"),
        "{text}"
    );
    assert!(text.contains("aws_secret_access_key = "));
    assert_eq!(
        std::fs::metadata(&creds).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("111122223333"));
    // The secret went where the operator asked, and only there.
    let secret = text
        .split("aws_secret_access_key = ")
        .nth(1)
        .unwrap()
        .trim();
    assert!(!stdout.contains(secret), "{stdout}");

    let again = Command::new(bin())
        .args(["init", "--data-dir", data.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!again.status.success(), "init twice must fail");
    let bad = Command::new(bin())
        .args([
            "init",
            "--data-dir",
            dir.path().join("e").to_str().unwrap(),
            "--account-id",
            "12",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());

    std::fs::set_permissions(
        data.join("master.key"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let serve = Command::new(bin())
        .args([
            "serve",
            "--data-dir",
            data.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert!(!serve.status.success());
    assert!(
        String::from_utf8_lossy(&serve.stderr).contains("readable by group or others"),
        "{}",
        String::from_utf8_lossy(&serve.stderr)
    );
}

#[tokio::test]
async fn kill_9_during_writes_loses_no_acknowledged_user() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (key, secret) = crate::lifecycle::init_root_key(&data);
    let mut s = Server::serve(&data);
    let iam = iam_client(&s.endpoint(), &key, &secret);
    let acked = crate::lifecycle::create_users_until_killed(&mut s, &iam, 6, "burst").await;
    let s = Server::serve(&data);
    let iam = iam_client(&s.endpoint(), &key, &secret);
    let mut listed = Vec::new();
    let mut marker = None;
    loop {
        let page = iam
            .list_users()
            .max_items(1000)
            .set_marker(marker)
            .send()
            .await
            .unwrap();
        listed.extend(page.users().iter().map(|u| u.user_name().to_string()));
        if !page.is_truncated() {
            break;
        }
        marker = page.marker().map(str::to_string);
    }
    let missing: Vec<_> = acked.iter().filter(|n| !listed.contains(n)).collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged users lost, e.g. {:?}",
        missing.len(),
        missing.first()
    );
}

#[tokio::test]
async fn dev_reset_restores_the_well_known_account() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("temp").send().await.unwrap();
    let extra = iam.create_access_key().send().await.unwrap();
    let extra = extra.access_key().unwrap().clone();
    let resp = crate::raw::send(&s.addr, format!("POST /_portcullis/reset HTTP/1.1\r\nhost: {}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n", s.addr).as_bytes());
    assert_eq!(resp.status, 200, "{resp:?}");
    assert!(
        resp.headers
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{resp:?}"
    );
    assert_eq!(
        err_code(iam.get_user().user_name("temp").send().await),
        ("NoSuchEntity".into(), 404)
    );
    assert_eq!(
        s.root_sts()
            .get_caller_identity()
            .send()
            .await
            .unwrap()
            .account(),
        Some(DEV_ACCOUNT)
    );
    let old = s.sts(extra.access_key_id(), extra.secret_access_key());
    assert_eq!(
        err_code(old.get_caller_identity().send().await),
        ("InvalidClientTokenId".into(), 403)
    );
}

#[test]
fn serve_has_no_reset_endpoint_and_dev_stays_on_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::serve(&dir.path().join("d"));
    let resp = crate::raw::send(&s.addr, format!("POST /_portcullis/reset HTTP/1.1\r\nhost: {}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n", s.addr).as_bytes());
    assert_eq!(resp.status, 403, "{resp:?}");
    assert!(resp.body.contains("MissingAuthenticationToken"));
    let out = Command::new(bin())
        .args(["dev", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
}

#[tokio::test]
async fn dev_key_overrides_and_environment() {
    let s = Server::spawn(
        &[
            "dev",
            "--listen",
            "127.0.0.1:0",
            "--account-id",
            "210987654321",
        ],
        &[
            ("PORTCULLIS_DEV_ACCESS_KEY_ID", "AKIAOTHEREXAMPLE0000"),
            (
                "PORTCULLIS_DEV_SECRET_ACCESS_KEY",
                "otherSecretOtherSecretOtherSecretOther00",
            ),
        ],
    );
    let who = s
        .sts(
            "AKIAOTHEREXAMPLE0000",
            "otherSecretOtherSecretOtherSecretOther00",
        )
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(who.account(), Some("210987654321"));
}

#[test]
fn configuration_file_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("portcullis.toml");
    std::fs::write(&cfg, "listen = \"127.0.0.1:0\"\nlisten_port = 9\n").unwrap();
    let out = Command::new(bin())
        .args(["--config", cfg.to_str().unwrap(), "dev"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown field"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&cfg, "listen = \"127.0.0.1:0\"\nlog_format = \"json\"\n").unwrap();
    let s = Server::spawn(&["--config", cfg.to_str().unwrap(), "dev"], &[]);
    assert!(
        s.log
            .lock()
            .unwrap()
            .lines()
            .any(|l| l.starts_with('{') && l.contains("\"level\"")),
        "json logs"
    );
    let help = Command::new(bin())
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for opt in [
        "--data-dir",
        "--listen",
        "--durability",
        "--config",
        "--log-format",
        "PORTCULLIS_DATA_DIR",
    ] {
        assert!(help.contains(opt), "serve --help lacks {opt}: {help}");
    }
}
