//! GetAccountAuthorizationDetails: every list with its relationships and decoded documents, each
//! filter, and pagination across the four lists.

use crate::common::{Server, err_code, err_message, url_decode};
use aws_sdk_iam::Client;
use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput as Details;
use aws_sdk_iam::types::{EntityType, Tag};

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const V1: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
const V2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"}]}"#;
const USER_DOC: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#;
const GROUP_DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}"#;
const ROLE_DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}"#;
const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

/// A customer policy `Local` (two versions, v2 default), group `Devs` with an inline policy and
/// `Local` attached, user `alice` in Devs with an inline policy, ReadOnlyAccess attached, `Local`
/// as boundary and a tag, and role `app` with an inline policy, `Local` attached and as
/// boundary, a tag, and instance profile `web`. Returns `Local`'s ARN.
async fn populate(iam: &Client) -> String {
    let arn = iam
        .create_policy()
        .policy_name("Local")
        .path("/app/")
        .description("local policy")
        .policy_document(V1)
        .send()
        .await
        .unwrap()
        .policy()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    iam.create_policy_version()
        .policy_arn(&arn)
        .policy_document(V2)
        .set_as_default(true)
        .send()
        .await
        .unwrap();
    iam.create_group().group_name("Devs").send().await.unwrap();
    iam.put_group_policy()
        .group_name("Devs")
        .policy_name("gp")
        .policy_document(GROUP_DOC)
        .send()
        .await
        .unwrap();
    iam.attach_group_policy()
        .group_name("Devs")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    iam.create_user()
        .user_name("alice")
        .path("/people/")
        .permissions_boundary(&arn)
        .tags(tag("team", "red"))
        .send()
        .await
        .unwrap();
    iam.put_user_policy()
        .user_name("alice")
        .policy_name("up")
        .policy_document(USER_DOC)
        .send()
        .await
        .unwrap();
    iam.add_user_to_group()
        .group_name("Devs")
        .user_name("alice")
        .send()
        .await
        .unwrap();
    iam.attach_user_policy()
        .user_name("alice")
        .policy_arn(READ_ONLY)
        .send()
        .await
        .unwrap();
    iam.create_role()
        .role_name("app")
        .assume_role_policy_document(TRUST)
        .permissions_boundary(&arn)
        .tags(tag("env", "prod"))
        .send()
        .await
        .unwrap();
    iam.put_role_policy()
        .role_name("app")
        .policy_name("rp")
        .policy_document(ROLE_DOC)
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("app")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    iam.create_instance_profile()
        .instance_profile_name("web")
        .send()
        .await
        .unwrap();
    iam.add_role_to_instance_profile()
        .instance_profile_name("web")
        .role_name("app")
        .send()
        .await
        .unwrap();
    arn
}

async fn details(iam: &Client, filter: &[EntityType]) -> Details {
    iam.get_account_authorization_details()
        .set_filter(Some(filter.to_vec()))
        .send()
        .await
        .unwrap()
}

fn counts(d: &Details) -> [usize; 4] {
    [
        d.user_detail_list().len(),
        d.group_detail_list().len(),
        d.role_detail_list().len(),
        d.policies().len(),
    ]
}

#[tokio::test]
async fn every_list_with_relationships_and_decoded_documents() {
    let s = Server::dev();
    let iam = s.root_iam();
    let local = populate(&iam).await;
    let d = details(&iam, &[]).await;
    assert!(!d.is_truncated());
    assert_eq!(d.marker(), None);
    assert_eq!(counts(&d), [1, 1, 1, 2]);

    let u = &d.user_detail_list()[0];
    assert_eq!(u.user_name(), Some("alice"));
    assert_eq!(u.path(), Some("/people/"));
    assert!(u.user_id().unwrap().starts_with("AIDA"));
    assert!(u.arn().unwrap().ends_with(":user/people/alice"));
    assert!(u.create_date().is_some());
    assert_eq!(u.user_policy_list().len(), 1);
    assert_eq!(u.user_policy_list()[0].policy_name(), Some("up"));
    let raw = u.user_policy_list()[0].policy_document().unwrap();
    assert!(raw.starts_with("%7B"), "documents are URL-encoded: {raw}");
    assert_eq!(url_decode(raw), USER_DOC);
    assert_eq!(u.group_list(), ["Devs"]);
    let attached = u.attached_managed_policies();
    assert_eq!(attached.len(), 1);
    assert_eq!(attached[0].policy_name(), Some("ReadOnlyAccess"));
    assert_eq!(attached[0].policy_arn(), Some(READ_ONLY));
    let b = u.permissions_boundary().unwrap();
    assert_eq!(b.permissions_boundary_arn(), Some(local.as_str()));
    assert_eq!(
        b.permissions_boundary_type().map(|t| t.as_str()),
        Some("PermissionsBoundaryPolicy")
    );
    assert_eq!(u.tags(), [tag("team", "red")]);

    let g = &d.group_detail_list()[0];
    assert_eq!(g.group_name(), Some("Devs"));
    assert!(g.group_id().unwrap().starts_with("AGPA"));
    assert_eq!(g.group_policy_list()[0].policy_name(), Some("gp"));
    assert_eq!(
        url_decode(g.group_policy_list()[0].policy_document().unwrap()),
        GROUP_DOC
    );
    assert_eq!(
        g.attached_managed_policies()[0].policy_arn(),
        Some(local.as_str())
    );
    assert_eq!(
        g.attached_managed_policies()[0].policy_name(),
        Some("Local")
    );

    let r = &d.role_detail_list()[0];
    assert_eq!(r.role_name(), Some("app"));
    assert!(r.role_id().unwrap().starts_with("AROA"));
    assert_eq!(url_decode(r.assume_role_policy_document().unwrap()), TRUST);
    assert_eq!(r.role_policy_list()[0].policy_name(), Some("rp"));
    assert_eq!(
        url_decode(r.role_policy_list()[0].policy_document().unwrap()),
        ROLE_DOC
    );
    assert_eq!(
        r.attached_managed_policies()[0].policy_arn(),
        Some(local.as_str())
    );
    assert_eq!(
        r.permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn()),
        Some(local.as_str())
    );
    assert_eq!(r.tags(), [tag("env", "prod")]);
    let last_used = r.role_last_used().expect("RoleLastUsed is present");
    assert_eq!(last_used.last_used_date(), None);
    let profiles = r.instance_profile_list();
    assert_eq!(profiles.len(), 1);
    let p = &profiles[0];
    assert_eq!(p.instance_profile_name(), "web");
    assert!(p.instance_profile_id().starts_with("AIPA"));
    assert!(p.arn().ends_with(":instance-profile/web"));
    assert_eq!(p.roles().len(), 1);
    assert_eq!(p.roles()[0].role_name(), "app");
    assert_eq!(
        url_decode(p.roles()[0].assume_role_policy_document().unwrap()),
        TRUST
    );

    let by_name = |n: &str| {
        d.policies()
            .iter()
            .find(|p| p.policy_name() == Some(n))
            .unwrap_or_else(|| panic!("policy {n} listed"))
    };
    let lp = by_name("Local");
    assert_eq!(lp.arn(), Some(local.as_str()));
    assert_eq!(lp.path(), Some("/app/"));
    assert!(lp.policy_id().unwrap().starts_with("ANPA"));
    assert_eq!(lp.default_version_id(), Some("v2"));
    assert_eq!(lp.attachment_count(), Some(2), "the group and the role");
    assert_eq!(
        lp.permissions_boundary_usage_count(),
        Some(2),
        "the user and the role"
    );
    assert!(lp.is_attachable());
    assert_eq!(lp.description(), Some("local policy"));
    assert!(lp.create_date().is_some() && lp.update_date().is_some());
    let versions: Vec<_> = lp
        .policy_version_list()
        .iter()
        .map(|v| {
            (
                v.version_id().unwrap().to_string(),
                url_decode(v.document().unwrap()),
                v.is_default_version(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        [
            ("v2".to_string(), V2.to_string(), true),
            ("v1".to_string(), V1.to_string(), false)
        ]
    );
    let ro = by_name("ReadOnlyAccess");
    assert_eq!(ro.arn(), Some(READ_ONLY));
    assert_eq!(ro.attachment_count(), Some(1));
    assert_eq!(ro.permissions_boundary_usage_count(), Some(0));
    assert_eq!(ro.policy_version_list().len(), 1);
    let doc = url_decode(ro.policy_version_list()[0].document().unwrap());
    assert!(doc.contains("iam:Get*"), "{doc}");
    assert!(
        d.policies()
            .iter()
            .all(|p| p.policy_name() != Some("AdministratorAccess")),
        "AWS managed policies not in use in the account are not listed"
    );
}

#[tokio::test]
async fn each_filter_selects_its_list() {
    let s = Server::dev();
    let iam = s.root_iam();
    populate(&iam).await;
    assert_eq!(
        counts(&details(&iam, &[EntityType::User]).await),
        [1, 0, 0, 0]
    );
    assert_eq!(
        counts(&details(&iam, &[EntityType::Group]).await),
        [0, 1, 0, 0]
    );
    assert_eq!(
        counts(&details(&iam, &[EntityType::Role]).await),
        [0, 0, 1, 0]
    );
    let local = details(&iam, &[EntityType::LocalManagedPolicy]).await;
    assert_eq!(counts(&local), [0, 0, 0, 1]);
    assert_eq!(local.policies()[0].policy_name(), Some("Local"));
    let aws = details(&iam, &[EntityType::AwsManagedPolicy]).await;
    assert_eq!(counts(&aws), [0, 0, 0, 1]);
    assert_eq!(aws.policies()[0].arn(), Some(READ_ONLY));
    assert_eq!(
        counts(&details(&iam, &[EntityType::User, EntityType::Role]).await),
        [1, 0, 1, 0]
    );
    assert_eq!(
        counts(
            &details(
                &iam,
                &[EntityType::LocalManagedPolicy, EntityType::AwsManagedPolicy]
            )
            .await
        ),
        [0, 0, 0, 2]
    );

    // Once detached everywhere, the AWS managed policy is no longer listed.
    iam.detach_user_policy()
        .user_name("alice")
        .policy_arn(READ_ONLY)
        .send()
        .await
        .unwrap();
    assert_eq!(
        counts(&details(&iam, &[EntityType::AwsManagedPolicy]).await),
        [0, 0, 0, 0]
    );

    let bad = iam
        .get_account_authorization_details()
        .filter(EntityType::from("Printer"))
        .send()
        .await;
    assert_eq!(err_code(bad), ("ValidationError".into(), 400));
}

/// Pages through everything `MaxItems` at a time; returns each page's
/// (users, groups, roles, policies) names.
async fn pages(iam: &Client, filter: &[EntityType], max: i32) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let d = iam
            .get_account_authorization_details()
            .set_filter(Some(filter.to_vec()))
            .max_items(max)
            .set_marker(marker.clone())
            .send()
            .await
            .unwrap();
        let mut names: Vec<String> = Vec::new();
        names.extend(
            d.user_detail_list()
                .iter()
                .map(|u| format!("u:{}", u.user_name().unwrap())),
        );
        names.extend(
            d.group_detail_list()
                .iter()
                .map(|g| format!("g:{}", g.group_name().unwrap())),
        );
        names.extend(
            d.role_detail_list()
                .iter()
                .map(|r| format!("r:{}", r.role_name().unwrap())),
        );
        names.extend(
            d.policies()
                .iter()
                .map(|p| format!("p:{}", p.policy_name().unwrap())),
        );
        out.push(names);
        assert_eq!(d.is_truncated(), d.marker().is_some());
        match d.marker() {
            Some(m) => marker = Some(m.to_string()),
            None => return out,
        }
        assert!(out.len() < 50, "pagination ends");
    }
}

#[tokio::test]
async fn pagination_runs_across_the_lists() {
    let s = Server::dev();
    let iam = s.root_iam();
    for u in ["u1", "u2", "u3"] {
        iam.create_user().user_name(u).send().await.unwrap();
    }
    for g in ["g1", "g2"] {
        iam.create_group().group_name(g).send().await.unwrap();
    }
    for r in ["r1", "r2", "r3"] {
        iam.create_role()
            .role_name(r)
            .assume_role_policy_document(TRUST)
            .send()
            .await
            .unwrap();
    }
    for p in ["p1", "p2"] {
        iam.create_policy()
            .policy_name(p)
            .policy_document(V1)
            .send()
            .await
            .unwrap();
    }
    iam.attach_role_policy()
        .role_name("r1")
        .policy_arn(READ_ONLY)
        .send()
        .await
        .unwrap();
    let got = pages(&iam, &[], 2).await;
    let want: Vec<Vec<&str>> = vec![
        vec!["u:u1", "u:u2"],
        vec!["u:u3", "g:g1"],
        vec!["g:g2", "r:r1"],
        vec!["r:r2", "r:r3"],
        vec!["p:p1", "p:p2"],
        vec!["p:ReadOnlyAccess"],
    ];
    assert_eq!(got, want);

    // A page that ends exactly at the end of a list still points at the next list.
    let got = pages(&iam, &[EntityType::User, EntityType::Group], 3).await;
    assert_eq!(
        got,
        vec![vec!["u:u1", "u:u2", "u:u3"], vec!["g:g1", "g:g2"]]
    );
    // ... and ending at the end of everything is not truncated.
    assert_eq!(
        pages(&iam, &[EntityType::Group], 2).await,
        vec![vec!["g:g1", "g:g2"]]
    );
    // Large pages hold everything at once.
    assert_eq!(pages(&iam, &[], 1000).await.len(), 1);

    let bad = iam
        .get_account_authorization_details()
        .marker("nonsense")
        .send()
        .await;
    assert_eq!(err_message(bad), "Invalid Marker.");
    let bad = iam
        .get_account_authorization_details()
        .marker("nonsense")
        .send()
        .await;
    assert_eq!(err_code(bad), ("InvalidInput".into(), 400));
}
