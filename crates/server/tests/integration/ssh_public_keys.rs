//! SSH public keys: upload in OpenSSH and PEM form, fingerprints, encodings, status, quota,
//! duplicates, pagination and the DeleteUser precondition.

use crate::common::{Server, err_code, err_message, user_with_key};
use aws_sdk_iam::types::{EncodingType, StatusType};

fn key(name: &str) -> &'static str {
    match name {
        "ed1" => include_str!("../fixtures/ssh/ed1.pub"),
        "ed2" => include_str!("../fixtures/ssh/ed2.pub"),
        "ed3" => include_str!("../fixtures/ssh/ed3.pub"),
        "ed4" => include_str!("../fixtures/ssh/ed4.pub"),
        "ed5" => include_str!("../fixtures/ssh/ed5.pub"),
        "ed6" => include_str!("../fixtures/ssh/ed6.pub"),
        "rsa2048" => include_str!("../fixtures/ssh/rsa2048.pub"),
        "rsa2048.pem" => include_str!("../fixtures/ssh/rsa2048.pem.pub"),
        "rsa1024" => include_str!("../fixtures/ssh/rsa1024.pub"),
        "ecdsa256" => include_str!("../fixtures/ssh/ecdsa256.pub"),
        _ => panic!("no fixture {name}"),
    }
}

/// `ssh-keygen -l -E md5` of a fixture, recorded when it was generated.
fn fingerprint(name: &str) -> String {
    include_str!("../fixtures/ssh/fingerprints.txt")
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}.pub ")))
        .unwrap()
        .to_string()
}

/// The OpenSSH form without its comment.
fn without_comment(body: &str) -> &str {
    body.trim().rsplit_once(' ').unwrap().0
}

#[tokio::test]
async fn upload_get_update_delete() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("git").send().await.unwrap();
    let up = iam
        .upload_ssh_public_key()
        .user_name("git")
        .ssh_public_key_body(key("rsa2048"))
        .send()
        .await
        .unwrap();
    let k = up.ssh_public_key().unwrap();
    assert!(k.ssh_public_key_id().starts_with("APKA"));
    assert_eq!(k.ssh_public_key_id().len(), 21);
    assert_eq!(k.user_name(), "git");
    assert_eq!(k.fingerprint(), fingerprint("rsa2048"));
    assert_eq!(k.ssh_public_key_body(), without_comment(key("rsa2048")));
    assert_eq!(k.status(), &StatusType::Active);
    assert!(k.upload_date().is_some());
    let id = k.ssh_public_key_id().to_string();

    let pem = iam
        .get_ssh_public_key()
        .user_name("git")
        .ssh_public_key_id(&id)
        .encoding(EncodingType::Pem)
        .send()
        .await
        .unwrap();
    let pem = pem.ssh_public_key().unwrap();
    assert_eq!(pem.ssh_public_key_body().trim(), key("rsa2048.pem").trim());
    assert_eq!(pem.fingerprint(), fingerprint("rsa2048"));

    iam.update_ssh_public_key()
        .user_name("git")
        .ssh_public_key_id(&id)
        .status(StatusType::Inactive)
        .send()
        .await
        .unwrap();
    let ssh = iam
        .get_ssh_public_key()
        .user_name("git")
        .ssh_public_key_id(&id)
        .encoding(EncodingType::Ssh)
        .send()
        .await
        .unwrap();
    let ssh = ssh.ssh_public_key().unwrap();
    assert_eq!(ssh.status(), &StatusType::Inactive);
    assert_eq!(ssh.ssh_public_key_body(), without_comment(key("rsa2048")));

    // The same key in PEM form is the same key: a duplicate for this user.
    let dup = iam
        .upload_ssh_public_key()
        .user_name("git")
        .ssh_public_key_body(key("rsa2048.pem"))
        .send()
        .await;
    assert_eq!(err_code(dup), ("DuplicateSSHPublicKey".into(), 400));
    // Another user may hold it.
    iam.create_user().user_name("other").send().await.unwrap();
    let other = iam
        .upload_ssh_public_key()
        .user_name("other")
        .ssh_public_key_body(key("rsa2048.pem"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        other.ssh_public_key().unwrap().ssh_public_key_body(),
        without_comment(key("rsa2048"))
    );

    // A key of another user is not found under this one.
    let other_id = other.ssh_public_key().unwrap().ssh_public_key_id();
    let wrong_owner = iam
        .get_ssh_public_key()
        .user_name("git")
        .ssh_public_key_id(other_id)
        .encoding(EncodingType::Ssh)
        .send()
        .await;
    assert_eq!(err_code(wrong_owner), ("NoSuchEntity".into(), 404));

    iam.delete_ssh_public_key()
        .user_name("git")
        .ssh_public_key_id(&id)
        .send()
        .await
        .unwrap();
    for r in [
        err_code(
            iam.delete_ssh_public_key()
                .user_name("git")
                .ssh_public_key_id(&id)
                .send()
                .await,
        ),
        err_code(
            iam.update_ssh_public_key()
                .user_name("git")
                .ssh_public_key_id(&id)
                .status(StatusType::Active)
                .send()
                .await,
        ),
        err_code(
            iam.upload_ssh_public_key()
                .user_name("nobody")
                .ssh_public_key_body(key("ed1"))
                .send()
                .await,
        ),
        err_code(iam.list_ssh_public_keys().user_name("nobody").send().await),
    ] {
        assert_eq!(r, ("NoSuchEntity".into(), 404));
    }
}

#[tokio::test]
async fn invalid_and_unrecognized_keys() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("git").send().await.unwrap();
    let up = |body: String| {
        iam.upload_ssh_public_key()
            .user_name("git")
            .ssh_public_key_body(body)
            .send()
    };
    let short = up(key("rsa1024").to_string()).await;
    assert!(err_message(up(key("rsa1024").to_string()).await).contains("2048"));
    assert_eq!(err_code(short), ("InvalidPublicKey".into(), 400));
    let corrupt = key("ed1").replacen("AAAAC3Nza", "AAAAC3Nzb", 1);
    assert_eq!(
        err_code(up(corrupt).await),
        ("InvalidPublicKey".into(), 400)
    );
    let truncated =
        key("ed1").replacen("AAAAC3NzaC1lZDI1NTE5AAAAI", "AAAAC3NzaC1lZDI1NTE5AAAAH", 1);
    assert_eq!(
        err_code(up(truncated).await),
        ("InvalidPublicKey".into(), 400)
    );
    for garbage in [
        "hello world",
        "ssh-dss AAAAB3NzaC1kc3M=",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
    ] {
        assert_eq!(
            err_code(up(garbage.to_string()).await),
            ("UnrecognizedPublicKeyEncoding".into(), 400),
            "{garbage}"
        );
    }
    // ECDSA and Ed25519 keys are accepted with ssh-keygen's fingerprints.
    for name in ["ecdsa256", "ed1"] {
        let k = up(key(name).to_string()).await.unwrap();
        assert_eq!(k.ssh_public_key().unwrap().fingerprint(), fingerprint(name));
    }
}

#[tokio::test]
async fn quota_pagination_caller_default_and_delete_conflict() {
    let s = Server::dev();
    let iam = s.root_iam();
    let (kid, secret) = user_with_key(&iam, "dev").await;
    for name in ["ed1", "ed2", "ed3", "ed4", "ed5"] {
        iam.upload_ssh_public_key()
            .user_name("dev")
            .ssh_public_key_body(key(name))
            .send()
            .await
            .unwrap();
    }
    let sixth = iam
        .upload_ssh_public_key()
        .user_name("dev")
        .ssh_public_key_body(key("ed6"))
        .send()
        .await;
    assert_eq!(err_code(sixth), ("LimitExceeded".into(), 409));

    let p1 = iam
        .list_ssh_public_keys()
        .user_name("dev")
        .max_items(2)
        .send()
        .await
        .unwrap();
    assert_eq!(p1.ssh_public_keys().len(), 2);
    assert!(p1.is_truncated());
    let p2 = iam
        .list_ssh_public_keys()
        .user_name("dev")
        .max_items(10)
        .marker(p1.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(p2.ssh_public_keys().len(), 3);
    assert!(!p2.is_truncated());
    assert_eq!(p2.marker(), None);
    let mut ids: Vec<_> = p1
        .ssh_public_keys()
        .iter()
        .chain(p2.ssh_public_keys())
        .map(|k| k.ssh_public_key_id().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5);

    // Without UserName the signing user's keys are listed; root has none.
    let own = s.iam(&kid, &secret);
    iam.attach_user_policy()
        .user_name("dev")
        .policy_arn("arn:aws:iam::aws:policy/IAMFullAccess")
        .send()
        .await
        .unwrap();
    let mine = own.list_ssh_public_keys().send().await.unwrap();
    assert_eq!(mine.ssh_public_keys().len(), 5);
    assert!(
        mine.ssh_public_keys()
            .iter()
            .all(|k| k.user_name() == "dev")
    );
    let root = iam.list_ssh_public_keys().send().await.unwrap();
    assert!(root.ssh_public_keys().is_empty());

    // DeleteUser refuses while keys remain.
    iam.detach_user_policy()
        .user_name("dev")
        .policy_arn("arn:aws:iam::aws:policy/IAMFullAccess")
        .send()
        .await
        .unwrap();
    iam.delete_access_key()
        .user_name("dev")
        .access_key_id(&kid)
        .send()
        .await
        .unwrap();
    let r = iam.delete_user().user_name("dev").send().await;
    assert_eq!(err_code(r), ("DeleteConflict".into(), 409));
    for id in ids {
        iam.delete_ssh_public_key()
            .user_name("dev")
            .ssh_public_key_id(id)
            .send()
            .await
            .unwrap();
    }
    iam.delete_user().user_name("dev").send().await.unwrap();
}
