//! Login profiles and ChangePassword through aws-sdk-iam: lifecycle and errors, reuse
//! prevention, guess limits and the AllowUsersToChangePassword self-service rule. The account
//! password policy and screening are in `password_policy.rs`.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message, user_with_key};
use crate::raw::{RawResponse, Signing, send, signed_post};
use aws_sdk_iam::Client;

/// A root-signed IAM request for members the SDK does not know yet.
fn root_raw(s: &Server, body: &str) -> RawResponse {
    send(
        &s.addr,
        &signed_post(&s.addr, body.as_bytes(), &Signing::root("iam")),
    )
}

const STRONG: &str = "Vq7#pLz2!mWx";
const STRONG2: &str = "Rt4&kNs9@bHy";
const STRONG3: &str = "Gm2*wQx8^cJe";

pub(crate) async fn profile(iam: &Client, user: &str, password: &str) {
    iam.create_login_profile()
        .user_name(user)
        .password(password)
        .send()
        .await
        .unwrap();
}

pub(crate) fn violation<E, R>(
    r: Result<R, aws_sdk_iam::error::SdkError<E, aws_sdk_iam::config::http::HttpResponse>>,
) -> String
where
    E: aws_sdk_iam::error::ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    match r {
        Ok(v) => panic!("expected PasswordPolicyViolation, got {v:?}"),
        Err(e) => {
            let status = e.raw_response().map(|r| r.status().as_u16());
            let code = aws_sdk_iam::error::ProvideErrorMetadata::code(&e).map(str::to_string);
            assert_eq!(
                (code.as_deref(), status),
                (Some("PasswordPolicyViolation"), Some(400)),
                "{e:?}"
            );
            aws_sdk_iam::error::ProvideErrorMetadata::message(&e)
                .unwrap_or("")
                .to_string()
        }
    }
}

#[tokio::test]
async fn login_profile_lifecycle_and_errors() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("alice").send().await.unwrap();

    assert_eq!(
        err_code(iam.get_login_profile().user_name("alice").send().await),
        ("NoSuchEntity".into(), 404)
    );
    assert_eq!(
        err_message(iam.get_login_profile().user_name("alice").send().await),
        "Login Profile for User alice cannot be found."
    );
    assert_eq!(
        err_code(
            iam.create_login_profile()
                .user_name("nobody")
                .password(STRONG)
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    // Only an AssumeRoot session may leave the password out.
    assert_eq!(
        err_code(iam.create_login_profile().user_name("alice").send().await),
        ("ValidationError".into(), 400)
    );

    let created = iam
        .create_login_profile()
        .user_name("alice")
        .password(STRONG)
        .password_reset_required(true)
        .send()
        .await
        .unwrap();
    let p = created.login_profile().unwrap();
    assert_eq!(p.user_name(), "alice");
    assert!(p.password_reset_required());
    let created_at = p.create_date().secs();

    assert_eq!(
        err_code(
            iam.create_login_profile()
                .user_name("alice")
                .password(STRONG2)
                .send()
                .await
        ),
        ("EntityAlreadyExists".into(), 409)
    );
    assert_eq!(
        err_message(
            iam.create_login_profile()
                .user_name("alice")
                .password(STRONG2)
                .send()
                .await
        ),
        "Login Profile for user alice already exists."
    );

    // Flags, and the sign-in session duration (newer than the SDK: raw requests).
    iam.update_login_profile()
        .user_name("alice")
        .password_reset_required(false)
        .send()
        .await
        .unwrap();
    let update = |extra: &str| {
        root_raw(
            &s,
            &format!("Action=UpdateLoginProfile&Version=2010-05-08&UserName=alice{extra}"),
        )
    };
    assert_eq!(update("&MaxSigninSessionDuration=7200").status, 200);
    let got = root_raw(
        &s,
        "Action=GetLoginProfile&Version=2010-05-08&UserName=alice",
    );
    assert!(
        got.body
            .contains("<PasswordResetRequired>false</PasswordResetRequired>"),
        "{}",
        got.body
    );
    assert!(
        got.body
            .contains("<MaxSigninSessionDuration>7200</MaxSigninSessionDuration>"),
        "{}",
        got.body
    );
    let both = update("&MaxSigninSessionDuration=3600&ResetMaxSigninSessionDuration=true");
    assert_eq!((both.status, both.code()), (400, "InvalidInput"));
    let short = update("&MaxSigninSessionDuration=60");
    assert_eq!((short.status, short.code()), (400, "ValidationError"));
    assert_eq!(update("&ResetMaxSigninSessionDuration=true").status, 200);
    let got = iam
        .get_login_profile()
        .user_name("alice")
        .send()
        .await
        .unwrap();
    let p = got.login_profile().unwrap();
    assert!(!p.password_reset_required());
    assert_eq!(p.create_date().secs(), created_at);
    let raw = root_raw(
        &s,
        "Action=GetLoginProfile&Version=2010-05-08&UserName=alice",
    );
    assert!(
        !raw.body.contains("MaxSigninSessionDuration"),
        "{}",
        raw.body
    );

    // A login profile blocks DeleteUser.
    assert_eq!(
        err_code(iam.delete_user().user_name("alice").send().await),
        ("DeleteConflict".into(), 409)
    );
    assert_eq!(
        err_message(iam.delete_user().user_name("alice").send().await),
        "Cannot delete entity, must delete login profile first."
    );
    iam.delete_login_profile()
        .user_name("alice")
        .send()
        .await
        .unwrap();
    for r in [
        err_code(iam.delete_login_profile().user_name("alice").send().await),
        err_code(
            iam.update_login_profile()
                .user_name("alice")
                .password(STRONG2)
                .send()
                .await,
        ),
        err_code(iam.get_login_profile().user_name("alice").send().await),
    ] {
        assert_eq!(r, ("NoSuchEntity".into(), 404));
    }
    iam.delete_user().user_name("alice").send().await.unwrap();
    assert_eq!(
        err_code(iam.get_login_profile().user_name("alice").send().await),
        ("NoSuchEntity".into(), 404)
    );
    // Passwords never reach the log.
    assert!(!s.log.lock().unwrap().contains(STRONG));
}

#[tokio::test]
async fn user_name_defaults_to_the_calling_user() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = user_with_key(&root, "bob").await;
    root.put_user_policy()
        .user_name("bob")
        .policy_name("self")
        .policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"iam:*LoginProfile","Resource":"arn:aws:iam::{DEV_ACCOUNT}:user/bob"}}}}"#
        ))
        .send()
        .await
        .unwrap();
    let bob = s.iam(&ak, &sk);
    let out = bob
        .create_login_profile()
        .password(STRONG)
        .send()
        .await
        .unwrap();
    assert_eq!(out.login_profile().unwrap().user_name(), "bob");
    let got = bob.get_login_profile().send().await.unwrap();
    assert_eq!(got.login_profile().unwrap().user_name(), "bob");
    bob.delete_login_profile().send().await.unwrap();
    assert_eq!(
        err_code(root.get_login_profile().user_name("bob").send().await),
        ("NoSuchEntity".into(), 404)
    );
}

/// A user with keys, a login profile with `password`, and no policies.
async fn console_user(s: &Server, name: &str, password: &str) -> Client {
    let root = s.root_iam();
    let (ak, sk) = user_with_key(&root, name).await;
    profile(&root, name, password).await;
    s.iam(&ak, &sk)
}

#[tokio::test]
async fn change_password_checks_the_old_one_and_clears_the_reset_flag() {
    let s = Server::dev();
    let root = s.root_iam();
    root.update_account_password_policy()
        .minimum_password_length(10)
        .allow_users_to_change_password(true)
        .send()
        .await
        .unwrap();
    let erin = console_user(&s, "erin", STRONG).await;
    root.update_login_profile()
        .user_name("erin")
        .password_reset_required(true)
        .send()
        .await
        .unwrap();

    assert_eq!(
        err_code(
            erin.change_password()
                .old_password(STRONG2)
                .new_password(STRONG3)
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    assert_eq!(
        violation(
            erin.change_password()
                .old_password(STRONG)
                .new_password("Short1!")
                .send()
                .await
        ),
        "Password should have a minimum length of 10"
    );
    erin.change_password()
        .old_password(STRONG)
        .new_password(STRONG2)
        .send()
        .await
        .unwrap();
    let got = root
        .get_login_profile()
        .user_name("erin")
        .send()
        .await
        .unwrap();
    assert!(!got.login_profile().unwrap().password_reset_required());
    // The old password no longer works; the new one does.
    assert_eq!(
        err_code(
            erin.change_password()
                .old_password(STRONG)
                .new_password(STRONG3)
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    erin.change_password()
        .old_password(STRONG2)
        .new_password(STRONG3)
        .send()
        .await
        .unwrap();

    // Root is no IAM user.
    assert_eq!(
        err_code(
            root.change_password()
                .old_password(STRONG)
                .new_password(STRONG2)
                .send()
                .await
        ),
        ("InvalidUserType".into(), 400)
    );
    // No login profile.
    let (ak, sk) = user_with_key(&root, "frank").await;
    assert_eq!(
        err_code(
            s.iam(&ak, &sk)
                .change_password()
                .old_password(STRONG)
                .new_password(STRONG2)
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    assert!(!s.log.lock().unwrap().contains(STRONG3));
}

#[tokio::test]
async fn role_sessions_cannot_change_passwords() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = user_with_key(&root, "gina").await;
    let session = crate::common::role_session_of(
        &s,
        (&ak, &sk),
        "gina",
        "admin",
        r#"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#,
    )
    .await;
    assert_eq!(
        err_code(
            session
                .change_password()
                .old_password(STRONG)
                .new_password(STRONG2)
                .send()
                .await
        ),
        ("InvalidUserType".into(), 400)
    );
}

#[tokio::test]
async fn reuse_prevention_remembers_previous_passwords() {
    let s = Server::dev();
    let root = s.root_iam();
    root.update_account_password_policy()
        .password_reuse_prevention(2)
        .allow_users_to_change_password(true)
        .send()
        .await
        .unwrap();
    let hank = console_user(&s, "hank", STRONG).await;
    let change = |old: &'static str, new: &'static str| {
        hank.change_password()
            .old_password(old)
            .new_password(new)
            .send()
    };
    assert_eq!(
        violation(change(STRONG, STRONG).await),
        "Password should not be one of the previous 2 passwords"
    );
    change(STRONG, STRONG2).await.unwrap();
    assert_eq!(
        violation(change(STRONG2, STRONG).await),
        "Password should not be one of the previous 2 passwords"
    );
    // UpdateLoginProfile is checked against the history too.
    assert_eq!(
        violation(
            root.update_login_profile()
                .user_name("hank")
                .password(STRONG)
                .send()
                .await
        ),
        "Password should not be one of the previous 2 passwords"
    );
    change(STRONG2, STRONG3).await.unwrap();
    // Three passwords on, the first may come back.
    change(STRONG3, STRONG).await.unwrap();
}

#[tokio::test]
async fn allow_users_to_change_password_is_an_implicit_grant() {
    let s = Server::dev();
    let root = s.root_iam();
    let ivy = console_user(&s, "ivy", STRONG).await;
    console_user(&s, "jack", STRONG).await;
    let change = |old: &'static str, new: &'static str| {
        ivy.change_password()
            .old_password(old)
            .new_password(new)
            .send()
    };

    // Without the flag (and with no policy), nothing is allowed.
    assert_eq!(
        err_code(change(STRONG, STRONG2).await),
        ("AccessDenied".into(), 403)
    );
    assert_eq!(
        err_code(ivy.get_account_password_policy().send().await),
        ("AccessDenied".into(), 403)
    );
    root.update_account_password_policy()
        .allow_users_to_change_password(false)
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(change(STRONG, STRONG2).await),
        ("AccessDenied".into(), 403)
    );

    // With it, every user may change its own password and read the policy.
    root.update_account_password_policy()
        .allow_users_to_change_password(true)
        .send()
        .await
        .unwrap();
    change(STRONG, STRONG2).await.unwrap();
    let got = ivy.get_account_password_policy().send().await.unwrap();
    assert!(
        got.password_policy()
            .unwrap()
            .allow_users_to_change_password()
    );
    // Nothing else: not another user's login profile, nor the policy itself.
    assert_eq!(
        err_code(
            ivy.update_login_profile()
                .user_name("jack")
                .password(STRONG3)
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    assert_eq!(
        err_code(ivy.delete_account_password_policy().send().await),
        ("AccessDenied".into(), 403)
    );

    // An explicit Deny still wins.
    root.put_user_policy()
        .user_name("ivy")
        .policy_name("no")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"iam:ChangePassword","Resource":"*"}}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(change(STRONG2, STRONG3).await),
        ("AccessDenied".into(), 403)
    );
    root.delete_user_policy()
        .user_name("ivy")
        .policy_name("no")
        .send()
        .await
        .unwrap();
    change(STRONG2, STRONG3).await.unwrap();

    // Deleting the policy takes the grant away again.
    root.delete_account_password_policy().send().await.unwrap();
    assert_eq!(
        err_code(change(STRONG3, STRONG).await),
        ("AccessDenied".into(), 403)
    );
}

#[tokio::test]
async fn change_password_is_decided_on_the_callers_own_arn() {
    let s = Server::dev();
    let root = s.root_iam();
    let kim = console_user(&s, "kim", STRONG).await;
    console_user(&s, "lee", STRONG).await;
    let allow_on = |user: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"arn:aws:iam::{DEV_ACCOUNT}:user/{user}"}}}}"#
        )
    };
    // A grant on another user's ARN does not let kim change her own password.
    root.put_user_policy()
        .user_name("kim")
        .policy_name("other")
        .policy_document(allow_on("lee"))
        .send()
        .await
        .unwrap();
    let denied = kim
        .change_password()
        .old_password(STRONG)
        .new_password(STRONG2)
        .send()
        .await;
    assert_eq!(
        err_message(denied),
        format!(
            "User: arn:aws:iam::{DEV_ACCOUNT}:user/kim is not authorized to perform: iam:ChangePassword on resource: arn:aws:iam::{DEV_ACCOUNT}:user/kim because no identity-based policy allows the iam:ChangePassword action"
        )
    );
    // A grant on her own ARN does (the IAMUserChangePassword pattern).
    root.put_user_policy()
        .user_name("kim")
        .policy_name("self")
        .policy_document(allow_on("kim"))
        .send()
        .await
        .unwrap();
    kim.change_password()
        .old_password(STRONG)
        .new_password(STRONG2)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn guessing_the_old_password_is_limited() {
    let s = Server::dev();
    s.root_iam()
        .update_account_password_policy()
        .allow_users_to_change_password(true)
        .send()
        .await
        .unwrap();
    let gil = console_user(&s, "gil", STRONG).await;
    let change = |old: &'static str| {
        let gil = gil.clone();
        async move {
            gil.change_password()
                .old_password(old)
                .new_password(STRONG2)
                .send()
                .await
        }
    };
    for guess in [
        "a-guess-1",
        "a-guess-2",
        "a-guess-3",
        "a-guess-4",
        "a-guess-5",
    ] {
        assert_eq!(err_code(change(guess).await), ("AccessDenied".into(), 403));
    }
    // The right old password is refused too until the five minutes are over.
    assert_eq!(
        err_code(change(STRONG).await),
        ("LimitExceeded".into(), 409)
    );
    s.shift_clock(301);
    change(STRONG).await.unwrap();
}
