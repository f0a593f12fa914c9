//! Temporary credentials: GetSessionToken, GetFederationToken, expiry (server clock shifted,
//! no sleeping), tampered tokens, GetAccessKeyInfo, cross-account AssumeRole between two
//! accounts of one server, and sessions accepted by another node sharing only the sealing key.

use crate::common::{
    DEV_ACCOUNT, DEV_KEY, Server, err_code, err_message, iam_client, sts_client,
    sts_client_with_token, user_with_key,
};

fn doc(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

#[tokio::test]
async fn get_session_token_for_users_and_root() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = user_with_key(&root, "alice").await;
    let out = s.sts(&ak, &sk).get_session_token().send().await.unwrap();
    let c = out.credentials().unwrap();
    assert!(c.access_key_id().starts_with("ASIA"));
    let left = c.expiration().secs() - chrono::Utc::now().timestamp();
    assert!(
        (43_100..=43_210).contains(&left),
        "default 12 h, got {left}"
    );
    let session = s.sts_session(c);
    assert_eq!(
        session.get_caller_identity().send().await.unwrap().arn(),
        Some(format!("arn:aws:iam::{DEV_ACCOUNT}:user/alice").as_str())
    );
    // Without MFA, no IAM call; and no GetSessionToken from a session.
    assert_eq!(
        err_code(s.iam_session(c).list_users().send().await),
        ("InvalidClientTokenId".into(), 403)
    );
    assert_eq!(
        err_message(session.get_session_token().send().await),
        "Cannot call GetSessionToken with session credentials"
    );
    // Root: at most an hour.
    let out = s
        .root_sts()
        .get_session_token()
        .duration_seconds(7200)
        .send()
        .await
        .unwrap();
    let left = out.credentials().unwrap().expiration().secs() - chrono::Utc::now().timestamp();
    assert!(
        (3500..=3610).contains(&left),
        "root is cut to 1 h, got {left}"
    );
}

#[allow(
    deprecated,
    reason = "PackedPolicySize is deprecated but still in AWS's responses"
)]
#[tokio::test]
async fn federation_tokens_intersect_the_callers_policies() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = user_with_key(&root, "broker").await;
    let broker = s.sts(&ak, &sk);
    assert_eq!(
        err_code(broker.get_federation_token().name("fed1").send().await),
        ("AccessDenied".into(), 403)
    );
    root.put_user_policy()
        .user_name("broker")
        .policy_name("p")
        .policy_document(doc(
            r#"{"Effect":"Allow","Action":["sts:GetFederationToken","iam:ListUsers"],"Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    let out = broker
        .get_federation_token()
        .name("fed1")
        .policy(doc(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#))
        .send()
        .await
        .unwrap();
    let fed = out.federated_user().unwrap();
    assert_eq!(fed.federated_user_id(), format!("{DEV_ACCOUNT}:fed1"));
    let arn = format!("arn:aws:sts::{DEV_ACCOUNT}:federated-user/fed1");
    assert_eq!(fed.arn(), arn);
    let c = out.credentials().unwrap();
    let who = s.sts_session(c).get_caller_identity().send().await.unwrap();
    assert_eq!(who.arn(), Some(arn.as_str()));
    assert_eq!(who.user_id(), Some(format!("{DEV_ACCOUNT}:fed1").as_str()));
    // Federated users reach no IAM operation.
    assert_eq!(
        err_code(s.iam_session(c).list_users().send().await),
        ("InvalidClientTokenId".into(), 403)
    );
    let none = broker
        .get_federation_token()
        .name("fed2")
        .send()
        .await
        .unwrap();
    assert_eq!(none.packed_policy_size(), Some(0));
}

#[tokio::test]
async fn expired_and_tampered_credentials_are_refused() {
    // A wide skew window, so the shifted server clock still accepts the SDK's signatures.
    let (s, _config) = Server::dev_with_config("clock_skew_seconds = 7200\n");
    let root = s.root_iam();
    root.create_role()
        .role_name("short")
        .assume_role_policy_document(doc(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{DEV_ACCOUNT}:user/alice"}},"Action":"sts:AssumeRole"}}"#
        )))
        .send()
        .await
        .unwrap();
    let (ak, sk) = user_with_key(&root, "alice").await;
    let out = s
        .sts(&ak, &sk)
        .assume_role()
        .role_arn(format!("arn:aws:iam::{DEV_ACCOUNT}:role/short"))
        .role_session_name("brief")
        .duration_seconds(900)
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap().clone();
    s.sts_session(&c)
        .get_caller_identity()
        .send()
        .await
        .unwrap();

    // A flipped character, a token from another key id, a wrong secret.
    let token = c.session_token().to_string();
    let mut bytes = token.clone().into_bytes();
    let i = bytes.len() / 2;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).unwrap();
    let client = |key: &str, secret: &str, token: &str| {
        sts_client_with_token(&s.endpoint(), key, secret, Some(token.to_string()))
    };
    let r = client(c.access_key_id(), c.secret_access_key(), &tampered)
        .get_caller_identity()
        .send()
        .await;
    assert_eq!(err_code(r), ("InvalidClientTokenId".into(), 403));
    let r = client(
        "ASIAAAAAAAAAAAAAAAAA",
        c.secret_access_key(),
        c.session_token(),
    )
    .get_caller_identity()
    .send()
    .await;
    assert_eq!(err_code(r), ("InvalidClientTokenId".into(), 403));
    let r = client(
        c.access_key_id(),
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        c.session_token(),
    )
    .get_caller_identity()
    .send()
    .await;
    assert_eq!(err_code(r), ("SignatureDoesNotMatch".into(), 403));
    let r = sts_client(&s.endpoint(), c.access_key_id(), c.secret_access_key())
        .get_caller_identity()
        .send()
        .await;
    assert_eq!(
        err_code(r),
        ("InvalidClientTokenId".into(), 403),
        "no token"
    );

    // Fifteen minutes and a little later, the session is over.
    s.shift_clock(901);
    let r = s.sts_session(&c).get_caller_identity().send().await;
    assert_eq!(err_code(r), ("ExpiredToken".into(), 403));
    assert_eq!(
        err_message(s.sts_session(&c).get_caller_identity().send().await),
        "The security token included in the request is expired"
    );
    // Long-term keys are unaffected.
    s.sts(&ak, &sk).get_caller_identity().send().await.unwrap();
    // A shift far past the signing window moves expiry only: clients that sign with their own
    // clock (botocore never corrects it) still get ExpiredToken, and long-term keys still work.
    s.shift_clock(7200);
    let r = s.sts_session(&c).get_caller_identity().send().await;
    assert_eq!(err_code(r), ("ExpiredToken".into(), 403));
    s.sts(&ak, &sk).get_caller_identity().send().await.unwrap();
}

#[tokio::test]
async fn access_key_info_names_the_account() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, _) = user_with_key(&root, "alice").await;
    let info = s
        .root_sts()
        .get_access_key_info()
        .access_key_id(&ak)
        .send()
        .await
        .unwrap();
    assert_eq!(info.account(), Some(DEV_ACCOUNT));
    let info = s
        .root_sts()
        .get_access_key_info()
        .access_key_id(DEV_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(info.account(), Some(DEV_ACCOUNT));
}

fn run_cli(args: &[&str]) -> String {
    let out = std::process::Command::new(crate::common::bin())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn field(text: &str, label: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap()
        .trim()
        .to_string()
}

#[tokio::test]
async fn cross_account_roles_between_two_accounts_of_one_server() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let init = run_cli(&[
        "init",
        "--data-dir",
        data.to_str().unwrap(),
        "--account-id",
        "111111111111",
    ]);
    let s = Server::serve(&data);
    // A second account, created while the server runs.
    let second = run_cli(&[
        "account",
        "create",
        "--data-dir",
        data.to_str().unwrap(),
        "--account-id",
        "222222222222",
    ]);
    let a_root = iam_client(
        &s.endpoint(),
        &field(&init, "Root access key id:"),
        &field(&init, "Root secret access key:"),
    );
    let b_root = iam_client(
        &s.endpoint(),
        &field(&second, "Root access key id:"),
        &field(&second, "Root secret access key:"),
    );
    // Account B's role trusts account A; A's user also needs its own allow.
    b_root
        .create_role()
        .role_name("auditor")
        .assume_role_policy_document(doc(
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}"#,
        ))
        .send()
        .await
        .unwrap();
    b_root
        .put_role_policy()
        .role_name("auditor")
        .policy_name("read")
        .policy_document(doc(
            r#"{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    let (ak, sk) = user_with_key(&a_root, "alice").await;
    let alice = sts_client(&s.endpoint(), &ak, &sk);
    let role = "arn:aws:iam::222222222222:role/auditor";
    let r = alice
        .assume_role()
        .role_arn(role)
        .role_session_name("xx")
        .send()
        .await;
    assert_eq!(
        err_message(r),
        format!(
            "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: {role}"
        )
    );
    a_root
        .put_user_policy()
        .user_name("alice")
        .policy_name("assume")
        .policy_document(doc(&format!(
            r#"{{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"{role}"}}"#
        )))
        .send()
        .await
        .unwrap();
    let out = alice
        .assume_role()
        .role_arn(role)
        .role_session_name("xx")
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    let who = s.sts_session(c).get_caller_identity().send().await.unwrap();
    assert_eq!(who.account(), Some("222222222222"));
    let roles = s.iam_session(c).list_roles().send().await.unwrap();
    let names: Vec<&str> = roles.roles().iter().map(|r| r.role_name()).collect();
    assert_eq!(names, vec!["auditor"], "the session sees account B only");
    // The accounts stay apart: B's root sees none of A's users.
    assert!(b_root.list_users().send().await.unwrap().users().is_empty());
}

#[tokio::test]
async fn another_node_with_the_same_sealing_key_accepts_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("sealing.keys");
    let start = |name: &str| {
        let data = dir.path().join(name);
        let init = run_cli(&[
            "init",
            "--data-dir",
            data.to_str().unwrap(),
            "--account-id",
            "333333333333",
        ]);
        let server = Server::spawn(
            &[
                "serve",
                "--no-tls",
                "--listen",
                "127.0.0.1:0",
                "--data-dir",
                data.to_str().unwrap(),
                "--sealing-key-file",
                keys.to_str().unwrap(),
            ],
            &[],
        );
        (
            server,
            field(&init, "Root access key id:"),
            field(&init, "Root secret access key:"),
        )
    };
    let (a, ak, sk) = start("a");
    let (b, _, _) = start("b");
    let session = sts_client(&a.endpoint(), &ak, &sk)
        .get_session_token()
        .send()
        .await
        .unwrap();
    let c = session.credentials().unwrap();
    let on_b = b.sts_session(c).get_caller_identity().send().await.unwrap();
    assert_eq!(on_b.arn(), Some("arn:aws:iam::333333333333:root"));

    // After a rotation, both nodes seal with the new key and still open the old session.
    let out = run_cli(&[
        "sts",
        "rotate-keys",
        "--sealing-key-file",
        keys.to_str().unwrap(),
    ]);
    assert!(out.contains("key 2 seals"), "{out}");
    tokio::time::sleep(std::time::Duration::from_millis(2200)).await;
    b.sts_session(c).get_caller_identity().send().await.unwrap();
    let newer = sts_client(&a.endpoint(), &ak, &sk)
        .get_session_token()
        .send()
        .await
        .unwrap();
    b.sts_session(newer.credentials().unwrap())
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    // A node with another keyring refuses both.
    let other = Server::dev();
    let r = other.sts_session(c).get_caller_identity().send().await;
    assert_eq!(err_code(r), ("InvalidClientTokenId".into(), 403));
}

#[tokio::test]
async fn older_sessions_are_revoked_with_a_token_issue_time_deny() {
    let s = Server::dev();
    let root = s.root_iam();
    root.create_role()
        .role_name("ops")
        .assume_role_policy_document(doc(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{DEV_ACCOUNT}:user/alice"}},"Action":"sts:AssumeRole"}}"#
        )))
        .send()
        .await
        .unwrap();
    root.put_role_policy()
        .role_name("ops")
        .policy_name("read")
        .policy_document(doc(
            r#"{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    let (ak, sk) = user_with_key(&root, "alice").await;
    let alice = s.sts(&ak, &sk);
    let assume = || {
        alice
            .assume_role()
            .role_arn(format!("arn:aws:iam::{DEV_ACCOUNT}:role/ops"))
            .role_session_name("ops-session")
            .send()
    };
    let old = assume().await.unwrap();
    let old = s.iam_session(old.credentials().unwrap());
    old.list_roles().send().await.unwrap();
    // What the console's "revoke active sessions" attaches: deny sessions issued before now.
    let cutoff = iso(chrono::Utc::now() + chrono::TimeDelta::seconds(2));
    root.put_role_policy()
        .role_name("ops")
        .policy_name("AWSRevokeOlderSessions")
        .policy_document(doc(&format!(
            r#"{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{{"DateLessThan":{{"aws:TokenIssueTime":"{cutoff}"}}}}}}"#
        )))
        .send()
        .await
        .unwrap();
    let r = old.list_roles().send().await;
    assert!(
        err_message(r).contains("with an explicit deny in an identity-based policy"),
        "the old session is refused"
    );
    // A session issued after the cutoff works (the server's clock moves on; no sleeping).
    s.shift_clock(5);
    let new = assume().await.unwrap();
    s.iam_session(new.credentials().unwrap())
        .list_roles()
        .send()
        .await
        .unwrap();
}

fn iso(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
