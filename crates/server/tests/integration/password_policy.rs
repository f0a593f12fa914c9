//! The account password policy: full-replace semantics and AWS's defaults, new passwords
//! checked against it with AWS's messages, and screening of common passwords (on in `serve`,
//! off by default in `dev`, as AWS).

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message};
use crate::passwords::{profile, violation};

#[tokio::test]
async fn account_password_policy_is_replaced_whole() {
    let s = Server::dev();
    let iam = s.root_iam();
    assert_eq!(
        err_code(iam.get_account_password_policy().send().await),
        ("NoSuchEntity".into(), 404)
    );
    assert_eq!(
        err_message(iam.get_account_password_policy().send().await),
        format!("The Password Policy with domain name {DEV_ACCOUNT} cannot be found.")
    );
    assert_eq!(
        err_code(iam.delete_account_password_policy().send().await),
        ("NoSuchEntity".into(), 404)
    );

    iam.update_account_password_policy()
        .minimum_password_length(14)
        .require_symbols(true)
        .require_numbers(true)
        .require_uppercase_characters(true)
        .require_lowercase_characters(true)
        .allow_users_to_change_password(true)
        .max_password_age(90)
        .password_reuse_prevention(5)
        .hard_expiry(true)
        .send()
        .await
        .unwrap();
    let got = iam.get_account_password_policy().send().await.unwrap();
    let p = got.password_policy().unwrap();
    assert_eq!(p.minimum_password_length(), Some(14));
    assert!(p.require_symbols() && p.require_numbers());
    assert!(p.require_uppercase_characters() && p.require_lowercase_characters());
    assert!(p.allow_users_to_change_password());
    assert!(p.expire_passwords());
    assert_eq!(p.max_password_age(), Some(90));
    assert_eq!(p.password_reuse_prevention(), Some(5));
    assert_eq!(p.hard_expiry(), Some(true));

    // A full replace: what is not sent returns to its default, and unset members are omitted.
    iam.update_account_password_policy()
        .require_numbers(true)
        .send()
        .await
        .unwrap();
    let got = iam.get_account_password_policy().send().await.unwrap();
    let p = got.password_policy().unwrap();
    assert_eq!(p.minimum_password_length(), Some(6));
    assert!(p.require_numbers());
    assert!(!p.require_symbols() && !p.require_uppercase_characters());
    assert!(!p.allow_users_to_change_password());
    assert!(!p.expire_passwords());
    assert_eq!(p.max_password_age(), None);
    assert_eq!(p.password_reuse_prevention(), None);
    assert_eq!(p.hard_expiry(), None);

    // Out-of-range values.
    for r in [
        err_code(
            iam.update_account_password_policy()
                .minimum_password_length(5)
                .send()
                .await,
        ),
        err_code(
            iam.update_account_password_policy()
                .max_password_age(1096)
                .send()
                .await,
        ),
        err_code(
            iam.update_account_password_policy()
                .password_reuse_prevention(25)
                .send()
                .await,
        ),
    ] {
        assert_eq!(r, ("ValidationError".into(), 400));
    }

    iam.delete_account_password_policy().send().await.unwrap();
    assert_eq!(
        err_code(iam.get_account_password_policy().send().await),
        ("NoSuchEntity".into(), 404)
    );
}

#[tokio::test]
async fn passwords_must_meet_the_policy() {
    // Screening is stricter than AWS: on in `serve`, asked for here in `dev`.
    let (s, _config) = Server::dev_with_config("password_screening = true\n");
    let iam = s.root_iam();
    iam.create_user().user_name("carol").send().await.unwrap();
    let create = |pw: &'static str| {
        iam.create_login_profile()
            .user_name("carol")
            .password(pw)
            .send()
    };
    // AWS's default policy: 8 characters and three of four classes.
    assert_eq!(
        violation(create("Ab1!").await),
        "Password should have a minimum length of 8"
    );
    assert_eq!(
        violation(create("zkqvbwtrmp7").await),
        "Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol"
    );
    // Screening: common passwords and the user's own name.
    assert_eq!(
        violation(create("Password1!").await),
        "Password should not be a commonly used password"
    );
    iam.update_account_password_policy()
        .minimum_password_length(6)
        .send()
        .await
        .unwrap();
    assert_eq!(
        violation(create("Carol").await),
        "Password should have a minimum length of 6"
    );
    iam.create_user()
        .user_name("Zephyrine-Quokka9")
        .send()
        .await
        .unwrap();
    assert_eq!(
        violation(
            iam.create_login_profile()
                .user_name("Zephyrine-Quokka9")
                .password("zephyrine-quokka9")
                .send()
                .await
        ),
        "Password should not be the same as the user name"
    );

    // A custom policy names each unmet rule.
    iam.update_account_password_policy()
        .minimum_password_length(16)
        .require_symbols(true)
        .require_numbers(true)
        .require_uppercase_characters(true)
        .require_lowercase_characters(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        violation(create("zkqvbwtrmp").await),
        "Password should have a minimum length of 16, Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol"
    );
    create("Vq7#pLz2!mWxRt4&").await.unwrap();
    // UpdateLoginProfile checks a new password too.
    assert_eq!(
        violation(
            iam.update_login_profile()
                .user_name("carol")
                .password("short")
                .send()
                .await
        ),
        "Password should have a minimum length of 16, Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol"
    );
}

#[tokio::test]
async fn screening_off_behaves_as_aws() {
    // `dev` behaves as AWS by default: no screening.
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user()
        .user_name("Dave-1234")
        .send()
        .await
        .unwrap();
    // Common, but it meets AWS's default policy.
    profile(&iam, "Dave-1234", "Password1!").await;
    // The user's own name is allowed too.
    iam.update_login_profile()
        .user_name("Dave-1234")
        .password("Dave-1234")
        .send()
        .await
        .unwrap();
    // The policy still applies.
    assert_eq!(
        violation(
            iam.update_login_profile()
                .user_name("Dave-1234")
                .password("password")
                .send()
                .await
        ),
        "Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol"
    );
}

/// `serve` screens common passwords by default (stricter than AWS, where AWS is weak).
#[tokio::test]
async fn serve_screens_common_passwords_by_default() {
    let (_dir, data, key, secret) = crate::lifecycle::initialised_data_dir();
    let s = Server::serve(&data);
    let iam = s.iam(&key, &secret);
    iam.create_user().user_name("erin").send().await.unwrap();
    assert_eq!(
        violation(
            iam.create_login_profile()
                .user_name("erin")
                .password("Password1!")
                .send()
                .await
        ),
        "Password should not be a commonly used password"
    );
}
