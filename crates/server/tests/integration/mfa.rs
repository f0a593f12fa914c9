//! Virtual MFA devices: creation (seed and QR code PNG), enabling with two consecutive codes,
//! listings and their pages, tags, conflicts and quotas (MFA in STS is in `mfa_sts.rs`). The
//! server's clock is shifted to reach the next time step instead of sleeping.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message, user_with_key};
use aws_sdk_iam::types::{AssignmentStatusType, SummaryKeyType, Tag};

/// Decodes RFC 4648 base32 (no padding), independently of the server's encoder.
pub(crate) fn base32_decode(text: &str) -> Vec<u8> {
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
    pub(crate) serial: String,
    pub(crate) seed: Vec<u8>,
}

impl Device {
    /// The code of the step `offset` seconds from now (the server's clock shifted by `offset`).
    pub(crate) fn code(&self, offset: i64) -> String {
        self.code_of_step((chrono::Utc::now().timestamp() + offset).div_euclid(30))
    }

    pub(crate) fn code_of_step(&self, step: i64) -> String {
        portcullis_core::mfa::code(&self.seed, step)
    }

    pub(crate) fn now_step() -> i64 {
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

/// Enables `d` for `user` with the codes of the two steps before the current one (on the real
/// clock), so that the current step's code is still unused; returns the current step.
pub(crate) async fn enable_before_now(iam: &aws_sdk_iam::Client, user: &str, d: &Device) -> i64 {
    let now = Device::now_step();
    iam.enable_mfa_device()
        .user_name(user)
        .serial_number(&d.serial)
        .authentication_code1(d.code_of_step(now - 2))
        .authentication_code2(d.code_of_step(now - 1))
        .send()
        .await
        .unwrap();
    now
}

pub(crate) fn doc(statements: &str) -> String {
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
