//! Service-linked roles: names, paths and trust policies as AWS makes them, custom suffixes,
//! protection from the ordinary role operations, deletion tasks.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message, url_decode};

const EB: &str = "elasticbeanstalk.amazonaws.com";
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const DOC: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;

#[tokio::test]
async fn create_names_paths_and_trusts_as_aws() {
    let s = Server::dev();
    let iam = s.root_iam();
    let out = iam
        .create_service_linked_role()
        .aws_service_name(EB)
        .send()
        .await
        .unwrap();
    let r = out.role().unwrap();
    assert_eq!(r.role_name(), "AWSServiceRoleForElasticBeanstalk");
    assert_eq!(r.path(), format!("/aws-service-role/{EB}/"));
    assert_eq!(
        r.arn(),
        format!(
            "arn:aws:iam::{DEV_ACCOUNT}:role/aws-service-role/{EB}/AWSServiceRoleForElasticBeanstalk"
        )
    );
    assert!(r.role_id().starts_with("AROA"));
    assert_eq!(r.max_session_duration(), Some(3600));
    assert_eq!(r.description(), None);
    let trust: serde_json::Value =
        serde_json::from_str(&url_decode(r.assume_role_policy_document().unwrap())).unwrap();
    assert_eq!(
        trust["Statement"][0],
        serde_json::json!({"Effect": "Allow", "Principal": {"Service": EB}, "Action": "sts:AssumeRole"})
    );
    let got = iam
        .get_role()
        .role_name("AWSServiceRoleForElasticBeanstalk")
        .send()
        .await
        .unwrap();
    assert_eq!(got.role().unwrap().role_id(), r.role_id());
    assert!(got.role().unwrap().role_last_used().is_some());
    let listed = iam
        .list_roles()
        .path_prefix("/aws-service-role/")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.roles().len(), 1);

    // Taken names are InvalidInput, as AWS words it.
    let again = iam
        .create_service_linked_role()
        .aws_service_name(EB)
        .send()
        .await;
    assert_eq!(
        err_message(
            iam.create_service_linked_role()
                .aws_service_name(EB)
                .send()
                .await
        ),
        "Service role name AWSServiceRoleForElasticBeanstalk has been taken in this account, please try a different suffix."
    );
    assert_eq!(err_code(again), ("InvalidInput".into(), 400));

    // Suffixes only where the service allows them.
    let suffixed = iam
        .create_service_linked_role()
        .aws_service_name(EB)
        .custom_suffix("blue")
        .send()
        .await;
    assert_eq!(
        err_message(suffixed),
        format!("Custom suffix is not allowed for {EB}")
    );
    let asg = iam
        .create_service_linked_role()
        .aws_service_name("autoscaling.amazonaws.com")
        .custom_suffix("blue")
        .description("fleet blue")
        .send()
        .await
        .unwrap();
    let asg = asg.role().unwrap();
    assert_eq!(asg.role_name(), "AWSServiceRoleForAutoScaling_blue");
    assert_eq!(asg.path(), "/aws-service-role/autoscaling.amazonaws.com/");
    assert_eq!(asg.description(), Some("fleet blue"));

    // AWS's own names and default descriptions.
    let rds = iam
        .create_service_linked_role()
        .aws_service_name("rds.amazonaws.com")
        .send()
        .await
        .unwrap();
    assert_eq!(rds.role().unwrap().role_name(), "AWSServiceRoleForRDS");
    assert_eq!(
        rds.role().unwrap().description(),
        Some("Allows Amazon RDS to manage AWS resources on your behalf")
    );
    let connect = iam
        .create_service_linked_role()
        .aws_service_name("connect.amazonaws.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        connect.role().unwrap().role_name(),
        "AWSServiceRoleForAmazonConnect"
    );

    let bad = iam
        .create_service_linked_role()
        .aws_service_name("example.com")
        .send()
        .await;
    assert_eq!(err_code(bad), ("InvalidInput".into(), 400));
    // The path is reserved: CreateRole cannot make a role look service-linked.
    let fake = iam
        .create_role()
        .role_name("Fake")
        .path(format!("/aws-service-role/{EB}/"))
        .assume_role_policy_document(TRUST)
        .send()
        .await;
    assert_eq!(err_code(fake), ("InvalidInput".into(), 400));
}

#[tokio::test]
async fn protected_from_ordinary_role_operations() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_service_linked_role()
        .aws_service_name("batch.amazonaws.com")
        .send()
        .await
        .unwrap();
    let name = "AWSServiceRoleForBatch";
    let protected = format!(
        "Cannot perform the operation on the protected role '{name}' - this role is only modifiable by AWS"
    );
    let del = iam.delete_role().role_name(name).send().await;
    assert_eq!(err_message(del), protected);
    let del = iam.delete_role().role_name(name).send().await;
    assert_eq!(err_code(del), ("UnmodifiableEntity".into(), 400));
    let trust = iam
        .update_assume_role_policy()
        .role_name(name)
        .policy_document(TRUST)
        .send()
        .await;
    assert_eq!(err_message(trust), protected);
    let put = iam
        .put_role_policy()
        .role_name(name)
        .policy_name("p")
        .policy_document(DOC)
        .send()
        .await;
    assert_eq!(err_code(put), ("UnmodifiableEntity".into(), 400));
    let attach = iam
        .attach_role_policy()
        .role_name(name)
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await;
    assert_eq!(err_code(attach), ("UnmodifiableEntity".into(), 400));
    let boundary = iam
        .put_role_permissions_boundary()
        .role_name(name)
        .permissions_boundary("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await;
    assert_eq!(err_code(boundary), ("UnmodifiableEntity".into(), 400));
    let got = iam.get_role().role_name(name).send().await.unwrap();
    assert!(
        url_decode(got.role().unwrap().assume_role_policy_document().unwrap())
            .contains("batch.amazonaws.com"),
        "trust policy unchanged"
    );
    // Ordinary roles are unaffected.
    iam.create_role()
        .role_name("plain")
        .assume_role_policy_document(TRUST)
        .send()
        .await
        .unwrap();
    iam.update_assume_role_policy()
        .role_name("plain")
        .policy_document(TRUST)
        .send()
        .await
        .unwrap();
    iam.delete_role().role_name("plain").send().await.unwrap();
}

#[tokio::test]
async fn deletion_tasks() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_service_linked_role()
        .aws_service_name("batch.amazonaws.com")
        .send()
        .await
        .unwrap();
    let out = iam
        .delete_service_linked_role()
        .role_name("AWSServiceRoleForBatch")
        .send()
        .await
        .unwrap();
    let task = out.deletion_task_id();
    let prefix = "task/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch/";
    assert!(task.starts_with(prefix), "{task}");
    let uuid = &task[prefix.len()..];
    assert_eq!(uuid.len(), 36, "{uuid}");
    assert_eq!(uuid.matches('-').count(), 4);
    assert_eq!(
        err_code(
            iam.get_role()
                .role_name("AWSServiceRoleForBatch")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    let status = iam
        .get_service_linked_role_deletion_status()
        .deletion_task_id(task)
        .send()
        .await
        .unwrap();
    assert_eq!(status.status().as_str(), "SUCCEEDED");
    assert!(status.reason().is_none());

    let unknown = iam
        .get_service_linked_role_deletion_status()
        .deletion_task_id(format!("{prefix}00000000-0000-4000-8000-000000000000"))
        .send()
        .await;
    assert_eq!(err_code(unknown), ("NoSuchEntity".into(), 404));
    let gone = iam
        .delete_service_linked_role()
        .role_name("AWSServiceRoleForBatch")
        .send()
        .await;
    assert_eq!(err_code(gone), ("NoSuchEntity".into(), 404));
    // An ordinary role is not deleted through DeleteServiceLinkedRole.
    iam.create_role()
        .role_name("plain")
        .assume_role_policy_document(TRUST)
        .send()
        .await
        .unwrap();
    let plain = iam
        .delete_service_linked_role()
        .role_name("plain")
        .send()
        .await;
    assert_eq!(err_code(plain), ("NoSuchEntity".into(), 404));
    iam.get_role().role_name("plain").send().await.unwrap();
    // The name is free again.
    iam.create_service_linked_role()
        .aws_service_name("batch.amazonaws.com")
        .send()
        .await
        .unwrap();
}
