//! Inline policies of users and groups: validation, size quotas, URL-encoded documents.

use crate::common::{Server, err_code, err_message, url_decode as decode};

const ALLOW_GET: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}]}"#;

#[tokio::test]
async fn user_and_group_inline_policies() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("ip").send().await.unwrap();
    iam.create_group().group_name("gp").send().await.unwrap();
    iam.put_user_policy()
        .user_name("ip")
        .policy_name("get")
        .policy_document(ALLOW_GET)
        .send()
        .await
        .unwrap();
    iam.put_group_policy()
        .group_name("gp")
        .policy_name("get")
        .policy_document(ALLOW_GET)
        .send()
        .await
        .unwrap();

    let got = iam
        .get_user_policy()
        .user_name("ip")
        .policy_name("get")
        .send()
        .await
        .unwrap();
    assert_eq!(got.user_name(), "ip");
    assert!(
        got.policy_document()
            .starts_with("%7B%22Version%22%3A%20%222012-10-17%22"),
        "{}",
        got.policy_document()
    );
    assert_eq!(
        decode(got.policy_document()),
        ALLOW_GET,
        "the document comes back as submitted"
    );
    let g = iam
        .get_group_policy()
        .group_name("gp")
        .policy_name("get")
        .send()
        .await
        .unwrap();
    assert_eq!(g.group_name(), "gp");

    // Putting the same name replaces the document.
    let deny = ALLOW_GET.replace("Allow", "Deny");
    iam.put_user_policy()
        .user_name("ip")
        .policy_name("get")
        .policy_document(&deny)
        .send()
        .await
        .unwrap();
    let got = iam
        .get_user_policy()
        .user_name("ip")
        .policy_name("get")
        .send()
        .await
        .unwrap();
    assert_eq!(decode(got.policy_document()), deny);
    iam.put_user_policy()
        .user_name("ip")
        .policy_name("another")
        .policy_document(ALLOW_GET)
        .send()
        .await
        .unwrap();
    let names = iam
        .list_user_policies()
        .user_name("ip")
        .send()
        .await
        .unwrap();
    assert_eq!(names.policy_names(), ["another", "get"]);
    let page = iam
        .list_user_policies()
        .user_name("ip")
        .max_items(1)
        .send()
        .await
        .unwrap();
    assert!(page.is_truncated());

    assert_eq!(
        err_code(iam.delete_user().user_name("ip").send().await),
        ("DeleteConflict".into(), 409)
    );
    assert_eq!(
        err_code(iam.delete_group().group_name("gp").send().await),
        ("DeleteConflict".into(), 409)
    );
    assert_eq!(
        err_code(
            iam.get_user_policy()
                .user_name("ip")
                .policy_name("nope")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    assert_eq!(
        err_code(
            iam.put_user_policy()
                .user_name("nobody")
                .policy_name("p")
                .policy_document(ALLOW_GET)
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    for n in ["another", "get"] {
        iam.delete_user_policy()
            .user_name("ip")
            .policy_name(n)
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        err_code(
            iam.delete_user_policy()
                .user_name("ip")
                .policy_name("get")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    iam.delete_user().user_name("ip").send().await.unwrap();
    iam.delete_group_policy()
        .group_name("gp")
        .policy_name("get")
        .send()
        .await
        .unwrap();
    iam.delete_group().group_name("gp").send().await.unwrap();
}

#[tokio::test]
async fn malformed_documents_and_size_quotas() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("q").send().await.unwrap();
    let put = |doc: String| {
        iam.put_user_policy()
            .user_name("q")
            .policy_name("p")
            .policy_document(doc)
            .send()
    };
    assert_eq!(
        err_code(put("{not json".into()).await),
        ("MalformedPolicyDocument".into(), 400)
    );
    let with_principal = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"iam:*","Resource":"*"}}"#;
    assert_eq!(
        err_code(put(with_principal.into()).await),
        ("MalformedPolicyDocument".into(), 400)
    );
    // Whitespace does not count toward the quota; other characters do.
    let padded = ALLOW_GET.replace(' ', &" ".repeat(200));
    put(padded).await.unwrap();
    let resources: Vec<String> = (0..80)
        .map(|i| format!("\"arn:aws:iam::123456789012:user/u{i:04}\""))
        .collect();
    let big = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"iam:GetUser","Resource":[{}]}}}}"#,
        resources.join(",")
    );
    assert!(big.len() > 2048);
    assert_eq!(err_code(put(big).await), ("LimitExceeded".into(), 409));
    assert_eq!(
        err_message(iam.put_user_policy().user_name("q").policy_name("p").policy_document(format!(r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"iam:GetUser","Resource":[{}]}}}}"#, resources.join(","))).send().await),
        "Maximum policy size of 2048 bytes exceeded for user q"
    );
    // The quota counts all of a user's inline policies together.
    let half: Vec<String> = (0..30)
        .map(|i| format!("\"arn:aws:iam::123456789012:user/u{i:04}\""))
        .collect();
    let doc = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"iam:GetUser","Resource":[{}]}}}}"#,
        half.join(",")
    );
    iam.put_user_policy()
        .user_name("q")
        .policy_name("a")
        .policy_document(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(
            iam.put_user_policy()
                .user_name("q")
                .policy_name("b")
                .policy_document(&doc)
                .send()
                .await
        ),
        ("LimitExceeded".into(), 409)
    );
    // A group's quota is larger.
    iam.create_group().group_name("big").send().await.unwrap();
    iam.put_group_policy()
        .group_name("big")
        .policy_name("a")
        .policy_document(&doc)
        .send()
        .await
        .unwrap();
    iam.put_group_policy()
        .group_name("big")
        .policy_name("b")
        .policy_document(&doc)
        .send()
        .await
        .unwrap();
}
