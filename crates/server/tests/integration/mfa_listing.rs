//! Virtual MFA device listings: pages by assignment status, the per-user device quota, and role
//! sessions that must name the user whose devices they list (devices are made and enabled with
//! `mfa.rs`'s helpers).

use crate::common::{Server, err_code, err_message, user_with_key};
use crate::mfa::{Device, create_device, enable};
use aws_sdk_iam::types::AssignmentStatusType;

#[tokio::test]
async fn listing_pages_by_assignment_and_the_per_user_quota() {
    let s = Server::dev();
    let root = s.root_iam();
    root.create_user().user_name("carol").send().await.unwrap();
    let mut devices = Vec::new();
    for i in 0..10 {
        devices.push(create_device(&root, &format!("dev{i:02}")).await);
    }
    // Eight devices per user; the ninth is over the quota.
    for d in &devices[..8] {
        enable(&root, "carol", d).await;
    }
    let now = Device::now_step();
    let r = root
        .enable_mfa_device()
        .user_name("carol")
        .serial_number(&devices[8].serial)
        .authentication_code1(devices[8].code_of_step(now - 1))
        .authentication_code2(devices[8].code_of_step(now))
        .send()
        .await;
    assert_eq!(err_code(r), ("LimitExceeded".into(), 409));
    for d in &devices[..6] {
        root.deactivate_mfa_device()
            .user_name("carol")
            .serial_number(&d.serial)
            .send()
            .await
            .unwrap();
    }
    // Now dev06 and dev07 are assigned; eight are not.
    async fn all_pages(
        iam: &aws_sdk_iam::Client,
        status: AssignmentStatusType,
        max: i32,
    ) -> Vec<Vec<String>> {
        let mut pages = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let out = iam
                .list_virtual_mfa_devices()
                .assignment_status(status.clone())
                .max_items(max)
                .set_marker(marker.clone())
                .send()
                .await
                .unwrap();
            pages.push(
                out.virtual_mfa_devices()
                    .iter()
                    .map(|d| d.serial_number().rsplit('/').next().unwrap().to_string())
                    .collect(),
            );
            assert_eq!(out.is_truncated(), out.marker().is_some());
            if !out.is_truncated() {
                return pages;
            }
            marker = out.marker().map(str::to_string);
        }
    }
    let assigned = all_pages(&root, AssignmentStatusType::Assigned, 1).await;
    assert_eq!(assigned, [vec!["dev06"], vec!["dev07"]]);
    let unassigned = all_pages(&root, AssignmentStatusType::Unassigned, 3).await;
    assert_eq!(
        unassigned,
        [
            vec!["dev00", "dev01", "dev02"],
            vec!["dev03", "dev04", "dev05"],
            vec!["dev08", "dev09"]
        ]
    );
    let any = all_pages(&root, AssignmentStatusType::Any, 4).await;
    assert_eq!(any.len(), 3);
    assert_eq!(any.concat().len(), 10);
    let out = root.list_virtual_mfa_devices().send().await.unwrap();
    let assigned_users: Vec<&str> = out
        .virtual_mfa_devices()
        .iter()
        .filter_map(|d| d.user().map(|u| u.user_name()))
        .collect();
    assert_eq!(assigned_users, ["carol", "carol"]);
    // ListMFADevices pages too.
    let first = root
        .list_mfa_devices()
        .user_name("carol")
        .max_items(1)
        .send()
        .await
        .unwrap();
    assert!(first.is_truncated());
    let second = root
        .list_mfa_devices()
        .user_name("carol")
        .marker(first.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert!(!second.is_truncated());
    assert_eq!(first.mfa_devices().len() + second.mfa_devices().len(), 2);
}

#[tokio::test]
async fn role_sessions_must_name_the_user_whose_devices_they_list() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = user_with_key(&root, "frank").await;
    let session = crate::common::role_session_of(
        &s,
        (&ak, &sk),
        "frank",
        "lister",
        r#"{"Effect":"Allow","Action":"iam:ListMFADevices","Resource":"*"}"#,
    )
    .await;
    let r = session.list_mfa_devices().send().await;
    assert_eq!(
        err_message(r),
        "Must specify userName when calling with non-User credentials"
    );
    let named = session
        .list_mfa_devices()
        .user_name("frank")
        .send()
        .await
        .unwrap();
    assert!(named.mfa_devices().is_empty());
}
