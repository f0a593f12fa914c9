//! AWS's whole managed-policy catalogue (listed, readable, attachable, enforced with its full
//! documents) and the whole service catalogue behind service last accessed reports.

use crate::common::{DEV_ACCOUNT, Server, user_with_key};
use aws_sdk_iam::types::PolicyScopeType;

#[tokio::test]
async fn every_aws_managed_policy_is_listed_attachable_and_enforced() {
    let s = Server::dev();
    let iam = s.root_iam();
    // Scope=AWS pages through the whole catalogue.
    let mut names = Vec::new();
    let mut marker = None;
    loop {
        let page = iam
            .list_policies()
            .scope(PolicyScopeType::Aws)
            .max_items(1000)
            .set_marker(marker)
            .send()
            .await
            .unwrap();
        names.extend(page.policies().iter().map(|p| p.arn().unwrap().to_string()));
        marker = page.marker().map(str::to_string);
        if !page.is_truncated() {
            break;
        }
    }
    assert!(names.len() > 1000, "{} AWS managed policies", names.len());
    for wanted in [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ] {
        assert!(names.iter().any(|n| n == wanted), "{wanted} listed");
    }

    // Application roles attach them as provisioning tools do.
    iam.create_role()
        .role_name("app")
        .assume_role_policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        )
        .send()
        .await
        .unwrap();
    for arn in [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ] {
        iam.attach_role_policy()
            .role_name("app")
            .policy_arn(arn)
            .send()
            .await
            .unwrap();
    }
    let attached = iam
        .list_attached_role_policies()
        .role_name("app")
        .send()
        .await
        .unwrap();
    assert_eq!(attached.attached_policies().len(), 3);

    // The full document is served and enforced.
    let lambda = iam
        .get_policy()
        .policy_arn("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
        .send()
        .await
        .unwrap();
    let version = lambda
        .policy()
        .unwrap()
        .default_version_id()
        .unwrap()
        .to_string();
    let doc = iam
        .get_policy_version()
        .policy_arn("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
        .version_id(version)
        .send()
        .await
        .unwrap();
    let text = crate::common::url_decode(doc.policy_version().unwrap().document().unwrap());
    assert!(text.contains("logs:PutLogEvents"), "{text}");

    let (key, secret) = user_with_key(&iam, "reader").await;
    iam.attach_user_policy()
        .user_name("reader")
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    let reader = s.iam(&key, &secret);
    reader.list_roles().send().await.unwrap();
    let r = reader.create_user().user_name("nope").send().await;
    assert_eq!(crate::common::err_code(r).0, "AccessDenied");
}

#[tokio::test]
async fn service_last_accessed_lists_every_service_a_policy_allows() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("admin").send().await.unwrap();
    iam.attach_user_policy()
        .user_name("admin")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .unwrap();
    let job = iam
        .generate_service_last_accessed_details()
        .arn(format!("arn:aws:iam::{DEV_ACCOUNT}:user/admin"))
        .send()
        .await
        .unwrap();
    let id = job.job_id().unwrap().to_string();
    let mut namespaces = Vec::new();
    let mut marker = None;
    loop {
        let page = iam
            .get_service_last_accessed_details()
            .job_id(&id)
            .max_items(1000)
            .set_marker(marker)
            .send()
            .await
            .unwrap();
        namespaces.extend(
            page.services_last_accessed()
                .iter()
                .map(|x| x.service_namespace().to_string()),
        );
        marker = page.marker().map(str::to_string);
        if !page.is_truncated() {
            break;
        }
    }
    assert!(namespaces.len() > 400, "{} services", namespaces.len());
    for ns in ["bedrock", "sagemaker", "iam", "s3"] {
        assert!(namespaces.iter().any(|n| n == ns), "{ns}");
    }
}
