//! The offline commands on PostgreSQL (skipped, with a note, without
//! `PORTCULLIS_TEST_DATABASE_URL`): `init --database` makes the first account of an empty
//! database and keeps only the master key in the data directory, and refuses a database that
//! has accounts; `account create` (the database named by `PORTCULLIS_DATABASE`) and `account
//! set-root-password` (named by the configuration file's `database` key) work there too, and a
//! `serve` node on the database answers both accounts' root keys and the root password;
//! `cleanup plan --database` reads the same database. `serve` refuses a database on another
//! machine reached without TLS.

use crate::common::bin;
use crate::console_client::Console;
use crate::several_nodes::{node, root_key};
use portcullis_store::testing::{TestSchema, database_url};
use std::process::{Command, Output};

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn init_account_commands_and_cleanup_work_on_postgres() {
    let Some(url) = database_url() else { return };
    let schema = TestSchema::create(&url).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("keys");
    let (creds1, creds2) = (tmp.path().join("root1"), tmp.path().join("root2"));
    let dir_arg = dir.to_str().unwrap();
    let init = || {
        Command::new(bin())
            .args(["init", "--database", &schema.url, "--data-dir", dir_arg])
            .args(["--account-id", "111111111111", "--credentials-file"])
            .arg(&creds1)
            .output()
            .unwrap()
    };
    ok(init());
    assert!(dir.join("master.key").exists());
    assert!(
        !dir.join("portcullis.sqlite").exists(),
        "no SQLite database beside the master key"
    );
    let again = init();
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already holds accounts"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    ok(Command::new(bin())
        .args(["account", "create", "--data-dir", dir_arg])
        .args(["--account-id", "222222222222", "--credentials-file"])
        .arg(&creds2)
        .env("PORTCULLIS_DATABASE", &schema.url)
        .output()
        .unwrap());
    let config = tmp.path().join("portcullis.toml");
    std::fs::write(&config, format!("database = \"{}\"\n", schema.url)).unwrap();
    ok(Command::new(bin())
        .args(["account", "set-root-password", "--data-dir", dir_arg])
        .args(["--account-id", "222222222222", "--config"])
        .arg(&config)
        .env("PORTCULLIS_ROOT_PASSWORD", "Root-Passw0rd-For-Two!")
        .output()
        .unwrap());
    // A node on the database: both root keys work, and the root password signs in.
    let n = node(&schema.url, &dir, &[], &[]);
    for creds in [&creds1, &creds2] {
        let (id, secret) = root_key(creds);
        let root = crate::common::iam_client(&n.endpoint(), &id, &secret);
        root.create_user().user_name("dora").send().await.unwrap();
    }
    let mut c = Console::new(&n);
    c.get("/console/signin");
    let csrf = c.csrf.clone();
    let r = c.post(
        "/console/signin",
        &[
            ("csrf", &csrf),
            ("account", "222222222222"),
            ("kind", "root"),
            ("password", "Root-Passw0rd-For-Two!"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // The cleanup reads the same database.
    let plan = ok(Command::new(bin())
        .args(["cleanup", "plan", "--json", "--data-dir", dir_arg])
        .args(["--database", &schema.url, "--account", "111111111111"])
        .output()
        .unwrap());
    let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
    assert!(plan.get("steps").is_some(), "{plan}");
    // With a master key that does not open the database's secrets, it refuses to run.
    let other_key = Command::new(bin())
        .args(["cleanup", "plan", "--json", "--data-dir", dir_arg])
        .args(["--database", &schema.url, "--account", "111111111111"])
        .env(
            "PORTCULLIS_MASTER_KEY",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        )
        .output()
        .unwrap();
    assert!(!other_key.status.success());
    assert!(
        String::from_utf8_lossy(&other_key.stderr).contains("master key does not open"),
        "{}",
        String::from_utf8_lossy(&other_key.stderr)
    );
}

#[test]
fn serve_refuses_a_remote_database_without_tls() {
    let tmp = tempfile::tempdir().unwrap();
    let serve = |url: &str| {
        Command::new(bin())
            .args(["serve", "--no-tls", "--no-audit", "--listen", "127.0.0.1:0"])
            .args(["--database", url, "--data-dir"])
            .arg(tmp.path().join("d"))
            .output()
            .unwrap()
    };
    // Refused before any connection is tried (the host is never looked up).
    for url in [
        "postgres://portcullis@db.invalid:5432/iam",
        "postgres://portcullis@db.invalid:5432/iam?sslmode=prefer",
    ] {
        let out = serve(url);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(err.contains("would not be encrypted"), "{err}");
        assert!(err.contains("--database-allow-plaintext"), "{err}");
    }
    // With TLS the check passes, and opening the database comes next: here it stops at once,
    // since the CA file holds no certificate.
    let empty = tmp.path().join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    let out = serve(&format!(
        "postgres://portcullis@db.invalid:5432/iam?sslmode=verify-full&sslrootcert={}",
        empty.display()
    ));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("no trusted root certificate"), "{err}");
    assert!(!err.contains("would not be encrypted"), "{err}");
}
