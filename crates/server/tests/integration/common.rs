//! Spawning the server and building SDK clients for it.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const DEV_ACCOUNT: &str = "123456789012";
pub const DEV_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
pub const DEV_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_portcullis")
}

/// A running server; killed (by PID) when dropped.
pub struct Server {
    pub child: Child,
    pub addr: String,
    pub stdout: Arc<Mutex<String>>,
    pub log: Arc<Mutex<String>>,
    /// The PostgreSQL schema a `dev` server keeps its state in, when the tests run on
    /// PostgreSQL (dropped after the server).
    _schema: Option<portcullis_store::testing::TestSchema>,
}

/// Set (to `1`) to run `dev` servers on PostgreSQL: each in a fresh schema of the server that
/// `PORTCULLIS_TEST_DATABASE_URL` names (`scripts/test.sh` runs the families that write a second
/// time this way).
pub const ON_POSTGRES_VAR: &str = "PORTCULLIS_IT_ON_POSTGRES";

/// A fresh schema for a `dev` server when the tests run on PostgreSQL.
fn dev_schema(args: &[&str]) -> Option<portcullis_store::testing::TestSchema> {
    if args.first() != Some(&"dev") || std::env::var(ON_POSTGRES_VAR).as_deref() != Ok("1") {
        return None;
    }
    let url = std::env::var(portcullis_store::testing::DATABASE_URL_VAR)
        .expect("the PostgreSQL run needs PORTCULLIS_TEST_DATABASE_URL (scripts/pg.sh)");
    Some(portcullis_store::testing::TestSchema::create(&url).unwrap())
}

impl Server {
    /// `portcullis dev` on a free port.
    pub fn dev() -> Server {
        Server::spawn(&["dev", "--listen", "127.0.0.1:0"], &[])
    }

    /// `portcullis dev` on a free port with this configuration file (kept while the directory
    /// returned lives).
    pub fn dev_with_config(toml: &str) -> (Server, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("portcullis.toml");
        std::fs::write(&config, toml).unwrap();
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
        (s, dir)
    }

    /// `portcullis serve` on `dir` on a free loopback port, in plain HTTP (`--no-tls`).
    pub fn serve(dir: &std::path::Path) -> Server {
        Server::spawn(
            &[
                "serve",
                "--no-tls",
                "--listen",
                "127.0.0.1:0",
                "--data-dir",
                dir.to_str().unwrap(),
            ],
            &[],
        )
    }

    pub fn spawn(args: &[&str], env: &[(&str, &str)]) -> Server {
        let schema = dev_schema(args);
        let mut cmd = Command::new(bin());
        cmd.args(args);
        if let Some(schema) = &schema {
            cmd.args(["--database", &schema.url]);
        }
        cmd.env("PORTCULLIS_LOG", "debug")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn portcullis");
        let stdout = Arc::new(Mutex::new(String::new()));
        let log = Arc::new(Mutex::new(String::new()));
        let mut out = child.stdout.take().unwrap();
        let out_buf = stdout.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = out.read_to_string(&mut s);
            out_buf.lock().unwrap().push_str(&s);
        });
        let (tx, rx) = std::sync::mpsc::channel();
        let err = child.stderr.take().unwrap();
        let log_buf = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if let Some(i) = line.find("listening on ") {
                    let _ = tx.send(line[i + 13..].trim().to_string());
                }
                let mut l = log_buf.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("server did not start: {}", log.lock().unwrap())
            });
        Server {
            child,
            addr,
            stdout,
            log,
            _schema: schema,
        }
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn iam(&self, key: &str, secret: &str) -> aws_sdk_iam::Client {
        iam_client(&self.endpoint(), key, secret)
    }

    pub fn sts(&self, key: &str, secret: &str) -> aws_sdk_sts::Client {
        sts_client(&self.endpoint(), key, secret)
    }

    /// IAM with temporary credentials.
    pub fn iam_session(&self, c: &aws_sdk_sts::types::Credentials) -> aws_sdk_iam::Client {
        iam_client_with_token(
            &self.endpoint(),
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
        )
    }

    /// STS with temporary credentials.
    pub fn sts_session(&self, c: &aws_sdk_sts::types::Credentials) -> aws_sdk_sts::Client {
        sts_client_with_token(
            &self.endpoint(),
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
        )
    }

    /// Shifts the dev server's clock (POST /_portcullis/clock).
    pub fn shift_clock(&self, seconds: i64) {
        let body = format!("offset_seconds={seconds}");
        let req = format!(
            "POST /_portcullis/clock HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let resp = crate::raw::send(&self.addr, req.as_bytes());
        assert_eq!(resp.status, 200, "clock shift: {}", resp.body);
    }

    pub fn root_iam(&self) -> aws_sdk_iam::Client {
        self.iam(DEV_KEY, DEV_SECRET)
    }

    pub fn root_sts(&self) -> aws_sdk_sts::Client {
        self.sts(DEV_KEY, DEV_SECRET)
    }

    /// Waits for the process to exit by itself.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    pub fn signal(&self, sig: &str) {
        let _ = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(self.child.id().to_string())
            .status();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn http_client() -> aws_sdk_iam::config::SharedHttpClient {
    aws_smithy_http_client::Builder::new().build_http()
}

pub fn iam_client(endpoint: &str, key: &str, secret: &str) -> aws_sdk_iam::Client {
    iam_client_with_token(endpoint, key, secret, None)
}

pub fn iam_client_with_token(
    endpoint: &str,
    key: &str,
    secret: &str,
    token: Option<String>,
) -> aws_sdk_iam::Client {
    let conf = aws_sdk_iam::Config::builder()
        .behavior_version(aws_sdk_iam::config::BehaviorVersion::latest())
        .region(aws_sdk_iam::config::Region::new("eu-west-1"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_iam::config::Credentials::new(
            key, secret, token, None, "test",
        ))
        .http_client(http_client())
        .build();
    aws_sdk_iam::Client::from_conf(conf)
}

pub fn sts_client(endpoint: &str, key: &str, secret: &str) -> aws_sdk_sts::Client {
    sts_client_with_token(endpoint, key, secret, None)
}

pub fn sts_client_with_token(
    endpoint: &str,
    key: &str,
    secret: &str,
    token: Option<String>,
) -> aws_sdk_sts::Client {
    let conf = aws_sdk_sts::Config::builder()
        .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
        .region(aws_sdk_sts::config::Region::new("us-east-2"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_sts::config::Credentials::new(
            key, secret, token, None, "test",
        ))
        .http_client(http_client())
        .build();
    aws_sdk_sts::Client::from_conf(conf)
}

/// The AWS error code and HTTP status of a failed SDK call.
pub fn err_code<E, R>(
    r: Result<R, aws_sdk_iam::error::SdkError<E, aws_sdk_iam::config::http::HttpResponse>>,
) -> (String, u16)
where
    E: aws_sdk_iam::error::ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => {
            let status = e.raw_response().map(|r| r.status().as_u16()).unwrap_or(0);
            let code = aws_sdk_iam::error::ProvideErrorMetadata::code(&e)
                .unwrap_or("<none>")
                .to_string();
            (code, status)
        }
    }
}

/// The message of a failed SDK call.
pub fn err_message<E, R>(
    r: Result<R, aws_sdk_iam::error::SdkError<E, aws_sdk_iam::config::http::HttpResponse>>,
) -> String
where
    E: aws_sdk_iam::error::ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => aws_sdk_iam::error::ProvideErrorMetadata::message(&e)
            .unwrap_or("")
            .to_string(),
    }
}

/// Creates a user with one access key; returns (key id, secret).
pub async fn user_with_key(iam: &aws_sdk_iam::Client, name: &str) -> (String, String) {
    iam.create_user().user_name(name).send().await.unwrap();
    let k = iam
        .create_access_key()
        .user_name(name)
        .send()
        .await
        .unwrap();
    let k = k.access_key().unwrap();
    (
        k.access_key_id().to_string(),
        k.secret_access_key().to_string(),
    )
}

/// A role trusting `user`, with an inline policy of `statement`, assumed with the user's key:
/// an IAM client signed with the session's credentials.
pub async fn role_session_of(
    s: &Server,
    user_key: (&str, &str),
    user: &str,
    role: &str,
    statement: &str,
) -> aws_sdk_iam::Client {
    s.iam_session(&role_credentials_of(s, user_key, user, role, statement).await)
}

/// A role trusting `user`, with an inline policy of `statement`, assumed with the user's key:
/// the session's credentials.
pub async fn role_credentials_of(
    s: &Server,
    (key, secret): (&str, &str),
    user: &str,
    role: &str,
    statement: &str,
) -> aws_sdk_sts::types::Credentials {
    let root = s.root_iam();
    root.create_role()
        .role_name(role)
        .assume_role_policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{DEV_ACCOUNT}:user/{user}"}},"Action":"sts:AssumeRole"}}}}"#
        ))
        .send()
        .await
        .unwrap();
    root.put_role_policy()
        .role_name(role)
        .policy_name("p")
        .policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#
        ))
        .send()
        .await
        .unwrap();
    let out = s
        .sts(key, secret)
        .assume_role()
        .role_arn(format!("arn:aws:iam::{DEV_ACCOUNT}:role/{role}"))
        .role_session_name("session")
        .send()
        .await
        .unwrap();
    out.credentials().unwrap().clone()
}

/// Decodes a percent-encoded policy document as SDK callers must.
pub fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
