//! Virtual MFA devices: creation (seed and QR code PNG), enabling with two consecutive codes,
//! listings and their pages, tags, conflicts and quotas; and MFA in STS: GetSessionToken and
//! AssumeRole with a code computed here from the seed, MFA conditions, replayed codes. The
//! server's clock is shifted to reach the next time step instead of sleeping.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message, user_with_key};
use aws_sdk_iam::types::{AssignmentStatusType, SummaryKeyType, Tag};

/// Decodes RFC 4648 base32 (no padding), independently of the server's encoder.
fn base32_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => panic!("not base32: {c}"),
        };
        buffer = (buffer << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

/// The text of the QR code in a PNG image.
fn qr_text(png_bytes: &[u8]) -> String {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes.to_vec()))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    grids[0].decode().unwrap().1
}

/// A virtual device as the test knows it: its serial number and seed.
pub(crate) struct Device {
    serial: String,
    seed: Vec<u8>,
}

impl Device {
    /// The code of the step `offset` seconds from now (the server's clock shifted by `offset`).
    fn code(&self, offset: i64) -> String {
        self.code_of_step((chrono::Utc::now().timestamp() + offset).div_euclid(30))
    }

    fn code_of_step(&self, step: i64) -> String {
        portcullis_core::mfa::code(&self.seed, step)
    }

    fn now_step() -> i64 {
        chrono::Utc::now().timestamp().div_euclid(30)
    }
}

pub(crate) async fn create_device(iam: &aws_sdk_iam::Client, name: &str) -> Device {
    let out = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name(name)
        .send()
        .await
        .unwrap();
    let d = out.virtual_mfa_device().unwrap();
    let seed_text = String::from_utf8(d.base32_string_seed().unwrap().as_ref().to_vec()).unwrap();
    Device {
        serial: d.serial_number().to_string(),
        seed: base32_decode(&seed_text),
    }
}

/// Enables `d` for `user` with the codes of the previous and the current step; returns the
/// current step (whose code is then spent).
pub(crate) async fn enable(iam: &aws_sdk_iam::Client, user: &str, d: &Device) -> i64 {
    let now = Device::now_step();
    iam.enable_mfa_device()
        .user_name(user)
        .serial_number(&d.serial)
        .authentication_code1(d.code_of_step(now - 1))
        .authentication_code2(d.code_of_step(now))
        .send()
        .await
        .unwrap();
    now
}

fn doc(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

#[tokio::test]
async fn creation_returns_a_64_character_seed_and_a_png_qr_code() {
    let s = Server::dev();
    let root = s.root_iam();
    let out = root
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("alice-phone")
        .path("/team/")
        .tags(Tag::builder().key("owner").value("alice").build().unwrap())
        .send()
        .await
        .unwrap();
    let d = out.virtual_mfa_device().unwrap();
    assert_eq!(
        d.serial_number(),
        format!("arn:aws:iam::{DEV_ACCOUNT}:mfa/team/alice-phone")
    );
    let seed = d.base32_string_seed().unwrap().as_ref();
    assert_eq!(seed.len(), 64);
    assert!(
        seed.iter()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(b))
    );
    assert_eq!(base32_decode(std::str::from_utf8(seed).unwrap()).len(), 40);
    let png = d.qr_code_png().unwrap().as_ref();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // The first chunk is IHDR: 13 bytes, a square 8-bit grayscale image.
    assert_eq!(&png[8..16], b"\x00\x00\x00\x0dIHDR");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!(width, height);
    assert!(width >= 100, "{width}");
    assert_eq!((png[24], png[25]), (8, 0));
    assert!(png.ends_with(b"IEND\xae\x42\x60\x82"));
    // The QR code is the otpauth URI of the seed, labelled with the account id...
    let seed_text = std::str::from_utf8(seed).unwrap();
    assert_eq!(
        qr_text(png),
        format!("otpauth://totp/alice-phone@{DEV_ACCOUNT}?secret={seed_text}")
    );
    // ...or with the account alias once there is one.
    root.create_account_alias()
        .account_alias("example-corp")
        .send()
        .await
        .unwrap();
    let out2 = root
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("bob-phone")
        .send()
        .await
        .unwrap();
    let d2 = out2.virtual_mfa_device().unwrap();
    let seed2 = std::str::from_utf8(d2.base32_string_seed().unwrap().as_ref()).unwrap();
    assert_ne!(seed2, seed_text);
    assert_eq!(
        qr_text(d2.qr_code_png().unwrap().as_ref()),
        format!("otpauth://totp/bob-phone@example-corp?secret={seed2}")
    );
    root.delete_virtual_mfa_device()
        .serial_number(d2.serial_number())
        .send()
        .await
        .unwrap();

    // Names are unique in the account, whatever the path.
    let r = root
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("alice-phone")
        .send()
        .await;
    assert_eq!(err_code(r), ("EntityAlreadyExists".into(), 409));
    // The seed is never shown again: listings carry the serial number only.
    let list = root.list_virtual_mfa_devices().send().await.unwrap();
    let [only] = list.virtual_mfa_devices() else {
        panic!("{list:?}")
    };
    assert_eq!(only.serial_number(), d.serial_number());
    assert!(only.base32_string_seed().is_none() && only.qr_code_png().is_none());
    assert!(only.user().is_none() && only.enable_date().is_none());
    // Tags given at creation, then changed.
    let serial = d.serial_number();
    let tags = root
        .list_mfa_device_tags()
        .serial_number(serial)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags()[0].key(), "owner");
    root.tag_mfa_device()
        .serial_number(serial)
        .tags(Tag::builder().key("k2").value("v2").build().unwrap())
        .send()
        .await
        .unwrap();
    root.untag_mfa_device()
        .serial_number(serial)
        .tag_keys("owner")
        .send()
        .await
        .unwrap();
    let tags = root
        .list_mfa_device_tags()
        .serial_number(serial)
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = tags.tags().iter().map(|t| t.key()).collect();
    assert_eq!(keys, ["k2"]);
    let many: Vec<Tag> = (0..50)
        .map(|i| {
            Tag::builder()
                .key(format!("t{i}"))
                .value("v")
                .build()
                .unwrap()
        })
        .collect();
    let r = root
        .tag_mfa_device()
        .serial_number(serial)
        .set_tags(Some(many))
        .send()
        .await;
    assert_eq!(err_code(r), ("LimitExceeded".into(), 409));
    let ghost = format!("arn:aws:iam::{DEV_ACCOUNT}:mfa/ghost");
    let r = root
        .list_mfa_device_tags()
        .serial_number(&ghost)
        .send()
        .await;
    assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));
    let r = root
        .tag_mfa_device()
        .serial_number(&ghost)
        .tags(Tag::builder().key("k").value("v").build().unwrap())
        .send()
        .await;
    assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));
}

#[tokio::test]
async fn enable_list_resync_deactivate_and_delete() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = user_with_key(&root, "alice").await;
    let d = create_device(&root, "alice-phone").await;
    let now = Device::now_step();
    let try_enable = |c1: String, c2: String| {
        root.enable_mfa_device()
            .user_name("alice")
            .serial_number(&d.serial)
            .authentication_code1(c1)
            .authentication_code2(c2)
            .send()
    };
    // Wrong, swapped, not consecutive, too old.
    for (c1, c2) in [
        ("000000".to_string(), "111111".to_string()),
        (d.code_of_step(now), d.code_of_step(now - 1)),
        (d.code_of_step(now - 2), d.code_of_step(now)),
        (d.code_of_step(now - 40), d.code_of_step(now - 39)),
    ] {
        let r = try_enable(c1, c2).await;
        assert_eq!(err_code(r), ("InvalidAuthenticationCode".into(), 403));
    }
    let r = root
        .enable_mfa_device()
        .user_name("nobody")
        .serial_number(&d.serial)
        .authentication_code1(d.code_of_step(now - 1))
        .authentication_code2(d.code_of_step(now))
        .send()
        .await;
    assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));
    let r = root
        .enable_mfa_device()
        .user_name("alice")
        .serial_number(format!("arn:aws:iam::{DEV_ACCOUNT}:mfa/ghost"))
        .authentication_code1(d.code_of_step(now - 1))
        .authentication_code2(d.code_of_step(now))
        .send()
        .await;
    assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));
    try_enable(d.code_of_step(now - 1), d.code_of_step(now))
        .await
        .unwrap();
    // Assigned already (to anyone).
    root.create_user().user_name("bob").send().await.unwrap();
    let r = root
        .enable_mfa_device()
        .user_name("bob")
        .serial_number(&d.serial)
        .authentication_code1(d.code_of_step(now))
        .authentication_code2(d.code_of_step(now + 1))
        .send()
        .await;
    assert_eq!(err_code(r), ("EntityAlreadyExists".into(), 409));

    // The listings show the assignment.
    let v = root
        .list_virtual_mfa_devices()
        .assignment_status(AssignmentStatusType::Assigned)
        .send()
        .await
        .unwrap();
    let [dev] = v.virtual_mfa_devices() else {
        panic!("{v:?}")
    };
    let user = dev.user().unwrap();
    assert_eq!(user.user_name(), "alice");
    assert_eq!(user.arn(), format!("arn:aws:iam::{DEV_ACCOUNT}:user/alice"));
    assert!(user.user_id().starts_with("AIDA"));
    assert!(dev.enable_date().is_some());
    let unassigned = root
        .list_virtual_mfa_devices()
        .assignment_status(AssignmentStatusType::Unassigned)
        .send()
        .await
        .unwrap();
    assert!(unassigned.virtual_mfa_devices().is_empty());
    let mine = root
        .list_mfa_devices()
        .user_name("alice")
        .send()
        .await
        .unwrap();
    let [m] = mine.mfa_devices() else {
        panic!("{mine:?}")
    };
    assert_eq!(
        (m.user_name(), m.serial_number()),
        ("alice", d.serial.as_str())
    );
    // Alice lists her own without naming herself.
    let alice = s.iam(&ak, &sk);
    root.put_user_policy()
        .user_name("alice")
        .policy_name("self")
        .policy_document(doc(
            r#"{"Effect":"Allow","Action":["iam:ListMFADevices","iam:GetMFADevice"],"Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    let own = alice.list_mfa_devices().send().await.unwrap();
    assert_eq!(own.mfa_devices().len(), 1);
    let got = alice
        .get_mfa_device()
        .serial_number(&d.serial)
        .send()
        .await
        .unwrap();
    assert_eq!(got.user_name(), Some("alice"));
    assert_eq!(got.serial_number(), d.serial);
    assert!(got.enable_date().is_some());
    let r = root
        .get_mfa_device()
        .serial_number(&d.serial)
        .user_name("bob")
        .send()
        .await;
    assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));
    let summary = root.get_account_summary().send().await.unwrap();
    let map = summary.summary_map().unwrap();
    assert_eq!(map.get(&SummaryKeyType::MfaDevices), Some(&1));
    assert_eq!(map.get(&SummaryKeyType::MfaDevicesInUse), Some(&1));
    assert_eq!(map.get(&SummaryKeyType::AccountMfaEnabled), Some(&0));

    // Resync finds codes of a device whose clock runs 10 minutes behind, and STS then
    // expects codes on that clock.
    let resync = |c1: String, c2: String| {
        root.resync_mfa_device()
            .user_name("alice")
            .serial_number(&d.serial)
            .authentication_code1(c1)
            .authentication_code2(c2)
            .send()
    };
    let r = resync("123456".into(), "654321".into()).await;
    assert_eq!(err_code(r), ("InvalidAuthenticationCode".into(), 403));
    let behind = Device::now_step() - 20;
    resync(d.code_of_step(behind - 1), d.code_of_step(behind))
        .await
        .unwrap();
    let alice_sts = s.sts(&ak, &sk);
    let r = alice_sts
        .get_session_token()
        .serial_number(&d.serial)
        .token_code(d.code(0))
        .send()
        .await;
    assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    alice_sts
        .get_session_token()
        .serial_number(&d.serial)
        .token_code(d.code_of_step(behind + 1))
        .send()
        .await
        .unwrap();

    // Neither the device nor its user can go while it is enabled.
    let r = root
        .delete_virtual_mfa_device()
        .serial_number(&d.serial)
        .send()
        .await;
    assert_eq!(err_code(r), ("DeleteConflict".into(), 409));
    root.delete_user_policy()
        .user_name("alice")
        .policy_name("self")
        .send()
        .await
        .unwrap();
    root.delete_access_key()
        .user_name("alice")
        .access_key_id(&ak)
        .send()
        .await
        .unwrap();
    let r = root.delete_user().user_name("alice").send().await;
    assert_eq!(
        err_message(r),
        "Cannot delete entity, must delete MFA device first."
    );
    let r = root.delete_user().user_name("alice").send().await;
    assert_eq!(err_code(r), ("DeleteConflict".into(), 409));

    // Deactivated, the device is unassigned and can go, and so can the user.
    root.deactivate_mfa_device()
        .user_name("alice")
        .serial_number(&d.serial)
        .send()
        .await
        .unwrap();
    let r = root
        .deactivate_mfa_device()
        .user_name("alice")
        .serial_number(&d.serial)
        .send()
        .await;
    assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));
    let now = Device::now_step();
    let r = resync(d.code_of_step(now - 1), d.code_of_step(now)).await;
    assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));
    assert!(
        root.list_mfa_devices()
            .user_name("alice")
            .send()
            .await
            .unwrap()
            .mfa_devices()
            .is_empty()
    );
    root.delete_user().user_name("alice").send().await.unwrap();
    root.delete_virtual_mfa_device()
        .serial_number(&d.serial)
        .send()
        .await
        .unwrap();
    let r = root
        .delete_virtual_mfa_device()
        .serial_number(&d.serial)
        .send()
        .await;
    assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));
    let summary = root.get_account_summary().send().await.unwrap();
    let map = summary.summary_map().unwrap();
    assert_eq!(map.get(&SummaryKeyType::MfaDevices), Some(&0));
}

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
async fn session_tokens_with_mfa_satisfy_mfa_conditions_and_codes_work_once() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = user_with_key(&root, "dave").await;
    let d = create_device(&root, "dave-phone").await;
    let enabled_step = enable(&root, "dave", &d).await;
    root.put_user_policy()
        .user_name("dave")
        .policy_name("mfa-only")
        .policy_document(doc(
            r#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#,
        ))
        .send()
        .await
        .unwrap();
    // The long-term key carries no MFA.
    let r = s.iam(&ak, &sk).list_users().send().await;
    assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    let sts = s.sts(&ak, &sk);
    // The codes used to enable the device are spent: the next step's code is needed.
    let spent = d.code_of_step(enabled_step);
    let r = sts
        .get_session_token()
        .serial_number(&d.serial)
        .token_code(&spent)
        .send()
        .await;
    assert_eq!(
        err_message(r),
        "MultiFactorAuthentication failed with invalid MFA one time pass code."
    );
    s.shift_clock(30);
    let code = d.code(30);
    let out = sts
        .get_session_token()
        .serial_number(&d.serial)
        .token_code(&code)
        .send()
        .await
        .unwrap();
    let creds = out.credentials().unwrap();
    // An MFA session may call IAM, and the condition holds.
    let users = s.iam_session(creds).list_users().send().await.unwrap();
    assert_eq!(users.users().len(), 1);
    // The same code again is a replay.
    let r = sts
        .get_session_token()
        .serial_number(&d.serial)
        .token_code(&code)
        .send()
        .await;
    assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    // Wrong codes, unknown serials, someone else's device, a serial without a code.
    s.shift_clock(60);
    let r = sts
        .get_session_token()
        .serial_number(&d.serial)
        .token_code(if d.code(60) == "000000" {
            "111111"
        } else {
            "000000"
        })
        .send()
        .await;
    assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    let r = sts
        .get_session_token()
        .serial_number("GAHT12345678")
        .token_code(d.code(60))
        .send()
        .await;
    assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    let (ek, es) = user_with_key(&root, "eve").await;
    let r = s
        .sts(&ek, &es)
        .get_session_token()
        .serial_number(&d.serial)
        .token_code(d.code(60))
        .send()
        .await;
    assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    let r = sts
        .get_session_token()
        .serial_number(&d.serial)
        .send()
        .await;
    assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    // Without a code the session has no MFA: no IAM calls at all.
    let plain = sts.get_session_token().send().await.unwrap();
    let r = s
        .iam_session(plain.credentials().unwrap())
        .list_users()
        .send()
        .await;
    assert_eq!(err_code(r), ("InvalidClientTokenId".into(), 403));
    // A code the wrong user offered was not spent.
    let out = sts
        .get_session_token()
        .serial_number(&d.serial)
        .token_code(d.code(60))
        .send()
        .await
        .unwrap();
    assert!(out.credentials().is_some());
}

#[tokio::test]
async fn roles_whose_trust_requires_mfa_need_a_code_or_an_mfa_session() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = user_with_key(&root, "erin").await;
    let d = create_device(&root, "erin-phone").await;
    enable(&root, "erin", &d).await;
    let role_arn = |n: &str| format!("arn:aws:iam::{DEV_ACCOUNT}:role/{n}");
    let trust = |who: &str| {
        doc(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"{who}"}},"Action":"sts:AssumeRole","Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}}}}}}"#
        ))
    };
    root.create_role()
        .role_name("admin")
        .assume_role_policy_document(trust(&format!("arn:aws:iam::{DEV_ACCOUNT}:user/erin")))
        .send()
        .await
        .unwrap();
    root.create_role()
        .role_name("next")
        .assume_role_policy_document(trust(&role_arn("admin")))
        .send()
        .await
        .unwrap();
    let sts = s.sts(&ak, &sk);
    let r = sts
        .assume_role()
        .role_arn(role_arn("admin"))
        .role_session_name("nomfa")
        .send()
        .await;
    assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    s.shift_clock(30);
    let code = d.code(30);
    let out = sts
        .assume_role()
        .role_arn(role_arn("admin"))
        .role_session_name("withmfa")
        .serial_number(&d.serial)
        .token_code(&code)
        .send()
        .await
        .unwrap();
    let admin = s.sts_session(out.credentials().unwrap());
    // The same code once more is refused before the trust policy is consulted.
    let r = sts
        .assume_role()
        .role_arn(role_arn("admin"))
        .role_session_name("again")
        .serial_number(&d.serial)
        .token_code(&code)
        .send()
        .await;
    assert_eq!(
        err_message(r),
        "MultiFactorAuthentication failed with invalid MFA one time pass code."
    );
    // The session's MFA carries over to a chained role.
    let chained = admin
        .assume_role()
        .role_arn(role_arn("next"))
        .role_session_name("chained")
        .send()
        .await
        .unwrap();
    assert!(chained.credentials().is_some());
    // A session from GetSessionToken with MFA may assume the role without a new code...
    s.shift_clock(60);
    let mfa_session = sts
        .get_session_token()
        .serial_number(&d.serial)
        .token_code(d.code(60))
        .send()
        .await
        .unwrap();
    s.sts_session(mfa_session.credentials().unwrap())
        .assume_role()
        .role_arn(role_arn("admin"))
        .role_session_name("viasession")
        .send()
        .await
        .unwrap();
    // ...one without MFA may not.
    let plain = sts.get_session_token().send().await.unwrap();
    let r = s
        .sts_session(plain.credentials().unwrap())
        .assume_role()
        .role_arn(role_arn("admin"))
        .role_session_name("plain")
        .send()
        .await;
    assert_eq!(err_code(r), ("AccessDenied".into(), 403));
}

#[tokio::test]
async fn role_sessions_must_name_the_user_whose_devices_they_list() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = user_with_key(&root, "frank").await;
    root.create_role()
        .role_name("lister")
        .assume_role_policy_document(doc(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{DEV_ACCOUNT}:user/frank"}},"Action":"sts:AssumeRole"}}"#
        )))
        .send()
        .await
        .unwrap();
    root.put_role_policy()
        .role_name("lister")
        .policy_name("p")
        .policy_document(doc(
            r#"{"Effect":"Allow","Action":"iam:ListMFADevices","Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    let out = s
        .sts(&ak, &sk)
        .assume_role()
        .role_arn(format!("arn:aws:iam::{DEV_ACCOUNT}:role/lister"))
        .role_session_name("s1")
        .send()
        .await
        .unwrap();
    let session = s.iam_session(out.credentials().unwrap());
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

#[tokio::test]
async fn a_code_accepted_by_one_node_is_refused_by_another_and_seeds_stay_sealed() {
    use crate::lifecycle::{files_contain, initialised_data_dir};
    let (_dir, data, key, secret) = initialised_data_dir();
    // Two nodes on one database (these use the real clock).
    let a = Server::serve(&data);
    let b = Server::serve(&data);
    let root = a.iam(&key, &secret);
    let (ak, sk) = user_with_key(&root, "gus").await;
    let out = root
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("gus-phone")
        .send()
        .await
        .unwrap();
    let v = out.virtual_mfa_device().unwrap();
    let seed_text = std::str::from_utf8(v.base32_string_seed().unwrap().as_ref())
        .unwrap()
        .to_string();
    let d = Device {
        serial: v.serial_number().to_string(),
        seed: base32_decode(&seed_text),
    };
    // Enabled with the codes of the two previous steps, so the current one is still unused.
    let now = Device::now_step();
    root.enable_mfa_device()
        .user_name("gus")
        .serial_number(&d.serial)
        .authentication_code1(d.code_of_step(now - 2))
        .authentication_code2(d.code_of_step(now - 1))
        .send()
        .await
        .unwrap();
    let code = d.code_of_step(now);
    let on_a = a
        .sts(&ak, &sk)
        .get_session_token()
        .serial_number(&d.serial)
        .token_code(&code)
        .send()
        .await;
    assert!(on_a.is_ok(), "{on_a:?}");
    let on_b = b
        .sts(&ak, &sk)
        .get_session_token()
        .serial_number(&d.serial)
        .token_code(&code)
        .send()
        .await;
    assert_eq!(
        err_message(on_b),
        "MultiFactorAuthentication failed with invalid MFA one time pass code."
    );
    // Node B knows the device: the next step's code (within the skew) passes there.
    let next_on_b = b
        .sts(&ak, &sk)
        .get_session_token()
        .serial_number(&d.serial)
        .token_code(d.code_of_step(now + 1))
        .send()
        .await;
    assert!(next_on_b.is_ok(), "{next_on_b:?}");
    // The seed is neither readable at rest nor logged.
    assert!(files_contain(&data, &seed_text).is_empty());
    for node in [&a, &b] {
        assert!(!node.log.lock().unwrap().contains(&seed_text));
    }
}

#[tokio::test]
async fn guessing_codes_locks_the_device_for_five_minutes() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = user_with_key(&root, "gus").await;
    let d = create_device(&root, "gus-phone").await;
    enable(&root, "gus", &d).await;
    let sts = s.sts(&ak, &sk);
    let try_code = |code: String| {
        let sts = sts.clone();
        let serial = d.serial.clone();
        async move {
            sts.get_session_token()
                .serial_number(serial)
                .token_code(code)
                .send()
                .await
        }
    };
    // Five wrong guesses (none of them a code of the steps around now).
    s.shift_clock(60);
    let near: Vec<String> = (-1..=1).map(|k| d.code(60 + 30 * k)).collect();
    let mut wrong = (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .filter(|c| !near.contains(c));
    for _ in 0..5 {
        let r = try_code(wrong.next().unwrap()).await;
        assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    }
    // Now even the right code is refused, with the same answer.
    let r = try_code(d.code(60)).await;
    assert_eq!(
        err_message(r),
        "MultiFactorAuthentication failed with invalid MFA one time pass code."
    );
    // Five minutes later the device answers again.
    s.shift_clock(60 + 301);
    try_code(d.code(60 + 301)).await.unwrap();
}
