//! STS GetCallerIdentity and the authorization rule before policies exist.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message, user_with_key};

#[tokio::test]
async fn get_caller_identity_for_root_and_user() {
    let s = Server::dev();
    let me = s.root_sts().get_caller_identity().send().await.unwrap();
    assert_eq!(me.account(), Some(DEV_ACCOUNT));
    assert_eq!(me.user_id(), Some(DEV_ACCOUNT));
    assert_eq!(
        me.arn(),
        Some(format!("arn:aws:iam::{DEV_ACCOUNT}:root").as_str())
    );

    let iam = s.root_iam();
    iam.create_user()
        .user_name("dan")
        .path("/team/")
        .send()
        .await
        .unwrap();
    let k = iam
        .create_access_key()
        .user_name("dan")
        .send()
        .await
        .unwrap();
    let k = k.access_key().unwrap();
    let user_id = iam
        .get_user()
        .user_name("dan")
        .send()
        .await
        .unwrap()
        .user()
        .unwrap()
        .user_id()
        .to_string();
    let who = s
        .sts(k.access_key_id(), k.secret_access_key())
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(
        who.arn(),
        Some(format!("arn:aws:iam::{DEV_ACCOUNT}:user/team/dan").as_str())
    );
    assert_eq!(who.user_id(), Some(user_id.as_str()));
    assert_eq!(who.account(), Some(DEV_ACCOUNT));
}

#[tokio::test]
async fn a_user_without_policies_is_denied_everything_else() {
    let s = Server::dev();
    let iam = s.root_iam();
    let (id, secret) = user_with_key(&iam, "erin").await;
    let erin = s.iam(&id, &secret);
    let denied = erin.create_user().user_name("mallory").send().await;
    assert_eq!(
        err_message(erin.create_user().user_name("mallory").send().await),
        format!(
            "User: arn:aws:iam::{DEV_ACCOUNT}:user/erin is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::{DEV_ACCOUNT}:user/mallory because no identity-based policy allows the iam:CreateUser action"
        )
    );
    assert_eq!(err_code(denied), ("AccessDenied".into(), 403));
    assert_eq!(
        err_code(erin.list_users().send().await),
        ("AccessDenied".into(), 403)
    );
    assert_eq!(
        err_code(erin.get_user().send().await),
        ("AccessDenied".into(), 403)
    );
    assert_eq!(
        err_code(erin.list_access_keys().send().await),
        ("AccessDenied".into(), 403)
    );
    assert!(err_message(erin.get_user().send().await).contains(&format!(
        "on resource: arn:aws:iam::{DEV_ACCOUNT}:user/erin "
    )));
    assert!(
        iam.get_user().user_name("mallory").send().await.is_err(),
        "the denied call had no effect"
    );
    // GetCallerIdentity needs no permission.
    s.sts(&id, &secret)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
}
