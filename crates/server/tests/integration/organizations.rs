//! Organizations features, as an account outside any organization sees them.

use crate::common::{Server, err_code, err_message};
use aws_sdk_iam::types::JobStatusType;

#[tokio::test]
async fn root_access_features_need_an_organization() {
    let s = Server::dev();
    let iam = s.root_iam();
    let not_found = || ("OrganizationNotFoundException".to_string(), 400);
    assert_eq!(
        err_code(iam.list_organizations_features().send().await),
        not_found()
    );
    assert_eq!(
        err_code(
            iam.enable_organizations_root_credentials_management()
                .send()
                .await
        ),
        not_found()
    );
    assert_eq!(
        err_code(
            iam.disable_organizations_root_credentials_management()
                .send()
                .await
        ),
        not_found()
    );
    assert_eq!(
        err_code(iam.enable_organizations_root_sessions().send().await),
        not_found()
    );
    assert!(
        err_message(iam.disable_organizations_root_sessions().send().await)
            .contains("no organization is associated with your account")
    );
}

#[tokio::test]
async fn organizations_access_reports_fail_without_an_organization() {
    let s = Server::dev();
    let iam = s.root_iam();
    let job = iam
        .generate_organizations_access_report()
        .entity_path("o-a1b2c3d4e5/r-f6g7h8i9j0example")
        .organizations_policy_id("p-12345678")
        .send()
        .await
        .unwrap();
    let id = job.job_id().unwrap();
    assert_eq!(id.len(), 36);
    let report = iam
        .get_organizations_access_report()
        .job_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(report.job_status(), &JobStatusType::Failed);
    assert!(report.job_completion_date().is_some());
    assert!(report.access_details().is_empty());
    let e = report.error_details().unwrap();
    assert_eq!(e.code(), "OrganizationNotFoundException");

    // An unknown job does not exist.
    assert_eq!(
        err_code(
            iam.get_organizations_access_report()
                .job_id("00000000-0000-0000-0000-000000000000")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    // The entity path must be an Organizations path.
    assert_eq!(
        err_code(
            iam.generate_organizations_access_report()
                .entity_path("not-an-organizations-path")
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
}
