//! The console refuses what the API refuses, in the same words (both call core's rules): a
//! managed policy's document, a role's trust policy, a new console password, an entity that
//! exists already, an access key that is not there (its changes go through the same services);
//! and it generates and serves the credential report the API reads.

use crate::common::{Server, err_message};
use crate::console_client::{ADMIN_POLICY, Console, console_user};

const PASSWORD: &str = "Correct-Horse-9";
const OLD_POLICY: &str = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}"#;
const S3_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject"}]}"#;

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
