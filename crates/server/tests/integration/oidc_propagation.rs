//! UpdateOpenIDConnectProvider, and the same settings given to CreateOpenIDConnectProvider (not
//! in the Rust SDK yet: driven with signed raw requests).

use crate::common::{DEV_ACCOUNT, Server};
use crate::raw::{RawResponse, assert_error, root_call as call};

fn update(s: &Server, arn: &str, params: &[(&str, &str)]) -> RawResponse {
    let mut all = vec![
        ("Action", "UpdateOpenIDConnectProvider"),
        ("OpenIDConnectProviderArn", arn),
    ];
    all.extend_from_slice(params);
    call(s, &all)
}

fn get(s: &Server, arn: &str) -> String {
    let r = call(
        s,
        &[
            ("Action", "GetOpenIDConnectProvider"),
            ("OpenIDConnectProviderArn", arn),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-1234567890abcdef";

#[tokio::test]
async fn context_provider_and_identity_center_association() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_open_id_connect_provider()
        .url("https://idp.example.com")
        .client_id_list("app")
        .send()
        .await
        .unwrap();
    let arn = format!("arn:aws:iam::{DEV_ACCOUNT}:oidc-provider/idp.example.com");
    assert!(!get(&s, &arn).contains("<ContextProvider>"));

    // The association needs a context provider first.
    assert_error(
        &update(&s, &arn, &[("IdentityCenterInstanceArn", INSTANCE)]),
        400,
        "InvalidInput",
    );
    let r = update(
        &s,
        &arn,
        &[
            ("ContextProvider.SubjectSourceKey", "sub"),
            ("ContextProvider.SubjectTypeValue", "user"),
            (
                "ContextProvider.KeyDefinitionList.member.1.SourceKey",
                "email",
            ),
            (
                "ContextProvider.KeyDefinitionList.member.1.TargetKey",
                "user:email",
            ),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let body = get(&s, &arn);
    assert!(
        body.contains("<ContextProvider><KeyDefinitionList><member><SourceKey>email</SourceKey><TargetKey>user:email</TargetKey></member></KeyDefinitionList><SubjectSourceKey>sub</SubjectSourceKey><SubjectTypeValue>user</SubjectTypeValue></ContextProvider>"),
        "{body}"
    );
    assert_eq!(
        update(&s, &arn, &[("IdentityCenterInstanceArn", INSTANCE)]).status,
        200
    );
    assert!(get(&s, &arn).contains(&format!(
        "<IdentityCenterInstanceArn>{INSTANCE}</IdentityCenterInstanceArn>"
    )));
    // The context provider stays while an instance is associated.
    assert_error(
        &update(&s, &arn, &[("RemoveContextProvider", "true")]),
        400,
        "InvalidInput",
    );
    assert_eq!(
        update(&s, &arn, &[("RemoveIdentityCenterInstance", "true")]).status,
        200
    );
    assert_eq!(
        update(&s, &arn, &[("RemoveContextProvider", "true")]).status,
        200
    );
    let body = get(&s, &arn);
    assert!(!body.contains("<ContextProvider>") && !body.contains("IdentityCenterInstanceArn"));
}

#[tokio::test]
async fn documented_errors() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_open_id_connect_provider()
        .url("https://idp.example.com")
        .send()
        .await
        .unwrap();
    let arn = format!("arn:aws:iam::{DEV_ACCOUNT}:oidc-provider/idp.example.com");
    let missing = format!("arn:aws:iam::{DEV_ACCOUNT}:oidc-provider/other.example.com");
    assert_error(
        &update(&s, &missing, &[("RemoveContextProvider", "true")]),
        404,
        "NoSuchEntity",
    );
    assert_error(
        &update(&s, "arn:aws:iam::123456789012:user/not-a-provider", &[]),
        400,
        "InvalidInput",
    );
    // Nothing to change, both a value and its removal, or both settings at once.
    assert_error(&update(&s, &arn, &[]), 400, "InvalidInput");
    assert_error(
        &update(
            &s,
            &arn,
            &[
                ("ContextProvider.SubjectSourceKey", "sub"),
                ("RemoveContextProvider", "true"),
            ],
        ),
        400,
        "InvalidInput",
    );
    assert_error(
        &update(
            &s,
            &arn,
            &[
                ("ContextProvider.SubjectSourceKey", "sub"),
                ("IdentityCenterInstanceArn", INSTANCE),
            ],
        ),
        400,
        "InvalidInput",
    );
    // Keys follow AWS's character rules; type value and type key exclude each other.
    assert_error(
        &update(&s, &arn, &[("ContextProvider.SubjectSourceKey", " sub")]),
        400,
        "InvalidInput",
    );
    assert_error(
        &update(
            &s,
            &arn,
            &[
                ("ContextProvider.SubjectSourceKey", "sub"),
                ("ContextProvider.SubjectTypeValue", "user"),
                ("ContextProvider.SubjectTypeSourceKey", "kind"),
            ],
        ),
        400,
        "InvalidInput",
    );
}

#[tokio::test]
async fn settings_given_at_creation() {
    let s = Server::dev();
    let create = |url: &str, extra: &[(&'static str, &'static str)]| {
        let mut p = vec![("Action", "CreateOpenIDConnectProvider"), ("Url", url)];
        p.extend_from_slice(extra);
        call(&s, &p)
    };
    // An instance needs a context provider; neither is dropped silently.
    assert_error(
        &create(
            "https://a.example.com",
            &[("IdentityCenterInstanceArn", INSTANCE)],
        ),
        400,
        "InvalidInput",
    );
    assert_error(
        &create(
            "https://a.example.com",
            &[("ContextProvider.SubjectSourceKey", " sub")],
        ),
        400,
        "InvalidInput",
    );
    let r = create(
        "https://a.example.com",
        &[
            ("ContextProvider.SubjectSourceKey", "sub"),
            ("IdentityCenterInstanceArn", INSTANCE),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let body = get(
        &s,
        &format!("arn:aws:iam::{DEV_ACCOUNT}:oidc-provider/a.example.com"),
    );
    assert!(
        body.contains("<SubjectSourceKey>sub</SubjectSourceKey>"),
        "{body}"
    );
    assert!(body.contains(&format!(
        "<IdentityCenterInstanceArn>{INSTANCE}</IdentityCenterInstanceArn>"
    )));
}
