//! OpenID Connect providers: URL rules, client ids and thumbprints with their quotas, tags,
//! NoSuchEntity for every operation on a missing provider, and the account quota.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message};
use aws_sdk_iam::types::{SummaryKeyType, Tag};

const GH: &str = "https://token.actions.githubusercontent.com";

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

fn gh_arn() -> String {
    format!("arn:aws:iam::{DEV_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com")
}

#[tokio::test]
async fn oidc_provider_lifecycle() {
    let s = Server::dev();
    let iam = s.root_iam();
    let created = iam
        .create_open_id_connect_provider()
        .url(GH)
        .client_id_list("sts.amazonaws.com")
        .thumbprint_list("6938FD4D98BAB03FAADB97B34396831E3780AEA1")
        .tags(tag("env", "ci"))
        .send()
        .await
        .unwrap();
    let arn = gh_arn();
    assert_eq!(created.open_id_connect_provider_arn(), Some(arn.as_str()));
    assert_eq!(created.tags(), [tag("env", "ci")]);
    let dup = iam.create_open_id_connect_provider().url(GH).send().await;
    assert_eq!(
        err_message(iam.create_open_id_connect_provider().url(GH).send().await),
        format!("Provider with url {GH} already exists.")
    );
    assert_eq!(err_code(dup), ("EntityAlreadyExists".into(), 409));

    let got = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(got.url(), Some("token.actions.githubusercontent.com"));
    assert_eq!(got.client_id_list(), ["sts.amazonaws.com"]);
    assert_eq!(
        got.thumbprint_list(),
        ["6938fd4d98bab03faadb97b34396831e3780aea1"],
        "thumbprints are kept lowercase"
    );
    assert!(got.create_date().is_some());
    assert_eq!(got.tags(), [tag("env", "ci")]);

    // ThumbprintList may be left out; a path is part of the URL and the ARN.
    iam.create_open_id_connect_provider()
        .url("https://login.example.com/tenant/v2.0")
        .send()
        .await
        .unwrap();
    let listed = iam.list_open_id_connect_providers().send().await.unwrap();
    let arns: Vec<&str> = listed
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn())
        .collect();
    let tenant = format!("arn:aws:iam::{DEV_ACCOUNT}:oidc-provider/login.example.com/tenant/v2.0");
    assert_eq!(arns, [tenant.as_str(), arn.as_str()]);
    assert!(
        iam.get_open_id_connect_provider()
            .open_id_connect_provider_arn(&tenant)
            .send()
            .await
            .unwrap()
            .thumbprint_list()
            .is_empty()
    );

    // Client ids: adding twice and removing an absent one are not errors.
    for _ in 0..2 {
        iam.add_client_id_to_open_id_connect_provider()
            .open_id_connect_provider_arn(&arn)
            .client_id("my-app")
            .send()
            .await
            .unwrap();
    }
    iam.remove_client_id_from_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .client_id("sts.amazonaws.com")
        .send()
        .await
        .unwrap();
    iam.remove_client_id_from_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .client_id("never-added")
        .send()
        .await
        .unwrap();
    iam.update_open_id_connect_provider_thumbprint()
        .open_id_connect_provider_arn(&arn)
        .thumbprint_list("a".repeat(40))
        .thumbprint_list("B".repeat(40))
        .send()
        .await
        .unwrap();
    let got = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(got.client_id_list(), ["my-app"]);
    assert_eq!(got.thumbprint_list(), ["a".repeat(40), "b".repeat(40)]);

    iam.tag_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .tags(tag("Env", "x"))
        .tags(tag("team", "y"))
        .send()
        .await
        .unwrap();
    let page = iam
        .list_open_id_connect_provider_tags()
        .open_id_connect_provider_arn(&arn)
        .max_items(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page.tags(), [tag("env", "ci"), tag("Env", "x")]);
    assert!(page.is_truncated());
    let rest = iam
        .list_open_id_connect_provider_tags()
        .open_id_connect_provider_arn(&arn)
        .marker(page.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.tags(), [tag("team", "y")]);
    assert!(!rest.is_truncated());
    iam.untag_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .tag_keys("env")
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    assert_eq!(
        iam.list_open_id_connect_provider_tags()
            .open_id_connect_provider_arn(&arn)
            .send()
            .await
            .unwrap()
            .tags(),
        [tag("Env", "x")]
    );

    iam.delete_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await
        .unwrap();
    let gone = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await;
    assert_eq!(
        err_message(
            iam.get_open_id_connect_provider()
                .open_id_connect_provider_arn(&arn)
                .send()
                .await
        ),
        format!("OpenIDConnect Provider not found for arn {arn}")
    );
    assert_eq!(err_code(gone), ("NoSuchEntity".into(), 404));
    let missing = [
        err_code(
            iam.delete_open_id_connect_provider()
                .open_id_connect_provider_arn(&arn)
                .send()
                .await,
        ),
        err_code(
            iam.add_client_id_to_open_id_connect_provider()
                .open_id_connect_provider_arn(&arn)
                .client_id("x")
                .send()
                .await,
        ),
        err_code(
            iam.remove_client_id_from_open_id_connect_provider()
                .open_id_connect_provider_arn(&arn)
                .client_id("x")
                .send()
                .await,
        ),
        err_code(
            iam.update_open_id_connect_provider_thumbprint()
                .open_id_connect_provider_arn(&arn)
                .thumbprint_list("a".repeat(40))
                .send()
                .await,
        ),
        err_code(
            iam.tag_open_id_connect_provider()
                .open_id_connect_provider_arn(&arn)
                .tags(tag("k", "v"))
                .send()
                .await,
        ),
        err_code(
            iam.untag_open_id_connect_provider()
                .open_id_connect_provider_arn(&arn)
                .tag_keys("k")
                .send()
                .await,
        ),
        err_code(
            iam.list_open_id_connect_provider_tags()
                .open_id_connect_provider_arn(&arn)
                .send()
                .await,
        ),
    ];
    for m in missing {
        assert_eq!(m, ("NoSuchEntity".into(), 404));
    }
    assert_eq!(
        err_code(
            iam.get_open_id_connect_provider()
                .open_id_connect_provider_arn("arn:aws:iam::123456789012:user/alice")
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );
}

#[tokio::test]
async fn oidc_provider_input_rules() {
    let s = Server::dev();
    let iam = s.root_iam();
    let create = |url: &str| iam.create_open_id_connect_provider().url(url);
    assert_eq!(
        err_code(create("http://example.com").send().await),
        ("InvalidInput".into(), 400)
    );
    assert_eq!(
        err_message(create("http://example.com").send().await),
        "Invalid Open ID Connect Provider URL. The URL must begin with https://."
    );
    for bad in [
        "https://example.com:8443",
        "https://example.com/path?q=1",
        "https://",
    ] {
        assert_eq!(
            err_code(create(bad).send().await),
            ("InvalidInput".into(), 400),
            "{bad}"
        );
    }
    assert_eq!(
        err_code(create("example.com").send().await),
        ("ValidationError".into(), 400)
    );
    assert_eq!(
        err_code(
            create(&format!("https://{}.com", "a".repeat(250)))
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
    let six = (0..6)
        .map(|i| format!("{i}").repeat(40))
        .collect::<Vec<_>>();
    let r = create("https://a.example.com")
        .set_thumbprint_list(Some(six))
        .send()
        .await;
    assert_eq!(
        err_message(r),
        "Thumbprint list must contain fewer than 5 entries."
    );
    for bad in ["a".repeat(39), "g".repeat(40)] {
        assert_eq!(
            err_code(
                create("https://a.example.com")
                    .thumbprint_list(bad)
                    .send()
                    .await
            ),
            ("InvalidInput".into(), 400)
        );
    }
    let ids = |n: usize| (0..n).map(|i| format!("client-{i}")).collect::<Vec<_>>();
    assert_eq!(
        err_code(
            create("https://a.example.com")
                .set_client_id_list(Some(ids(101)))
                .send()
                .await
        ),
        ("LimitExceeded".into(), 409)
    );
    assert_eq!(
        err_code(
            create("https://a.example.com")
                .client_id_list("x".repeat(256))
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
    let five = (0..5)
        .map(|i| format!("{i}").repeat(40))
        .collect::<Vec<_>>();
    let arn = create("https://a.example.com")
        .set_client_id_list(Some(ids(100)))
        .set_thumbprint_list(Some(five))
        .send()
        .await
        .unwrap()
        .open_id_connect_provider_arn()
        .unwrap()
        .to_string();
    let add = iam
        .add_client_id_to_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .client_id("one-more")
        .send()
        .await;
    assert_eq!(err_code(add), ("LimitExceeded".into(), 409));
    // Already present: no new entry, so no quota problem.
    iam.add_client_id_to_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .client_id("client-7")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(
            iam.update_open_id_connect_provider_thumbprint()
                .open_id_connect_provider_arn(&arn)
                .thumbprint_list("z".repeat(40))
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );
    assert_eq!(
        err_code(
            iam.update_open_id_connect_provider_thumbprint()
                .open_id_connect_provider_arn(&arn)
                .send()
                .await
        ),
        ("ValidationError".into(), 400),
        "ThumbprintList is required"
    );
    assert_eq!(
        err_code(
            create("https://b.example.com")
                .tags(tag("aws:x", "y"))
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );
}

#[tokio::test]
async fn oidc_provider_quota_and_summary() {
    let s = Server::dev();
    let iam = s.root_iam();
    for i in 0..100 {
        iam.create_open_id_connect_provider()
            .url(format!("https://idp{i}.example.com"))
            .send()
            .await
            .unwrap();
    }
    let over = iam
        .create_open_id_connect_provider()
        .url("https://one-too-many.example.com")
        .send()
        .await;
    assert_eq!(err_code(over), ("LimitExceeded".into(), 409));
    assert_eq!(
        iam.list_open_id_connect_providers()
            .send()
            .await
            .unwrap()
            .open_id_connect_provider_list()
            .len(),
        100
    );
    let summary = iam.get_account_summary().send().await.unwrap();
    assert_eq!(
        summary
            .summary_map()
            .unwrap()
            .get(&SummaryKeyType::Providers),
        Some(&100)
    );
}
