//! Authorization bypasses found by reading the request path, each pinned by a raw request no
//! SDK would send: what authorization decides on must be what the handler then does.

use crate::common::{DEV_ACCOUNT, Server, user_with_key};
use crate::raw::{assert_error, call_as};

/// Session tags at any list index need sts:TagSession: a request whose only tag is
/// `Tags.member.2` used to get a tagged session from a trust policy without TagSession.
#[tokio::test]
async fn session_tags_at_any_index_need_tag_session() {
    let s = Server::dev();
    let root = s.root_iam();
    let (key, secret) = user_with_key(&root, "alice").await;
    root.create_role()
        .role_name("plain")
        .assume_role_policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{DEV_ACCOUNT}:user/alice"}},"Action":"sts:AssumeRole"}}}}"#
        ))
        .send()
        .await
        .unwrap();
    let role = format!("arn:aws:iam::{DEV_ACCOUNT}:role/plain");
    let base = [
        ("Action", "AssumeRole"),
        ("RoleArn", role.as_str()),
        ("RoleSessionName", "sess"),
    ];
    let untagged = call_as(&s, "sts", (&key, &secret), &base);
    assert_eq!(untagged.status, 200, "{}", untagged.body);
    for index in ["1", "2", "7"] {
        let k = format!("Tags.member.{index}.Key");
        let v = format!("Tags.member.{index}.Value");
        let mut params = base.to_vec();
        params.extend([(k.as_str(), "team"), (v.as_str(), "x")]);
        let r = call_as(&s, "sts", (&key, &secret), &params);
        assert_error(&r, 403, "AccessDenied");
        assert!(r.body.contains("sts:TagSession"), "{index}: {}", r.body);
    }
}

fn policy(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

async fn user_with_policy(s: &Server, name: &str, statements: &str) -> aws_sdk_iam::Client {
    let root = s.root_iam();
    let (key, secret) = user_with_key(&root, name).await;
    root.put_user_policy()
        .user_name(name)
        .policy_name("p")
        .policy_document(policy(statements))
        .send()
        .await
        .unwrap();
    s.iam(&key, &secret)
}

/// Operations that create an entity are authorized against the entity's ARN (AWS's Service
/// Authorization Reference), so a Deny on that ARN holds and an Allow on it suffices.
#[tokio::test]
async fn creations_are_authorized_against_the_new_entitys_arn() {
    let s = Server::dev();
    let a = format!("arn:aws:iam::{DEV_ACCOUNT}");
    let alice = user_with_policy(
        &s,
        "alice",
        &format!(
            r#"{{"Effect":"Allow","Action":"*","Resource":"*"}},
               {{"Effect":"Deny","Action":"iam:CreatePolicy","Resource":"{a}:policy/admin/*"}},
               {{"Effect":"Deny","Action":"iam:CreateSAMLProvider","Resource":"{a}:saml-provider/corp"}},
               {{"Effect":"Deny","Action":"iam:CreateOpenIDConnectProvider","Resource":"{a}:oidc-provider/evil.example.com"}},
               {{"Effect":"Deny","Action":"iam:CreateServiceLinkedRole","Resource":"{a}:role/aws-service-role/elasticbeanstalk.amazonaws.com/*"}}"#
        ),
    )
    .await;
    let doc = policy(r#"{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}"#);
    let r = alice
        .create_policy()
        .path("/admin/")
        .policy_name("escalate")
        .policy_document(&doc)
        .send()
        .await;
    assert_eq!(
        crate::common::err_message(r),
        format!(
            "User: {a}:user/alice is not authorized to perform: iam:CreatePolicy on resource: {a}:policy/admin/escalate with an explicit deny in an identity-based policy"
        )
    );
    alice
        .create_policy()
        .path("/team/")
        .policy_name("fine")
        .policy_document(&doc)
        .send()
        .await
        .unwrap();
    // The model wants at least 1,000 characters of metadata.
    let metadata = format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com"><!--{}--><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>"#,
        "x".repeat(1000)
    );
    let metadata = metadata.as_str();
    let r = alice
        .create_saml_provider()
        .name("corp")
        .saml_metadata_document(metadata)
        .send()
        .await;
    assert_eq!(crate::common::err_code(r).0, "AccessDenied");
    alice
        .create_saml_provider()
        .name("fine")
        .saml_metadata_document(metadata)
        .send()
        .await
        .unwrap();
    let r = alice
        .create_open_id_connect_provider()
        .url("https://evil.example.com")
        .client_id_list("sts.amazonaws.com")
        .send()
        .await;
    let m = crate::common::err_message(r);
    assert!(
        m.contains("iam:CreateOpenIDConnectProvider on resource: "),
        "{m}"
    );
    alice
        .create_open_id_connect_provider()
        .url("https://fine.example.com")
        .client_id_list("sts.amazonaws.com")
        .send()
        .await
        .unwrap();
    let r = alice
        .create_service_linked_role()
        .aws_service_name("elasticbeanstalk.amazonaws.com")
        .send()
        .await;
    assert_eq!(crate::common::err_code(r).0, "AccessDenied");

    // AWS's "force MFA" self-service policy: a device named for the user, on its own ARN.
    let bob = user_with_policy(
        &s,
        "bob",
        r#"{"Effect":"Allow","Action":"iam:CreateVirtualMFADevice","Resource":"arn:aws:iam::*:mfa/${aws:username}"}"#,
    )
    .await;
    bob.create_virtual_mfa_device()
        .virtual_mfa_device_name("bob")
        .send()
        .await
        .unwrap();
    let r = bob
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("alice")
        .send()
        .await;
    assert_eq!(
        crate::common::err_message(r),
        format!(
            "User: {a}:user/bob is not authorized to perform: iam:CreateVirtualMFADevice on resource: {a}:mfa/alice because no identity-based policy allows the iam:CreateVirtualMFADevice action"
        )
    );

    // Access-advisor reports are authorized against the entity they report on.
    let carol = user_with_policy(
        &s,
        "carol",
        &format!(
            r#"{{"Effect":"Allow","Action":["iam:GenerateServiceLastAccessedDetails","iam:ListPoliciesGrantingServiceAccess"],"Resource":"{a}:user/carol"}}"#
        ),
    )
    .await;
    carol
        .generate_service_last_accessed_details()
        .arn(format!("{a}:user/carol"))
        .send()
        .await
        .unwrap();
    let r = carol
        .generate_service_last_accessed_details()
        .arn(format!("{a}:user/alice"))
        .send()
        .await;
    assert_eq!(crate::common::err_code(r).0, "AccessDenied");
    carol
        .list_policies_granting_service_access()
        .arn(format!("{a}:user/carol"))
        .service_namespaces("iam")
        .send()
        .await
        .unwrap();
}

/// AWS managed policies are read with identity policies alone: their `aws` account does not
/// make the read cross-account.
#[tokio::test]
async fn aws_managed_policies_are_readable_with_identity_policies() {
    let s = Server::dev();
    let auditor = user_with_policy(
        &s,
        "auditor",
        r#"{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}"#,
    )
    .await;
    let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    let p = auditor.get_policy().policy_arn(admin).send().await.unwrap();
    let version = p
        .policy()
        .unwrap()
        .default_version_id()
        .unwrap()
        .to_string();
    auditor
        .get_policy_version()
        .policy_arn(admin)
        .version_id(version)
        .send()
        .await
        .unwrap();
    auditor
        .list_policy_versions()
        .policy_arn(admin)
        .send()
        .await
        .unwrap();
    auditor
        .list_entities_for_policy()
        .policy_arn(admin)
        .send()
        .await
        .unwrap();
    // Without an identity policy that allows it, the read is still refused.
    let nobody = user_with_policy(
        &s,
        "nobody",
        r#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}"#,
    )
    .await;
    let r = nobody.get_policy().policy_arn(admin).send().await;
    let message = crate::common::err_message(r);
    assert!(
        message.ends_with("because no identity-based policy allows the iam:GetPolicy action"),
        "{message}"
    );
}
