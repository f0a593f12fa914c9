//! Explaining decisions: `--explain` logs every authorization decision with the statements that
//! made it, and AccessDenied carries an encoded failure message that
//! DecodeAuthorizationMessage turns back into the decision for callers allowed to read it.

use crate::authz::grant;
use crate::common::{DEV_ACCOUNT, Server, err_code, err_message, user_with_key};

#[tokio::test]
async fn explain_logs_every_decision_with_its_reason() {
    let s = Server::spawn(
        &["dev", "--listen", "127.0.0.1:0", "--explain"],
        &[("PORTCULLIS_LOG", "info")],
    );
    let root = s.root_iam();
    let (id, secret) = user_with_key(&root, "quinn").await;
    grant(
        &root,
        "quinn",
        "list",
        r#"{"Sid":"ListThem","Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}"#,
    )
    .await;
    let quinn = s.iam(&id, &secret);
    quinn.list_users().send().await.unwrap();
    let _ = quinn.list_roles().send().await;
    // The log is read from the server's stderr by another thread: wait for the last line.
    let mut log = String::new();
    for _ in 0..100 {
        log = s.log.lock().unwrap().clone();
        if log.contains("iam:ListRoles") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("portcullis::explain"))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("iam:ListUsers") && l.contains("Allow") && l.contains("#ListThem")),
        "{log}"
    );
    assert!(
        lines.iter().any(|l| l.contains("iam:ListRoles")
            && l.contains("ImplicitDeny")
            && l.contains("because no identity-based policy allows the iam:ListRoles action")),
        "{log}"
    );
}

#[tokio::test]
async fn encoded_failure_messages_are_decoded_for_those_allowed() {
    let s = Server::spawn(&["dev", "--listen", "127.0.0.1:0", "--explain"], &[]);
    let root = s.root_iam();
    let (id, secret) = user_with_key(&root, "rory").await;
    let rory = s.iam(&id, &secret);
    let message = err_message(rory.list_roles().send().await);
    let (plain, encoded) = message
        .split_once(" Encoded authorization failure message: ")
        .unwrap_or_else(|| panic!("no encoded message in {message}"));
    assert_eq!(
        plain,
        format!(
            "User: arn:aws:iam::{DEV_ACCOUNT}:user/rory is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::{DEV_ACCOUNT}:role/ because no identity-based policy allows the iam:ListRoles action"
        )
    );
    // Rory may not decode it; root may.
    let rory_sts = s.sts(&id, &secret);
    assert_eq!(
        err_code(
            rory_sts
                .decode_authorization_message()
                .encoded_message(encoded)
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    let decoded = s
        .root_sts()
        .decode_authorization_message()
        .encoded_message(encoded)
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(decoded.decoded_message().unwrap()).unwrap();
    assert_eq!(v["allowed"], false);
    assert_eq!(v["explicitDeny"], false);
    assert_eq!(v["context"]["action"], "iam:ListRoles");
    assert_eq!(
        v["context"]["principal"]["arn"],
        format!("arn:aws:iam::{DEV_ACCOUNT}:user/rory")
    );
    // The whole request context, though rory has no policy that reads any of it.
    let conditions: std::collections::HashMap<String, Vec<String>> =
        v["context"]["conditions"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let values = c["values"]["items"].as_array().unwrap();
                (
                    c["key"].as_str().unwrap().to_string(),
                    values
                        .iter()
                        .map(|x| x["value"].as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect();
    assert_eq!(conditions["aws:username"], ["rory"]);
    assert_eq!(conditions["aws:sourceip"], ["127.0.0.1"]);
    assert_eq!(conditions["aws:principaltype"], ["User"]);
    assert!(conditions.contains_key("aws:currenttime"), "{conditions:?}");
    let r = s
        .root_sts()
        .decode_authorization_message()
        .encoded_message("bm90IGEgbWVzc2FnZQ==")
        .send()
        .await;
    assert_eq!(
        err_code(r),
        ("InvalidAuthorizationMessageException".into(), 400)
    );
}
