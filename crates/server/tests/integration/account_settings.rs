//! Account-wide settings: STS preferences, account properties, outbound web identity federation.

use crate::common::{Server, err_code};
use aws_sdk_iam::types::{GlobalEndpointTokenVersion, SummaryKeyType};
use std::collections::HashMap;

async fn token_version(iam: &aws_sdk_iam::Client) -> Option<i32> {
    iam.get_account_summary()
        .send()
        .await
        .unwrap()
        .summary_map()
        .unwrap()
        .get(&SummaryKeyType::GlobalEndpointTokenVersion)
        .copied()
}

#[tokio::test]
async fn sts_preferences_show_in_the_account_summary() {
    let s = Server::dev();
    let iam = s.root_iam();
    assert_eq!(token_version(&iam).await, Some(1));
    iam.set_security_token_service_preferences()
        .global_endpoint_token_version(GlobalEndpointTokenVersion::V2Token)
        .send()
        .await
        .unwrap();
    assert_eq!(token_version(&iam).await, Some(2));
    iam.set_security_token_service_preferences()
        .global_endpoint_token_version(GlobalEndpointTokenVersion::V1Token)
        .send()
        .await
        .unwrap();
    assert_eq!(token_version(&iam).await, Some(1));
    assert_eq!(
        err_code(
            iam.set_security_token_service_preferences()
                .global_endpoint_token_version(GlobalEndpointTokenVersion::from("v3Token"))
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
}

#[tokio::test]
async fn account_properties_are_kept_by_namespace() {
    let s = Server::dev();
    let iam = s.root_iam();
    let props = |iam: aws_sdk_iam::Client| async move {
        iam.get_account_properties()
            .send()
            .await
            .unwrap()
            .properties()
            .cloned()
            .unwrap_or_default()
    };
    assert!(props(iam.clone()).await.is_empty());
    iam.put_account_properties()
        .properties("RoleManager/Enabled", "true")
        .properties("RoleManager/MaxRoles", "10")
        .send()
        .await
        .unwrap();
    iam.put_account_properties()
        .properties("RoleManager/MaxRoles", "20")
        .send()
        .await
        .unwrap();
    assert_eq!(
        props(iam.clone()).await,
        HashMap::from([
            ("RoleManager/Enabled".to_string(), "true".to_string()),
            ("RoleManager/MaxRoles".to_string(), "20".to_string()),
        ])
    );
    // All keys of one request share a namespace, and keys are Namespace/PropertyName.
    assert_eq!(
        err_code(
            iam.put_account_properties()
                .properties("RoleManager/Enabled", "false")
                .properties("Other/Thing", "1")
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );
    assert_eq!(
        err_code(
            iam.put_account_properties()
                .properties("NoNamespace", "1")
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );
    assert_eq!(
        err_code(
            iam.put_account_properties()
                .properties("1Bad/Key", "1")
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
    assert_eq!(
        err_code(
            iam.put_account_properties()
                .properties("RoleManager/Big", "x".repeat(1025))
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
    assert_eq!(props(iam.clone()).await.len(), 2);
}

#[tokio::test]
async fn outbound_web_identity_federation_toggles() {
    let s = Server::dev();
    let iam = s.root_iam();
    let disabled = ("FeatureDisabled".to_string(), 404);
    assert_eq!(
        err_code(iam.get_outbound_web_identity_federation_info().send().await),
        disabled
    );
    assert_eq!(
        err_code(iam.disable_outbound_web_identity_federation().send().await),
        disabled
    );
    let issuer = iam
        .enable_outbound_web_identity_federation()
        .send()
        .await
        .unwrap()
        .issuer_identifier()
        .unwrap()
        .to_string();
    let host = issuer
        .strip_prefix("https://")
        .and_then(|h| h.strip_suffix(".tokens.sts.global.api.aws"))
        .unwrap();
    assert_eq!(host.len(), 36, "{issuer}");
    assert_eq!(
        err_code(iam.enable_outbound_web_identity_federation().send().await),
        ("FeatureEnabled".into(), 409)
    );
    let info = iam
        .get_outbound_web_identity_federation_info()
        .send()
        .await
        .unwrap();
    assert_eq!(info.issuer_identifier(), Some(issuer.as_str()));
    assert!(info.jwt_vending_enabled());
    iam.disable_outbound_web_identity_federation()
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(iam.get_outbound_web_identity_federation_info().send().await),
        disabled
    );
    // Enabled again, the account keeps its issuer.
    let again = iam
        .enable_outbound_web_identity_federation()
        .send()
        .await
        .unwrap();
    assert_eq!(again.issuer_identifier(), Some(issuer.as_str()));
}
