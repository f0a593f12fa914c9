//! Several `serve` nodes on one PostgreSQL database (a fresh schema of the test server named by
//! `PORTCULLIS_TEST_DATABASE_URL`; skipped, with a note, without one): the first node creates
//! the account, the others share its master key and sealing keys; a change made on one node is
//! enforced by the others within a second; a node whose master key differs refuses to start;
//! `migrate` copies a SQLite data directory into PostgreSQL, secrets sealed as they were, and
//! `backup`/`restore` take it back out.

use crate::common::{DEV_ACCOUNT, Server, bin, iam_client, user_with_key};
use portcullis_store::testing::{TestSchema, database_url};
use std::path::Path;
use std::time::{Duration, Instant};

/// A `serve` node on `url` with its own data directory `dir` (plain HTTP on loopback, no audit
/// trail); `env` gives it the shared master key.
pub(crate) fn node(url: &str, dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
    let mut args = vec![
        "serve",
        "--no-tls",
        "--no-audit",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        dir.to_str().unwrap(),
        "--database",
        url,
    ];
    args.extend_from_slice(extra);
    Server::spawn(&args, env)
}

/// The root key id and secret of a shared-credentials file.
pub(crate) fn root_key(path: &Path) -> (String, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap()
            .trim()
            .to_string()
    };
    (
        field("aws_access_key_id = "),
        field("aws_secret_access_key = "),
    )
}

/// Two nodes on a fresh schema: A made the account [`DEV_ACCOUNT`] and its root key; B shares
/// A's master key and STS sealing keys. Fields drop in order: the nodes, then the schema.
pub(crate) struct Pair {
    pub a: Server,
    pub b: Server,
    /// The root access key id and secret.
    pub root: (String, String),
    /// Kept until the nodes have stopped.
    _dirs: tempfile::TempDir,
    _schema: TestSchema,
}

impl Pair {
    /// Two nodes on a fresh schema of the server at `url`.
    pub fn start(url: &str) -> Pair {
        let schema = TestSchema::create(url).unwrap();
        let dirs = tempfile::tempdir().unwrap();
        let creds = dirs.path().join("root");
        let a = node(
            &schema.url,
            &dirs.path().join("a"),
            &[
                "--credentials-file",
                creds.to_str().unwrap(),
                "--account-id",
                DEV_ACCOUNT,
            ],
            &[],
        );
        let b = Self::another(&schema, &dirs, "b");
        Pair {
            a,
            b,
            root: root_key(&creds),
            _dirs: dirs,
            _schema: schema,
        }
    }

    /// Another node sharing node A's keys, with the data directory `name`.
    fn another(schema: &TestSchema, dirs: &tempfile::TempDir, name: &str) -> Server {
        let dir_a = dirs.path().join("a");
        let master = std::fs::read_to_string(dir_a.join("master.key")).unwrap();
        let sealing = dir_a.join("sts-sealing.keys");
        node(
            &schema.url,
            &dirs.path().join(name),
            &["--sealing-key-file", sealing.to_str().unwrap()],
            &[("PORTCULLIS_MASTER_KEY", master.trim())],
        )
    }

    /// The URL of the nodes' database.
    pub fn url(&self) -> &str {
        &self._schema.url
    }

    /// Root's IAM client on `node`.
    pub fn root_iam(&self, node: &Server) -> aws_sdk_iam::Client {
        iam_client(&node.endpoint(), &self.root.0, &self.root.1)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_detached_policy_is_refused_on_the_other_nodes_within_a_second() {
    let Some(url) = database_url() else { return };
    let schema = TestSchema::create(&url).unwrap();
    let dirs = tempfile::tempdir().unwrap();
    let (dir_a, dir_b) = (dirs.path().join("a"), dirs.path().join("b"));
    let creds = dirs.path().join("root");
    let a = node(
        &schema.url,
        &dir_a,
        &["--credentials-file", creds.to_str().unwrap()],
        &[],
    );
    let master = std::fs::read_to_string(dir_a.join("master.key")).unwrap();
    let sealing = dir_a.join("sts-sealing.keys");
    let b = node(
        &schema.url,
        &dir_b,
        &["--sealing-key-file", sealing.to_str().unwrap()],
        &[("PORTCULLIS_MASTER_KEY", master.trim())],
    );
    assert!(
        !dir_b.join("master.key").exists(),
        "the second node uses the shared key"
    );
    let (root_id, root_secret) = root_key(&creds);
    let root_a = iam_client(&a.endpoint(), &root_id, &root_secret);
    let (key, secret) = user_with_key(&root_a, "alice").await;
    let policy = root_a
        .create_policy()
        .policy_name("list")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}"#,
        )
        .send()
        .await
        .unwrap();
    let arn = policy.policy().unwrap().arn().unwrap().to_string();
    root_a
        .attach_user_policy()
        .user_name("alice")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    // Node B answers for a user and a key created on node A, and caches what it read.
    let alice_b = iam_client(&b.endpoint(), &key, &secret);
    for _ in 0..3 {
        alice_b.list_users().send().await.unwrap();
    }
    let detached = Instant::now();
    root_a
        .detach_user_policy()
        .user_name("alice")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    loop {
        match alice_b.list_users().send().await {
            Err(e) => {
                assert_eq!(
                    aws_sdk_iam::error::ProvideErrorMetadata::code(&e),
                    Some("AccessDenied")
                );
                break;
            }
            Ok(_) => assert!(
                detached.elapsed() < Duration::from_secs(1),
                "node B still allowed after {:?}",
                detached.elapsed()
            ),
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // A node with a master key of its own would refuse every signature: it refuses to start.
    let out = std::process::Command::new(bin())
        .args([
            "serve",
            "--no-tls",
            "--no-audit",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            dirs.path().join("c").to_str().unwrap(),
            "--database",
            &schema.url,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the master key does not open"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    drop((a, b));
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_copies_a_data_directory_and_its_sealed_secrets() {
    let Some(url) = database_url() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let dir = dirs.path().join("d");
    let creds = dirs.path().join("root");
    let out = std::process::Command::new(bin())
        .args(["init", "--data-dir", dir.to_str().unwrap()])
        .args(["--credentials-file", creds.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let (root_id, root_secret) = root_key(&creds);
    {
        let sqlite = Server::serve(&dir);
        let root = iam_client(&sqlite.endpoint(), &root_id, &root_secret);
        user_with_key(&root, "bob").await;
    }
    let schema = TestSchema::create(&url).unwrap();
    let out = std::process::Command::new(bin())
        .args([
            "migrate",
            "--from",
            dir.to_str().unwrap(),
            "--to",
            &schema.url,
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("users                    1"), "{stdout}");
    assert!(stdout.contains("access_keys              2"), "{stdout}");
    // The copy is the store of a PostgreSQL node with the data directory's master key.
    let pg = node(&schema.url, &dir, &[], &[]);
    let root = iam_client(&pg.endpoint(), &root_id, &root_secret);
    let bob = root.get_user().user_name("bob").send().await.unwrap();
    assert_eq!(bob.user().unwrap().user_name(), "bob");
    // Again into a database that is not empty any more: refused.
    let again = std::process::Command::new(bin())
        .args([
            "migrate",
            "--from",
            dir.to_str().unwrap(),
            "--to",
            &schema.url,
        ])
        .output()
        .unwrap();
    assert!(!again.status.success());
    // Backed up from PostgreSQL while the node runs, restored into a new SQLite data directory.
    let file = dirs.path().join("backup.sqlite");
    let restored = dirs.path().join("restored");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "backup",
        "--database",
        &schema.url,
        "--to",
        file.to_str().unwrap(),
    ]);
    run(&[
        "restore",
        "--data-dir",
        restored.to_str().unwrap(),
        "--from",
        file.to_str().unwrap(),
    ]);
    let master = std::fs::read_to_string(dir.join("master.key")).unwrap();
    let back = Server::spawn(
        &["serve", "--no-tls", "--no-audit", "--listen", "127.0.0.1:0"],
        &[
            ("PORTCULLIS_DATA_DIR", restored.to_str().unwrap()),
            ("PORTCULLIS_MASTER_KEY", master.trim()),
        ],
    );
    let root = iam_client(&back.endpoint(), &root_id, &root_secret);
    root.get_user().user_name("bob").send().await.unwrap();
    // The database never sees a secret in clear.
    let dump_bin = std::env::var("PG_TEST_BIN")
        .map(|d| format!("{d}/pg_dump"))
        .unwrap_or_else(|_| "pg_dump".into());
    if let Ok(dump) = std::process::Command::new(dump_bin)
        .args(["--data-only", "--schema", schema.name(), &url])
        .output()
    {
        let text = String::from_utf8_lossy(&dump.stdout);
        assert!(text.contains(&root_id), "the dump holds the data");
        assert!(
            !text.contains(&root_secret),
            "a secret in clear in the database"
        );
    }
}
