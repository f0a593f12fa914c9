//! The credential report: not present until generated, generated at most once per 4 hours,
//! expired after that, and its CSV rows for root and users (access keys with last use, signing
//! certificates, passwords, MFA).

use crate::common::{DEV_ACCOUNT, Server, err_code, user_with_key};

const SIGNING: &str = include_str!("../fixtures/certs/signing1.pem");

/// The report's lines split into cells, header first.
async fn report(iam: &aws_sdk_iam::Client) -> (Vec<Vec<String>>, String) {
    let r = iam.get_credential_report().send().await.unwrap();
    assert_eq!(r.report_format().map(|f| f.as_str()), Some("text/csv"));
    let generated = r.generated_time().unwrap().to_string();
    let text = String::from_utf8(r.content().unwrap().as_ref().to_vec()).unwrap();
    assert!(text.ends_with('\n'));
    let rows = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (rows, generated)
}

fn row<'a>(rows: &'a [Vec<String>], user: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == user)
        .unwrap_or_else(|| panic!("no row for {user}"))
}

#[tokio::test]
async fn credential_report_lifecycle_and_rows() {
    let s = Server::dev();
    let iam = s.root_iam();

    let none = iam.get_credential_report().send().await;
    assert_eq!(err_code(none), ("ReportNotPresent".into(), 410));

    // alice: two keys, the first used once; a signing certificate. bob: nothing.
    let (key, secret) = user_with_key(&iam, "alice").await;
    let second = iam
        .create_access_key()
        .user_name("alice")
        .send()
        .await
        .unwrap();
    let second = second.access_key().unwrap().access_key_id().to_string();
    iam.update_access_key()
        .user_name("alice")
        .access_key_id(&second)
        .status(aws_sdk_iam::types::StatusType::Inactive)
        .send()
        .await
        .unwrap();
    // The call is denied (alice has no policy) but the key was still used.
    let _ = s.iam(&key, &secret).list_users().send().await;
    iam.upload_signing_certificate()
        .user_name("alice")
        .certificate_body(SIGNING)
        .send()
        .await
        .unwrap();
    iam.create_user().user_name("bob").send().await.unwrap();
    // dora: an enabled virtual MFA device.
    iam.create_user().user_name("dora").send().await.unwrap();
    let device = crate::mfa::create_device(&iam, "dora-phone").await;
    crate::mfa::enable(&iam, "dora", &device).await;
    iam.create_login_profile()
        .user_name("alice")
        .password("Qv7#wLm2-Zr9xTp")
        .send()
        .await
        .unwrap();
    iam.update_account_password_policy()
        .max_password_age(90)
        .send()
        .await
        .unwrap();

    let g = iam.generate_credential_report().send().await.unwrap();
    assert_eq!(g.state().map(|s| s.as_str()), Some("STARTED"));
    assert_eq!(
        g.description(),
        Some("No report exists. Starting a new report generation task")
    );
    let again = iam.generate_credential_report().send().await.unwrap();
    assert_eq!(again.state().map(|s| s.as_str()), Some("COMPLETE"));

    let (rows, generated) = report(&iam).await;
    assert_eq!(rows.len(), 5, "header, root, alice, bob, dora: {rows:?}");
    assert!(rows.iter().all(|r| r.len() == 22));
    assert_eq!(rows[0][0], "user");
    assert_eq!(rows[0][21], "cert_2_last_rotated");
    let root = &rows[1];
    assert_eq!(root[0], "<root_account>");
    assert_eq!(root[1], format!("arn:aws:iam::{DEV_ACCOUNT}:root"));
    assert_eq!(root[3], "not_supported");
    // AWS reports root's password use as a time or no_information, never N/A.
    assert_eq!(root[4], "no_information");
    // The dev root key is active and was used by these very calls.
    assert_eq!(root[8], "true");
    assert_ne!(root[10], "N/A");
    assert_eq!(root[12], "iam");

    let alice = row(&rows, "alice");
    assert_eq!(alice[1], format!("arn:aws:iam::{DEV_ACCOUNT}:user/alice"));
    assert!(alice[2].ends_with("+00:00"), "{}", alice[2]);
    // A password never used for a console sign-in, expiring 90 days after it was set.
    assert_eq!(alice[3..5], ["true", "no_information"]);
    let changed = chrono::DateTime::parse_from_rfc3339(&alice[5]).unwrap();
    let next = chrono::DateTime::parse_from_rfc3339(&alice[6]).unwrap();
    assert_eq!(next - changed, chrono::TimeDelta::days(90));
    assert_eq!(alice[7], "false");
    assert_eq!(alice[8], "true");
    assert!(alice[9].ends_with("+00:00"));
    assert!(alice[10].ends_with("+00:00"), "key 1 was used: {alice:?}");
    assert_eq!(
        alice[11], "eu-west-1",
        "the region the test client signs for"
    );
    assert_eq!(alice[12], "iam");
    assert_eq!(alice[13..18][0], "false");
    assert!(alice[14].ends_with("+00:00"));
    assert_eq!(alice[15..18], ["N/A", "N/A", "N/A"]);
    assert_eq!(alice[18], "true");
    assert!(alice[19].ends_with("+00:00"));
    assert_eq!(alice[20..22], ["false", "N/A"]);

    let bob = row(&rows, "bob");
    assert_eq!(
        bob[3..],
        [
            "false", "N/A", "N/A", "N/A", "false", "false", "N/A", "N/A", "N/A", "N/A", "false",
            "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"
        ]
    );

    assert_eq!(
        row(&rows, "dora")[7],
        "true",
        "dora's MFA device is enabled"
    );

    // Within 4 hours the report is kept, even though a user was added.
    iam.create_user().user_name("carol").send().await.unwrap();
    s.shift_clock(3 * 3600);
    let kept = iam.generate_credential_report().send().await.unwrap();
    assert_eq!(kept.state().map(|s| s.as_str()), Some("COMPLETE"));
    let (rows, same) = report(&iam).await;
    assert_eq!(same, generated);
    assert!(rows.iter().all(|r| r[0] != "carol"));

    // After 4 hours it has expired; generating again builds a new one.
    s.shift_clock(4 * 3600 + 60);
    let expired = iam.get_credential_report().send().await;
    assert_eq!(err_code(expired), ("ReportExpired".into(), 410));
    let g = iam.generate_credential_report().send().await.unwrap();
    assert_eq!(g.state().map(|s| s.as_str()), Some("STARTED"));
    let (rows, newer) = report(&iam).await;
    assert_ne!(newer, generated);
    assert_eq!(row(&rows, "carol")[3], "false");
}

#[tokio::test]
async fn credential_report_needs_permission_and_is_per_account() {
    let s = Server::dev();
    let iam = s.root_iam();
    let (key, secret) = user_with_key(&iam, "auditor").await;
    let auditor = s.iam(&key, &secret);
    let denied = auditor.generate_credential_report().send().await;
    assert_eq!(err_code(denied), ("AccessDenied".into(), 403));
    iam.put_user_policy()
        .user_name("auditor")
        .policy_name("report")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GetCredentialReport"],"Resource":"*"}}"#,
        )
        .send()
        .await
        .unwrap();
    auditor.generate_credential_report().send().await.unwrap();
    let (rows, _) = report(&auditor).await;
    assert_eq!(row(&rows, "auditor")[8], "true");
}
