//! Authorization through the policy engine: identity policies of users and their groups,
//! explicit deny, NotAction/NotResource, policy variables, conditions, ABAC, and changes taking
//! effect on the very next request.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message, user_with_key};
use aws_sdk_iam::types::Tag;

fn policy(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

pub(crate) async fn grant(iam: &aws_sdk_iam::Client, user: &str, name: &str, statements: &str) {
    iam.put_user_policy()
        .user_name(user)
        .policy_name(name)
        .policy_document(policy(statements))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn allow_deny_and_changes_apply_at_once() {
    let s = Server::dev();
    let root = s.root_iam();
    let (id, secret) = user_with_key(&root, "alice").await;
    let alice = s.iam(&id, &secret);
    assert_eq!(
        err_code(alice.list_users().send().await),
        ("AccessDenied".into(), 403)
    );

    grant(
        &root,
        "alice",
        "list",
        r#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}"#,
    )
    .await;
    alice.list_users().send().await.unwrap();
    assert_eq!(
        err_code(alice.create_user().user_name("x").send().await),
        ("AccessDenied".into(), 403),
        "only what is allowed"
    );

    grant(
        &root,
        "alice",
        "deny",
        r#"{"Effect":"Deny","Action":"iam:List*","Resource":"*"}"#,
    )
    .await;
    assert_eq!(
        err_message(alice.list_users().send().await),
        format!(
            "User: arn:aws:iam::{DEV_ACCOUNT}:user/alice is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::{DEV_ACCOUNT}:user/ with an explicit deny in an identity-based policy"
        )
    );
    root.delete_user_policy()
        .user_name("alice")
        .policy_name("deny")
        .send()
        .await
        .unwrap();
    alice.list_users().send().await.unwrap();
    root.delete_user_policy()
        .user_name("alice")
        .policy_name("list")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(alice.list_users().send().await),
        ("AccessDenied".into(), 403),
        "removal takes effect on the next request"
    );
}

#[tokio::test]
async fn group_policies_apply_to_members() {
    let s = Server::dev();
    let root = s.root_iam();
    let (id, secret) = user_with_key(&root, "bob").await;
    let bob = s.iam(&id, &secret);
    root.create_group()
        .group_name("readers")
        .send()
        .await
        .unwrap();
    root.put_group_policy()
        .group_name("readers")
        .policy_name("read")
        .policy_document(policy(
            r#"{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(bob.list_groups().send().await),
        ("AccessDenied".into(), 403)
    );
    root.add_user_to_group()
        .group_name("readers")
        .user_name("bob")
        .send()
        .await
        .unwrap();
    bob.list_groups().send().await.unwrap();
    bob.get_user().user_name("bob").send().await.unwrap();
    root.remove_user_from_group()
        .group_name("readers")
        .user_name("bob")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(bob.list_groups().send().await),
        ("AccessDenied".into(), 403)
    );
}

#[tokio::test]
async fn not_action_not_resource_and_username_scoping() {
    let s = Server::dev();
    let root = s.root_iam();
    let (id, secret) = user_with_key(&root, "carol").await;
    root.create_user().user_name("dave").send().await.unwrap();
    let carol = s.iam(&id, &secret);
    // A user may manage only its own access keys.
    grant(
        &root,
        "carol",
        "own-keys",
        r#"{"Effect":"Allow","Action":["iam:CreateAccessKey","iam:ListAccessKeys","iam:DeleteAccessKey"],"Resource":"arn:aws:iam::*:user/${aws:username}"}"#,
    )
    .await;
    carol.list_access_keys().send().await.unwrap();
    carol
        .list_access_keys()
        .user_name("carol")
        .send()
        .await
        .unwrap();
    let k = carol.create_access_key().send().await.unwrap();
    carol
        .delete_access_key()
        .access_key_id(k.access_key().unwrap().access_key_id())
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(carol.create_access_key().user_name("dave").send().await),
        ("AccessDenied".into(), 403)
    );

    // NotAction: everything but DeleteUser; NotResource: every user but dave.
    grant(&root, "carol", "broad", r#"{"Effect":"Allow","NotAction":"iam:DeleteUser","NotResource":"arn:aws:iam::*:user/dave"}"#).await;
    carol.get_user().user_name("carol").send().await.unwrap();
    carol.create_user().user_name("erin").send().await.unwrap();
    assert_eq!(
        err_code(carol.get_user().user_name("dave").send().await),
        ("AccessDenied".into(), 403)
    );
    assert_eq!(
        err_code(carol.delete_user().user_name("erin").send().await),
        ("AccessDenied".into(), 403)
    );
}

#[tokio::test]
async fn conditions_source_ip_mfa_and_tags() {
    let s = Server::dev();
    let root = s.root_iam();
    let (id, secret) = user_with_key(&root, "frank").await;
    let frank = s.iam(&id, &secret);
    grant(&root, "frank", "local", r#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}}"#).await;
    frank.list_users().send().await.unwrap();
    grant(&root, "frank", "local", r#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#).await;
    assert_eq!(
        err_code(frank.list_users().send().await),
        ("AccessDenied".into(), 403)
    );

    // Long-term keys carry no MFA: a deny unless MFA is present blocks them.
    grant(
        &root,
        "frank",
        "local",
        r#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}"#,
    )
    .await;
    frank.list_users().send().await.unwrap();
    grant(&root, "frank", "mfa", r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#).await;
    assert_eq!(
        err_code(frank.list_users().send().await),
        ("AccessDenied".into(), 403)
    );
    root.delete_user_policy()
        .user_name("frank")
        .policy_name("mfa")
        .send()
        .await
        .unwrap();

    // ABAC: read users whose team tag matches the caller's.
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build().unwrap();
    let tag_frank = |team: &str| {
        root.tag_user()
            .user_name("frank")
            .tags(tag("team", team))
            .send()
    };
    tag_frank("blue").await.unwrap();
    root.create_user()
        .user_name("blue1")
        .tags(tag("team", "blue"))
        .send()
        .await
        .unwrap();
    root.create_user()
        .user_name("red1")
        .tags(tag("team", "red"))
        .send()
        .await
        .unwrap();
    grant(&root, "frank", "abac", r#"{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}"#).await;
    frank.get_user().user_name("blue1").send().await.unwrap();
    assert_eq!(
        err_code(frank.get_user().user_name("red1").send().await),
        ("AccessDenied".into(), 403)
    );
    // Reading itself (by name, and with no name): its own tags are the resource's.
    frank.get_user().user_name("frank").send().await.unwrap();
    frank.get_user().send().await.unwrap();
    // Retagged, frank's principal and resource tags both change on the next request.
    tag_frank("red").await.unwrap();
    frank.get_user().user_name("red1").send().await.unwrap();
    frank.get_user().send().await.unwrap();
    assert_eq!(
        err_code(frank.get_user().user_name("blue1").send().await),
        ("AccessDenied".into(), 403)
    );
    tag_frank("blue").await.unwrap();
    // Request tags: may tag users only with team=blue.
    grant(&root, "frank", "tagging", r#"{"Effect":"Allow","Action":"iam:TagUser","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"blue"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}"#).await;
    frank
        .tag_user()
        .user_name("blue1")
        .tags(tag("team", "blue"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(
            frank
                .tag_user()
                .user_name("blue1")
                .tags(tag("team", "red"))
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    assert_eq!(
        err_code(
            frank
                .tag_user()
                .user_name("blue1")
                .tags(tag("team", "blue"))
                .tags(tag("cost", "x"))
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
}

#[tokio::test]
async fn forwarded_for_counts_only_from_trusted_proxies() {
    let allow_proxy_client = r#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"198.51.100.7/32"}}}"#;
    for trusted in [false, true] {
        let mut args = vec!["dev", "--listen", "127.0.0.1:0"];
        if trusted {
            args.extend(["--trusted-proxies", "127.0.0.1"]);
        }
        let s = Server::spawn(&args, &[]);
        let root = s.root_iam();
        let (id, secret) = user_with_key(&root, "gina").await;
        grant(&root, "gina", "p", allow_proxy_client).await;
        let spoofing = crate::common::iam_client(&s.endpoint(), &id, &secret);
        let r = spoofing
            .list_users()
            .customize()
            .mutate_request(|req| {
                req.headers_mut().insert("x-forwarded-for", "198.51.100.7");
            })
            .send()
            .await;
        if trusted {
            r.unwrap();
        } else {
            assert_eq!(
                err_code(r),
                ("AccessDenied".into(), 403),
                "a client cannot choose its aws:SourceIp"
            );
        }
    }
}

#[tokio::test]
async fn delegated_administration_with_iam_condition_keys() {
    let s = Server::dev();
    let root = s.root_iam();
    let (id, secret) = user_with_key(&root, "delegate").await;
    let delegate = s.iam(&id, &secret);
    let boundary = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    // May create users only with the ReadOnlyAccess boundary, and attach only IAMReadOnlyAccess.
    grant(
        &root,
        "delegate",
        "d",
        &format!(
            r#"{{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*","Condition":{{"StringEquals":{{"iam:PermissionsBoundary":"{boundary}"}}}}}},
               {{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{{"ArnEquals":{{"iam:PolicyARN":"arn:aws:iam::aws:policy/IAMReadOnlyAccess"}}}}}}"#
        ),
    )
    .await;
    assert_eq!(
        err_code(delegate.create_user().user_name("free").send().await),
        ("AccessDenied".into(), 403)
    );
    delegate
        .create_user()
        .user_name("bounded")
        .permissions_boundary(boundary)
        .send()
        .await
        .unwrap();
    delegate
        .attach_user_policy()
        .user_name("bounded")
        .policy_arn("arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(
            delegate
                .attach_user_policy()
                .user_name("bounded")
                .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
}

#[tokio::test]
async fn role_tags_and_paths_reach_the_resource_context() {
    let s = Server::dev();
    let root = s.root_iam();
    let (id, secret) = user_with_key(&root, "ops").await;
    let ops = s.iam(&id, &secret);
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let tag = |v: &str| Tag::builder().key("env").value(v).build().unwrap();
    root.create_role()
        .role_name("dev-role")
        .path("/apps/")
        .assume_role_policy_document(trust)
        .tags(tag("dev"))
        .send()
        .await
        .unwrap();
    root.create_role()
        .role_name("prod-role")
        .path("/apps/")
        .assume_role_policy_document(trust)
        .tags(tag("prod"))
        .send()
        .await
        .unwrap();
    grant(
        &root,
        "ops",
        "r",
        r#"{"Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam::*:role/apps/*","Condition":{"StringEquals":{"aws:ResourceTag/env":"dev"}}}"#,
    )
    .await;
    ops.get_role().role_name("dev-role").send().await.unwrap();
    assert_eq!(
        err_code(ops.get_role().role_name("prod-role").send().await),
        ("AccessDenied".into(), 403)
    );
}

#[tokio::test]
async fn access_key_last_used_is_authorized_against_the_keys_owner() {
    let s = Server::dev();
    let root = s.root_iam();
    let (id, secret) = user_with_key(&root, "kim").await;
    let (other_key, _) = user_with_key(&root, "lee").await;
    grant(
        &root,
        "kim",
        "own-keys",
        &format!(
            r#"{{"Effect":"Allow","Action":"iam:GetAccessKeyLastUsed","Resource":"arn:aws:iam::{DEV_ACCOUNT}:user/${{aws:username}}"}}"#
        ),
    )
    .await;
    let kim = s.iam(&id, &secret);
    let own = kim
        .get_access_key_last_used()
        .access_key_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(own.user_name(), Some("kim"));
    assert_eq!(
        err_message(
            kim.get_access_key_last_used()
                .access_key_id(&other_key)
                .send()
                .await
        ),
        format!(
            "User: arn:aws:iam::{DEV_ACCOUNT}:user/kim is not authorized to perform: iam:GetAccessKeyLastUsed on resource: arn:aws:iam::{DEV_ACCOUNT}:user/lee because no identity-based policy allows the iam:GetAccessKeyLastUsed action"
        )
    );
}

#[tokio::test]
async fn adding_a_role_to_an_instance_profile_needs_pass_role() {
    let s = Server::dev();
    let root = s.root_iam();
    root.create_role()
        .role_name("app")
        .assume_role_policy_document(policy(
            r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#,
        ))
        .send()
        .await
        .unwrap();
    root.create_instance_profile()
        .instance_profile_name("app")
        .send()
        .await
        .unwrap();
    let (id, secret) = user_with_key(&root, "ops").await;
    grant(
        &root,
        "ops",
        "profiles",
        r#"{"Effect":"Allow","Action":["iam:AddRoleToInstanceProfile","iam:RemoveRoleFromInstanceProfile"],"Resource":"*"}"#,
    )
    .await;
    let ops = s.iam(&id, &secret);
    let add = || {
        ops.add_role_to_instance_profile()
            .instance_profile_name("app")
            .role_name("app")
            .send()
    };
    assert_eq!(
        err_message(add().await),
        format!(
            "User: arn:aws:iam::{DEV_ACCOUNT}:user/ops is not authorized to perform: iam:PassRole on resource: arn:aws:iam::{DEV_ACCOUNT}:role/app because no identity-based policy allows the iam:PassRole action"
        )
    );
    // PassRole only to EC2, as iam:PassedToService says.
    grant(
        &root,
        "ops",
        "pass",
        &format!(
            r#"{{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::{DEV_ACCOUNT}:role/app","Condition":{{"StringEquals":{{"iam:PassedToService":"lambda.amazonaws.com"}}}}}}"#
        ),
    )
    .await;
    assert_eq!(err_code(add().await), ("AccessDenied".into(), 403));
    grant(
        &root,
        "ops",
        "pass",
        &format!(
            r#"{{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::{DEV_ACCOUNT}:role/app","Condition":{{"StringEquals":{{"iam:PassedToService":"ec2.amazonaws.com"}}}}}}"#
        ),
    )
    .await;
    add().await.unwrap();
}
