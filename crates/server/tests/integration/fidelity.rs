//! Answers checked against what AWS answers (its recorded responses and documentation): shapes
//! that must carry an empty list, members AWS leaves out of listings, and AWS's exact wording
//! for a few errors.

use crate::common::{Server, err_code, err_message};

const SIGNING: [&str; 3] = [
    include_str!("../fixtures/certs/signing1.pem"),
    include_str!("../fixtures/certs/signing2.pem"),
    include_str!("../fixtures/certs/signing3.pem"),
];

#[tokio::test]
async fn single_entity_answers_carry_empty_tag_lists() {
    let s = Server::dev();
    let iam = s.root_iam();
    let p = iam
        .create_policy()
        .policy_name("p")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}"#,
        )
        .send()
        .await
        .unwrap();
    let arn = p.policy().unwrap().arn().unwrap().to_string();
    for arn in [arn.as_str(), "arn:aws:iam::aws:policy/ReadOnlyAccess"] {
        let got = iam.get_policy().policy_arn(arn).send().await.unwrap();
        assert_eq!(got.policy().unwrap().tags(), &[], "{arn}");
        assert!(got.policy().unwrap().tags.is_some(), "{arn}: Tags present");
    }
    iam.create_instance_profile()
        .instance_profile_name("ip")
        .send()
        .await
        .unwrap();
    let ip = iam
        .get_instance_profile()
        .instance_profile_name("ip")
        .send()
        .await
        .unwrap();
    assert!(ip.instance_profile().unwrap().tags.is_some());
}

#[tokio::test]
async fn listings_leave_out_permissions_boundaries() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user()
        .user_name("bounded")
        .permissions_boundary("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    let listed = iam.list_users().send().await.unwrap();
    assert!(listed.users()[0].permissions_boundary().is_none());
    let got = iam.get_user().user_name("bounded").send().await.unwrap();
    assert!(got.user().unwrap().permissions_boundary().is_some());
}

#[tokio::test]
async fn errors_use_aws_wording() {
    let s = Server::dev();
    let iam = s.root_iam();
    assert_eq!(
        err_message(iam.delete_account_password_policy().send().await),
        "The account policy with name PasswordPolicy cannot be found."
    );
    let r = iam.create_user().user_name("u").path("abc").send().await;
    assert_eq!(
        err_message(r),
        "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."
    );
    iam.create_user().user_name("signer").send().await.unwrap();
    for (i, body) in SIGNING.iter().enumerate() {
        let r = iam
            .upload_signing_certificate()
            .user_name("signer")
            .certificate_body(*body)
            .send()
            .await;
        if i < 2 {
            r.unwrap();
        } else {
            assert_eq!(
                err_message(r),
                "Cannot exceed quota for CertificatesPerUser: 2"
            );
        }
    }
    let role = iam
        .create_service_linked_role()
        .aws_service_name("custom-resource.application-autoscaling.amazonaws.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        role.role().unwrap().role_name(),
        "AWSServiceRoleForApplicationAutoScaling_CustomResource"
    );
}

/// A one-byte certificate body used to hang the server for good.
#[tokio::test]
async fn a_truncated_certificate_is_refused_at_once() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("signer").send().await.unwrap();
    let r = iam
        .upload_signing_certificate()
        .user_name("signer")
        .certificate_body("-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----")
        .send()
        .await;
    assert_eq!(err_code(r), ("MalformedCertificate".into(), 400));
    iam.list_users().send().await.unwrap();
}

/// Markers are opaque: one the server did not hand out is refused, as AWS refuses it.
#[tokio::test]
async fn markers_the_server_did_not_hand_out_are_invalid() {
    let s = Server::dev();
    let iam = s.root_iam();
    let r = iam.list_virtual_mfa_devices().marker("100").send().await;
    assert_eq!(err_code(r), ("ValidationError".into(), 400));
    let r = iam.list_users().marker("alice").send().await;
    assert_eq!(err_message(r), "Invalid Marker.");
    // Markers handed out page as before.
    for name in ["u1", "u2", "u3"] {
        iam.create_user().user_name(name).send().await.unwrap();
    }
    let first = iam.list_users().max_items(2).send().await.unwrap();
    let next = iam
        .list_users()
        .marker(first.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(next.users().len(), 1);
    assert_eq!(next.users()[0].user_name(), "u3");
}
