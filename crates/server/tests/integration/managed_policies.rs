//! Managed policies: versions, attachment, AWS managed policies, boundaries, and their effect
//! on authorization.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message, user_with_key};
use aws_sdk_iam::types::{PolicyScopeType, PolicyUsageType};

const LIST_USERS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}"#;
const LIST_GROUPS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListGroups","Resource":"*"}]}"#;

#[tokio::test]
async fn customer_policies_and_versions() {
    let s = Server::dev();
    let iam = s.root_iam();
    let created = iam
        .create_policy()
        .policy_name("Lister")
        .path("/team/")
        .policy_document(LIST_USERS)
        .description("lists")
        .send()
        .await
        .unwrap();
    let p = created.policy().unwrap();
    let arn = p.arn().unwrap().to_string();
    assert_eq!(
        arn,
        format!("arn:aws:iam::{DEV_ACCOUNT}:policy/team/Lister")
    );
    assert!(p.policy_id().unwrap().starts_with("ANPA"));
    assert_eq!(p.default_version_id(), Some("v1"));
    assert_eq!(p.attachment_count(), Some(0));
    assert_eq!(
        err_code(
            iam.create_policy()
                .policy_name("lister")
                .policy_document(LIST_USERS)
                .send()
                .await
        ),
        ("EntityAlreadyExists".into(), 409)
    );
    assert_eq!(
        err_code(
            iam.create_policy()
                .policy_name("Bad")
                .policy_document("{}")
                .send()
                .await
        ),
        ("MalformedPolicyDocument".into(), 400)
    );
    // IAM stores identity policies of Version 2012-10-17 only.
    let old_version = LIST_USERS.replace("2012-10-17", "2008-10-17");
    assert_eq!(
        err_message(
            iam.create_policy()
                .policy_name("Old")
                .policy_document(old_version)
                .send()
                .await
        ),
        "Policy document must be version 2012-10-17 or greater."
    );

    let got = iam.get_policy().policy_arn(&arn).send().await.unwrap();
    assert_eq!(got.policy().unwrap().description(), Some("lists"));
    for i in 2..=5 {
        let v = iam
            .create_policy_version()
            .policy_arn(&arn)
            .policy_document(LIST_GROUPS)
            .set_as_default(i == 4)
            .send()
            .await
            .unwrap();
        assert_eq!(
            v.policy_version().unwrap().version_id(),
            Some(format!("v{i}").as_str())
        );
    }
    assert_eq!(
        err_code(
            iam.create_policy_version()
                .policy_arn(&arn)
                .policy_document(LIST_USERS)
                .send()
                .await
        ),
        ("LimitExceeded".into(), 409)
    );
    let versions = iam
        .list_policy_versions()
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(versions.versions().len(), 5);
    assert_eq!(
        versions
            .versions()
            .iter()
            .filter(|v| v.is_default_version())
            .map(|v| v.version_id().unwrap())
            .collect::<Vec<_>>(),
        ["v4"]
    );
    let v4 = iam
        .get_policy_version()
        .policy_arn(&arn)
        .version_id("v4")
        .send()
        .await
        .unwrap();
    assert!(
        v4.policy_version()
            .unwrap()
            .document()
            .unwrap()
            .starts_with("%7B%22Version%22"),
        "URL-encoded"
    );
    assert_eq!(
        err_code(
            iam.delete_policy_version()
                .policy_arn(&arn)
                .version_id("v4")
                .send()
                .await
        ),
        ("DeleteConflict".into(), 409)
    );
    iam.set_default_policy_version()
        .policy_arn(&arn)
        .version_id("v1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(iam.delete_policy().policy_arn(&arn).send().await),
        ("DeleteConflict".into(), 409),
        "non-default versions remain"
    );
    for v in ["v2", "v3", "v4", "v5"] {
        iam.delete_policy_version()
            .policy_arn(&arn)
            .version_id(v)
            .send()
            .await
            .unwrap();
    }
    iam.delete_policy().policy_arn(&arn).send().await.unwrap();
    assert_eq!(
        err_code(iam.get_policy().policy_arn(&arn).send().await),
        ("NoSuchEntity".into(), 404)
    );
}

#[tokio::test]
async fn aws_managed_policies_are_listed_and_attachable() {
    let s = Server::dev();
    let iam = s.root_iam();
    let aws: Vec<String> = iam
        .list_policies()
        .scope(PolicyScopeType::Aws)
        .into_paginator()
        .items()
        .send()
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(|p| p.unwrap().policy_name().unwrap().to_string())
        .collect();
    for name in [
        "AdministratorAccess",
        "PowerUserAccess",
        "ReadOnlyAccess",
        "IAMFullAccess",
        "IAMReadOnlyAccess",
        "IAMUserChangePassword",
        "SecurityAudit",
    ] {
        assert!(
            aws.contains(&name.to_string()),
            "{name} missing from {aws:?}"
        );
    }
    assert!(
        iam.list_policies()
            .scope(PolicyScopeType::Local)
            .send()
            .await
            .unwrap()
            .policies()
            .is_empty()
    );
    let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    let v = iam
        .get_policy_version()
        .policy_arn(admin)
        .version_id("v1")
        .send()
        .await
        .unwrap();
    assert!(
        v.policy_version()
            .unwrap()
            .document()
            .unwrap()
            .contains("%22Action%22%3A%22%2A%22")
    );
    assert_eq!(
        err_code(iam.delete_policy().policy_arn(admin).send().await).1,
        400
    );

    let (id, secret) = user_with_key(&iam, "admin").await;
    let admin_user = s.iam(&id, &secret);
    assert_eq!(
        err_code(admin_user.create_user().user_name("x").send().await),
        ("AccessDenied".into(), 403)
    );
    iam.attach_user_policy()
        .user_name("admin")
        .policy_arn(admin)
        .send()
        .await
        .unwrap();
    admin_user
        .create_user()
        .user_name("x")
        .send()
        .await
        .unwrap();
    let attached = iam
        .list_attached_user_policies()
        .user_name("admin")
        .send()
        .await
        .unwrap();
    assert_eq!(
        attached.attached_policies()[0].policy_name(),
        Some("AdministratorAccess")
    );
    let counted = iam.get_policy().policy_arn(admin).send().await.unwrap();
    assert_eq!(counted.policy().unwrap().attachment_count(), Some(1));
    let only = iam
        .list_policies()
        .only_attached(true)
        .send()
        .await
        .unwrap();
    assert_eq!(only.policies().len(), 1);
    assert_eq!(
        err_code(iam.delete_user().user_name("admin").send().await),
        ("DeleteConflict".into(), 409)
    );
    iam.detach_user_policy()
        .user_name("admin")
        .policy_arn(admin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(admin_user.create_user().user_name("y").send().await),
        ("AccessDenied".into(), 403),
        "detach applies on the next request"
    );
    assert_eq!(
        err_code(
            iam.attach_user_policy()
                .user_name("admin")
                .policy_arn("arn:aws:iam::aws:policy/NoSuchPolicy")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
}

#[tokio::test]
async fn group_attachments_quota_and_boundaries() {
    let s = Server::dev();
    let iam = s.root_iam();
    let lister = iam
        .create_policy()
        .policy_name("Lister")
        .policy_document(LIST_USERS)
        .send()
        .await
        .unwrap()
        .policy()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    let (id, secret) = user_with_key(&iam, "member").await;
    let member = s.iam(&id, &secret);
    iam.create_group().group_name("g").send().await.unwrap();
    iam.add_user_to_group()
        .group_name("g")
        .user_name("member")
        .send()
        .await
        .unwrap();
    iam.attach_group_policy()
        .group_name("g")
        .policy_arn(&lister)
        .send()
        .await
        .unwrap();
    member.list_users().send().await.unwrap();
    assert_eq!(
        iam.list_attached_group_policies()
            .group_name("g")
            .send()
            .await
            .unwrap()
            .attached_policies()
            .len(),
        1
    );

    // A boundary cuts what the identity policies allow.
    iam.attach_user_policy()
        .user_name("member")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .unwrap();
    member.list_groups().send().await.unwrap();
    iam.put_user_permissions_boundary()
        .user_name("member")
        .permissions_boundary(&lister)
        .send()
        .await
        .unwrap();
    member.list_users().send().await.unwrap();
    assert_eq!(
        err_message(member.list_groups().send().await),
        format!(
            "User: arn:aws:iam::{DEV_ACCOUNT}:user/member is not authorized to perform: iam:ListGroups on resource: arn:aws:iam::{DEV_ACCOUNT}:group/ because no permissions boundary allows the iam:ListGroups action"
        )
    );
    let u = iam.get_user().user_name("member").send().await.unwrap();
    assert_eq!(
        u.user()
            .unwrap()
            .permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn()),
        Some(lister.as_str())
    );
    let usage = iam
        .list_policies()
        .only_attached(true)
        .policy_usage_filter(PolicyUsageType::PermissionsBoundary)
        .send()
        .await
        .unwrap();
    assert_eq!(usage.policies().len(), 1);
    assert_eq!(
        usage.policies()[0].permissions_boundary_usage_count(),
        Some(1)
    );
    iam.delete_user_permissions_boundary()
        .user_name("member")
        .send()
        .await
        .unwrap();
    member.list_groups().send().await.unwrap();

    // At most 10 attached managed policies per principal.
    for i in 0..9 {
        let arn = iam
            .create_policy()
            .policy_name(format!("p{i}"))
            .policy_document(LIST_USERS)
            .send()
            .await
            .unwrap()
            .policy()
            .unwrap()
            .arn()
            .unwrap()
            .to_string();
        iam.attach_user_policy()
            .user_name("member")
            .policy_arn(arn)
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        err_code(
            iam.attach_user_policy()
                .user_name("member")
                .policy_arn(&lister)
                .send()
                .await
        ),
        ("LimitExceeded".into(), 409)
    );
    assert_eq!(
        err_message(
            iam.attach_user_policy()
                .user_name("member")
                .policy_arn(&lister)
                .send()
                .await
        ),
        "Cannot exceed quota for PoliciesPerUser: 10"
    );
    // A user created with a boundary.
    iam.create_user()
        .user_name("bounded")
        .permissions_boundary(&lister)
        .send()
        .await
        .unwrap();
    assert!(
        iam.get_user()
            .user_name("bounded")
            .send()
            .await
            .unwrap()
            .user()
            .unwrap()
            .permissions_boundary()
            .is_some()
    );
    assert_eq!(
        err_code(
            iam.create_user()
                .user_name("nob")
                .permissions_boundary("arn:aws:iam::aws:policy/Nope")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
}

#[tokio::test]
async fn policy_tags_and_entities_for_policy() {
    use aws_sdk_iam::types::{EntityType, Tag};
    let s = Server::dev();
    let iam = s.root_iam();
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build().unwrap();
    let p = iam
        .create_policy()
        .policy_name("Tagged")
        .policy_document(LIST_USERS)
        .tags(tag("Env", "a"))
        .send()
        .await
        .unwrap();
    let arn = p.policy().unwrap().arn().unwrap().to_string();
    assert_eq!(p.policy().unwrap().tags().len(), 1);
    iam.tag_policy()
        .policy_arn(&arn)
        .tags(tag("env", "b"))
        .send()
        .await
        .unwrap();
    let tags = iam
        .list_policy_tags()
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().len(), 2, "policy tag keys are case-sensitive");
    iam.untag_policy()
        .policy_arn(&arn)
        .tag_keys("Env")
        .send()
        .await
        .unwrap();
    assert_eq!(
        iam.get_policy()
            .policy_arn(&arn)
            .send()
            .await
            .unwrap()
            .policy()
            .unwrap()
            .tags()
            .len(),
        1
    );

    iam.create_user().user_name("u1").send().await.unwrap();
    iam.create_group().group_name("g1").send().await.unwrap();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    iam.create_role()
        .role_name("r1")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    iam.attach_user_policy()
        .user_name("u1")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    iam.attach_group_policy()
        .group_name("g1")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("r1")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    let all = iam
        .list_entities_for_policy()
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        all.policy_users()
            .iter()
            .map(|u| u.user_name().unwrap())
            .collect::<Vec<_>>(),
        ["u1"]
    );
    assert_eq!(
        all.policy_groups()
            .iter()
            .map(|g| g.group_name().unwrap())
            .collect::<Vec<_>>(),
        ["g1"]
    );
    assert_eq!(
        all.policy_roles()
            .iter()
            .map(|r| r.role_name().unwrap())
            .collect::<Vec<_>>(),
        ["r1"]
    );
    let roles_only = iam
        .list_entities_for_policy()
        .policy_arn(&arn)
        .entity_filter(EntityType::Role)
        .send()
        .await
        .unwrap();
    assert!(roles_only.policy_users().is_empty() && roles_only.policy_roles().len() == 1);
    assert_eq!(
        iam.get_policy()
            .policy_arn(&arn)
            .send()
            .await
            .unwrap()
            .policy()
            .unwrap()
            .attachment_count(),
        Some(3)
    );
    assert_eq!(
        err_code(
            iam.list_entities_for_policy()
                .policy_arn("arn:aws:iam::123456789012:policy/none")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
}
