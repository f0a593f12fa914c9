//! Account aliases and GetAccountSummary.

use crate::common::{Server, err_code};
use aws_sdk_iam::types::SummaryKeyType;

#[tokio::test]
async fn aliases() {
    let s = Server::dev();
    let iam = s.root_iam();
    assert!(
        iam.list_account_aliases()
            .send()
            .await
            .unwrap()
            .account_aliases()
            .is_empty()
    );
    iam.create_account_alias()
        .account_alias("acme-prod")
        .send()
        .await
        .unwrap();
    assert_eq!(
        iam.list_account_aliases()
            .send()
            .await
            .unwrap()
            .account_aliases(),
        ["acme-prod"]
    );
    assert_eq!(
        err_code(
            iam.create_account_alias()
                .account_alias("acme-dev")
                .send()
                .await
        ),
        ("LimitExceeded".into(), 409)
    );
    for bad in ["ab", "Acme", "a--b", "-abc", "123456789012", "a_b"] {
        let (code, status) = err_code(iam.create_account_alias().account_alias(bad).send().await);
        assert_eq!(status, 400, "{bad}: {code}");
    }
    assert_eq!(
        err_code(
            iam.delete_account_alias()
                .account_alias("acme-dev")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    iam.delete_account_alias()
        .account_alias("acme-prod")
        .send()
        .await
        .unwrap();
    assert!(
        iam.list_account_aliases()
            .send()
            .await
            .unwrap()
            .account_aliases()
            .is_empty()
    );
}

#[tokio::test]
async fn summary_counts_what_exists() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("a").send().await.unwrap();
    iam.create_user().user_name("b").send().await.unwrap();
    iam.create_group().group_name("g").send().await.unwrap();
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}"#;
    iam.create_policy()
        .policy_name("p")
        .policy_document(doc)
        .send()
        .await
        .unwrap();
    let out = iam.get_account_summary().send().await.unwrap();
    let map = out.summary_map().unwrap();
    assert_eq!(map.get(&SummaryKeyType::Users), Some(&2));
    assert_eq!(map.get(&SummaryKeyType::Groups), Some(&1));
    assert_eq!(map.get(&SummaryKeyType::Policies), Some(&1));
    assert_eq!(map.get(&SummaryKeyType::Roles), Some(&0));
    assert_eq!(
        map.get(&SummaryKeyType::AccountAccessKeysPresent),
        Some(&1),
        "the dev root key"
    );
    assert_eq!(map.get(&SummaryKeyType::AccountMfaEnabled), Some(&0));
    assert_eq!(map.get(&SummaryKeyType::UsersQuota), Some(&5000));
    assert_eq!(map.get(&SummaryKeyType::AccessKeysPerUserQuota), Some(&2));
}
