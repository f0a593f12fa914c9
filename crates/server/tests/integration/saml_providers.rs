//! SAML providers: metadata documents checked as SAML metadata, ValidUntil from the metadata or
//! AWS's default, updates, tags, NoSuchEntity for a missing provider, the account quota, the
//! assertion encryption mode and private keys (sealed, never returned), and the identity
//! propagation settings (not in the Rust SDK yet: signed raw requests).

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message};
use crate::raw::{RawResponse, assert_error, root_call};
use aws_sdk_iam::types::{SummaryKeyType, Tag};

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

/// A metadata document over AWS's 1,000-character minimum.
pub(crate) fn metadata(valid_until: Option<&str>) -> String {
    let until = valid_until
        .map(|v| format!(r#" validUntil="{v}""#))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com/saml"{until}>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#,
        "MIIC".repeat(250)
    )
}

#[tokio::test]
async fn saml_provider_lifecycle() {
    let s = Server::dev();
    let iam = s.root_iam();
    let doc = metadata(Some("2031-05-04T03:02:01Z"));
    let created = iam
        .create_saml_provider()
        .name("Okta")
        .saml_metadata_document(&doc)
        .tags(tag("env", "prod"))
        .send()
        .await
        .unwrap();
    let arn = format!("arn:aws:iam::{DEV_ACCOUNT}:saml-provider/Okta");
    assert_eq!(created.saml_provider_arn(), Some(arn.as_str()));
    assert_eq!(created.tags(), [tag("env", "prod")]);
    let dup = iam
        .create_saml_provider()
        .name("Okta")
        .saml_metadata_document(&doc)
        .send()
        .await;
    assert_eq!(err_code(dup), ("EntityAlreadyExists".into(), 409));

    let got = iam
        .get_saml_provider()
        .saml_provider_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(got.saml_metadata_document(), Some(doc.as_str()));
    assert_eq!(got.valid_until().map(|t| t.secs()), Some(1_935_630_121));
    assert!(got.create_date().is_some());
    assert_eq!(got.saml_provider_uuid().map(str::len), Some(36));
    assert_eq!(got.tags(), [tag("env", "prod")]);

    // Without validUntil, AWS's default: a century after creation.
    iam.create_saml_provider()
        .name("Azure_AD-1.x")
        .saml_metadata_document(metadata(None))
        .send()
        .await
        .unwrap();
    let listed = iam.list_saml_providers().send().await.unwrap();
    let entries = listed.saml_provider_list();
    assert_eq!(
        entries.iter().filter_map(|p| p.arn()).collect::<Vec<_>>(),
        [
            format!("arn:aws:iam::{DEV_ACCOUNT}:saml-provider/Azure_AD-1.x"),
            arn.clone()
        ]
    );
    let azure = &entries[0];
    let span = azure.valid_until().unwrap().secs() - azure.create_date().unwrap().secs();
    assert!(
        (100 * 365 * 86_400..=100 * 366 * 86_400).contains(&span),
        "{span}"
    );
    assert_eq!(
        entries[1].valid_until().map(|t| t.secs()),
        Some(1_935_630_121)
    );

    let updated = iam
        .update_saml_provider()
        .saml_provider_arn(&arn)
        .saml_metadata_document(metadata(Some("2032-01-01T00:00:00Z")))
        .send()
        .await
        .unwrap();
    assert_eq!(updated.saml_provider_arn(), Some(arn.as_str()));
    let got = iam
        .get_saml_provider()
        .saml_provider_arn(&arn)
        .send()
        .await
        .unwrap();
    assert!(got.saml_metadata_document().unwrap().contains("2032-01-01"));
    assert_eq!(got.valid_until().map(|t| t.secs()), Some(1_956_528_000));
    assert_eq!(
        err_code(
            iam.update_saml_provider()
                .saml_provider_arn(&arn)
                .saml_metadata_document(format!("<notxml{}", " ".repeat(1000)))
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );

    iam.tag_saml_provider()
        .saml_provider_arn(&arn)
        .tags(tag("Env", "x"))
        .send()
        .await
        .unwrap();
    let page = iam
        .list_saml_provider_tags()
        .saml_provider_arn(&arn)
        .max_items(1)
        .send()
        .await
        .unwrap();
    assert_eq!(page.tags(), [tag("env", "prod")]);
    assert!(page.is_truncated());
    let rest = iam
        .list_saml_provider_tags()
        .saml_provider_arn(&arn)
        .marker(page.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.tags(), [tag("Env", "x")]);
    assert!(!rest.is_truncated());
    iam.untag_saml_provider()
        .saml_provider_arn(&arn)
        .tag_keys("env")
        .send()
        .await
        .unwrap();
    assert_eq!(
        iam.list_saml_provider_tags()
            .saml_provider_arn(&arn)
            .send()
            .await
            .unwrap()
            .tags(),
        [tag("Env", "x")]
    );

    iam.delete_saml_provider()
        .saml_provider_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_message(iam.get_saml_provider().saml_provider_arn(&arn).send().await),
        format!("Manifest not found for arn {arn}")
    );
    let missing = [
        err_code(iam.get_saml_provider().saml_provider_arn(&arn).send().await),
        err_code(
            iam.delete_saml_provider()
                .saml_provider_arn(&arn)
                .send()
                .await,
        ),
        err_code(
            iam.update_saml_provider()
                .saml_provider_arn(&arn)
                .saml_metadata_document(&doc)
                .send()
                .await,
        ),
        err_code(
            iam.tag_saml_provider()
                .saml_provider_arn(&arn)
                .tags(tag("k", "v"))
                .send()
                .await,
        ),
        err_code(
            iam.untag_saml_provider()
                .saml_provider_arn(&arn)
                .tag_keys("k")
                .send()
                .await,
        ),
        err_code(
            iam.list_saml_provider_tags()
                .saml_provider_arn(&arn)
                .send()
                .await,
        ),
    ];
    for m in missing {
        assert_eq!(m, ("NoSuchEntity".into(), 404));
    }
    assert_eq!(
        err_code(
            iam.get_saml_provider()
                .saml_provider_arn(format!("arn:aws:iam::{DEV_ACCOUNT}:role/Okta"))
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );
}

#[tokio::test]
async fn saml_metadata_and_name_rules() {
    let s = Server::dev();
    let iam = s.root_iam();
    let create = |name: &str, doc: String| {
        iam.create_saml_provider()
            .name(name)
            .saml_metadata_document(doc)
    };
    let good = metadata(None);
    let not_metadata = [
        // Not well-formed.
        good.replace("</md:EntityDescriptor>", ""),
        // Well-formed, but not SAML metadata.
        format!(
            "<EntityDescriptor xmlns=\"urn:example\"><x>{}</x></EntityDescriptor>",
            "a".repeat(1000)
        ),
        // A validUntil that is no date.
        good.replace("entityID=", "validUntil=\"someday\" entityID="),
    ];
    for doc in not_metadata {
        let r = create("p", doc.clone()).send().await;
        assert_eq!(err_code(r), ("InvalidInput".into(), 400), "{doc}");
    }
    assert_eq!(
        err_message(
            create("p", good.replace("<md:IDP", "<md:IDP<"))
                .send()
                .await
        ),
        "Could not parse metadata"
    );
    assert_eq!(
        err_code(create("p", "<a/>".into()).send().await),
        ("ValidationError".into(), 400),
        "under 1,000 characters"
    );
    for bad in ["has space", "slash/name", &"n".repeat(129)] {
        assert_eq!(
            err_code(create(bad, good.clone()).send().await),
            ("ValidationError".into(), 400),
            "{bad}"
        );
    }
    assert_eq!(
        err_code(
            create("p", good.clone())
                .tags(tag("aws:x", "y"))
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );
    assert_eq!(
        err_code(
            create("p", good.clone())
                .assertion_encryption_mode(
                    aws_sdk_iam::types::AssertionEncryptionModeType::Required
                )
                .send()
                .await
        ),
        ("InvalidInput".into(), 400),
        "encrypted assertions are required only with a key to decrypt them"
    );
}

#[tokio::test]
async fn saml_provider_quota_and_summary() {
    let s = Server::dev();
    let iam = s.root_iam();
    let doc = metadata(None);
    for i in 0..100 {
        iam.create_saml_provider()
            .name(format!("idp{i}"))
            .saml_metadata_document(&doc)
            .send()
            .await
            .unwrap();
    }
    let over = iam
        .create_saml_provider()
        .name("one-too-many")
        .saml_metadata_document(&doc)
        .send()
        .await;
    assert_eq!(err_code(over), ("LimitExceeded".into(), 409));
    iam.create_open_id_connect_provider()
        .url("https://idp.example.com")
        .send()
        .await
        .unwrap();
    let summary = iam.get_account_summary().send().await.unwrap();
    assert_eq!(
        summary
            .summary_map()
            .unwrap()
            .get(&SummaryKeyType::Providers),
        Some(&101),
        "SAML and OIDC providers together"
    );
}

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-1234567890abcdef";
const CONTEXT: &[(&str, &str)] = &[
    ("ContextProvider.SubjectSourceKey", "NameID"),
    ("ContextProvider.SubjectTypeSourceKey", "https://aws/type"),
    (
        "ContextProvider.KeyDefinitionList.member.1.SourceKey",
        "email",
    ),
];

fn saml_call(s: &Server, action: &str, params: &[(&str, &str)]) -> RawResponse {
    let mut all = vec![("Action", action)];
    all.extend_from_slice(params);
    root_call(s, &all)
}

fn get_body(s: &Server, arn: &str) -> String {
    let r = saml_call(s, "GetSAMLProvider", &[("SAMLProviderArn", arn)]);
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[tokio::test]
async fn identity_propagation_settings() {
    let s = Server::dev();
    let doc = metadata(None);
    let create = |name: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut p = vec![("Name", name), ("SAMLMetadataDocument", doc.as_str())];
        p.extend_from_slice(extra);
        saml_call(&s, "CreateSAMLProvider", &p)
    };
    // The association needs a context provider, and an Identity Center instance ARN.
    assert_error(
        &create("idc", &[("IdentityCenterInstanceArn", INSTANCE)]),
        400,
        "InvalidInput",
    );
    let mut bad_instance = CONTEXT.to_vec();
    bad_instance.push((
        "IdentityCenterInstanceArn",
        "arn:aws:iam::123456789012:role/x",
    ));
    assert_error(&create("idc", &bad_instance), 400, "InvalidInput");
    let mut with_both = CONTEXT.to_vec();
    with_both.push(("IdentityCenterInstanceArn", INSTANCE));
    let r = create("idc", &with_both);
    assert_eq!(r.status, 200, "{}", r.body);
    let arn = format!("arn:aws:iam::{DEV_ACCOUNT}:saml-provider/idc");
    let body = get_body(&s, &arn);
    assert!(
        body.contains("<ContextProvider><KeyDefinitionList><member><SourceKey>email</SourceKey></member></KeyDefinitionList><SubjectSourceKey>NameID</SubjectSourceKey><SubjectTypeSourceKey>https://aws/type</SubjectTypeSourceKey></ContextProvider>"),
        "{body}"
    );
    assert!(body.contains(&format!(
        "<IdentityCenterInstanceArn>{INSTANCE}</IdentityCenterInstanceArn>"
    )));
    // The SDK still reads the answer.
    let got = s
        .root_iam()
        .get_saml_provider()
        .saml_provider_arn(&arn)
        .send()
        .await
        .unwrap();
    assert!(got.saml_metadata_document().is_some());

    let update = |extra: &[(&str, &str)]| {
        let mut p = vec![("SAMLProviderArn", arn.as_str())];
        p.extend_from_slice(extra);
        saml_call(&s, "UpdateSAMLProvider", &p)
    };
    // The context provider stays while an instance is associated.
    assert_error(
        &update(&[("RemoveContextProvider", "true")]),
        400,
        "InvalidInput",
    );
    assert_error(
        &update(&[
            ("IdentityCenterInstanceArn", INSTANCE),
            ("RemoveIdentityCenterInstance", "true"),
        ]),
        400,
        "InvalidInput",
    );
    assert_error(
        &update(&[
            ("ContextProvider.SubjectSourceKey", "sub"),
            ("RemoveContextProvider", "true"),
        ]),
        400,
        "InvalidInput",
    );
    // Keys are checked: no leading space, no double space.
    assert_error(
        &update(&[("ContextProvider.SubjectSourceKey", "a  b")]),
        400,
        "InvalidInput",
    );
    assert_error(
        &update(&[
            ("ContextProvider.SubjectSourceKey", "sub"),
            ("ContextProvider.SubjectTypeValue", "user"),
            ("ContextProvider.SubjectTypeSourceKey", "type"),
        ]),
        400,
        "InvalidInput",
    );
    assert_eq!(
        update(&[("RemoveIdentityCenterInstance", "true")]).status,
        200
    );
    let body = get_body(&s, &arn);
    assert!(body.contains("<ContextProvider>") && !body.contains("IdentityCenterInstanceArn"));
    // Replaced as a whole.
    let r = update(&[
        ("ContextProvider.SubjectSourceKey", "sub"),
        ("ContextProvider.SubjectTypeValue", "workload"),
    ]);
    assert_eq!(r.status, 200, "{}", r.body);
    let body = get_body(&s, &arn);
    assert!(
        body.contains("<ContextProvider><KeyDefinitionList/><SubjectSourceKey>sub</SubjectSourceKey><SubjectTypeValue>workload</SubjectTypeValue></ContextProvider>")
            || body.contains("<ContextProvider><KeyDefinitionList></KeyDefinitionList><SubjectSourceKey>sub</SubjectSourceKey><SubjectTypeValue>workload</SubjectTypeValue></ContextProvider>"),
        "{body}"
    );
    assert_eq!(update(&[("RemoveContextProvider", "true")]).status, 200);
    let body = get_body(&s, &arn);
    assert!(!body.contains("<ContextProvider>") && !body.contains("IdentityCenterInstanceArn"));
    // An update may change the metadata alone, and settings stay as they are.
    assert_eq!(
        update(&[("SAMLMetadataDocument", doc.as_str())]).status,
        200
    );
    let missing = format!("arn:aws:iam::{DEV_ACCOUNT}:saml-provider/missing");
    assert_error(
        &saml_call(
            &s,
            "UpdateSAMLProvider",
            &[
                ("SAMLProviderArn", &missing),
                ("RemoveContextProvider", "true"),
            ],
        ),
        404,
        "NoSuchEntity",
    );
}
