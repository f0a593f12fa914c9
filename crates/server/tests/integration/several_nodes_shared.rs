//! What several `serve` nodes on one PostgreSQL database must share, proved across two nodes
//! (skipped, with a note, without `PORTCULLIS_TEST_DATABASE_URL`): an MFA code accepted on one
//! node is refused on the other; wrong MFA codes, wrong old passwords (ChangePassword) and
//! wrong console passwords count together, so a limit reached across the two nodes holds on
//! both; while another server generates the credential report neither node starts another
//! (`INPROGRESS`, `ReportInProgress`), and a report generated on one node is read on the other; a key used on one
//! node shows as used on the other. These nodes run on the real clock.

use crate::common::{DEV_ACCOUNT, err_code, err_message, iam_client, sts_client, user_with_key};
use crate::console_client::Console;
use crate::mfa::{Device, create_device, enable_before_now};
use crate::several_nodes::Pair;
use portcullis_core::reports::ReportClaim;
use portcullis_core::store::ReportStore;
use portcullis_store::testing::database_url;

const BAD_CODE: &str = "MultiFactorAuthentication failed with invalid MFA one time pass code.";

#[tokio::test(flavor = "multi_thread")]
async fn mfa_codes_and_wrong_guesses_count_on_every_node() {
    let Some(url) = database_url() else { return };
    let p = Pair::start(&url);
    let root = p.root_iam(&p.a);
    let (ak, sk) = user_with_key(&root, "gus").await;
    let d = create_device(&root, "gus-phone").await;
    let now = enable_before_now(&root, "gus", &d).await;
    let on = |node: &crate::common::Server, code: String| {
        let sts = sts_client(&node.endpoint(), &ak, &sk);
        let serial = d.serial.clone();
        async move {
            sts.get_session_token()
                .serial_number(serial)
                .token_code(code)
                .send()
                .await
        }
    };
    // A code accepted on node A is a replay on node B.
    let code = d.code_of_step(now);
    assert!(on(&p.a, code.clone()).await.is_ok());
    assert_eq!(err_message(on(&p.b, code).await), BAD_CODE);
    // Five wrong codes, three on A and two on B: the device is refused on both, even with the
    // right code.
    let near: Vec<String> = (-1..=3).map(|k| d.code_of_step(now + k)).collect();
    let mut wrong = (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .filter(|c| !near.contains(c));
    for node in [&p.a, &p.a, &p.a, &p.b, &p.b] {
        let r = on(node, wrong.next().unwrap()).await;
        assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    }
    let next = d.code_of_step(Device::now_step() + 1);
    assert_eq!(err_message(on(&p.a, next.clone()).await), BAD_CODE);
    assert_eq!(err_message(on(&p.b, next).await), BAD_CODE);
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_old_passwords_count_on_every_node() {
    const PASSWORD: &str = "Corr3ct-Horse-Battery!";
    let Some(url) = database_url() else { return };
    let p = Pair::start(&url);
    let root = p.root_iam(&p.a);
    root.update_account_password_policy()
        .allow_users_to_change_password(true)
        .send()
        .await
        .unwrap();
    let (ak, sk) = user_with_key(&root, "hank").await;
    root.create_login_profile()
        .user_name("hank")
        .password(PASSWORD)
        .send()
        .await
        .unwrap();
    let change = |node: &crate::common::Server, old: &'static str| {
        let iam = iam_client(&node.endpoint(), &ak, &sk);
        async move {
            iam.change_password()
                .old_password(old)
                .new_password("An0ther-Strong-Passw0rd!")
                .send()
                .await
        }
    };
    for node in [&p.a, &p.b, &p.a, &p.b, &p.b] {
        let r = change(node, "Wr0ng-Old-Password!").await;
        assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    }
    // The limit, reached across both nodes, holds on node A for the right old password.
    let r = change(&p.a, PASSWORD).await;
    assert_eq!(err_code(r), ("LimitExceeded".into(), 409));
}

#[tokio::test(flavor = "multi_thread")]
async fn console_sign_in_failures_count_on_every_node() {
    const PASSWORD: &str = "Corr3ct-Horse-Battery!";
    let Some(url) = database_url() else { return };
    let p = Pair::start(&url);
    let root = p.root_iam(&p.b);
    root.create_user().user_name("carol").send().await.unwrap();
    root.create_login_profile()
        .user_name("carol")
        .password(PASSWORD)
        .send()
        .await
        .unwrap();
    let mut on = [Console::new(&p.a), Console::new(&p.b)];
    // Five free failures, three on A and two on B...
    for i in [0, 1, 0, 1, 0] {
        assert_eq!(on[i].sign_in("carol", "wrong-password-1").status, 401);
    }
    // ...then either node makes the next attempt wait, even with the right password.
    for c in on.iter_mut() {
        let r = c.sign_in("carol", PASSWORD);
        assert_eq!(r.status, 429, "{}", r.body);
        assert!(r.body.contains("Wait 1 second"), "{}", r.body);
    }
    // Once the delay has passed, a success on B clears the count for A too.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(on[1].sign_in("carol", PASSWORD).status, 303);
    for _ in 0..5 {
        assert_eq!(
            Console::new(&p.a)
                .sign_in("carol", "wrong-password-1")
                .status,
            401
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_credential_report_is_generated_once_and_read_on_any_node() {
    let Some(url) = database_url() else { return };
    let p = Pair::start(&url);
    let (root_a, root_b) = (p.root_iam(&p.a), p.root_iam(&p.b));
    root_a.create_user().user_name("ivy").send().await.unwrap();
    let r = root_b.get_credential_report().send().await;
    assert_eq!(err_code(r).0, "ReportNotPresent");
    // While another server generates the report, neither node starts a second generation.
    // (The other server's store runs off the async runtime, which its client may not block.)
    let on_other = |f: fn(&portcullis_store::PgStore) -> bool| {
        let url = p.url().to_string();
        std::thread::spawn(move || f(&portcullis_store::PgStore::open(&url).unwrap()))
            .join()
            .unwrap()
    };
    assert!(on_other(|other| {
        let now = chrono::Utc::now();
        let hours = |h| now - chrono::TimeDelta::hours(h);
        let claim = other.claim_credential_report(DEV_ACCOUNT, now, hours(4), hours(1));
        claim == Ok(ReportClaim::Claimed { expired: false })
    }));
    let r = root_b.get_credential_report().send().await;
    assert_eq!(err_code(r), ("ReportInProgress".into(), 404));
    let busy = root_a.generate_credential_report().send().await.unwrap();
    assert_eq!(busy.state().map(|s| s.as_str()), Some("INPROGRESS"));
    assert!(on_other(|other| other
        .release_credential_report(DEV_ACCOUNT)
        .is_ok()));
    let started = root_a.generate_credential_report().send().await.unwrap();
    assert_eq!(started.state().map(|s| s.as_str()), Some("STARTED"));
    // Node B finds the report node A generated: it answers it, and does not generate again.
    let again = root_b.generate_credential_report().send().await.unwrap();
    assert_eq!(again.state().map(|s| s.as_str()), Some("COMPLETE"));
    let report = root_b.get_credential_report().send().await.unwrap();
    let text = String::from_utf8(report.content().unwrap().as_ref().to_vec()).unwrap();
    assert!(text.lines().any(|l| l.starts_with("ivy,")), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_used_on_one_node_shows_as_used_on_another() {
    let Some(url) = database_url() else { return };
    let p = Pair::start(&url);
    let root_a = p.root_iam(&p.a);
    let (ak, sk) = user_with_key(&root_a, "jo").await;
    let last_used = || async {
        root_a
            .get_access_key_last_used()
            .access_key_id(&ak)
            .send()
            .await
            .unwrap()
            .access_key_last_used()
            .and_then(|u| u.last_used_date().copied())
    };
    assert_eq!(last_used().await, None);
    sts_client(&p.b.endpoint(), &ak, &sk)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    // Recorded in the background on node B, read on node A.
    let start = std::time::Instant::now();
    while last_used().await.is_none() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "node A never saw the key's use on node B"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
