//! MFA in STS: GetSessionToken and AssumeRole with a code computed here from the device's seed,
//! MFA conditions in identity and trust policies, replayed codes (also across two nodes), and the
//! limit on guessed codes. The server's clock is shifted to reach the next time step.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message, user_with_key};
use crate::mfa::{Device, base32_decode, create_device, doc, enable};

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
    let now = crate::mfa::enable_before_now(&root, "gus", &d).await;
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
