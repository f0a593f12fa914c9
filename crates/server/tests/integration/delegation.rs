//! Delegation requests and role templates, which no account here has.

use crate::common::{Server, err_code};
use crate::raw::{Signing, send, signed_post};
use aws_sdk_iam::types::DelegationPermission;

const ID: &str = "dr-0123456789abcdef";

#[tokio::test]
async fn delegation_requests_do_not_exist() {
    let s = Server::dev();
    let iam = s.root_iam();
    let missing = || ("NoSuchEntity".to_string(), 404);
    let listed = iam.list_delegation_requests().send().await.unwrap();
    assert!(listed.delegation_requests().is_empty());
    assert!(!listed.is_truncated());
    // The model spells this operation's flag in lower camel case.
    let raw = send(
        &s.addr,
        &signed_post(
            &s.addr,
            b"Action=ListDelegationRequests&Version=2010-05-08",
            &Signing::root("iam"),
        ),
    );
    assert_eq!(raw.status, 200, "{}", raw.body);
    assert!(
        raw.body.contains("<isTruncated>false</isTruncated>"),
        "{}",
        raw.body
    );

    assert_eq!(
        err_code(
            iam.get_delegation_request()
                .delegation_request_id(ID)
                .send()
                .await
        ),
        missing()
    );
    assert_eq!(
        err_code(
            iam.accept_delegation_request()
                .delegation_request_id(ID)
                .send()
                .await
        ),
        missing()
    );
    assert_eq!(
        err_code(
            iam.associate_delegation_request()
                .delegation_request_id(ID)
                .send()
                .await
        ),
        missing()
    );
    assert_eq!(
        err_code(
            iam.reject_delegation_request()
                .delegation_request_id(ID)
                .notes("no thanks")
                .send()
                .await
        ),
        missing()
    );
    assert_eq!(
        err_code(
            iam.update_delegation_request()
                .delegation_request_id(ID)
                .send()
                .await
        ),
        missing()
    );
    assert_eq!(
        err_code(
            iam.send_delegation_token()
                .delegation_request_id(ID)
                .send()
                .await
        ),
        missing()
    );
    // Ids are checked against the model first.
    assert_eq!(
        err_code(
            iam.get_delegation_request()
                .delegation_request_id("short")
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
    assert_eq!(
        err_code(
            iam.create_delegation_request()
                .description("onboarding")
                .permissions(
                    DelegationPermission::builder()
                        .policy_template_arn("arn:aws:iam::aws:policy-template/Example")
                        .build()
                )
                .requestor_workflow_id("workflow-1")
                .notification_channel("arn:aws:sns:us-east-1:123456789012:topic")
                .session_duration(3600)
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );
}

#[tokio::test]
async fn summaries_and_role_templates_do_not_exist() {
    let s = Server::dev();
    let iam = s.root_iam();
    assert_eq!(
        err_code(
            iam.get_human_readable_summary()
                .entity_arn(format!("arn:aws:iam::123456789012:delegation-request/{ID}"))
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    assert_eq!(
        err_code(
            iam.get_human_readable_summary()
                .entity_arn("arn:aws:iam::123456789012:user/alice")
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );
    let template = "arn:aws:iam::aws:role-template/ExampleTemplate";
    assert_eq!(
        err_code(
            iam.get_role_template_version()
                .template_arn(template)
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    assert_eq!(
        err_code(iam.acquire_role().template_arn(template).send().await),
        ("NoSuchEntity".into(), 404)
    );
    assert_eq!(
        err_code(
            iam.acquire_role()
                .template_arn("not-an-arn-of-any-kind")
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );
}
