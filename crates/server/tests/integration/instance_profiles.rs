//! Instance profiles: one role per profile, DeleteConflict both ways, listings with pagination,
//! tags, the account quota and GetAccountSummary's count.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message};
use aws_sdk_iam::types::{SummaryKeyType, Tag};

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

async fn role(iam: &aws_sdk_iam::Client, name: &str) {
    iam.create_role()
        .role_name(name)
        .path("/svc/")
        .assume_role_policy_document(TRUST)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn instance_profile_lifecycle() {
    let s = Server::dev();
    let iam = s.root_iam();
    let created = iam
        .create_instance_profile()
        .instance_profile_name("Web")
        .path("/app/")
        .tags(tag("env", "prod"))
        .send()
        .await
        .unwrap();
    let p = created.instance_profile().unwrap();
    assert_eq!(
        p.arn(),
        format!("arn:aws:iam::{DEV_ACCOUNT}:instance-profile/app/Web")
    );
    assert!(p.instance_profile_id().starts_with("AIPA"));
    assert_eq!(p.instance_profile_id().len(), 21);
    assert_eq!(p.path(), "/app/");
    assert!(p.roles().is_empty());
    assert_eq!(p.tags(), [tag("env", "prod")]);

    let dup = iam
        .create_instance_profile()
        .instance_profile_name("web")
        .send()
        .await;
    assert_eq!(
        err_message(
            iam.create_instance_profile()
                .instance_profile_name("web")
                .send()
                .await
        ),
        "Instance Profile web already exists."
    );
    assert_eq!(err_code(dup), ("EntityAlreadyExists".into(), 409));
    for bad in [
        iam.create_instance_profile()
            .instance_profile_name("bad name")
            .send()
            .await,
        iam.create_instance_profile()
            .instance_profile_name("x".repeat(129))
            .send()
            .await,
        iam.create_instance_profile()
            .instance_profile_name("p")
            .path("no-slashes")
            .send()
            .await,
    ] {
        assert_eq!(err_code(bad), ("ValidationError".into(), 400));
    }
    assert_eq!(
        err_code(
            iam.create_instance_profile()
                .instance_profile_name("p")
                .tags(tag("aws:reserved", "x"))
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );

    let missing = iam
        .get_instance_profile()
        .instance_profile_name("nope")
        .send()
        .await;
    assert_eq!(
        err_message(
            iam.get_instance_profile()
                .instance_profile_name("nope")
                .send()
                .await
        ),
        "Instance Profile nope cannot be found."
    );
    assert_eq!(err_code(missing), ("NoSuchEntity".into(), 404));

    role(&iam, "WebRole").await;
    role(&iam, "Other").await;
    iam.add_role_to_instance_profile()
        .instance_profile_name("Web")
        .role_name("WebRole")
        .send()
        .await
        .unwrap();
    let got = iam
        .get_instance_profile()
        .instance_profile_name("WEB")
        .send()
        .await
        .unwrap();
    let g = got.instance_profile().unwrap();
    assert_eq!(g.instance_profile_name(), "Web");
    assert_eq!(g.tags().len(), 1);
    let r = &g.roles()[0];
    assert_eq!(r.role_name(), "WebRole");
    assert_eq!(
        r.arn(),
        format!("arn:aws:iam::{DEV_ACCOUNT}:role/svc/WebRole")
    );
    assert!(r.role_id().starts_with("AROA"));
    assert!(
        r.assume_role_policy_document()
            .unwrap()
            .starts_with("%7B%22Version%22")
    );

    // One role per profile, and the same role again is no exception.
    for again in ["Other", "WebRole"] {
        let r = iam
            .add_role_to_instance_profile()
            .instance_profile_name("Web")
            .role_name(again)
            .send()
            .await;
        assert_eq!(
            err_message(r),
            "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"
        );
    }
    assert_eq!(
        err_code(
            iam.add_role_to_instance_profile()
                .instance_profile_name("Web")
                .role_name("Other")
                .send()
                .await
        ),
        ("LimitExceeded".into(), 409)
    );
    assert_eq!(
        err_code(
            iam.add_role_to_instance_profile()
                .instance_profile_name("Web")
                .role_name("ghost")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    assert_eq!(
        err_code(
            iam.add_role_to_instance_profile()
                .instance_profile_name("ghost")
                .role_name("Other")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );

    let for_role = iam
        .list_instance_profiles_for_role()
        .role_name("WebRole")
        .send()
        .await
        .unwrap();
    assert_eq!(for_role.instance_profiles().len(), 1);
    assert_eq!(for_role.instance_profiles()[0].roles().len(), 1);
    assert!(!for_role.is_truncated());
    assert_eq!(
        err_code(
            iam.list_instance_profiles_for_role()
                .role_name("ghost")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );

    // Neither the role nor the profile can go while one contains the other.
    let msg = "Cannot delete entity, must remove roles from instance profile first.";
    assert_eq!(
        err_code(iam.delete_role().role_name("WebRole").send().await),
        ("DeleteConflict".into(), 409)
    );
    assert_eq!(
        err_message(iam.delete_role().role_name("WebRole").send().await),
        msg
    );
    let conflict = iam
        .delete_instance_profile()
        .instance_profile_name("Web")
        .send()
        .await;
    assert_eq!(err_code(conflict), ("DeleteConflict".into(), 409));
    assert_eq!(
        err_message(
            iam.delete_instance_profile()
                .instance_profile_name("Web")
                .send()
                .await
        ),
        msg
    );

    assert_eq!(
        err_code(
            iam.remove_role_from_instance_profile()
                .instance_profile_name("Web")
                .role_name("Other")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    iam.remove_role_from_instance_profile()
        .instance_profile_name("Web")
        .role_name("WebRole")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(
            iam.remove_role_from_instance_profile()
                .instance_profile_name("Web")
                .role_name("WebRole")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    assert!(
        iam.list_instance_profiles_for_role()
            .role_name("WebRole")
            .send()
            .await
            .unwrap()
            .instance_profiles()
            .is_empty()
    );
    iam.delete_role().role_name("WebRole").send().await.unwrap();
    iam.delete_instance_profile()
        .instance_profile_name("Web")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(
            iam.delete_instance_profile()
                .instance_profile_name("Web")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
}

#[tokio::test]
async fn instance_profile_tags() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_instance_profile()
        .instance_profile_name("t")
        .send()
        .await
        .unwrap();
    iam.tag_instance_profile()
        .instance_profile_name("t")
        .tags(tag("Team", "a"))
        .tags(tag("cost", "1"))
        .send()
        .await
        .unwrap();
    // Tag keys of instance profiles are case-sensitive.
    iam.tag_instance_profile()
        .instance_profile_name("t")
        .tags(tag("team", "b"))
        .send()
        .await
        .unwrap();
    let page = iam
        .list_instance_profile_tags()
        .instance_profile_name("t")
        .max_items(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page.tags(), [tag("Team", "a"), tag("cost", "1")]);
    assert!(page.is_truncated());
    let rest = iam
        .list_instance_profile_tags()
        .instance_profile_name("t")
        .marker(page.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.tags(), [tag("team", "b")]);
    assert!(!rest.is_truncated());
    iam.untag_instance_profile()
        .instance_profile_name("t")
        .tag_keys("Team")
        .tag_keys("cost")
        .send()
        .await
        .unwrap();
    assert_eq!(
        iam.list_instance_profile_tags()
            .instance_profile_name("t")
            .send()
            .await
            .unwrap()
            .tags(),
        [tag("team", "b")]
    );
    let many: Vec<Tag> = (0..50).map(|i| tag(&format!("k{i}"), "v")).collect();
    assert_eq!(
        err_code(
            iam.tag_instance_profile()
                .instance_profile_name("t")
                .set_tags(Some(many))
                .send()
                .await
        ),
        ("LimitExceeded".into(), 409)
    );
    for r in [
        err_code(
            iam.tag_instance_profile()
                .instance_profile_name("ghost")
                .tags(tag("k", "v"))
                .send()
                .await,
        ),
        err_code(
            iam.untag_instance_profile()
                .instance_profile_name("ghost")
                .tag_keys("k")
                .send()
                .await,
        ),
        err_code(
            iam.list_instance_profile_tags()
                .instance_profile_name("ghost")
                .send()
                .await,
        ),
    ] {
        assert_eq!(r, ("NoSuchEntity".into(), 404));
    }
}

#[tokio::test]
async fn instance_profiles_paginate_filter_and_count() {
    let s = Server::dev();
    let iam = s.root_iam();
    for (name, path) in [
        ("e", "/"),
        ("b", "/eng/"),
        ("a", "/eng/x/"),
        ("d", "/ops/"),
        ("c", "/"),
    ] {
        iam.create_instance_profile()
            .instance_profile_name(name)
            .path(path)
            .send()
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = iam
            .list_instance_profiles()
            .max_items(2)
            .set_marker(marker.clone())
            .send()
            .await
            .unwrap();
        assert!(page.instance_profiles().len() <= 2);
        seen.extend(
            page.instance_profiles()
                .iter()
                .map(|p| p.instance_profile_name().to_string()),
        );
        if !page.is_truncated() {
            assert!(page.marker().is_none());
            break;
        }
        marker = page.marker().map(str::to_string);
    }
    assert_eq!(seen, ["a", "b", "c", "d", "e"]);
    let eng = iam
        .list_instance_profiles()
        .path_prefix("/eng/")
        .send()
        .await
        .unwrap();
    assert_eq!(
        eng.instance_profiles()
            .iter()
            .map(|p| p.instance_profile_name())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(
        err_code(iam.list_instance_profiles().max_items(0).send().await),
        ("ValidationError".into(), 400)
    );
    let summary = iam.get_account_summary().send().await.unwrap();
    let map = summary.summary_map().unwrap();
    assert_eq!(map.get(&SummaryKeyType::InstanceProfiles), Some(&5));
    assert_eq!(map.get(&SummaryKeyType::InstanceProfilesQuota), Some(&1000));
}

#[tokio::test]
async fn instance_profile_quota() {
    let s = Server::dev();
    let iam = s.root_iam();
    for i in 0..1000 {
        iam.create_instance_profile()
            .instance_profile_name(format!("p{i}"))
            .send()
            .await
            .unwrap();
    }
    let over = iam
        .create_instance_profile()
        .instance_profile_name("one-too-many")
        .send()
        .await;
    assert_eq!(
        err_message(
            iam.create_instance_profile()
                .instance_profile_name("one-too-many")
                .send()
                .await
        ),
        "Cannot exceed quota for InstanceProfilesPerAccount: 1000"
    );
    assert_eq!(err_code(over), ("LimitExceeded".into(), 409));
}
