//! Access keys: creation, quota, listing, status, deletion and last-used tracking.

use crate::common::{DEV_ACCOUNT, Server, err_code, user_with_key};
use aws_sdk_iam::types::StatusType;

#[tokio::test]
async fn access_key_lifecycle_and_quota() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("dev").send().await.unwrap();
    let k1 = iam
        .create_access_key()
        .user_name("dev")
        .send()
        .await
        .unwrap();
    let k1 = k1.access_key().unwrap();
    assert!(k1.access_key_id().starts_with("AKIA") && k1.access_key_id().len() == 20);
    assert_eq!(k1.secret_access_key().len(), 40);
    assert_eq!(k1.status(), &StatusType::Active);
    assert_eq!(k1.user_name(), "dev");
    iam.create_access_key()
        .user_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(iam.create_access_key().user_name("dev").send().await),
        ("LimitExceeded".into(), 409)
    );
    assert_eq!(
        err_code(iam.create_access_key().user_name("nobody").send().await),
        ("NoSuchEntity".into(), 404)
    );

    let list = iam
        .list_access_keys()
        .user_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(list.access_key_metadata().len(), 2);
    assert!(!list.is_truncated());
    assert!(
        list.access_key_metadata()
            .iter()
            .all(|m| m.user_name() == Some("dev"))
    );

    iam.update_access_key()
        .user_name("dev")
        .access_key_id(k1.access_key_id())
        .status(StatusType::Inactive)
        .send()
        .await
        .unwrap();
    let list = iam
        .list_access_keys()
        .user_name("dev")
        .send()
        .await
        .unwrap();
    let m = list
        .access_key_metadata()
        .iter()
        .find(|m| m.access_key_id() == Some(k1.access_key_id()))
        .unwrap();
    assert_eq!(m.status(), Some(&StatusType::Inactive));

    assert_eq!(
        err_code(
            iam.update_access_key()
                .user_name("dev")
                .access_key_id("AKIAAAAAAAAAAAAAAAAA")
                .status(StatusType::Active)
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    iam.delete_access_key()
        .user_name("dev")
        .access_key_id(k1.access_key_id())
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(
            iam.delete_access_key()
                .user_name("dev")
                .access_key_id(k1.access_key_id())
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    assert_eq!(
        iam.list_access_keys()
            .user_name("dev")
            .send()
            .await
            .unwrap()
            .access_key_metadata()
            .len(),
        1
    );
}

#[tokio::test]
async fn inactive_and_deleted_keys_are_refused_at_once() {
    let s = Server::dev();
    let iam = s.root_iam();
    let (id, secret) = user_with_key(&iam, "carol").await;
    let sts = s.sts(&id, &secret);
    assert_eq!(
        sts.get_caller_identity().send().await.unwrap().arn(),
        Some(format!("arn:aws:iam::{DEV_ACCOUNT}:user/carol").as_str())
    );
    iam.update_access_key()
        .user_name("carol")
        .access_key_id(&id)
        .status(StatusType::Inactive)
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(sts.get_caller_identity().send().await),
        ("InvalidClientTokenId".into(), 403)
    );
    iam.update_access_key()
        .user_name("carol")
        .access_key_id(&id)
        .status(StatusType::Active)
        .send()
        .await
        .unwrap();
    sts.get_caller_identity().send().await.unwrap();
    iam.delete_access_key()
        .user_name("carol")
        .access_key_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(sts.get_caller_identity().send().await),
        ("InvalidClientTokenId".into(), 403)
    );
    // A wrong secret for a live key.
    let (id2, _) = {
        let k = iam
            .create_access_key()
            .user_name("carol")
            .send()
            .await
            .unwrap();
        let k = k.access_key().unwrap();
        (
            k.access_key_id().to_string(),
            k.secret_access_key().to_string(),
        )
    };
    assert_eq!(
        err_code(
            s.sts(&id2, "x".repeat(40).as_str())
                .get_caller_identity()
                .send()
                .await
        ),
        ("SignatureDoesNotMatch".into(), 403)
    );
}

#[tokio::test]
async fn last_used_is_recorded_after_use() {
    let s = Server::dev();
    let iam = s.root_iam();
    let (id, secret) = user_with_key(&iam, "lu").await;
    let before = iam
        .get_access_key_last_used()
        .access_key_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(before.user_name(), Some("lu"));
    let l = before.access_key_last_used().unwrap();
    assert!(l.last_used_date().is_none());
    assert_eq!((l.service_name(), l.region()), ("N/A", "N/A"));
    s.sts(&id, &secret)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    // Recording happens in the background; poll briefly.
    let mut recorded = None;
    for _ in 0..50 {
        let out = iam
            .get_access_key_last_used()
            .access_key_id(&id)
            .send()
            .await
            .unwrap();
        let l = out.access_key_last_used().unwrap();
        if l.last_used_date().is_some() {
            recorded = Some((l.service_name().to_string(), l.region().to_string()));
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(recorded, Some(("sts".to_string(), "us-east-2".to_string())));
    assert_eq!(
        err_code(
            iam.get_access_key_last_used()
                .access_key_id("AKIAAAAAAAAAAAAAAAAA")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
}

#[tokio::test]
async fn root_manages_its_own_keys_without_user_name() {
    let s = Server::dev();
    let iam = s.root_iam();
    let list = iam.list_access_keys().send().await.unwrap();
    assert_eq!(list.access_key_metadata().len(), 1);
    assert_eq!(
        list.access_key_metadata()[0].access_key_id(),
        Some(crate::common::DEV_KEY)
    );
    let k = iam.create_access_key().send().await.unwrap();
    let k = k.access_key().unwrap();
    let sts = s.sts(k.access_key_id(), k.secret_access_key());
    assert_eq!(
        sts.get_caller_identity().send().await.unwrap().arn(),
        Some(format!("arn:aws:iam::{DEV_ACCOUNT}:root").as_str())
    );
    assert_eq!(
        err_code(iam.create_access_key().send().await),
        ("LimitExceeded".into(), 409)
    );
    // Root has no user name: its new key's answer has no UserName member (as AWS's).
    let id = k.access_key_id().to_string();
    iam.delete_access_key()
        .access_key_id(&id)
        .send()
        .await
        .unwrap();
    let raw = crate::raw::root_call(
        &s,
        &[("Action", "CreateAccessKey"), ("Version", "2010-05-08")],
    );
    assert_eq!(raw.status, 200, "{}", raw.body);
    assert!(raw.body.contains("<SecretAccessKey>"), "{}", raw.body);
    assert!(!raw.body.contains("<UserName>"), "{}", raw.body);
}

#[tokio::test]
async fn concurrent_key_creation_respects_the_quota() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("q").send().await.unwrap();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let iam = iam.clone();
            tokio::spawn(async move { iam.create_access_key().user_name("q").send().await.is_ok() })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap());
    }
    assert_eq!(ok, 2);
    assert_eq!(
        iam.list_access_keys()
            .user_name("q")
            .send()
            .await
            .unwrap()
            .access_key_metadata()
            .len(),
        2
    );
}
