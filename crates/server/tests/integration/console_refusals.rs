//! The console refuses what the API refuses, in the same words (both call core's rules): a
//! managed policy's document, a role's trust policy, a new console password, an entity that
//! exists already, a ChangePassword (whose wrong old passwords count together with the API's),
//! a password policy out of AWS's ranges, a policy that is not attached, a user who does not
//! exist, an access key that is not there (the keys page's changes go through the API's
//! services); it removes what the API removes (a non-member's removal from a group succeeds, as
//! in the API); and it generates and serves the credential report the API reads.

use crate::common::{Server, err_message};
use crate::console_client::{ADMIN_POLICY, Console, console_user};

const PASSWORD: &str = "Correct-Horse-9";
const OLD_POLICY: &str = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}"#;
const S3_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject"}]}"#;

/// A page's text with the template's HTML escapes undone.
fn unescaped(page: &str) -> String {
    page.replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Posts a form of the signed-in console (its CSRF token added); the answer's status and page.
fn post(c: &mut Console, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let csrf = c.csrf.clone();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let r = c.post(path, &all);
    (r.status, r.body)
}

#[tokio::test]
async fn the_console_refuses_in_the_apis_words() {
    let s = Server::dev();
    let iam = s.root_iam();
    console_user(&s, "admin", PASSWORD, Some(ADMIN_POLICY)).await;
    iam.create_user().user_name("erin").send().await.unwrap();
    let mut c = Console::new(&s);
    c.sign_in("admin", PASSWORD);
    c.get("/console/home");

    let api = err_message(
        iam.create_policy()
            .policy_name("old")
            .policy_document(OLD_POLICY)
            .send()
            .await,
    );
    assert_eq!(
        api,
        "Policy document must be version 2012-10-17 or greater."
    );
    let (_, page) = post(
        &mut c,
        "/console/policies",
        &[("name", "old"), ("document", OLD_POLICY)],
    );
    assert!(page.contains(&api), "{page}");

    let api = err_message(
        iam.create_role()
            .role_name("r")
            .assume_role_policy_document(S3_TRUST)
            .send()
            .await,
    );
    assert_eq!(
        api,
        "AssumeRole policy may only specify STS AssumeRole actions."
    );
    let (_, page) = post(
        &mut c,
        "/console/roles",
        &[("role_name", "r"), ("trust", S3_TRUST)],
    );
    assert!(page.contains(&api), "{page}");

    let api = err_message(
        iam.create_login_profile()
            .user_name("erin")
            .password("aB1!")
            .send()
            .await,
    );
    assert_eq!(api, "Password should have a minimum length of 8");
    let (status, page) = post(
        &mut c,
        "/console/users/erin/password",
        &[("action", "enable"), ("password", "aB1!")],
    );
    assert_eq!(status, 400);
    assert!(page.contains(&api), "{page}");

    iam.create_group().group_name("g").send().await.unwrap();
    let api = err_message(iam.create_group().group_name("g").send().await);
    assert_eq!(api, "Group with name g already exists.");
    let (_, page) = post(&mut c, "/console/groups", &[("group_name", "g")]);
    assert!(page.contains(&api), "{page}");
}

#[tokio::test]
async fn the_console_detaches_and_removes_as_the_api_does() {
    const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    let s = Server::dev();
    let iam = s.root_iam();
    console_user(&s, "admin", PASSWORD, Some(ADMIN_POLICY)).await;
    iam.create_user().user_name("erin").send().await.unwrap();
    iam.create_group().group_name("devs").send().await.unwrap();
    let mut c = Console::new(&s);
    c.sign_in("admin", PASSWORD);
    c.get("/console/home");

    let api = err_message(
        iam.detach_user_policy()
            .user_name("erin")
            .policy_arn(READ_ONLY)
            .send()
            .await,
    );
    assert_eq!(api, format!("Policy {READ_ONLY} was not found."));
    iam.attach_user_policy()
        .user_name("erin")
        .policy_arn(READ_ONLY)
        .send()
        .await
        .unwrap();
    let detach = [("action", "detach"), ("policy_arn", READ_ONLY)];
    let (status, _) = post(&mut c, "/console/users/erin/policies", &detach);
    assert_eq!(status, 303);
    let attached = iam
        .list_attached_user_policies()
        .user_name("erin")
        .send()
        .await
        .unwrap();
    assert!(attached.attached_policies().is_empty());
    let (status, page) = post(&mut c, "/console/users/erin/policies", &detach);
    assert_eq!(status, 400);
    // The page escapes the ARN's slash.
    assert!(page.contains(&api.replace('/', "&#x2f;")), "{page}");

    iam.add_user_to_group()
        .group_name("devs")
        .user_name("erin")
        .send()
        .await
        .unwrap();
    let remove = |user: &'static str| [("action", "remove"), ("user", user)];
    let (status, _) = post(&mut c, "/console/groups/devs", &remove("erin"));
    assert_eq!(status, 303);
    let group = iam.get_group().group_name("devs").send().await.unwrap();
    assert!(group.users().is_empty());
    let (status, _) = post(&mut c, "/console/groups/devs", &remove("erin"));
    assert_eq!(status, 303, "removing a non-member succeeds, as in the API");
    let api = err_message(
        iam.remove_user_from_group()
            .group_name("devs")
            .user_name("nobody")
            .send()
            .await,
    );
    assert_eq!(api, "The user with name nobody cannot be found.");
    let (status, page) = post(&mut c, "/console/groups/devs", &remove("nobody"));
    assert_eq!(status, 400);
    assert!(page.contains(&api), "{page}");
}

#[tokio::test]
async fn the_console_generates_the_report_the_api_reads() {
    let s = Server::dev();
    let iam = s.root_iam();
    console_user(&s, "admin", PASSWORD, Some(ADMIN_POLICY)).await;
    let mut c = Console::new(&s);
    c.sign_in("admin", PASSWORD);
    c.get("/console/settings");
    let (status, _) = post(&mut c, "/console/settings/report", &[]);
    assert_eq!(status, 303);
    // The report is current: the API does not generate another, and reads the console's.
    let generated = iam.generate_credential_report().send().await.unwrap();
    assert_eq!(generated.state().map(|s| s.as_str()), Some("COMPLETE"));
    let api = iam.get_credential_report().send().await.unwrap();
    let api = String::from_utf8(api.content().unwrap().as_ref().to_vec()).unwrap();
    let download = c.get("/console/settings/report");
    assert_eq!(download.status, 200);
    assert_eq!(download.body, api);
    assert!(api.lines().nth(2).unwrap().starts_with("admin,"), "{api}");
}

#[tokio::test]
async fn the_console_changes_and_deletes_keys_through_the_apis_rules() {
    let s = Server::dev();
    let iam = s.root_iam();
    console_user(&s, "admin", PASSWORD, Some(ADMIN_POLICY)).await;
    iam.create_user().user_name("erin").send().await.unwrap();
    let key = iam
        .create_access_key()
        .user_name("erin")
        .send()
        .await
        .unwrap();
    let id = key.access_key().unwrap().access_key_id().to_string();
    let mut c = Console::new(&s);
    c.sign_in("admin", PASSWORD);
    c.get("/console/users/erin");
    let path = format!("/console/users/erin/keys/{id}");
    let status_of = || async {
        let keys = iam
            .list_access_keys()
            .user_name("erin")
            .send()
            .await
            .unwrap();
        let meta = keys.access_key_metadata();
        meta.first()
            .and_then(|k| k.status())
            .map(|s| s.as_str().to_string())
    };
    let (status, _) = post(&mut c, &path, &[("action", "deactivate")]);
    assert_eq!(status, 303);
    assert_eq!(status_of().await.as_deref(), Some("Inactive"));
    let (status, _) = post(&mut c, &path, &[("action", "activate")]);
    assert_eq!(status, 303);
    assert_eq!(status_of().await.as_deref(), Some("Active"));
    let (status, _) = post(&mut c, &path, &[("action", "delete")]);
    assert_eq!(status, 303);
    assert_eq!(status_of().await, None);
    let api = err_message(
        iam.delete_access_key()
            .user_name("erin")
            .access_key_id(&id)
            .send()
            .await,
    );
    assert_eq!(api, format!("The Access Key with id {id} cannot be found."));
    let (status, page) = post(&mut c, &path, &[("action", "delete")]);
    assert_eq!(status, 404);
    assert!(page.contains(&api), "{page}");
}

#[tokio::test]
async fn change_password_and_the_password_policy_refuse_in_the_apis_words() {
    let s = Server::dev();
    let root = s.root_iam();
    console_user(&s, "dana", PASSWORD, Some(ADMIN_POLICY)).await;
    let key = root
        .create_access_key()
        .user_name("dana")
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let dana = s.iam(key.access_key_id(), key.secret_access_key());
    let mut c = Console::new(&s);
    c.sign_in("dana", PASSWORD);
    c.get("/console/me");
    let console_change = |c: &mut Console, old: &str, new: &str| {
        post(
            c,
            "/console/me/password",
            &[
                ("old_password", old),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
    };

    // A weak new password (the old one right): the same words, and the guesses forgotten.
    let api = err_message(
        dana.change_password()
            .old_password(PASSWORD)
            .new_password("aB1!")
            .send()
            .await,
    );
    assert_eq!(api, "Password should have a minimum length of 8");
    let (status, page) = console_change(&mut c, PASSWORD, "aB1!");
    assert_eq!(status, 400);
    assert!(page.contains(&api), "{page}");

    // Wrong old passwords: the same words, counted on the same counter (five allowed).
    let api = err_message(
        dana.change_password()
            .old_password("Not-Her-Password-1")
            .new_password("Dana-New-Passw0rd-1")
            .send()
            .await,
    );
    assert_eq!(api, "The old password entered is not correct.");
    for _ in 0..4 {
        let (status, page) = console_change(&mut c, "Not-Her-Password-1", "Dana-New-Passw0rd-1");
        assert_eq!(status, 400);
        assert!(page.contains(&api), "{page}");
    }
    let api = err_message(
        dana.change_password()
            .old_password(PASSWORD)
            .new_password("Dana-New-Passw0rd-1")
            .send()
            .await,
    );
    assert_eq!(
        api,
        "Too many attempts with a wrong old password. Try again later."
    );
    let (_, page) = console_change(&mut c, PASSWORD, "Dana-New-Passw0rd-1");
    assert!(page.contains(&api), "{page}");
    // Nothing was changed: the old password still signs in.
    assert_eq!(Console::new(&s).sign_in("dana", PASSWORD).status, 303);

    // A password policy out of AWS's ranges.
    let api = err_message(
        root.update_account_password_policy()
            .minimum_password_length(5)
            .max_password_age(1096)
            .send()
            .await,
    );
    assert_eq!(
        api,
        "2 validation errors detected: Value '5' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6; Value '1096' at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095"
    );
    c.get("/console/settings");
    let (status, page) = post(
        &mut c,
        "/console/settings",
        &[("min", "5"), ("max_age", "1096"), ("reuse", "")],
    );
    assert_eq!(status, 400);
    assert!(unescaped(&page).contains(&api), "{page}");
    let (status, page) = post(&mut c, "/console/settings", &[("reuse", "many")]);
    assert_eq!(status, 400);
    assert!(
        unescaped(&page).contains(
            "Value (many) for parameter PasswordReusePrevention is invalid. Expected a number."
        ),
        "{page}"
    );
    // Nothing was saved; a policy within the ranges is, as the API would.
    assert!(root.get_account_password_policy().send().await.is_err());
    let (status, _) = post(
        &mut c,
        "/console/settings",
        &[
            ("min", "128"),
            ("max_age", "1095"),
            ("reuse", "24"),
            ("symbols", "on"),
        ],
    );
    assert_eq!(status, 303);
    let p = root.get_account_password_policy().send().await.unwrap();
    let p = p.password_policy().unwrap();
    assert_eq!(
        (
            p.minimum_password_length(),
            p.max_password_age(),
            p.password_reuse_prevention(),
            p.require_symbols(),
            p.require_numbers()
        ),
        (Some(128), Some(1095), Some(24), true, false)
    );
}
