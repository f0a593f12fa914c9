//! Roles: trust policies validated as trust policies, session duration limits, descriptions,
//! tags, inline and attached policies, boundaries and DeleteConflict.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message};
use aws_sdk_iam::types::Tag;

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;
const ALLOW: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

#[tokio::test]
async fn role_lifecycle() {
    let s = Server::dev();
    let iam = s.root_iam();
    let created = iam
        .create_role()
        .role_name("Deployer")
        .path("/ci/")
        .assume_role_policy_document(TRUST)
        .description("deploys")
        .max_session_duration(7200)
        .tags(Tag::builder().key("team").value("ops").build().unwrap())
        .send()
        .await
        .unwrap();
    let r = created.role().unwrap();
    assert_eq!(
        r.arn(),
        format!("arn:aws:iam::{DEV_ACCOUNT}:role/ci/Deployer")
    );
    assert!(r.role_id().starts_with("AROA"));
    assert_eq!(r.max_session_duration(), Some(7200));
    assert!(
        r.assume_role_policy_document()
            .unwrap()
            .starts_with("%7B%22Version%22")
    );
    assert_eq!(
        err_code(
            iam.create_role()
                .role_name("deployer")
                .assume_role_policy_document(TRUST)
                .send()
                .await
        ),
        ("EntityAlreadyExists".into(), 409)
    );

    let got = iam.get_role().role_name("Deployer").send().await.unwrap();
    let g = got.role().unwrap();
    assert_eq!(g.description(), Some("deploys"));
    assert_eq!(g.tags().len(), 1);
    assert!(
        g.role_last_used()
            .is_some_and(|l| l.last_used_date().is_none())
    );

    iam.update_role()
        .role_name("Deployer")
        .max_session_duration(43200)
        .send()
        .await
        .unwrap();
    let d = iam
        .update_role_description()
        .role_name("Deployer")
        .description("ships")
        .send()
        .await
        .unwrap();
    assert_eq!(d.role().unwrap().description(), Some("ships"));
    assert_eq!(
        iam.get_role()
            .role_name("Deployer")
            .send()
            .await
            .unwrap()
            .role()
            .unwrap()
            .max_session_duration(),
        Some(43200)
    );
    let narrower = TRUST.replace(
        "arn:aws:iam::123456789012:root",
        "arn:aws:iam::123456789012:user/ci",
    );
    iam.update_assume_role_policy()
        .role_name("Deployer")
        .policy_document(&narrower)
        .send()
        .await
        .unwrap();

    let listed = iam.list_roles().path_prefix("/ci/").send().await.unwrap();
    assert_eq!(listed.roles().len(), 1);
    assert!(
        listed.roles()[0].tags().is_empty(),
        "ListRoles leaves tags out"
    );

    iam.put_role_policy()
        .role_name("Deployer")
        .policy_name("s3")
        .policy_document(ALLOW)
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("Deployer")
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    assert_eq!(
        iam.list_role_policies()
            .role_name("Deployer")
            .send()
            .await
            .unwrap()
            .policy_names(),
        ["s3"]
    );
    assert_eq!(
        iam.list_attached_role_policies()
            .role_name("Deployer")
            .send()
            .await
            .unwrap()
            .attached_policies()
            .len(),
        1
    );
    assert_eq!(
        err_code(iam.delete_role().role_name("Deployer").send().await),
        ("DeleteConflict".into(), 409)
    );
    iam.put_role_permissions_boundary()
        .role_name("Deployer")
        .permissions_boundary("arn:aws:iam::aws:policy/PowerUserAccess")
        .send()
        .await
        .unwrap();
    let b = iam.get_role().role_name("Deployer").send().await.unwrap();
    assert_eq!(
        b.role()
            .unwrap()
            .permissions_boundary()
            .and_then(|p| p.permissions_boundary_arn()),
        Some("arn:aws:iam::aws:policy/PowerUserAccess")
    );
    iam.delete_role_permissions_boundary()
        .role_name("Deployer")
        .send()
        .await
        .unwrap();
    iam.untag_role()
        .role_name("Deployer")
        .tag_keys("TEAM")
        .send()
        .await
        .unwrap();
    assert!(
        iam.list_role_tags()
            .role_name("Deployer")
            .send()
            .await
            .unwrap()
            .tags()
            .is_empty()
    );

    iam.delete_role_policy()
        .role_name("Deployer")
        .policy_name("s3")
        .send()
        .await
        .unwrap();
    iam.detach_role_policy()
        .role_name("Deployer")
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    iam.delete_role()
        .role_name("Deployer")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(iam.get_role().role_name("Deployer").send().await),
        ("NoSuchEntity".into(), 404)
    );
}

#[tokio::test]
async fn trust_policies_and_limits_are_checked() {
    let s = Server::dev();
    let iam = s.root_iam();
    let create = |name: &str, doc: &str| {
        iam.create_role()
            .role_name(name)
            .assume_role_policy_document(doc)
            .send()
    };
    // A trust policy needs a principal; an identity policy is not one.
    assert_eq!(
        err_code(create("a", ALLOW).await),
        ("MalformedPolicyDocument".into(), 400)
    );
    assert_eq!(
        err_code(create("b", "not json").await),
        ("MalformedPolicyDocument".into(), 400)
    );
    let with_resource = TRUST.replace(
        "\"Action\":\"sts:AssumeRole\"",
        "\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"",
    );
    assert!(err_message(create("c", &with_resource).await).contains("Resource"));
    let other_action = TRUST.replace("sts:AssumeRole", "s3:GetObject");
    assert_eq!(
        err_message(create("c", &other_action).await),
        "AssumeRole policy may only specify STS AssumeRole actions."
    );
    assert_eq!(
        err_code(
            iam.create_role()
                .role_name("d")
                .assume_role_policy_document(TRUST)
                .max_session_duration(3599)
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
    assert_eq!(
        err_code(
            iam.create_role()
                .role_name("d")
                .assume_role_policy_document(TRUST)
                .max_session_duration(43201)
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
    assert_eq!(
        err_code(
            iam.create_role()
                .role_name("x".repeat(65))
                .assume_role_policy_document(TRUST)
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
    create("ok", TRUST).await.unwrap();
    // The inline quota of a role is 10,240 characters.
    let resources: Vec<String> = (0..150)
        .map(|i| format!("\"arn:aws:s3:::bucket-{i:04}/*\""))
        .collect();
    let big = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"s3:GetObject","Resource":[{}]}}}}"#,
        resources.join(",")
    );
    assert!(big.len() > 2048 && big.len() < 10240);
    iam.put_role_policy()
        .role_name("ok")
        .policy_name("big")
        .policy_document(&big)
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(
            iam.put_role_policy()
                .role_name("nope")
                .policy_name("p")
                .policy_document(ALLOW)
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
}
